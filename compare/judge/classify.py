"""Classify each alignment row: agree, partial, conflict, only_a or only_b, with the facts behind it.

Similarity says two sentences are about the same thing; the facts decide whether they agree.
A pair is a conflict when A and B differ on a fact (a count of the same thing, the date of the same
event, the speaker of the same words, ...: `compare.judge.evidence`) and the learned judge
(`compare.judge.model`) is sure enough that the difference is a conflict; a difference it is not
sure of is listed to check. Otherwise a pair agrees when its cosine similarity reaches
`agree_similarity` and neither side adds a number or a date, and is partial when each side adds
detail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from compare.config import Config
from compare.judge.evidence import pair_evidence
from compare.judge.figures import same_figure
from compare.judge.model import as_update, conflict_probability, load_judge
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
    facts: the differences between them (`evidence.pair_evidence`) are conflicts when the judge of
    `config.conflict_model` gives them a probability at or above its threshold, and differences to
    check (status partial) below it; `published` is each report's publication date, when known (a
    figure dated to another year than the other report's is of another event; a count that moved
    between reports of different days is a later update)."""
    evidence = pair_evidence(texts[0], a_facts, texts[1], b_facts, alignment.similarity, published)
    model = load_judge(config.conflict_model)
    probability = conflict_probability(evidence, model)
    differences = tuple(as_update(c, published) for c in evidence.differences)
    conflicts = differences if probability is not None and probability >= model.threshold else ()
    to_check = () if conflicts else differences
    in_conflict = {id(f) for c in differences for f in (c.a, c.b) if f is not None}
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
        status = Status.AGREE if similar and not adds_detail and not to_check else Status.PARTIAL
    remarks = tuple(number_remarks(a_facts, b_facts))
    return Verdict(alignment, status, dedupe(shared), dedupe(a_only), dedupe(b_only), conflicts, remarks, to_check,
                   probability)


def published_dates(a: Side, b: Side) -> tuple[date | None, date | None]:
    """The publication dates of two sides' reports."""
    return a.article.published, b.article.published


def dedupe(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Labels in first-seen order without repeats."""
    return tuple(dict.fromkeys(labels))


def classify(
    alignments: Sequence[Alignment],
    a: Side,
    b: Side,
    config: Config,
    candidates: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[Verdict]:
    """A verdict per alignment row; one-sided rows list their sentence's facts as one-sided. With
    the match model's `candidates` ((k, 2) pairs, (k,) probabilities), the pairs the alignment left
    apart that the judge calls conflicts are rows too (`apart_conflicts`), and a sentence aligned so
    is no longer one-sided."""
    verdicts = []
    for row in alignments:
        if row.a is not None and row.b is not None:
            texts = (a.sentences[row.a].text, b.sentences[row.b].text)
            verdicts.append(classify_pair(row, texts, a.facts[row.a], b.facts[row.b], config, published_dates(a, b)))
        elif row.a is not None:
            verdicts.append(one_sided("a", row.a, a.facts[row.a]))
        elif row.b is not None:
            verdicts.append(one_sided("b", row.b, b.facts[row.b]))
    if candidates is None:
        return verdicts
    apart = apart_conflicts(verdicts, a, b, config, *candidates)
    taken_a, taken_b = {v.alignment.a for v in apart}, {v.alignment.b for v in apart}
    kept = [v for v in verdicts if not (v.alignment.b is None and v.alignment.a in taken_a)
            and not (v.alignment.a is None and v.alignment.b in taken_b)]
    return kept + apart


APART_FLOOR = 0.1  # fixed before scoring: a pair the match model gives less is not of one claim's slot
APART_KINDS = (FactKind.NUMBER, FactKind.DATE)


def apart_conflicts(
    verdicts: Sequence[Verdict], a: Side, b: Side, config: Config, pairs: np.ndarray, probability: np.ndarray
) -> list[Verdict]:
    """Conflict verdicts of candidate pairs the alignment did not keep: two sentences with a
    figure or a date each, that the match model gives at least `APART_FLOOR`, whose difference the
    judge calls a conflict ("bodies recovered: seven" vs "six" in sentences aligned elsewhere)."""
    aligned = {(v.alignment.a, v.alignment.b) for v in verdicts}
    found = []
    for (i, j), p in zip(pairs.tolist(), probability.tolist(), strict=True):
        if (i, j) in aligned or p < APART_FLOOR:
            continue
        if not any(f.kind in APART_KINDS for f in a.facts[i]) or not any(f.kind in APART_KINDS for f in b.facts[j]):
            continue
        row = Alignment(i, j, round(float(a.vectors[i] @ b.vectors[j]), 6), round(p, 6))
        texts = (a.sentences[i].text, b.sentences[j].text)
        verdict = classify_pair(row, texts, a.facts[i], b.facts[j], config, published_dates(a, b))
        if verdict.status is Status.CONFLICT:
            found.append(verdict)
    return found


def one_sided(side: str, index: int, facts: Sequence[Fact]) -> Verdict:
    """The only_a / only_b verdict of sentence `index` of report `side`, its facts one-sided."""
    labels = dedupe(tuple(f.label for f in facts))
    if side == "a":
        return Verdict(Alignment(index, None, None), Status.ONLY_A, a_only=labels)
    return Verdict(Alignment(None, index, None), Status.ONLY_B, b_only=labels)
