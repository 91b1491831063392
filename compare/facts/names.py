"""People, organisations and places: mentions from spaCy, cleaned, then one canonical name per entity.

Within a report, a short mention ("Mr. Kim", "Mnuchin") refers back to a full name of that report
that contains it; failing that, to one in the other report. Across reports, names that fold to the
same key ("Kim Jong-un" = "Kim Jong Un", "Steven T. Mnuchin" = "Steven Mnuchin") share one value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from compare.facts.lexicon import (
    ACRONYM_SKIPS,
    COMPANY_ENDINGS,
    GENERIC_ORG_WORDS,
    LOCAL_BODIES,
    ORG_ENDINGS,
    ORG_HEADS,
    PLACE_ALIASES,
    TITLES,
)
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

    `people` holds name keys of persons seen in the report, so that a surname spaCy tags as an
    organisation ("Mnuchin") is still taken as a person.
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
        elif kind is not FactKind.PERSON and key.split()[-1] in ORG_ENDINGS or key.split()[-1] in COMPANY_ENDINGS:
            kind = FactKind.ORG  # "Prescott Fire Department"; "William Hill PLC", whatever spaCy took it for
        elif kind is not FactKind.PLACE and before_a_state(ent):
            kind = FactKind.PLACE  # "Yarnell, Arizona": a town, whatever spaCy took it for
        role = person_role(ent) if kind is FactKind.PERSON else ""
        facts.append(Fact(kind, value, ent.text, ent.start_char, ent.end_char, slot=role))
    return facts + org_phrases(doc)


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
    """Name keys of every PERSON entity in a report's parsed sentences."""
    return {
        name_key(clean_name(e.text, FactKind.PERSON))
        for doc in docs
        for e in doc.ents  # type: ignore[attr-defined]
        if e.label_ == "PERSON"
    }


def resolve_names(
    a_names: Iterable[tuple[FactKind, str]], b_names: Iterable[tuple[FactKind, str]]
) -> tuple[dict[tuple[FactKind, str], str], dict[tuple[FactKind, str], str]]:
    """Canonical value for each (kind, name) of report A and of report B, in mention order.

    A person's short mention becomes the fullest name containing it, preferring its own report;
    an organisation's short form ("Treasury") becomes the fuller one ("Treasury Department") when
    its distinctive words are all in it. Names that fold equal share the longest written form.
    """
    a_list, b_list = list(dict.fromkeys(a_names)), list(dict.fromkeys(b_names))
    a_words, b_words = name_words(a_list), name_words(b_list)
    a_places, b_places = name_words(a_list, FactKind.PLACE), name_words(b_list, FactKind.PLACE)
    a_map = {item: expand_name(item, a_list, b_list, a_words, b_places) for item in a_list}
    b_map = {item: expand_name(item, b_list, a_list, b_words, a_places) for item in b_list}
    a_map, b_map = follow_expansions(a_map, b_map), follow_expansions(b_map, a_map)
    by_key: dict[tuple[FactKind, str], str] = {}
    for (kind, _), value in [*a_map.items(), *b_map.items()]:
        key = (kind, name_key(value))
        if len(value) > len(by_key.get(key, "")):
            by_key[key] = value
    by_key = merge_variants(by_key)
    a_final = {item: by_key[(item[0], name_key(v))] for item, v in a_map.items()}
    b_final = {item: by_key[(item[0], name_key(v))] for item, v in b_map.items()}
    return a_final, b_final


def follow_expansions(
    own: dict[tuple[FactKind, str], str], other: dict[tuple[FactKind, str], str]
) -> dict[tuple[FactKind, str], str]:
    """`own` with each expansion taken as far as it goes: "Hayden" -> "John Hayden" -> "John
    Hayden, Jr" (the fuller name found in the other report)."""
    out = {}
    for (kind, name), value in own.items():
        for _ in range(3):
            fuller = own.get((kind, value)) or other.get((kind, value)) or value
            if fuller == value:
                break
            value = fuller
        out[(kind, name)] = value
    return out


