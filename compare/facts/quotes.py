"""Quote facts: direct quotes, with the speaker they are attributed to.

The speaker is the subject of the speech verb nearest the quote in the same sentence ("…,” Mnuchin
said", "said Bruce Klingner", "Treasury said the … “reprehensible treatment”") or the source of
"according to". A quote may run over several sentences: its speaker is then named where it ends
(“First sentence. Second one,” she said), or it goes on from the previous quote. A pronoun ("he
said") is the previous quote's speaker, else the person the sentence before is about
(`compare.facts.extract.antecedent`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from compare.records import Fact, FactKind

MIN_QUOTE_WORDS = 3  # shorter quoted words are often scare quotes ("in “love” with")
MIN_NAMED_QUOTE_WORDS = 2  # ... unless a speech verb of the same sentence gives the speaker's name
SPEECH_VERBS = {
    "say",
    "tell",
    "add",
    "note",
    "tweet",
    "write",
    "warn",
    "state",
    "ask",
    "explain",
    "claim",
    "insist",
    "argue",
    "declare",
    "announce",
    "reply",
    "respond",
    "continue",
    "remark",
    "post",
    "admit",
    "acknowledge",
    "urge",
    "recall",
    "accuse",
    "call",
    "describe",
    "conclude",
    "testify",
    "predict",
    "vow",
    "promise",
    "complain",
    "caution",
    "stress",
    "emphasize",
    "confirm",
    "counter",  # "Barr countered: “…”"
    "report",  # "“…,” KQED reports"
    "clarify",
    "text",
}
SPEECH_WORDS = SPEECH_VERBS | {"said", "says", "told", "wrote", "tweeted", "posted", "reports", "texted"}
PRONOUNS = {"he", "she", "they", "i", "we", "it"}
RELATIVE = {"who", "which", "that"}
ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)  # "The Justice Department" said
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"}
STATEMENT_WORDS = {  # a document that speaks for the speaker quoted before it ("the ruling said")
    "statement",
    "release",
    "letter",
    "post",
    "tweet",
    "ruling",
    "opinion",
    "decision",
    "report",
    "filing",
}
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
OPENING, CLOSING = "“", "”"
TITLE_AT_END = re.compile(r"\b(?:Gov|Sen|Rep|Dr|Mr|Mrs|Ms|Gen|Lt|Col|Sgt|Capt|Rev|Prof|Adm|Amb|Supt)\.$")


@dataclass(frozen=True, slots=True)
class Quoted:
    """The quotes of one sentence: (start, end, words) spans, whether the sentence ends inside a
    quote that goes on, and the speaker its own words name (None: none; "": a pronoun)."""

    spans: tuple[tuple[int, int, str], ...]
    open_at_end: bool
    speaker: str | None
    starts_inside: bool


def fold_quote(words: str) -> str:
    """Quoted words folded for comparison: lower case, letters and digits only."""
    return " ".join(re.findall(r"\w+", words.lower().replace("’", "'")))


def quote_spans(text: str, inside: bool = False) -> tuple[list[tuple[int, int, str]], bool]:
    """((start, end, words) of each quoted stretch of `text`, whether `text` ends inside a quote).
    `inside` says the text starts inside a quote opened in an earlier sentence. Curly quotes say
    whether they open or close; a straight one opens when it follows a space (or starts the text)
    and a word follows it, closes when it follows a word and a space follows it, else opens and
    closes in turn. An opening mark inside a quote starts a new one: a quote that runs over
    paragraphs is left open at the end of each and opened again at the start of the next."""
    spans = []
    start = 0 if inside else -1
    for i, char in enumerate(text):
        if char not in (OPENING, CLOSING, '"'):
            continue
        opens = char == OPENING or char == '"' and (opening_mark(text, i) or start < 0 and not closing_mark(text, i))
        if opens:
            if start >= 0:
                spans.append((start, i, text[start:i].strip(' "“”')))
            start = i
        elif start >= 0:
            spans.append((start, i + 1, text[start : i + 1].strip(' "“”')))
            start = -1
    if start >= 0:
        spans.append((start, len(text), text[start:].strip(' "“”')))
    return [s for s in spans if s[2]], start >= 0


def opening_mark(text: str, i: int) -> bool:
    """True when the straight quote at `i` follows a space, a dash or bracket (or starts `text`)
    and is followed by a word: it opens a quote."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-") and not after.isspace()


