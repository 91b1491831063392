"""People, organisations and places in one report: mentions from spaCy, cleaned, with their roles
and the key they fold to ("Kim Jong-un" and "Kim Jong Un": "kim jong un"). One canonical name per
entity across two reports is `across`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from compare.facts.name_lexicon import (
    COMPANY_ENDINGS,
    GENERIC_ORG_WORDS,
    LOCAL_BODIES,
    LOOSE_UNITS,
    ORG_ENDINGS,
    ORG_HEADS,
    PLACE_ALIASES,
    SHIP_PREFIXES,
    TITLES,
    UNIT_WORDS,
)
from compare.facts.quotes import SPEECH_VERBS
from compare.records import Fact, FactKind

LABEL_KINDS = {
    "PERSON": FactKind.PERSON,
    "ORG": FactKind.ORG,
    "GPE": FactKind.PLACE,
    "LOC": FactKind.PLACE,
    "FAC": FactKind.PLACE,
}
HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|prof|sen|rep|gov|gen|col|lt|sgt|capt|rev|sir|dame|lord|lady)\.?\s+)+",
    re.IGNORECASE,
)
SUFFIX = re.compile(r"^,?\s(?:Jr|Sr)\.?|^\s(?:II|III|IV)\b")
LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
SHIP = re.compile(rf"\b(?:{'|'.join(SHIP_PREFIXES)})\s+[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of|de))*")
NOT_A_PERSON_WORDS = GENERIC_ORG_WORDS | ORG_ENDINGS | ORG_HEADS | COMPANY_ENDINGS


def name_key(name: str) -> str:
    """A name folded for matching: lower case, hyphens and dots to spaces, single letters dropped.

    "Kim Jong-un" -> "kim jong un"; "Steven T. Mnuchin" -> "steven mnuchin".
    """
    words = re.sub(r"[^\w\s]", " ", name.lower().replace("-", " ").replace("’", " ")).split()
    return " ".join(w for w in words if len(w) > 1 or w.isdigit())


def clean_name(text: str, kind: FactKind) -> str:
    """A mention without leading article, honorific, job title or possessive ending."""
    name = POSSESSIVE.sub("", LEADING.sub("", text.strip()))
    if kind is FactKind.PERSON:
        name = HONORIFICS.sub("", name)
        words = name.split()
        while len(words) > 1 and words[0].lower().strip(".,") in TITLES:
            words.pop(0)
        name = " ".join(words)
    return name.strip(" ,.;:\"“”'‘’")


def entity_facts(doc: object, people: set[str]) -> list[Fact]:
    """Person, org and place facts for the spaCy entities of one sentence's `doc`.

    `people` holds name keys of persons seen in the report (`person_keys`), so that a surname spaCy
    tags as an organisation ("Mnuchin") is still taken as a person, and a one-word name spaCy tags
    as a person that `person_keys` leaves out ("on Twitter") is taken as an organisation. A
    capital "The" the sentence writes before a name is kept ("told The Hill"; no person's name
    has one), a division's word after a place's name too ("Forsyth County"), and a ship named
    with its prefix ("USS Fitzgerald") is an organisation, found where spaCy missed it.
    """
    facts: list[Fact] = []
    for ent in doc.ents:  # type: ignore[attr-defined]
        if ent.label_ not in LABEL_KINDS:
            continue
        kind = LABEL_KINDS[ent.label_]
        if ent.text == ent.text.lower() and kind is FactKind.PLACE:
            continue  # "the west bank of the river": a description, not the West Bank
        if ent.text == ent.text.lower() and kind is FactKind.ORG:
            ent = described_body(doc, ent)
        value = clean_name(ent.text, kind)
        if written_with_the(ent):
            value, kind = "The " + value, FactKind.ORG if kind is FactKind.PERSON else kind
        unit = unit_after(ent) if kind is not FactKind.PERSON or " " not in value else ""
        if unit:  # "Gwinnett and Forsyth Counties", whatever spaCy took "Gwinnett" for
            value, kind = f"{value} {unit}", FactKind.PLACE
        suffix = SUFFIX.match(doc.text[ent.end_char :]) if kind is FactKind.PERSON else None  # type: ignore[attr-defined]
        if suffix:  # "John Hayden, Jr.": spaCy leaves the suffix out of the name
            value += suffix[0].rstrip(".")
        key = name_key(value)
        if kind is FactKind.ORG:
            value += seat_of(doc, ent.end, value)
        alias = " ".join(re.sub(r"[^\w\s]", " ", value.lower()).split())  # "U.S." -> "u s"
        if alias in PLACE_ALIASES:
            value = PLACE_ALIASES[alias]
        elif not key:
            continue
        elif "-" in value and all(name_key(part) in people_words(people) for part in value.split("-")):
            continue  # "Trump-Kim summit": a modifier built of two names, not an entity
        elif kind is FactKind.ORG and set(key.split()) <= GENERIC_ORG_WORDS | {"administration"}:
            continue  # "State" of "Secretary of State": a title remnant
        elif kind is FactKind.ORG and is_surname(value, key, people):
            kind = FactKind.PERSON
        elif value.split()[0] in SHIP_PREFIXES and len(key.split()) > 1:
            kind = FactKind.ORG  # "USS Sampson": spaCy often says a person
        elif kind is FactKind.ORG and written_as_person(ent, value, key, people):
            kind = FactKind.PERSON
        elif kind is FactKind.PERSON and " " not in key and key not in people:
            kind = FactKind.ORG  # "on Twitter" (`person_keys`)
        elif kind is not FactKind.PERSON and key.split()[-1] in ORG_ENDINGS or key.split()[-1] in COMPANY_ENDINGS:
            kind = FactKind.ORG  # "Prescott Fire Department"; "William Hill PLC", whatever spaCy took it for
        elif kind is not FactKind.PLACE and before_a_state(ent):
            kind = FactKind.PLACE  # "Yarnell, Arizona": a town, whatever spaCy took it for
        role = person_role(ent) if kind is FactKind.PERSON else ""
        facts.append(Fact(kind, value, ent.text, ent.start_char, ent.end_char, slot=role))
    return facts + org_phrases(doc) + ship_names(doc.text, facts)  # type: ignore[attr-defined]


def written_with_the(ent: object) -> bool:
    """True when a capital "The" stands right before a name, or opens it, inside its sentence, after
    a word in lower case or a comma ("told The Hill", "a report by The Wall Street Journal",
    "battle, The Wall Street Journal reports"): the report writes it as part of the name. At the
    start of a sentence, after a quote mark or in a title line a capital says nothing."""
    doc = ent.doc  # type: ignore[attr-defined]
    the = ent.start if ent[0].text == "The" else ent.start - 1  # type: ignore[attr-defined, index]
    if the < 1 or doc[the].text != "The":
        return False
    before = doc[the - 1]
    return before.text in (",", ";") or before.is_alpha and before.text.islower()


def unit_after(ent: object) -> str:
    """The word for a country's division written after a place's name (`UNIT_WORDS`: "Forsyth
    County", "Chiang Rai province"), or after a list of names it ends ("Washington and Greene
    counties", "Kern, San Bernardino and Inyo counties"), singular and capitalised as written;
    "" when there is none, or when it does not name a division called so: "more Georgia
    counties", "a Georgia county", "the Ramenskoye region" (an area around it, `LOOSE_UNITS`)."""
    doc = ent.doc  # type: ignore[attr-defined]
    i = ent.end  # type: ignore[attr-defined]
    while (
        i < len(doc)
        and doc[i].lower_ not in UNIT_WORDS
        and (doc[i].text in (",", "and", "or") or doc[i].ent_iob_ == "I" or doc[i].is_title and doc[i].pos_ == "PROPN")
    ):
        i += 1
    if i >= len(doc) or doc[i].lower_ not in UNIT_WORDS:
        return ""
    word = doc[i].lower_
    singular = UNIT_WORDS[word]
    before = doc[ent.start - 1].lower_ if ent.start else ""  # type: ignore[attr-defined]
    if singular == word and (i > ent.end or before in ("a", "an") or word in LOOSE_UNITS and doc[i].is_lower):  # type: ignore[attr-defined]
        return ""  # "Washington and Greene County": the county is Greene's
    if singular != word and i == ent.end and before not in (",", "and", "or"):  # type: ignore[attr-defined]
        return ""
    return singular.title() if doc[i].text[0].isupper() else singular


def written_as_person(ent: object, value: str, key: str, people: set[str]) -> bool:
    """True for a name spaCy tags as an organisation that its sentence writes as a person's: of
    capitalised words with no word of a body (`NOT_A_PERSON_WORDS`), and with an age beside it
    ("Keith Lamont Scott, 43,", "43-year-old Keith Lamont Scott"), or of two words, the second
    the surname of a person of the report (`people`: "Brandt Jean" beside "Botham Jean"), or
    speaking, one of its words alone a person of the report ("Narongsak Osatanakorn said"
    beside "Narongsak")."""
    words = key.split()
    if set(words) & NOT_A_PERSON_WORDS or not all(w.istitle() and w.isalpha() for w in value.replace("-", " ").split()):
        return False
    doc = ent.doc  # type: ignore[attr-defined]
    after = doc[ent.end : ent.end + 3]  # type: ignore[attr-defined]
    if len(after) == 3 and after[0].text == "," and after[1].like_num and after[2].text == ",":
        return True
    if ent.start and doc[ent.start - 1].lower_.endswith("year-old"):  # type: ignore[attr-defined]
        return True
    if len(words) == 2 and words[-1] in {p.split()[-1] for p in people if 1 < len(p.split()) <= 3}:
        return True
    root = ent.root  # type: ignore[attr-defined]
    speaking = root.dep_ == "nsubj" and root.head.lemma_.lower() in SPEECH_VERBS
    return len(words) > 1 and speaking and (words[0] in people or words[-1] in people)


def ship_names(text: str, facts: list[Fact]) -> list[Fact]:
    """Organisation facts for the ships named with a prefix in a sentence's `text` ("the destroyer
    USS Dewey", "USS Lake Champlain") where no name of `facts` is."""
    found = []
    for match in SHIP.finditer(text):
        if not any(f.start < match.end() and match.start() < f.end for f in facts):
            found.append(Fact(FactKind.ORG, match.group(), match.group(), *match.span()))
    return found


def described_body(doc: object, ent: object) -> object:
    """A body spaCy tags in lower case ("health ministry", "supreme court") with the words before
    it that say whose it is ("Israel's health ministry", "the state supreme court"): a description,
    not a name, so it is not the other report's "Health Ministry" of Gaza or "Supreme Court"."""
    root = ent.root  # type: ignore[attr-defined]
    before = [
        t.i
        for t in root.lefts
        if t.i < ent.start and t.dep_ in ("compound", "amod", "poss", "nmod") and t.pos_ in ("NOUN", "PROPN", "ADJ")  # type: ignore[attr-defined]
    ]
    if not before:
        return ent
    start = min(doc[i].left_edge.i for i in before)  # type: ignore[index]
    return doc[start : ent.end]  # type: ignore[attr-defined, index]


def org_phrases(doc: object) -> list[Fact]:
    """Organisation facts for bodies that spaCy leaves untagged, named by a place, people or name
    before a word for a body: "Chinese foreign ministry", "Minneapolis police", "Trump
    administration", "IOC executive board", "Saudi Embassy" (the name written from that entity, or
    capitalised word, to the body word)."""
    facts = []
    for token in doc:  # type: ignore[attr-defined]
        if token.lemma_.lower() not in ORG_HEADS or token.ent_type_ or token.pos_ not in ("NOUN", "PROPN"):
            continue
        namers = [
            t
            for t in token.lefts
            if t.dep_ in ("compound", "amod", "nmod", "poss")
            and (t.ent_type_ in ("NORP", "GPE", "ORG", "PERSON") or t.pos_ == "PROPN" and token.pos_ == "PROPN")
        ]
        before = doc[token.i - 1] if token.i else None  # type: ignore[index]
        if not namers and before is not None and token.dep_ == "compound" and before.head.i == token.head.i:
            namers = (
                [before] if before.ent_type_ in ("NORP", "GPE", "ORG", "PERSON") else []
            )  # "Minneapolis police officer"
        if not namers:
            continue
        first = doc[namers[0].i]  # type: ignore[index]
        while first.i > 0 and first.ent_iob_ == "I":  # the whole entity: "North Charleston"
            first = doc[first.i - 1]  # type: ignore[index]
        words = doc[first.i : token.i + 1]  # type: ignore[index]
        value = clean_name(words.text, FactKind.ORG) + seat_of(doc, words.end, words.text)
        if len(value.split()) > 1:
            facts.append(Fact(FactKind.ORG, value, words.text, words.start_char, words.end_char))
    return facts


def seat_of(doc: object, end: int, name: str) -> str:
    """ " in <place>" when a body that one country or group has in many places is written with the
    place it sits in ("Saudi Embassy in Washington", "American Chamber of Commerce in China"), as
    that is part of its name; "" otherwise. `end` is the token after the name."""
    if not name.split() or name.split()[-1].lower() not in LOCAL_BODIES or end + 1 >= len(doc):  # type: ignore[arg-type]
        return ""
    if doc[end].lower_ != "in":  # type: ignore[index]
        return ""
    starts = (end + 1, end + 1 + (doc[end + 1].lower_ == "the"))  # type: ignore[index]  # "in (the) U.S."
    place = next((e for e in doc.ents if e.start in starts and e.label_ == "GPE"), None)  # type: ignore[attr-defined]
    if place is None:
        return ""
    text = LEADING.sub("", place.text)
    alias = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())  # "U.S." -> "United States"
    return " in " + PLACE_ALIASES.get(alias, text)