def merge_variants(by_key: dict[tuple[FactKind, str], str]) -> dict[tuple[FactKind, str], str]:
    """`by_key` with the variants of one name given one value: a person's short first name
    ("Chris Wray" = "Christopher A. Wray", the longer kept), an organisation's acronym and its full
    name ("NFL" = "National Football League", both written: "National Football League (NFL)"), a
    body described in lower case and its name ("Israel's health ministry" = "Israeli Health
    Ministry": the name kept)."""
    merged = dict(by_key)
    people = [k for kind, k in by_key if kind is FactKind.PERSON]
    for key in people:
        for other in people:
            if other != key and short_first_name(key, other):
                merged[(FactKind.PERSON, key)] = by_key[(FactKind.PERSON, other)]
    orgs = {k: v for (kind, k), v in by_key.items() if kind is FactKind.ORG}
    places = {w for kind, k in by_key if kind is FactKind.PLACE for w in k.split()}
    for key, value in orgs.items():  # a description: "Israel's health ministry" = "Israeli Health Ministry"
        if is_written_as_name(value):
            continue
        same = next((v for k, v in orgs.items() if is_written_as_name(v) and of_one_place(key, k, places)), None)
        if same is not None:
            merged[(FactKind.ORG, key)] = same
    for key, value in orgs.items():
        full = next((v for k, v in orgs.items() if k != key and is_acronym(value, v)), None)
        if full is not None:
            both = f"{full} ({value.replace('.', '')})"
            merged[(FactKind.ORG, key)] = merged[(FactKind.ORG, name_key(full))] = both
    return merged


def is_written_as_name(value: str) -> bool:
    """True when a name has a capital after its first letter ("Israeli Health Ministry"), unlike a
    description spaCy tagged in lower case ("Israel's health ministry")."""
    return any(c.isupper() for c in value[1:])


def of_one_place(key: str, other: str, places: set[str]) -> bool:
    """True when two organisation keys differ in one word only, a place named by the reports on one
    side and a word made from it on the other ("israel health ministry", "israeli health
    ministry"; "ukraine", "ukrainian")."""
    a, b = key.split(), other.split()
    if len(a) != len(b) or len(a) < 2:
        return False
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differ) != 1:
        return False
    x, y = differ[0]
    return (x in places or y in places) and made_from(x, y)


def short_first_name(short_key: str, full_key: str) -> bool:
    """True when two person keys differ only in a first name that is the start of the other
    ("chris wray", "christopher wray"), the first being the shorter."""
    short, full = short_key.split(), full_key.split()
    if len(short) != len(full) or len(short) < 2 or short[1:] != full[1:]:
        return False
    return len(short[0]) >= 3 and len(short[0]) < len(full[0]) and full[0].startswith(short[0])


def is_acronym(short: str, full: str) -> bool:
    """True when `short` is written in capitals and spells the initials of `full`'s words ("WADA",
    "World Anti-Doping Agency"; "AQAP", "al Qaeda in the Arabian Peninsula")."""
    letters = short.replace(".", "")
    if not is_initialism(short):
        return False
    words = [w for w in re.split(r"[\s-]+", full) if w and w.lower() not in ACRONYM_SKIPS]
    return len(words) == len(letters) and all(w[0].upper() == c for w, c in zip(words, letters, strict=True))


def name_words(names: list[tuple[FactKind, str]], kind: FactKind | None = None) -> set[str]:
    """The folded words of a report's names (of one `kind`, or of all)."""
    return {w for k, n in names if kind is None or k is kind for w in name_key(n).split()}


def expand_name(
    item: tuple[FactKind, str],
    own: list[tuple[FactKind, str]],
    other: list[tuple[FactKind, str]],
    own_words: set[str],
    places: set[str],
) -> str:
    """The fullest name that `item` abbreviates, from its own report first, else the other. An
    organisation takes the other report's fuller name unless that adds a place its own report
    does not name ("Treasury" -> "Treasury Department"; "Foreign Ministry" in a report about
    China stays itself beside "Canada's foreign ministry"). `own_words` are the words of its own
    report's names, `places` those of the other report's places (`name_words`)."""
    kind, name = item
    words = set(name_key(name).split())
    if not words or kind is FactKind.ORG and is_initialism(name):
        return name
    for pool in (own, other):
        candidates = [
            n
            for k, n in pool
            if k is kind
            and len(name_key(n).split()) > len(words)
            and abbreviates(words, name_key(n), kind)
            and (n != n.lower() or name == name.lower())  # "Supreme Court" is not "the state supreme court"
            and (pool is own or kind is not FactKind.ORG or adds_no_other_place(words, name_key(n), own_words, places))
        ]
        if candidates:
            return max(candidates, key=lambda n: (len(name_key(n).split()), len(n)))
    return name


def adds_no_other_place(words: set[str], full_key: str, own_words: set[str], other_places: set[str]) -> bool:
    """True unless the words a fuller organisation name adds to a short one's (`words`) name a
    place of the other report (`other_places`, folded words) that the short name's own report
    does not name (`own_words`), or a word made from one: "Foreign Ministry" is not "Canada's
    foreign ministry" in a report about China, nor "the Navy" the "Iranian Navy" in one that does
    not name Iran."""
    unnamed = other_places - own_words
    return not any(w in unnamed or any(made_from(w, p) for p in unnamed) for w in set(full_key.split()) - words)