def closing_mark(text: str, i: int) -> bool:
    """True when the straight quote at `i` follows a word or punctuation and is followed by a
    space, punctuation or the end of `text`: it closes a quote."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def subject_of(token: object) -> object | None:
    """The word naming who speaks for a speech verb (or "according to"'s "to"): its subject; for
    a verb without one, the noun a participle qualifies ("Kravtsov, ..., saying: “...”" after
    "with", "the agency, saying") or the subject of the verb it hangs on ("Trump tweeted,
    writing: ...")."""
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "pobj")]  # type: ignore[attr-defined]
    subject = next((c for c in subjects if c.pos_ == "PROPN"), subjects[0] if subjects else None)  # a name first
    if subject is not None or token.dep_ not in ("acl", "advcl", "xcomp", "conj"):  # type: ignore[attr-defined]
        return subject
    head = token.head  # type: ignore[attr-defined]
    if token.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):  # type: ignore[attr-defined]
        return head
    with_ = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "with"), None)
    if with_ is not None:
        return next((c for c in with_.children if c.dep_ == "pobj"), None)
    return next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def speaker_of(token: object, doc: object, quotes: Sequence[tuple[int, int, str]] = ()) -> str | None:
    """The speaker that a speech verb's subject (see `subject_of`) names: the name entity holding
    the subject's head word ("Prescott Fire Chief Dan Fraijo" -> "Dan Fraijo"), else its
    proper-noun compound ("Maarten-Jan Bakkum"), else the widest name of the subject and its
    apposition ("Beijing's newspaper China Daily"), else its words; "" for a pronoun; None when
    the verb has no subject."""
    child = subject_of(token)
    if child is None or any(s <= child.idx < e for s, e, _ in quotes):  # type: ignore[attr-defined]
        return None  # no subject, or one inside the quoted words (a parse gone wrong)
    if child.lower_ in PRONOUNS:  # type: ignore[attr-defined]
        return ""
    if child.lower_ in RELATIVE and token.dep_ == "relcl":  # type: ignore[attr-defined]
        child = token.head  # type: ignore[attr-defined]  # "Chris Wray, who called ...": Wray
    own = [e for e in doc.ents if e.start <= child.i < e.end and e.label_ in SPEAKER_LABELS]  # type: ignore[attr-defined]
    if own:
        return ARTICLE.sub("", own[0].text)
    if child.pos_ == "PROPN":  # type: ignore[attr-defined]
        first = child
        while first.i > 0 and (doc[first.i - 1].pos_ == "PROPN" or doc[first.i - 1].text == "-"):  # type: ignore[attr-defined, index]
            first = doc[first.i - 1]  # type: ignore[attr-defined, index]
        if first.text == "-":  # type: ignore[attr-defined]
            first = doc[first.i + 1]  # type: ignore[attr-defined, index]
        inner = [e for e in doc[first.i : child.i + 1].ents if e.label_ == "PERSON"]  # type: ignore[attr-defined, index]
        if inner:  # "Travis Tygart CEO of the agency said": Travis Tygart
            return max(inner, key=lambda e: len(e.text)).text
        return doc.text[first.idx : child.idx + len(child.text)]  # type: ignore[attr-defined]
    spans = [doc[child.left_edge.i : child.i + 1]]  # type: ignore[attr-defined, index]
    spans += [  # its apposition, and who wrote it: "the opinion by Justice Samuel Alito"
        doc[c.left_edge.i : c.right_edge.i + 1]  # type: ignore[index]
        for c in child.children  # type: ignore[attr-defined]
        if c.dep_ == "appos" or c.dep_ == "prep" and c.lower_ == "by"
    ]
    ents = [e for span in spans for e in span.ents if e.label_ in SPEAKER_LABELS]
    if ents:
        return ARTICLE.sub("", max(ents, key=lambda e: (e.label_ == "PERSON", len(e.text))).text)
    return " ".join(t.text for t in spans[0])


