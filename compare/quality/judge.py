"""Fit the conflict judge (`compare/models/conflict.json`) on every annotated reference pair:
`make train-conflicts` (`python -m compare.quality.judge`).

Its rows are each reference pair's sentence pairs that the tool aligns or that the reference pairs,
whose two sentences differ on something (`judge.evidence.pair_evidence`: the judge only ever sees
such pairs). A row is 1 when a reference conflict lies in its two sentences, 0 when the reference
pairs them as one claim or rules the row out (a sentence listed as one-sided, or both sentences of
other claims), and left out otherwise. The model is a logistic regression across all pairs.

The threshold is chosen for precision, never by looking at the figures it is scored by: the
lowest probability at which the rows above it, each scored by a fit without its event, are right
at least `TARGET_PRECISION` of the time. Every reported figure is leave-one-event-out, and the
threshold used on a held-out event is chosen inside its training events alone (nested).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from compare.align.match import align
from compare.config import Config
from compare.judge.evidence import FEATURES, pair_evidence
from compare.judge.model import MODEL_PATH
from compare.linear import LinearModel, calibrated, fit_linear
from compare.quality.references import candidate_labels
from compare.quality.reviews import save_training
from compare.records import FactKind

TARGET_PRECISION = 0.75  # a false conflict costs more than a missed one: a conflict must be right 3 times in 4
MIN_FLAGGED = 5  # rows above a threshold before its precision counts
GRID = tuple(round(float(t), 3) for t in np.arange(0.2, 0.951, 0.025))
PLANTED = True  # train on planted contradictions too: measured held out (docs/quality.md)
REGULARISATION = 0.3  # fixed before scoring (stronger than scikit-learn's 1.0: ~70 positive rows); not tuned


@dataclass(frozen=True, slots=True)
class JudgeData:
    """One reference pair's rows for the judge: features (k, len(FEATURES)), labels (k,: 1
    conflict, 0 not, -1 not judged), the (i, j) sentence pairs (k, 2), and planted conflicts made
    from its pairs of one claim (`synthetic_rows`: (s, len(FEATURES)), all conflicts)."""

    name: str
    group: str
    x: np.ndarray
    y: np.ndarray
    pairs: np.ndarray
    planted: np.ndarray


def located_pairs(
    gold: dict, a_texts: Sequence[str], b_texts: Sequence[str], scorer: ModuleType
) -> set[tuple[int, int]]:
    """The (i, j) sentence pairs that hold a reference pair's two snippets (same, conflict or related)."""
    fold = scorer.fold
    a, b = [fold(t) for t in a_texts], [fold(t) for t in b_texts]
    found = set()
    for p in gold["pairs"]:
        x, y = fold(p["a"]), fold(p["b"])
        found |= {(i, j) for i, s in enumerate(a) if x in s for j, t in enumerate(b) if y in t}
    return found


def conflict_labels(gold: dict, a_texts: Sequence[str], b_texts: Sequence[str], pairs: np.ndarray,
                    scorer: ModuleType) -> np.ndarray:
    """Label of each (i, j) in `pairs`: 1 when a reference conflict lies in the two sentences, 0
    when a reference pair of the same claim (or a related one) does or the reference rules the row
    out, -1 when the reference does not judge it."""
    fold = scorer.fold
    a, b = [fold(t) for t in a_texts], [fold(t) for t in b_texts]
    conflicts = [(fold(p["a"]), fold(p["b"])) for p in gold["pairs"] if p["label"] == "conflict"]
    labels = candidate_labels(gold, a_texts, b_texts, pairs, scorer)
    labels = np.where(labels == 1, 0, labels)
    for k, (i, j) in enumerate(pairs):
        if any(x in a[i] and y in b[j] for x, y in conflicts):
            labels[k] = 1
    return labels


def judge_data(name: str, group: str, prepared: Any, gold: dict, scorer: ModuleType, config: Config) -> JudgeData:
    """The judge's rows of one prepared reference pair: the pairs the tool aligns under `config`
    and the reference's pairs, those whose sentences differ on something."""
    a, b = prepared.a_side, prepared.b_side
    rows = align(a, b, config, text=prepared.text)
    candidates = {(r.a, r.b) for r in rows if r.a is not None and r.b is not None}
    candidates |= located_pairs(gold, a.texts, b.texts, scorer)
    published = (a.article.published, b.article.published)
    kept, xs = [], []
    for i, j in sorted(candidates):
        similarity = float(a.vectors[i] @ b.vectors[j])
        evidence = pair_evidence(a.texts[i], a.facts[i], b.texts[j], b.facts[j], similarity, published)
        if evidence.differences:
            kept.append((i, j))
            xs.append(evidence.x)
    pairs = np.array(kept, dtype=np.int64).reshape(-1, 2)
    x = np.array(xs, dtype=np.float64).reshape(-1, len(FEATURES))
    labels = conflict_labels(gold, a.texts, b.texts, pairs, scorer)
    return JudgeData(name, group, x, labels, pairs, synthetic_rows(prepared, gold, scorer))


