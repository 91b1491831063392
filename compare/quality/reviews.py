"""Learn from the reviewer: `python -m compare learn` refits the match model and the conflict judge
on the reference pairs plus the reviewer's decisions, and keeps the result as a new model version
(`compare.versions`).

The reference rows are the shipped training matrices (`compare/models/*_training.npz`, written by
`make train` and `make train-conflicts`), so no reference text is needed on the user's machine. The
reviewer's rows come from the review database, whose decisions carry the texts of the reports they
were made on (`ReviewStore.reviewed_pairs`): each report pair is prepared again (cached), and
- for the match model, a decided pair among the tool's candidates is a row: confirm, link and
  relabel mean "the same claim" (1), reject and split "not" (0);
- for the judge, a decided pair whose two sentences differ on something (the only pairs the judge
  sees) is a row: relabelled `conflict`, or a confirmed conflict, is 1; relabelled `agree` or
  `partial`, or a confirmed row that is not a conflict, is 0; reject, split and link say nothing
  about a conflict.
A reviewer's row weighs `REVIEW_WEIGHT` reference rows: the decisions are on the reviewer's own
outlets and beat, the data the tool will meet, but a few dozen of them at weight 1 would not move a
model fitted on some 5,000 reference rows; at 5, a hundred decisions count like 500 reference rows
and the references still hold most of the weight (a choice, not tuned: no data here to tune it on).
The thresholds stay the shipped ones (chosen on the references, for pair F1 and for precision).

Guard rails: only decisions made with the model in use and on report texts that are current (a
report pair's latest texts: decisions on an earlier text of the same report ids are stale) train;
at least `MIN_DECISIONS` decisions are needed (below 20, one decision moves the held-out agreement
by 5 points or more: too noisy to judge a refit by); the before/after figures are held out by report
pair (each pair's decisions predicted by a fit without them), and a refit that agrees with the
reviewer less than the models in use, on either model, is kept but not made active unless `--force`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np

from compare import versions
from compare.align.candidates import features
from compare.align.match import FEATURES as MATCH_FEATURES
from compare.align.match import MODEL_PATH as MATCH_PATH
from compare.align.match import candidate_features, candidate_pairs, configured_model, neighbourhood
from compare.config import Config
from compare.judge.evidence import FEATURES as JUDGE_FEATURES
from compare.judge.evidence import pair_evidence
from compare.judge.model import MODEL_PATH as JUDGE_PATH
from compare.judge.model import load_judge
from compare.linear import LinearModel, calibrated, fit_linear
from compare.records import Status
from compare.review.store import Action, ReviewStore
from compare.review.texts import ReviewedPair, reviewed_pairs

log = logging.getLogger(__name__)
REVIEW_WEIGHT = 5.0
MIN_DECISIONS = 20
MATCH_TRAINING = MATCH_PATH.with_name("match_training.npz")
JUDGE_TRAINING = JUDGE_PATH.with_name("conflict_training.npz")
MATCH_REGULARISATION = 1.0  # as `compare.quality.learn`
JUDGE_REGULARISATION = 0.3  # as `compare.quality.judge`
SAME = {Action.CONFIRM: 1, Action.LINK: 1, Action.RELABEL: 1, Action.REJECT: 0, Action.SPLIT: 0}


@dataclass(frozen=True, slots=True)
class Rows:
    """Training rows of one model: features (k, F), labels (k,) of 0 and 1, and for reviewer rows
    the report pair each came from (for the held-out figures)."""

    x: np.ndarray
    y: np.ndarray
    source: tuple[str, ...] = ()


def save_training(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write a model's reference training rows (`x`, `y` and any other arrays: numbers only, read
    back without pickle)."""
    np.savez_compressed(path, **{k: np.asarray(v, np.int64 if k == "y" else np.float64) for k, v in arrays.items()})


