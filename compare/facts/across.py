"""Names across two reports: one canonical value per entity, and a name of one report found in the
other's words where spaCy missed it.

A short mention ("Mr. Kim", "Mnuchin") refers back to a full name of its own report that contains
it; failing that, to one in the other report. Names that fold to the same key ("Kim Jong-un" =
"Kim Jong Un", "Steven T. Mnuchin" = "Steven Mnuchin") share one value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from compare.facts.name_lexicon import (
    ACRONYM_SKIPS,
    GENERIC_ORG_WORDS,
)
from compare.facts.names import clean_name, name_key
from compare.records import Fact, FactKind


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