SYNTHETIC_FACTORS = (0.5, 1.5, 2.0)  # a shared figure changed by these factors: a planted contradiction


def synthetic_rows(prepared: Any, gold: dict, scorer: ModuleType) -> np.ndarray:
    """Planted contradictions (as FactCC made them for summaries): for each pair of sentences the
    reference calls the same claim that share a figure of one slot, B's figure changed by each of
    `SYNTHETIC_FACTORS`, the evidence read again; rows (k, len(FEATURES)), every one a conflict."""
    a, b = prepared.a_side, prepared.b_side
    published = (a.article.published, b.article.published)
    same = {"pairs": [p for p in gold["pairs"] if p["label"] == "same"]}
    rows = []
    for i, j in sorted(located_pairs(same, a.texts, b.texts, scorer)):
        shared = [(x, y) for x in a.facts[i] for y in b.facts[j] if x.kind is FactKind.NUMBER and x.slot
                  and y.slot == x.slot and x.amount is not None and x.amount == y.amount]
        if not shared:
            continue
        x, y = shared[0]
        similarity = float(a.vectors[i] @ b.vectors[j])
        for factor in SYNTHETIC_FACTORS:
            amount = round(y.amount * factor) if float(y.amount).is_integer() else y.amount * factor
            if amount == y.amount:
                continue
            changed = replace(y, value=f"{amount:g} {y.slot}", amount=amount)
            b_facts = [changed if f is y else f for f in b.facts[j]]
            evidence = pair_evidence(a.texts[i], a.facts[i], b.texts[j], b_facts, similarity, published)
            if evidence.differences:
                rows.append(evidence.x)
    return np.array(rows, dtype=np.float64).reshape(-1, len(FEATURES))


def fit_judge(data: Sequence[JudgeData], threshold: float = 0.5) -> LinearModel:
    """A logistic regression on the judged rows of `data` (and their planted conflicts when
    `PLANTED`)."""
    x = np.vstack([d.x[d.y >= 0] for d in data] + ([d.planted for d in data] if PLANTED else []))
    y = np.concatenate([d.y[d.y >= 0] for d in data] + ([np.ones(len(d.planted), dtype=np.int64) for d in data]
                                                        if PLANTED else []))
    return fit_linear(x, y, FEATURES, threshold, REGULARISATION)


def out_of_fold(data: Sequence[JudgeData]) -> tuple[np.ndarray, np.ndarray]:
    """(probability, label) of every judged row of `data`, each event's rows scored by a fit on
    the other events."""
    probs, labels = [], []
    for group in sorted({d.group for d in data}):
        model = fit_judge([d for d in data if d.group != group])
        for d in (d for d in data if d.group == group):
            probs.append(model.probability(d.x[d.y >= 0]))
            labels.append(d.y[d.y >= 0])
    return np.concatenate(probs), np.concatenate(labels)


def precision_threshold(prob: np.ndarray, y: np.ndarray) -> float:
    """The lowest threshold of `GRID` at which at least `MIN_FLAGGED` rows reach it and
    `TARGET_PRECISION` of them are conflicts; failing that, the one of highest precision (ties:
    the lowest); 1.0 (nothing is a conflict) when no threshold flags `MIN_FLAGGED` rows."""
    best, best_precision = 1.0, -1.0
    for t in GRID:
        flagged = prob >= t
        if flagged.sum() < MIN_FLAGGED:
            break
        precision = float(y[flagged].mean())
        if precision >= TARGET_PRECISION:
            return t
        if precision > best_precision:
            best, best_precision = t, precision
    return best