def load_training(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a training file (`allow_pickle=False`: nothing in it can run code)."""
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def pair_rows(pair: ReviewedPair, session: object, config: Config) -> tuple[Rows, Rows]:
    """(match rows, judge rows) of one reviewed report pair's decisions."""
    prepared = session.prepare(pair.a, pair.b)  # type: ignore[attr-defined]
    a, b = prepared.a_side, prepared.b_side
    clauses = ((a.clause_owners, a.clause_vectors), (b.clause_owners, b.clause_vectors))
    f = features(a.vectors, b.vectors, prepared.text, clauses)
    nb = neighbourhood(f)
    pairs = candidate_pairs(nb)
    where = {(int(i), int(j)): k for k, (i, j) in enumerate(pairs)}
    x_candidates = candidate_features(f, nb, pairs)
    statuses = {(v.alignment.a, v.alignment.b): v.status for v in session.compare(prepared, config).verdicts}  # type: ignore[attr-defined]
    published = (a.article.published, b.article.published)
    name = f"{pair.a.id} vs {pair.b.id}"
    match_x, match_y, judge_x, judge_y = [], [], [], []
    for d in pair.decisions:
        if not (0 <= d.a_id < len(a.texts) and 0 <= d.b_id < len(b.texts)):
            continue
        if (d.a_id, d.b_id) in where:
            match_x.append(x_candidates[where[(d.a_id, d.b_id)]])
            match_y.append(SAME[d.action])
        label = conflict_label(d.action, d.label, statuses.get((d.a_id, d.b_id)))
        if label is None:
            continue
        similarity = float(a.vectors[d.a_id] @ b.vectors[d.b_id])
        evidence = pair_evidence(a.texts[d.a_id], a.facts[d.a_id], b.texts[d.b_id], b.facts[d.b_id], similarity,
                                 published)
        if evidence.differences:
            judge_x.append(evidence.x)
            judge_y.append(label)
    return (
        Rows(np.array(match_x).reshape(-1, len(MATCH_FEATURES)), np.array(match_y, np.int64), (name,) * len(match_y)),
        Rows(np.array(judge_x).reshape(-1, len(JUDGE_FEATURES)), np.array(judge_y, np.int64), (name,) * len(judge_y)),
    )


def conflict_label(action: Action, label: str, status: Status | None) -> int | None:
    """What a decision says about a conflict: 1 a conflict, 0 not one, None nothing."""
    if action is Action.RELABEL:
        return 1 if label == Status.CONFLICT.value else 0
    if action is Action.CONFIRM and status is not None:
        return 1 if status is Status.CONFLICT else 0
    return None


def joined(parts: Sequence[Rows], width: int) -> Rows:
    """The rows of `parts` one after another."""
    if not parts:
        return Rows(np.zeros((0, width)), np.zeros(0, np.int64))
    return Rows(np.vstack([p.x for p in parts]).reshape(-1, width), np.concatenate([p.y for p in parts]),
                tuple(s for p in parts for s in p.source))


def fit_match(reference: dict[str, np.ndarray], reviews: Rows, threshold: float) -> LinearModel:
    """The match model refitted on the reference rows and the reviewer's (weighted), at `threshold`."""
    return fit_weighted(reference["x"], reference["y"], reviews, MATCH_FEATURES, threshold, MATCH_REGULARISATION)


def fit_judge(reference: dict[str, np.ndarray], reviews: Rows, threshold: float) -> LinearModel:
    """The judge refitted on the reference rows (with their planted conflicts) and the reviewer's
    (weighted), calibrated as the shipped judge was (`platt`: a, b) and at `threshold`."""
    x = np.vstack([reference["x"], reference["planted"]])
    y = np.concatenate([reference["y"], np.ones(len(reference["planted"]), np.int64)])
    model = fit_weighted(x, y, reviews, JUDGE_FEATURES, threshold, JUDGE_REGULARISATION)
    a, b = (float(v) for v in reference["platt"])
    return calibrated(model, a, b)


def fit_weighted(x: np.ndarray, y: np.ndarray, reviews: Rows, names: tuple[str, ...], threshold: float,
                 regularisation: float) -> LinearModel:
    """A logistic regression on reference rows (weight 1) and reviewer rows (`REVIEW_WEIGHT`)."""
    xs = np.vstack([x, reviews.x]) if len(reviews.y) else x
    ys = np.concatenate([y, reviews.y]) if len(reviews.y) else y
    weights = np.concatenate([np.ones(len(y)), np.full(len(reviews.y), REVIEW_WEIGHT)])
    return fit_linear(xs, ys, names, threshold, regularisation, weights=weights)


def agreement(model: LinearModel, rows: Rows) -> float | None:
    """The share of `rows` whose label the model's call (probability >= its threshold) matches."""
    if not len(rows.y):
        return None
    return float(((model.probability(rows.x) >= model.threshold).astype(int) == rows.y).mean())


def held_out(rows: Rows, refit: object) -> float | None:
    """The agreement with the reviewer of models fitted without each report pair, over that pair's rows."""
    right, total = 0, 0
    for name in sorted(set(rows.source)):
        mine = np.array([s == name for s in rows.source])
        model = refit(Rows(rows.x[~mine], rows.y[~mine], tuple(s for s in rows.source if s != name)))
        calls = (model.probability(rows.x[mine]) >= model.threshold).astype(int)
        right += int((calls == rows.y[mine]).sum())
        total += int(mine.sum())
    return right / total if total else None


@dataclass(frozen=True, slots=True)
class Refit:
    """A refit's models and figures: agreement with the reviewer's decisions, held out by report
    pair, of the models in use (`before`) and of the refit (`after`), per model, and the counts."""

    match: LinearModel
    judge: LinearModel
    before: dict[str, float | None]
    after: dict[str, float | None]
    decisions: int
    pairs: int
    rows: dict[str, int]

    @property
    def better(self) -> bool:
        """True when the refit agrees with the reviewer at least as well as the models in use on both."""
        return all(self.after[k] is None or self.before[k] is None or self.after[k] >= self.before[k]
                   for k in ("match", "judge"))


def refit(store: ReviewStore, config: Config, session: object) -> Refit:
    """The models refitted on the references and the reviewer's current decisions (ValueError
    when there are fewer than `MIN_DECISIONS` of them)."""
    reviewed = reviewed_pairs(store, config.model)
    decisions = sum(len(p.decisions) for p in reviewed)
    if decisions < MIN_DECISIONS:
        raise ValueError(f"{decisions} decisions usable for learning; a refit needs at least {MIN_DECISIONS}")
    parts = [pair_rows(p, session, config) for p in reviewed]
    match_rows = joined([m for m, _ in parts], len(MATCH_FEATURES))
    judge_rows = joined([j for _, j in parts], len(JUDGE_FEATURES))
    match_ref, judge_ref = load_training(MATCH_TRAINING), load_training(JUDGE_TRAINING)
    in_use_match, in_use_judge = configured_model(config), load_judge(config.conflict_model)
    match_refit = partial(fit_match, match_ref, threshold=in_use_match.threshold)
    judge_refit = partial(fit_judge, judge_ref, threshold=in_use_judge.threshold)
    return Refit(
        match_refit(match_rows),
        judge_refit(judge_rows),
        {"match": agreement(in_use_match, match_rows), "judge": agreement(in_use_judge, judge_rows)},
        {"match": held_out(match_rows, match_refit), "judge": held_out(judge_rows, judge_refit)},
        decisions,
        len(reviewed),
        {"match": len(match_rows.y), "judge": len(judge_rows.y)},
    )


def learn(store: ReviewStore, config: Config, session: object, force: bool = False) -> tuple[str, bool, Refit]:
    """Refit from the reviewer's decisions, keep the result as a new version and use it when it
    agrees with the reviewer at least as well as the models in use (or `force`); (its name,
    whether it is now in use, the refit)."""
    result = refit(store, config, session)
    meta = {
        "made": datetime.now(UTC).isoformat(timespec="seconds"),
        "from": versions.active_version(),
        "decisions": result.decisions,
        "report_pairs": result.pairs,
        "rows": result.rows,
        "review_weight": REVIEW_WEIGHT,
        "before": {k: None if v is None else round(v, 3) for k, v in result.before.items()},
        "after": {k: None if v is None else round(v, 3) for k, v in result.after.items()},
    }
    version = versions.write_version(result.match.to_json(), result.judge.to_json(), meta)
    used = result.better or force
    if used:
        versions.use(version)
    return version, used, result


def summary_lines(version: str, used: bool, result: Refit) -> list[str]:
    """What a refit did, in words: the rows, the figures before and after, and whether it is in use."""
    lines = [
        f"{result.decisions} decisions on {result.pairs} report pairs: {result.rows['match']} rows for the match "
        f"model, {result.rows['judge']} for the conflict judge (each weighing {REVIEW_WEIGHT:g} reference rows)",
        "agreement with your decisions, held out by report pair (models in use -> refit):",
        f"  match model     {figure(result.before['match'])} -> {figure(result.after['match'])}",
        f"  conflict judge  {figure(result.before['judge'])} -> {figure(result.after['judge'])}",
    ]
    if used:
        lines.append(f"written and in use: {version} (python -m compare learn --reset goes back to the shipped models)")
    else:
        lines.append(f"written but NOT in use: {version} agrees with your decisions less than the models in use "
                     f"(python -m compare learn --use {version} to use it anyway)")
    return lines


def figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m compare learn`: refit from the reviews and keep a new version; or list, switch, reset."""
    parser = argparse.ArgumentParser(prog="python -m compare learn", description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=Path, default=None, help="the review database (default: the dashboard's)")
    parser.add_argument("--force", action="store_true", help="make the refit active even when it agrees less")
    parser.add_argument("--list", action="store_true", help="the model versions and their figures")
    parser.add_argument("--use", metavar="VERSION", help=f"switch to VERSION (v1, v2, ... or {versions.SHIPPED})")
    parser.add_argument("--reset", action="store_true", help="go back to the shipped models")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.list:
        active = versions.active_version()
        lines = [f"{'*' if active == versions.SHIPPED else ' '} {versions.SHIPPED}: the models shipped with compare"]
        for name, meta in versions.versions():
            before, after = meta.get("before", {}), meta.get("after", {})
            lines.append(
                f"{'*' if active == name else ' '} {name}: {meta.get('made', '?')}, {meta.get('decisions', '?')} "
                f"decisions; agreement with them held out (in use then -> this): match {before.get('match')} -> "
                f"{after.get('match')}, judge {before.get('judge')} -> {after.get('judge')}"
            )
        sys.stdout.write("\n".join(lines) + "\n")
        return 0
    if args.reset or args.use:
        try:
            versions.use(versions.SHIPPED if args.reset else args.use)
        except ValueError as error:
            sys.stderr.write(f"error: {error}\n")
            return 2
        sys.stdout.write(f"models in use: {versions.active_version()}\n")
        return 0
    from compare.session import Session
    from compare.sqlite import StoreError

    config = Config()
    try:
        store = ReviewStore(args.reviews)
        with Session(config) as session:
            version, used, result = learn(store, config, session, args.force)
    except (StoreError, ValueError) as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    lines = summary_lines(version, used, result)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
