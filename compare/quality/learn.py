"""Fit the match model (`compare/models/match.json`) on every annotated reference pair.

`python -m compare.quality.learn` (or `make train`) prepares each reference pair of `../shared/eval`,
labels its candidate pairs from the reference (a pair the reference names is positive; a pair
the reference rules out, because one sentence is listed as one-sided or both sentences belong to
other claims, is negative; anything else is left out), fits a logistic regression across all
pairs and picks the probability threshold that maximises the mean pair F1 over the pairs. It also
reports leave-one-event-out figures: each event's pairs scored by a model and a threshold fitted
without them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from compare.align.candidates import features
from compare.align.match import (
    FEATURES,
    MODEL_PATH,
    MatchModel,
    candidate_features,
    candidate_pairs,
    neighbourhood,
    select_pairs,
)
from compare.linear import fit_linear
from compare.quality.references import candidate_labels
from compare.quality.reviews import save_training

THRESHOLDS = tuple(round(x, 3) for x in np.arange(0.15, 0.701, 0.025))
MAX_PARTNERS = 3  # the Config default: selection in training is what the tool does
REGULARISATION = 1.0  # scikit-learn's default C; not tuned


@dataclass(frozen=True, slots=True)
class PairData:
    """One reference pair's candidates: their features (k, F), labels (k,: 1 same claim, 0 not,
    -1 not judged by the reference), the (i, j) pairs and what scoring needs."""

    name: str
    group: str
    x: np.ndarray
    y: np.ndarray
    pairs: np.ndarray
    a_texts: tuple[str, ...]
    b_texts: tuple[str, ...]
    gold: dict


def pair_data(name: str, group: str, prepared: Any, gold: dict, scorer: ModuleType) -> PairData:
    """The candidates of one prepared reference pair with their features and labels."""
    a, b = prepared.a_side, prepared.b_side
    clauses = ((a.clause_owners, a.clause_vectors), (b.clause_owners, b.clause_vectors))
    f = features(a.vectors, b.vectors, prepared.text, clauses)
    nb = neighbourhood(f)
    pairs = candidate_pairs(nb)
    a_texts, b_texts = tuple(a.texts), tuple(b.texts)
    labels = candidate_labels(gold, a_texts, b_texts, pairs, scorer)
    return PairData(name, group, candidate_features(f, nb, pairs), labels, pairs, a_texts, b_texts, gold)


def training_arrays(data: Sequence[PairData]) -> dict[str, np.ndarray]:
    """The candidates of `data` the references judge: `x` (k, F) and `y` (k,), as the match model
    is fitted on them and as `match_training.npz` keeps them for `python -m compare learn`."""
    return {"x": np.vstack([d.x[d.y >= 0] for d in data]), "y": np.concatenate([d.y[d.y >= 0] for d in data])}


def fit_model(data: Sequence[PairData], threshold: float = 0.5) -> MatchModel:
    """A logistic regression on the judged candidates of `data`, features standardised."""
    rows = training_arrays(data)
    return fit_linear(rows["x"], rows["y"], FEATURES, threshold, REGULARISATION)


def pair_f1(d: PairData, probability: np.ndarray, threshold: float, scorer: ModuleType) -> float:
    """The scorer's pair F1 of one pair aligned at `threshold` (statuses play no part in it)."""
    kept, _ = select_pairs(d.pairs, probability, threshold, MAX_PARTNERS)
    rows = [{"status": "partial", "a": scorer.fold(d.a_texts[i]), "b": scorer.fold(d.b_texts[j])} for i, j in kept]
    return float(scorer.score_alignment(d.gold, rows)["pair_f1"])


def best_threshold(model: MatchModel, data: Sequence[PairData], scorer: ModuleType) -> float:
    """The threshold of `THRESHOLDS` with the highest mean pair F1 over `data` (the lowest of ties)."""
    probs = [model.probability(d.x) for d in data]
    means = [np.mean([pair_f1(d, p, t, scorer) for d, p in zip(data, probs, strict=True)]) for t in THRESHOLDS]
    return THRESHOLDS[int(np.argmax(means))]


def fit_with_threshold(data: Sequence[PairData], scorer: ModuleType) -> MatchModel:
    """A model fitted on `data`, with the threshold that works best on `data`."""
    model = fit_model(data)
    return MatchModel(*[getattr(model, k) for k in ("features", "mean", "scale", "coef", "intercept")],
                      best_threshold(model, data, scorer))


def held_out_models(data: Sequence[PairData], scorer: ModuleType) -> dict[str, MatchModel]:
    """For each event, a model (and threshold) fitted on every other event's pairs."""
    return {g: fit_with_threshold([d for d in data if d.group != g], scorer) for g in sorted({d.group for d in data})}


def reference_data(eval_dir: Path) -> tuple[list[PairData], list[Any], ModuleType]:
    """Every reference pair's `PairData`, the references and the scorer."""
    from compare.quality.references import find_references, load_scorer, prepare_references

    scorer = load_scorer(eval_dir)
    refs = find_references(eval_dir)
    prepared = prepare_references(refs)
    data = [pair_data(r.name, r.group, prepared[r.name], json.loads(r.gold.read_text(encoding="utf-8")), scorer)
            for r in refs]
    return data, refs, scorer


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on every reference pair, print the held-out figures, write the model file."""
    import argparse

    from compare.quality.references import default_eval_dir

    parser = argparse.ArgumentParser(prog="python -m compare.quality.learn", description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=default_eval_dir())
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model (JSON)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    data, _, scorer = reference_data(args.eval_dir)
    held = held_out_models(data, scorer)
    lines = []
    scores = []
    for d in data:
        model = held[d.group]
        f1 = pair_f1(d, model.probability(d.x), model.threshold, scorer)
        scores.append(f1)
        lines.append(f"{d.name:<26} held-out pair F1 {f1:.3f} (threshold {model.threshold})")
    final = fit_with_threshold(data, scorer)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    body = final.to_json() | {
        "trained_on": [d.name for d in data],
        "candidates": int(sum(len(d.y) for d in data)),
        "positives": int(sum((d.y == 1).sum() for d in data)),
        "negatives": int(sum((d.y == 0).sum() for d in data)),
        "held_out_pair_f1": round(float(np.mean(scores)), 3),
    }
    args.out.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    training = args.out.with_name("match_training.npz")  # for `python -m compare learn`: no reference text
    save_training(training, training_arrays(data))
    coef = ", ".join(f"{n} {c:+.2f}" for n, c in zip(FEATURES, final.coef, strict=True))
    sys.stdout.write("\n".join([*lines, f"mean held-out pair F1 {np.mean(scores):.3f}",
                                f"final threshold {final.threshold}; coefficients: {coef}",
                                f"written: {args.out}, {training}"]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