def before_a_state(ent: object) -> bool:
    """True for a one-word name written before a comma and a place entity ("Prescott, Arizona")."""
    doc = ent.doc  # type: ignore[attr-defined]
    if ent.end - ent.start != 1 or ent.end + 1 >= len(doc) or doc[ent.end].text != ",":  # type: ignore[attr-defined]
        return False
    after = doc[ent.end + 1]  # type: ignore[attr-defined]
    return after.ent_type_ == "GPE" and after.ent_iob_ == "B"


def person_role(ent: object) -> str:
    """The title written before a person's name, lower case: "Treasury Secretary Steven Mnuchin" ->
    "treasury secretary"; "" when there is none. Two reports naming different people in the same
    role is a conflict."""
    root = ent.root  # type: ignore[attr-defined]
    titles = [c for c in root.children if c.dep_ in ("compound", "nmod", "amod") and c.i < ent.start]  # type: ignore[attr-defined]
    if not titles:
        return ""
    start = min(t.left_edge.i for t in titles)
    words = [
        t
        for t in root.doc[start : ent.start]  # type: ignore[attr-defined]
        if not t.is_punct and not HONORIFICS.match(t.text + " ")
    ]
    return " ".join(t.lower_ for t in words).strip()


def people_words(people: set[str]) -> set[str]:
    """Every word of every person key (surnames and given names)."""
    return {word for key in people for word in key.split()}


def is_surname(value: str, key: str, people: set[str]) -> bool:
    """True for a one-word mention, not an acronym, that is the first or last word of a known person."""
    if len(key.split()) != 1 or value.isupper():
        return False
    return any(key in (p.split()[0], p.split()[-1]) for p in people if len(p.split()) > 1)


def person_keys(docs: Iterable[object]) -> set[str]:
    """Name keys of every PERSON entity in a report's parsed sentences, less the one-word names no
    person of the report has as a first or last name that the report writes as a thing one is on
    ("said on Twitter", "via Facebook"): a platform, not a person."""
    named = [(name_key(clean_name(e.text, FactKind.PERSON)), e)
             for doc in docs for e in doc.ents if e.label_ == "PERSON"]  # type: ignore[attr-defined]
    keys = {key for key, _ in named}
    words = {w for k in keys if " " in k for w in k.split()}
    things = {
        key
        for key, e in named
        if key and " " not in key and key not in words and e.root.dep_ == "pobj" and e.root.head.lower_ in ("on", "via")
    }
    return keys - things