def calibration(data: Sequence[JudgeData]) -> tuple[float, float, float]:
    """(a, b, threshold): Platt scaling of the raw judge's logit (`a * logit + b`, a logistic
    regression on the logit, which keeps the judge one `LinearModel`: planted rows make the raw
    fit too sure) and the threshold `precision_threshold` picks, both from the out-of-fold
    probabilities of `data`'s real rows (never from rows it is scored on)."""
    from sklearn.linear_model import LogisticRegression

    prob, y = out_of_fold(data)
    logit = np.log(np.clip(prob, 1e-9, 1 - 1e-9) / np.clip(1 - prob, 1e-9, 1))
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(logit[:, None], y)
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    calibrated = 1 / (1 + np.exp(-(a * logit + b)))
    return a, b, precision_threshold(calibrated, y)


def fit_with_threshold(data: Sequence[JudgeData], calibrated_by: tuple[float, float, float] | None = None
                       ) -> LinearModel:
    """The judge fitted on all of `data`, calibrated and with a threshold: `calibrated_by` (a, b,
    threshold) when the caller has it, else `calibration(data)`."""
    a, b, threshold = calibrated_by or calibration(data)
    return replace(calibrated(fit_judge(data), a, b), threshold=threshold)


def training_arrays(data: Sequence[JudgeData], a: float, b: float) -> dict[str, np.ndarray]:
    """What `conflict_training.npz` keeps for `python -m compare learn`: the judged rows of `data`
    (`x`, `y`), their planted conflicts (when `PLANTED`) and the Platt scaling (a, b) of the judge."""
    planted = [d.planted for d in data] if PLANTED else []
    return {
        "x": np.vstack([d.x[d.y >= 0] for d in data]),
        "y": np.concatenate([d.y[d.y >= 0] for d in data]),
        "planted": np.vstack(planted) if planted else np.zeros((0, len(FEATURES))),
        "platt": np.array([a, b]),
    }


def held_out_judges(data: Sequence[JudgeData]) -> dict[str, LinearModel]:
    """For each event, a judge and its threshold fitted on every other event alone."""
    return {g: fit_with_threshold([d for d in data if d.group != g]) for g in sorted({d.group for d in data})}


def reference_judge_data(eval_dir: Path, config: Config | None = None) -> tuple[list[JudgeData], ModuleType]:
    """Every reference pair's `JudgeData` (aligned under `config`, default settings) and the scorer."""
    from compare.quality.references import find_references, load_scorer, prepare_references

    scorer = load_scorer(eval_dir)
    refs = find_references(eval_dir)
    prepared = prepare_references(refs)
    data = [judge_data(r.name, r.group, prepared[r.name], json.loads(r.gold.read_text(encoding="utf-8")), scorer,
                       config or Config()) for r in refs]
    return data, scorer


def held_out_table(data: Sequence[JudgeData], judges: dict[str, LinearModel]) -> str:
    """Rows flagged and right per event under its held-out judge, and in all (pooled)."""
    lines = [f"{'pair':<28}{'conflict rows':>14}{'flagged':>9}{'right':>7}{'threshold':>11}"]
    total = np.zeros(3, dtype=int)
    for d in data:
        model = judges[d.group]
        y = d.y[d.y >= 0]
        flagged = model.probability(d.x[d.y >= 0]) >= model.threshold
        counts = np.array([int((y == 1).sum()), int(flagged.sum()), int((flagged & (y == 1)).sum())])
        total += counts
        lines.append(f"{d.name:<28}{counts[0]:>14}{counts[1]:>9}{counts[2]:>7}{model.threshold:>11.3f}")
    precision = total[2] / total[1] if total[1] else float("nan")
    recall = total[2] / total[0] if total[0] else float("nan")
    lines.append(f"{'all (pooled)':<28}{total[0]:>14}{total[1]:>9}{total[2]:>7}"
                 f"   precision {precision:.3f}, recall {recall:.3f} of the judged rows that differ")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on every reference pair, print the held-out figures per pair, write the judge file."""
    import argparse

    from compare.quality.references import default_eval_dir

    parser = argparse.ArgumentParser(prog="python -m compare.quality.judge", description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=default_eval_dir())
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the judge (JSON)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    data, _ = reference_judge_data(args.eval_dir)
    judges = held_out_judges(data)
    a, b, threshold = calibration(data)  # once: the judge and its training file share it
    model = fit_with_threshold(data, (a, b, threshold))
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    training = args.out.with_name("conflict_training.npz")  # for `python -m compare learn`: no reference text
    save_training(training, training_arrays(data, a, b))
    sys.stdout.write("each event judged by a fit (and a threshold) chosen without it\n"
                     f"{held_out_table(data, judges)}\n\nthreshold {model.threshold:.3f}; written: {args.out}, "
                     f"{training}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
