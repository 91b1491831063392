"""Quote facts: direct quotes of at least a few words, with the speaker they are attributed to.

The speaker is the subject of a speech verb in the same sentence ("…,” Mnuchin said", "said Bruce
Klingner", "Treasury said the … “reprehensible treatment”"). A pronoun subject, or a sentence
that is only a quote, continues the previous quote's speaker.
"""

from __future__ import annotations

import re

from compare.records import Fact, FactKind

QUOTE_SPAN = re.compile(r"“([^“”]+)”?|\"([^\"]+)\"")
MIN_QUOTE_WORDS = 3
SPEECH_VERBS = {
    "say",
    "said",
    "says",
    "tell",
    "told",
    "add",
    "added",
    "note",
    "noted",
    "tweet",
    "tweeted",
    "write",
    "wrote",
    "warn",
    "warned",
    "state",
    "stated",
    "ask",
    "asked",
    "explain",
    "explained",
    "claim",
    "claimed",
    "insist",
    "insisted",
    "argue",
    "argued",
    "declare",
    "declared",
    "announce",
    "announced",
    "reply",
    "replied",
    "respond",
    "responded",
    "continue",
    "continued",
    "remark",
    "remarked",
    "posted",
    "post",
    "admit",
    "admitted",
    "acknowledge",
    "acknowledged",
    "urge",
    "urged",
    "recall",
    "recalled",
}
PRONOUNS = {"he", "she", "they", "i", "we", "it"}
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def fold_quote(words: str) -> str:
    """Quoted words folded for comparison: lower case, letters and digits only."""
    return " ".join(re.findall(r"\w+", words.lower().replace("’", "'")))


def quote_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of each direct quote of MIN_QUOTE_WORDS or more words in `text`."""
    spans = []
    for match in QUOTE_SPAN.finditer(text):
        words = (match.group(1) or match.group(2) or "").strip()
        if len(words.split()) >= MIN_QUOTE_WORDS:
            spans.append((match.start(), match.end(), words))
    return spans


def find_speaker(doc: object, quotes: list[tuple[int, int, str]]) -> str | None:
    """The speaker named in one sentence's `doc`; "" for a pronoun; None when none is found."""
    inside = [(s, e) for s, e, _ in quotes]
    for token in doc:  # type: ignore[attr-defined]
        if token.lemma_.lower() not in SPEECH_VERBS and token.lower_ not in SPEECH_VERBS:
            continue
        if any(s <= token.idx < e for s, e in inside):
            continue
        for child in token.children:
            if child.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if child.lower_ in PRONOUNS:
                return ""
            span = doc[child.left_edge.i : child.i + 1]  # type: ignore[index]
            ents = [e for e in span.ents if e.label_ in SPEAKER_LABELS]
            ents += [e for e in doc.ents if e.start <= child.i < e.end and e.label_ in SPEAKER_LABELS]  # type: ignore[attr-defined]
            if ents:
                return max(ents, key=lambda e: (e.label_ == "PERSON", len(e.text))).text
            if child.pos_ == "PROPN":
                return child.text
            return " ".join(t.text for t in doc[child.left_edge.i : child.i + 1])  # type: ignore[index]
    return None


def quote_facts(doc: object, previous_speaker: str, last_person: str = "") -> tuple[list[Fact], str]:
    """(quote facts of one sentence's `doc`, speaker to carry on to the next sentence). A pronoun
    speaker is the previous quote's speaker, else `last_person` (the person last named).

    Each fact's `value` is the speaker as written (names are canonicalised later) and its `slot`
    the folded quoted words.
    """
    text = doc.text  # type: ignore[attr-defined]
    quotes = quote_spans(text)
    if not quotes:
        return [], previous_speaker
    speaker = find_speaker(doc, quotes)
    if speaker == "":  # "he said": the quote before, else the person last named
        speaker = previous_speaker or last_person
    elif speaker is None and text.lstrip().startswith(("“", '"')):  # a quote that goes on
        speaker = previous_speaker
    if not speaker:
        return [], previous_speaker
    facts = [Fact(FactKind.QUOTE, speaker, words, s, e, slot=fold_quote(words)) for s, e, words in quotes]
    return facts, speaker


def speech_subjects(doc: object) -> list[int]:
    """Character offsets of the subjects of speech verbs that introduce reported speech
    ("Bolton has said the president wants ...", "..., Klingner said"): the people a sentence
    attributes its content to."""
    offsets = []
    for token in doc:  # type: ignore[attr-defined]
        if token.lemma_.lower() not in SPEECH_VERBS and token.lower_ not in SPEECH_VERBS:
            continue
        if not (token.dep_ == "parataxis" or any(c.dep_ == "ccomp" for c in token.children)):
            continue
        offsets += [c.idx for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    return offsets
