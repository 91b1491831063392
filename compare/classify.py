"""Classify each alignment row: agree, partial, conflict, only_a or only_b, with the facts behind it.

Similarity says two sentences are about the same thing; the facts decide whether they agree.
A pair is a conflict when the same slot has different values in A and B: a count of the same
kind of thing, the date of the same event, the speaker of the same words. Otherwise it agrees
when its cosine similarity reaches `agree_similarity` and neither side adds a number or a date,
and is partial when each side adds detail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from compare.config import Config
from compare.facts.quotes import fold_quote
from compare.records import Alignment, Fact, FactKind, Status, Verdict

NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|cannot|without)\b|n't\b", re.IGNORECASE)
UNIT_ROUNDING = 0.01  # figures within 1% are the same figure, rounded or converted
QUOTE_OVERLAP = 0.6  # share of the shorter quote's words that makes two quotes "the same words"
# A qualifier says which side of the figure the true value lies on.
AT_LEAST = {"at least", "more than", "over", "greater than", "no fewer than", "just over", "as many as"}
AT_MOST = {"at most", "less than", "fewer than", "under", "up to", "no more than", "just under", "as few as"}


def fact_key(fact: Fact) -> str:
    """The key two facts must share to be the same fact (quotes by speaker, numbers by amount and slot)."""
    if fact.kind is FactKind.QUOTE:
        return f"quote:{fact.value}"
    if fact.kind is FactKind.NUMBER and fact.slot:
        return f"number:{fact.amount:g}:{fact.slot}"
    return fact.label


def numbers_compatible(a: Fact, b: Fact) -> bool:
    """True when two figures for the same slot can both be right ("more than 50" and 64)."""
    if a.amount == b.amount:
        return True
    if a.amount and b.amount and abs(a.amount - b.amount) <= UNIT_ROUNDING * max(abs(a.amount), abs(b.amount)):
        return True  # 120 mph = 193.1 kph, reported as 193 kph
    for x, y in ((a, b), (b, a)):
        if x.qualifier in AT_LEAST and y.amount is not None and x.amount is not None and y.amount >= x.amount:
            return True
        if x.qualifier in AT_MOST and y.amount is not None and x.amount is not None and y.amount <= x.amount:
            return True
    approximate = {
        "about",
        "around",
        "roughly",
        "approximately",
        "nearly",
        "almost",
        "some",
        "close to",
        "an estimated",
    }
    if (a.qualifier in approximate or b.qualifier in approximate) and a.amount and b.amount:
        return abs(a.amount - b.amount) / max(a.amount, b.amount) <= 0.1
    return False


def number_conflicts(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[tuple[Fact, Fact]]:
    """(A fact, B fact) pairs counting the same kind of thing with incompatible figures."""
    a_nums = [f for f in a_facts if f.kind is FactKind.NUMBER and f.slot]
    b_nums = [f for f in b_facts if f.kind is FactKind.NUMBER and f.slot]
    found = []
    for x in a_nums:
        same_slot = [y for y in b_nums if y.slot == x.slot]
        if same_slot and not any(numbers_compatible(x, y) for y in same_slot):
            found.append((x, same_slot[0]))
    return found


def date_conflicts(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[tuple[Fact, Fact]]:
    """(A fact, B fact) when each sentence gives one date at day level, the dates differ, and they
    are dates of the same event (their event words overlap: "announced sanctions Monday" vs
    "slapped sanctions Thursday")."""
    a_days = [f for f in a_facts if f.kind is FactKind.DATE and len(f.value) == 10]
    b_days = [f for f in b_facts if f.kind is FactKind.DATE and len(f.value) == 10]
    if len(a_days) != 1 or len(b_days) != 1 or a_days[0].value == b_days[0].value:
        return []
    if set(a_days[0].slot.split()) & set(b_days[0].slot.split()):
        return [(a_days[0], b_days[0])]
    return []


def quote_conflicts(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[tuple[Fact, Fact]]:
    """(A fact, B fact) where the same quoted words are given to different speakers."""
    found = []
    for x in (f for f in a_facts if f.kind is FactKind.QUOTE):
        for y in (f for f in b_facts if f.kind is FactKind.QUOTE):
            if x.value != y.value and quote_overlap(x.slot, y.slot) >= QUOTE_OVERLAP:
                found.append((x, y))
    return found


def role_conflicts(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[tuple[Fact, Fact]]:
    """(A fact, B fact) naming different people in the same role ("Treasury Secretary X" vs "... Y"),
    where neither sentence also names the other person."""
    a_people = {f.value for f in a_facts if f.kind is FactKind.PERSON}
    b_people = {f.value for f in b_facts if f.kind is FactKind.PERSON}
    found = []
    for x in (f for f in a_facts if f.kind is FactKind.PERSON and f.slot):
        for y in (f for f in b_facts if f.kind is FactKind.PERSON and f.slot == x.slot):
            if x.value != y.value and x.value not in b_people and y.value not in a_people:
                found.append((x, y))
    return found


def negation_conflict(a_text: str, b_text: str, similarity: float, config: Config) -> str | None:
    """ "negation: …" when two near-identical sentences differ in whether they negate their claim
    ("It's an exchange" vs "It's not an exchange" score 0.95 on cosine)."""
    if similarity < config.negation_similarity:
        return None
    a_neg, b_neg = count_negations(a_text), count_negations(b_text)
    if a_neg % 2 == b_neg % 2:
        return None
    return f"negation: {'denies' if a_neg % 2 else 'affirms'} in A != {'denies' if b_neg % 2 else 'affirms'} in B"


def count_negations(text: str) -> int:
    """Number of negating words ("not", "n't", "never", "no", ...) in a sentence."""
    return len(NEGATION.findall(text.replace("’", "'")))


def number_remarks(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[str]:
    """Notes on figures for the same slot that differ but can both be right ("more than 50" vs 64)."""
    notes = []
    for x in (f for f in a_facts if f.kind is FactKind.NUMBER and f.slot):
        for y in (f for f in b_facts if f.kind is FactKind.NUMBER and f.slot == x.slot):
            if x.amount != y.amount and numbers_compatible(x, y):
                notes.append(f"number: {x.text} in A vs {y.text} in B (compatible, but different figures)")
    return notes


def quote_overlap(a: str, b: str) -> float:
    """Share of the shorter quote's words that the other quote also has."""
    x, y = set(fold_quote(a).split()), set(fold_quote(b).split())
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0


