"""Speakers and roles: the same quoted words given to two people both named in their sentence; two
different people with the same title, neither named on the other side."""

from __future__ import annotations

import re
from collections.abc import Sequence

from compare.facts.names import name_key
from compare.facts.quotes import fold_quote
from compare.records import Conflict, ConflictKind, Fact, FactKind

QUOTE_OVERLAP = 0.6  # share of the shorter quote's words that makes two quotes "the same words"


def surname(name: str) -> str:
    """The last word of a name as `names.name_key` folds it ("Christopher A. Wray", "Chris Wray" -> "wray")."""
    words = name_key(name).split()
    return words[-1] if words else ""


def named_in(sentence: str, name: str) -> bool:
    """True when the sentence itself writes the name's surname (not a pronoun resolved to it)."""
    last = surname(name)
    return bool(last) and re.search(rf"\b{re.escape(last)}\b", sentence, re.IGNORECASE) is not None


def speaker_conflicts(
    a_sentence: str, a_facts: Sequence[Fact], b_sentence: str, b_facts: Sequence[Fact]
) -> list[Conflict]:
    """The same quoted words given to two different people, each named in their own sentence and
    neither named in the other (a pronoun resolved to somebody is not evidence enough)."""
    people = {f.value for f in [*a_facts, *b_facts] if f.kind is FactKind.PERSON}
    found = []
    for x in (f for f in a_facts if f.kind is FactKind.QUOTE):
        for y in (f for f in b_facts if f.kind is FactKind.QUOTE):
            if surname(x.value) == surname(y.value) or quote_overlap(x.slot, y.slot) < QUOTE_OVERLAP:
                continue
            explicit = all(v in people for v in (x.value, y.value))
            if (
                explicit
                and named_in(a_sentence, x.value)
                and named_in(b_sentence, y.value)
                and not (named_in(b_sentence, x.value) or named_in(a_sentence, y.value))
            ):
                found.append(Conflict(ConflictKind.SPEAKER, x, y, x.value, y.value))
    return found


def role_conflicts(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[Conflict]:
    """Different people in the same titled role ("Treasury Secretary X" vs "... Y"), with
    different surnames, where neither sentence also names the other person."""
    a_people = {surname(f.value) for f in a_facts if f.kind is FactKind.PERSON}
    b_people = {surname(f.value) for f in b_facts if f.kind is FactKind.PERSON}
    found = []
    for x in (f for f in a_facts if f.kind is FactKind.PERSON and f.slot):
        for y in (f for f in b_facts if f.kind is FactKind.PERSON and f.slot == x.slot):
            sx, sy = surname(x.value), surname(y.value)
            if sx != sy and sx not in b_people and sy not in a_people:
                found.append(Conflict(ConflictKind.ROLE, x, y, x.value, y.value))
    return found


def quote_overlap(a: str, b: str) -> float:
    """Share of the shorter quote's words that the other quote also has."""
    x, y = set(fold_quote(a).split()), set(fold_quote(b).split())
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0
