"""Classify each alignment row: agree, partial, conflict, only_a or only_b, with the facts behind it.

Similarity says two sentences are about the same thing; the facts decide whether they agree.
A pair is a conflict when `compare.judge.conflicts` finds the same fact with different values in A and
B (a count of the same thing, the date of the same event, the speaker of the same words, ...).
Otherwise it agrees
when its cosine similarity reaches `agree_similarity` and neither side adds a number or a date,
and is partial when each side adds detail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from compare.config import Config
from compare.judge.conflicts import find_conflicts
from compare.judge.figures import same_figure
from compare.records import Alignment, Fact, FactKind, Side, Status, Verdict


def number_remarks(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[str]:
    """Notes on figures for the same slot written differently that are one figure (a rounding or a
    unit conversion: "1.25 million" vs "1.2 million")."""
    notes = []
    for x in (f for f in a_facts if f.kind is FactKind.NUMBER and f.slot):
        for y in (f for f in b_facts if f.kind is FactKind.NUMBER and f.slot == x.slot):
            if x.amount != y.amount and same_figure(x, y):
                notes.append(f"number: {x.text} in A vs {y.text} in B (the same figure, rounded or converted)")
    return notes


def classify_pair(
    alignment: Alignment,
    texts: tuple[str, str],
    a_facts: Sequence[Fact],
    b_facts: Sequence[Fact],
    config: Config,
    published: tuple[date | None, date | None] = (None, None),
) -> Verdict:
    """The verdict on an aligned pair of sentences `texts`, with shared, one-sided and conflicting
    facts; `published` is each report's publication date, when known (a figure dated to another
    year than the other report's is of another event)."""
    conflicts = tuple(find_conflicts(texts[0], a_facts, texts[1], b_facts, published))
    in_conflict = {id(f) for c in conflicts for f in (c.a, c.b) if f is not None}
    a_keys = {f.key: f for f in a_facts}
    b_keys = {f.key: f for f in b_facts}
    shared = tuple(a_keys[k].label for k in a_keys if k in b_keys)
    a_only = tuple(f.label for k, f in a_keys.items() if k not in b_keys and id(f) not in in_conflict)
    b_only = tuple(f.label for k, f in b_keys.items() if k not in a_keys and id(f) not in in_conflict)
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
    return Verdict(alignment, status, dedupe(shared), dedupe(a_only), dedupe(b_only), conflicts, remarks)


def published_dates(a: Side, b: Side) -> tuple[date | None, date | None]:
    """The publication dates of two sides' reports."""
    return a.article.published, b.article.published


def dedupe(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Labels in first-seen order without repeats."""
    return tuple(dict.fromkeys(labels))


def classify(alignments: Sequence[Alignment], a: Side, b: Side, config: Config) -> list[Verdict]:
    """A verdict per alignment row; one-sided rows list their sentence's facts as one-sided."""
    verdicts = []
    for row in alignments:
        if row.a is not None and row.b is not None:
            texts = (a.sentences[row.a].text, b.sentences[row.b].text)
            verdicts.append(classify_pair(row, texts, a.facts[row.a], b.facts[row.b], config, published_dates(a, b)))
        elif row.a is not None:
            verdicts.append(one_sided("a", row.a, a.facts[row.a]))
        elif row.b is not None:
            verdicts.append(one_sided("b", row.b, b.facts[row.b]))
    return verdicts


def one_sided(side: str, index: int, facts: Sequence[Fact]) -> Verdict:
    """The only_a / only_b verdict of sentence `index` of report `side`, its facts one-sided."""
    labels = dedupe(tuple(f.label for f in facts))
    if side == "a":
        return Verdict(Alignment(index, None, None), Status.ONLY_A, a_only=labels)
    return Verdict(Alignment(None, index, None), Status.ONLY_B, b_only=labels)