def classify_pair(
    alignment: Alignment, texts: tuple[str, str], a_facts: Sequence[Fact], b_facts: Sequence[Fact], config: Config
) -> Verdict:
    """The verdict on an aligned pair of sentences `texts`, with shared, one-sided and conflicting facts."""
    conflicting = (
        number_conflicts(a_facts, b_facts)
        + date_conflicts(a_facts, b_facts)
        + quote_conflicts(a_facts, b_facts)
        + role_conflicts(a_facts, b_facts)
    )
    in_conflict = {id(f) for pair in conflicting for f in pair}
    a_keys = {fact_key(f): f for f in a_facts}
    b_keys = {fact_key(f): f for f in b_facts}
    shared = tuple(a_keys[k].label for k in a_keys if k in b_keys)
    a_only = tuple(f.label for k, f in a_keys.items() if k not in b_keys and id(f) not in in_conflict)
    b_only = tuple(f.label for k, f in b_keys.items() if k not in a_keys and id(f) not in in_conflict)
    conflicts = tuple(f"{x.kind.value}: {x.value} in A != {y.value} in B" for x, y in conflicting)
    negation = negation_conflict(*texts, alignment.similarity or 0.0, config)
    if negation:
        conflicts += (negation,)
    if conflicts:
        status = Status.CONFLICT
    else:
        adds_detail = any(
            f.kind in (FactKind.NUMBER, FactKind.DATE)
            for k, f in [*a_keys.items(), *b_keys.items()]
            if (k in a_keys) != (k in b_keys)
        )
        similar = (alignment.similarity or 0.0) >= config.agree_similarity
        status = Status.AGREE if similar and not adds_detail else Status.PARTIAL
    remarks = tuple(number_remarks(a_facts, b_facts))
    return Verdict(alignment, status, dedupe(shared), dedupe(a_only), dedupe(b_only), dedupe(conflicts), remarks)


def dedupe(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Labels in first-seen order without repeats."""
    return tuple(dict.fromkeys(labels))


def classify(
    alignments: Sequence[Alignment],
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    a_facts: Sequence[Sequence[Fact]],
    b_facts: Sequence[Sequence[Fact]],
    config: Config,
) -> list[Verdict]:
    """A verdict per alignment row; one-sided rows list their sentence's facts as one-sided."""
    verdicts = []
    for row in alignments:
        if row.a is not None and row.b is not None:
            texts = (a_texts[row.a], b_texts[row.b])
            verdicts.append(classify_pair(row, texts, a_facts[row.a], b_facts[row.b], config))
        elif row.a is not None:
            verdicts.append(one_sided("a", row.a, a_facts[row.a]))
        elif row.b is not None:
            verdicts.append(one_sided("b", row.b, b_facts[row.b]))
    return verdicts


def one_sided(side: str, index: int, facts: Sequence[Fact]) -> Verdict:
    """The only_a / only_b verdict of sentence `index` of report `side`, its facts one-sided."""
    labels = dedupe(tuple(f.label for f in facts))
    if side == "a":
        return Verdict(Alignment(index, None, None), Status.ONLY_A, a_only=labels)
    return Verdict(Alignment(None, index, None), Status.ONLY_B, b_only=labels)