def find_speaker(doc: object, quotes: Sequence[tuple[int, int, str]]) -> str | None:
    """The speaker of one sentence's quotes: named by the speech verb nearest a quote (outside
    the quotes), or by "according to"; "" for a pronoun; None when none is found. A "wrote" inside
    another speech verb's words that names a document in quotes does not name the speaker: the
    one reporting it does ("Alshamrani also wrote a “final will purporting to explain himself”
    ..., Mr. Wray said": Wray; but "Prosecutors said Smith told police he “didn't mean to hurt
    anyone”", "Police said Mayor Jane Doe described the attack as “a cowardly act”": Smith, Doe)."""
    candidates: list[tuple[int, str, object]] = []
    for token in doc:  # type: ignore[attr-defined]
        if any(s <= token.idx < e for s, e, _ in quotes):
            continue
        if token.lemma_.lower() in SPEECH_VERBS or token.lower_ in SPEECH_WORDS:
            if any(c.dep_ == "xcomp" for c in token.children):
                continue  # "continued to cooperate", "urged them to leave": not saying the quote
            speaker = speaker_of(token, doc, quotes)
        elif token.lower_ == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            speaker = speaker_of(to, doc, quotes) if to is not None else None
        else:
            continue
        if speaker is not None:
            distance = min((min(abs(token.idx - s), abs(token.idx - e)) for s, e, _ in quotes), default=token.idx)
            candidates.append((distance, speaker, token))
    if not candidates:
        return None
    verbs = [c[2] for c in candidates]
    reported = [
        c for c in candidates if writes_a_document(doc, c[2], quotes) and any(v in c[2].ancestors for v in verbs)  # type: ignore[attr-defined]
    ]
    candidates = [c for c in candidates if c not in reported] or candidates
    return min(candidates, key=lambda c: c[0])[1]


def writes_a_document(doc: object, verb: object, quotes: Sequence[tuple[int, int, str]]) -> bool:
    """True when a "wrote" or "posted" is followed by an article or a possessive and a quote: the
    quoted words name what was written ("wrote a “final will purporting to explain himself”"),
    and they are the words of whoever reports the sentence, not of the writer."""
    if verb.lemma_.lower() not in ("write", "post"):  # type: ignore[attr-defined]
        return False
    after = doc.text[verb.idx + len(verb.text) :]  # type: ignore[attr-defined]
    match = re.match(r"\s+(?:a|an|the|his|her|its|their)\s+(?=[“\"])", after, re.IGNORECASE)
    start = verb.idx + len(verb.text) + match.end() if match else -1  # type: ignore[attr-defined]
    return any(s == start for s, _, _ in quotes)


def sentence_quotes(doc: object, inside: bool) -> Quoted:
    """The quotes of one sentence's `doc` and the speaker the sentence names for them."""
    spans, open_at_end = quote_spans(doc.text, inside)  # type: ignore[attr-defined]
    speaker = find_speaker(doc, spans) if spans else None
    least = MIN_NAMED_QUOTE_WORDS if speaker and speaker[0].isupper() else MIN_QUOTE_WORDS
    length = len(doc.text)  # type: ignore[attr-defined]
    kept = tuple(
        s for s in spans if len(s[2].split()) >= least or s[0] == 0 and inside or s[1] == length and open_at_end
    )
    return Quoted(kept, open_at_end, speaker, inside)


