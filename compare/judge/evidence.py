"""What two aligned sentences differ on, and the evidence about it that the learned judge reads.

`pair_evidence` lists every difference a fact-checker may want to see between two sentences: the
rules' conflicts (`conflicts.find_conflicts`) and, more widely, figures of one slot that no figure
on the other side matches (`figures.figure_pairs`, with or without evidence that they count the
same thing), two different days, two different times of one day, the same quoted words given to
another speaker. It also turns the pair into the feature vector `FEATURES` of the conflict judge
(`compare.judge.model`): which rules fired, how the figures differ, the days between the two
reports, how alike the sentences are. No feature names a sentence or an event: each is general
evidence, and the judge's weights are fitted across every reference pair.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from compare.facts.amounts import slot_family
from compare.judge.conflicts import find_conflicts
from compare.judge.figures import (
    APPROXIMATE,
    AT_LEAST,
    AT_MOST,
    counts,
    figure_conflict,
    figure_pairs,
    is_increment,
    log_ratio,
    same_figure,
    same_measured_thing,
)
from compare.judge.negation import plain_words, shared_names
from compare.judge.speakers import QUOTE_OVERLAP, quote_overlap, surname
from compare.judge.when import COMPARED, EVENT_DAYS, days_apart, weekday_of
from compare.judge.words import WORD
from compare.records import Conflict, ConflictKind, Fact, FactKind

FEATURES = (
    "rule_figure",  # the figures rule: differing figures of the same thing measured
    "rule_qualified",  # ... that a qualifier or a range makes compatible ("at least 20" vs 25)
    "rule_date",  # the dates rule: one day each, different, of the same event words
    "rule_speaker",  # the same quoted words given to two people, each named in their sentence
    "rule_role",  # two people with the same title
    "rule_negation",  # the same words but for a negation
    "rule_extent",  # "all" against "most / some"
    "rule_status",  # a status against its opposite ("ongoing" vs "ended")
    "figure",  # figures of one slot that no figure on the other side matches
    "other_slot",  # only counts of two different things differ, in clauses of the same predicate
    "slot_exact",  # the differing figures count exactly the same thing (not "age kemp" vs "age polanco")
    "compared",  # a comparison brings one of them in ("the largest since the magnitude 6.7 ...", "more than in 2016")
    "figure_measured",  # the most evidence that two such figures count the same thing (capped at 3)
    "figure_ratio",  # |log(a / b)| of the differing figures with the most evidence (capped at 3)
    "qualifier",  # one of those figures is qualified ("more than", "about") or a range
    "day",  # two different days, not more than a year apart
    "time",  # two different times of one day
    "speaker",  # the same quoted words given to another speaker (named or not)
    "similarity",  # cosine similarity of the two sentences
    "overlap",  # share of the shorter sentence's words that the other has
    "names",  # capitalised words both sentences have (log(1 + n))
    "gap_days",  # days between the two reports' publication (log(1 + n)); 0 when unknown
    "figures",  # figures in the two sentences together (log(1 + n))
)
RULE_FEATURES = {
    ConflictKind.CONTRADICTION: "rule_figure",
    ConflictKind.QUALIFIED: "rule_qualified",
    ConflictKind.DATE: "rule_date",
    ConflictKind.SPEAKER: "rule_speaker",
    ConflictKind.ROLE: "rule_role",
    ConflictKind.NEGATION: "rule_negation",
    ConflictKind.EXTENT: "rule_extent",
    ConflictKind.STATUS: "rule_status",
}
QUALIFIERS = AT_LEAST | AT_MOST | APPROXIMATE


@dataclass(frozen=True, slots=True)
class Evidence:
    """The differences between two sentences (rules' conflicts first, each fact in one at most)
    and the pair's features: `x` has shape (len(FEATURES),), float64."""

    differences: tuple[Conflict, ...]
    x: np.ndarray


def pair_evidence(
    a_text: str,
    a_facts: Sequence[Fact],
    b_text: str,
    b_facts: Sequence[Fact],
    similarity: float | None = None,
    published: tuple[date | None, date | None] = (None, None),
) -> Evidence:
    """Every difference between two sentences and their facts, and the features of the pair;
    `published` is each report's publication date, when known."""
    features = dict.fromkeys(FEATURES, 0.0)
    rules = find_conflicts(a_text, a_facts, b_text, b_facts, published)
    for conflict in rules:
        features[RULE_FEATURES[conflict.kind]] = 1.0
    pairs = figure_pairs(a_text, a_facts, b_text, b_facts, published, slot_family)
    if not pairs:
        pairs = count_pairs(a_text, a_facts, b_text, b_facts)
        features["other_slot"] = float(bool(pairs))
    found = [*rules, *(figure_conflict(x, y) for _, x, y in pairs)]
    found += day_differences(a_facts, b_facts) + time_differences(a_facts, b_facts)
    found += speaker_differences(a_facts, b_facts)
    if pairs:
        weight, x, y = max(pairs, key=lambda p: p[0])
        features |= {"figure": 1.0, "figure_measured": min(weight, 3.0), "figure_ratio": log_ratio(x, y),
                     "slot_exact": float(x.slot == y.slot),
                     "compared": float(compared(a_text, x) or compared(b_text, y)),
                     "qualifier": float(any(f.qualifier in QUALIFIERS or f.high is not None for f in (x, y)))}
    kinds = {c.kind for c in found}
    features["day"] = float(ConflictKind.DATE in kinds)
    features["time"] = float(ConflictKind.TIME in kinds)
    features["speaker"] = float(ConflictKind.SPEAKER in kinds)
    features["similarity"] = similarity or 0.0
    a_words, b_words = plain_words(a_text), plain_words(b_text)
    features["overlap"] = len(a_words & b_words) / max(min(len(a_words), len(b_words)), 1)
    features["names"] = math.log1p(len(shared_names(a_text, b_text)))
    if published[0] and published[1]:
        features["gap_days"] = math.log1p(abs((published[1] - published[0]).days))
    features["figures"] = math.log1p(sum(f.kind is FactKind.NUMBER for f in [*a_facts, *b_facts]))
    return Evidence(distinct(found), np.array([features[k] for k in FEATURES], dtype=np.float64))


def count_pairs(a_text: str, a_facts: Sequence[Fact], b_text: str, b_facts: Sequence[Fact]
                ) -> list[tuple[float, Fact, Fact]]:
    """(evidence, A's count, B's count) for counts of two different things that no figure on the
    other side matches, whose clauses have the same predicate ("50 structures destroyed" vs "200
    homes destroyed"): at most one pair, the one with the most evidence."""
    xs = [x for x in counts(a_facts) if not any(same_figure(x, y) for y in b_facts if y.amount is not None)]
    ys = [y for y in counts(b_facts) if not any(same_figure(x, y) for x in a_facts if x.amount is not None)]
    found = [(same_measured_thing(a_text, x, b_text, y), x, y) for x in xs for y in ys
             if slot_family(x.slot) != slot_family(y.slot) and not is_increment(a_text, x)
             and not is_increment(b_text, y)]
    found = [f for f in found if f[0] >= 1.0]
    return [max(found, key=lambda f: f[0])] if found else []


def compared(sentence: str, fact: Fact) -> bool:
    """True when a comparison word (`when.COMPARED`: "since", "than", "record", ...) is among the
    four words before a figure: the figure may be of another thing the sentence compares with."""
    return bool(COMPARED & {w.lower() for w in WORD.findall(sentence[: fact.start])[-4:]})


def distinct(conflicts: Sequence[Conflict]) -> tuple[Conflict, ...]:
    """`conflicts` in order, leaving out one whose fact on either side is already in an earlier
    one (the rules' conflict of two figures, not again as a plain difference)."""
    seen: set[int] = set()
    out = []
    for conflict in conflicts:
        facts = {id(f) for f in (conflict.a, conflict.b) if f is not None}
        if facts & seen:
            continue
        seen |= facts
        out.append(conflict)
    return tuple(out)


def day_differences(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[Conflict]:
    """Two different days, when the sentences share none: the first day-level date of each, not more
    than `EVENT_DAYS` apart, not the same weekday named (one day resolved to two weeks)."""
    a_days = [f for f in a_facts if f.kind is FactKind.DATE and len(f.value) == 10]
    b_days = [f for f in b_facts if f.kind is FactKind.DATE and len(f.value) == 10]
    if not a_days or not b_days or {f.value for f in a_days} & {f.value for f in b_days}:
        return []
    x, y = a_days[0], b_days[0]
    if days_apart(x.value, y.value) > EVENT_DAYS or (weekday_of(x.text) and weekday_of(x.text) == weekday_of(y.text)):
        return []
    return [Conflict(ConflictKind.DATE, x, y, x.text, y.text)]


def time_differences(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[Conflict]:
    """Two different times of one day ("2019-07-05 20:20" vs "2019-07-05 20:40", "late" vs
    "early"), when the sentences share no time."""
    a_times = [f for f in a_facts if f.kind is FactKind.DATE and len(f.value) > 10]
    b_times = [f for f in b_facts if f.kind is FactKind.DATE and len(f.value) > 10]
    if {f.value for f in a_times} & {f.value for f in b_times}:
        return []
    for x in a_times:
        for y in b_times:
            if x.value[:10] == y.value[:10]:
                return [Conflict(ConflictKind.TIME, x, y, x.text, y.text)]
    return []


def speaker_differences(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[Conflict]:
    """The same quoted words (`QUOTE_OVERLAP` of the shorter quote's words) given to two speakers
    with different surnames, however each sentence names them."""
    for x in (f for f in a_facts if f.kind is FactKind.QUOTE):
        for y in (f for f in b_facts if f.kind is FactKind.QUOTE):
            if surname(x.value) != surname(y.value) and quote_overlap(x.slot, y.slot) >= QUOTE_OVERLAP:
                return [Conflict(ConflictKind.SPEAKER, x, y, x.value, y.value)]
    return []