def made_from(word: str, place: str) -> bool:
    """True when `word` is a word made from the place word `place` ("israeli", "israel"; "ukrainian",
    "ukraine"; "iranian", "iran"): they share all of the shorter but its last two letters, four
    at least."""
    shared = len(os.path.commonprefix([word, place]))
    return word != place and shared >= 4 and shared >= min(len(word), len(place)) - 2


def abbreviates(words: set[str], full_key: str, kind: FactKind) -> bool:
    """True when the folded words of a short name all occur in the fuller name's key."""
    full = full_key.split()
    if kind is FactKind.PERSON:
        return words <= set(full) and (full[0] in words or full[-1] in words)
    if kind is FactKind.ORG:
        distinctive = words - GENERIC_ORG_WORDS
        return bool(distinctive) and words <= set(full)
    return False


def is_initialism(name: str) -> bool:
    """True for a name written as capitals ("UAW", "U.N."): a whole name, not a short form of a
    longer one that contains it ("UAW" is not "UAW GM department"; see `is_acronym`)."""
    return bool(re.fullmatch(r"[A-Z][A-Z&]{1,5}", name.replace(".", "")))


CAPITALISED = re.compile(r"[A-Z][\w’'.-]*")


def mentions_across(
    facts: list[tuple[Fact, ...]], texts: list[str], other: list[tuple[Fact, ...]]
) -> list[tuple[Fact, ...]]:
    """`facts` (one report's, canonical) with the organisations and places the `other` report
    names found in this report's `texts` where spaCy did not tag them (`find_name` says where a
    name is found: "the border patrol" for "the Border Patrol", not "the state supreme court"
    for "the Supreme Court"). A match overlapping a name this sentence already has is left out."""
    own = {(f.kind, f.value) for fs in facts for f in fs}
    wanted: dict[tuple[FactKind, str], set[str]] = {}
    for fact in (f for fs in other for f in fs if f.kind in (FactKind.ORG, FactKind.PLACE)):
        if (fact.kind, fact.value) not in own:
            forms = wanted.setdefault((fact.kind, fact.value), set())
            written = (fact.text, fact.value.split(" (")[0])
            forms |= {f for f in (clean_name(w, fact.kind) for w in written) if len(f) > 2}
    if not wanted:
        return facts
    longest_first = [(item, sorted(forms, key=len, reverse=True)) for item, forms in wanted.items()]
    out = []
    for fs, text in zip(facts, texts, strict=True):
        spans = [(f.start, f.end) for f in fs if f.kind in (FactKind.PERSON, FactKind.ORG, FactKind.PLACE)]
        added: list[Fact] = []
        lower = text.lower()
        for (kind, value), forms in longest_first:
            for form in forms:
                found = find_name(form, text) if form.lower() in lower else None  # most sentences have none
                if found is not None and not any(s < found[1] and found[0] < e for s, e in spans):
                    added.append(Fact(kind, value, text[found[0] : found[1]], *found))
                    spans.append(found)
                    break
        out.append(tuple(sorted(fs + tuple(added), key=lambda f: (f.start, f.kind.value))) if added else fs)
    return out


def find_name(form: str, text: str) -> tuple[int, int] | None:
    """(start, end) of the first whole-word occurrence of the name `form` in `text`, or None. A name
    of two or more words is found as written, or in another case where it stands as a name: right
    after "the" or opening the sentence, and not followed by "of" ("the border patrol" is the
    Border Patrol; "the state supreme court", "Israel's health ministry" and "the west bank of the
    river" are not). A one-word name is found as written, standing alone (no capitalised word
    next to it: "Kern" is not in "Kern County") and not opening the sentence or a quote, where a
    capital says nothing ("Chase was arrested", "Turkey prices rose")."""
    pattern = rf"(?<![\w-]){re.escape(form)}(?![\w-])"
    if len(form.split()) > 1:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            before, after = text[: match.start()].split(), text[match.end() :].split()
            as_written = match.group() == form
            as_name = (not before or before[-1].lower() == "the") and (not after or after[0].lower() != "of")
            if as_written or as_name:
                return match.span()
        return None
    for match in re.finditer(pattern, text):
        before = text[: match.start()].split()
        after = text[match.end() :].split()
        opening = not before or not before[-1].strip("\"“‘'([")
        if opening or before[-1][-1] in "\"“‘'(":
            continue
        joined_before = CAPITALISED.fullmatch(before[-1]) is not None and len(before) > 1
        joined_after = bool(after) and CAPITALISED.fullmatch(after[0].strip(",.;:")) is not None
        if not joined_before and not joined_after:
            return match.span()
    return None