def report_quotes(
    docs: Sequence[object], last_people: Sequence[str], orgs: Sequence[tuple[int, str]] = ()
) -> list[list[Fact]]:
    """Quote facts of each sentence of a report (`docs` in order; `last_people[i]` is the person
    a pronoun of sentence i refers back to, `orgs` the (sentence, name) of each organisation named). Each
    fact's `value` is the speaker as written (names are made canonical later) and its `slot` the
    folded quoted words."""
    quoted: list[Quoted] = []
    inside = False
    for doc in docs:
        quoted.append(sentence_quotes(doc, inside))
        inside = quoted[-1].open_at_end
    out: list[list[Fact]] = []
    previous = ""
    for i, q in enumerate(quoted):
        if not q.spans:
            out.append([])
            if not q.starts_inside:  # a sentence without a quote ends the run of quotes, unless it
                previous = introduced_speaker(docs[i])  # introduces the next one ("X said:")
            continue
        speaker = q.speaker
        if speaker is None and q.open_at_end:  # “First. Second,” she said: named where it ends
            end = next((later for later in quoted[i + 1 :] if not later.open_at_end), None)
            speaker = end.speaker if end is not None else None
        if speaker is None and TITLE_AT_END.search(docs[i].text) and i + 1 < len(quoted):  # type: ignore[attr-defined]
            speaker = find_speaker(docs[i + 1], quoted[i + 1].spans)  # “…,” Gov. | Jan Brewer said.
        if speaker == "":
            speaker = previous or last_people[i]
        elif speaker is None and (q.starts_inside or doc_starts_with_quote(q)):
            speaker = previous
        if not speaker:
            out.append([])
            continue
        if not is_named(speaker):
            speaker = refer_back(speaker, [name for k, name in orgs if k <= i], previous)
        previous = speaker
        if not is_named(speaker):
            out.append([])  # nobody named ("the ruling said"): no speaker to compare with another
            continue
        out.append([Fact(FactKind.QUOTE, speaker, w, s, e, slot=fold_quote(w)) for s, e, w in q.spans])
    return out


def introduced_speaker(doc: object) -> str:
    """The named speaker of a sentence that ends with a colon to introduce the quote after it
    ("Incident Commander Mike Reichling tells ABC 15 what made the fire so dangerous:"); ""
    for any other sentence or a speaker not named ("Here's the statement:")."""
    if not doc.text.rstrip().endswith(":"):  # type: ignore[attr-defined]
        return ""
    speaker = find_speaker(doc, [])
    return speaker if speaker and is_named(speaker) else ""


def is_named(speaker: str) -> bool:
    """True when a speaker is written as a name (a capitalised word), not "the company" nor "The
    statement" (a capital that only starts the sentence)."""
    return any(w[:1].isupper() for w in speaker.split() if w.lower() not in DETERMINERS)


def refer_back(speaker: str, orgs: Sequence[str], previous: str) -> str:
    """The organisation a common-noun speaker refers back to: the latest one named whose name has
    its head word ("the embassy" -> "Saudi Embassy", "the agency" -> "Air Transport Agency"); for
    "the statement" the speaker of the quote before; else `speaker` itself."""
    words = re.findall(r"[a-z]+", speaker.lower())
    head = words[-1] if words else ""
    if head in STATEMENT_WORDS and previous:
        return previous
    matching = [o for o in orgs if head in re.findall(r"[a-z]+", o.lower())]
    return matching[-1] if head and matching else speaker


def speaker_names(doc: object, quotes: Sequence[Fact], names: Sequence[Fact]) -> list[Fact]:
    """Person facts for the speakers of a sentence's `quotes` that spaCy did not take for a name
    ("Maarten-Jan Bakkum, a strategist, said ..."): a speaker of two or more capitalised words
    written outside the quotes, that no name fact of the sentence (`names`) holds."""
    found: list[Fact] = []
    text = doc.text  # type: ignore[attr-defined]
    for speaker in dict.fromkeys(q.value for q in quotes):
        words = speaker.split()
        if len(words) < 2 or not all(w[:1].isupper() for w in words) or any(speaker in n.value for n in names):
            continue
        start = text.find(speaker)
        while start >= 0 and any(q.start <= start < q.end for q in quotes):
            start = text.find(speaker, start + 1)
        if start >= 0:
            found.append(Fact(FactKind.PERSON, speaker, speaker, start, start + len(speaker), attributed=True))
    return found


def doc_starts_with_quote(quoted: Quoted) -> bool:
    """True when the sentence opens with its first quote (a quote that goes on from before)."""
    return bool(quoted.spans) and quoted.spans[0][0] == 0


def speech_subjects(doc: object) -> list[int]:
    """Character offsets of the subjects of speech verbs that introduce reported speech
    ("Bolton has said the president wants ...", "..., Klingner said"): the people a sentence
    attributes its content to."""
    offsets = []
    for token in doc:  # type: ignore[attr-defined]
        if token.lemma_.lower() not in SPEECH_VERBS and token.lower_ not in SPEECH_WORDS:
            continue
        if not (token.dep_ == "parataxis" or any(c.dep_ == "ccomp" for c in token.children)):
            continue
        offsets += [c.idx for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    return offsets
