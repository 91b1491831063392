"""Simulated reviews (issue 27): how much would K reviewed rows per pair teach the models?

`python -m compare.quality.simulate 10 25` (`make simulate-reviews`) plays a reviewer who answers from the
reference. For each held-out event, the match model and the judge are first fitted on every other
event's reference rows, as `make eval` fits them (K = 0). Then, on each pair of those other events,
the tool proposes K of the pairs it aligns, in its review order (reading order, or the least sure
first: `compare.review.order`), and the simulated reviewer confirms or rejects each as the
reference says (and, for the judge, calls it a conflict or not); a pair the reference does not
judge is proposed but teaches nothing. Both models are refitted as `python -m compare learn` does
(the reviewed rows weighing `REVIEW_WEIGHT` reference rows, the thresholds kept), and the held-out
event is compared with them. The figures are `make eval`'s: the mean pair F1 and precision of the
dev pairs, and the conflicts pooled over them.

The reviewed rows are rows the references already label: the simulation measures what weighting
the rows a reviewer is shown does, the only thing a reviewer's decisions can add on data the
references already cover. Real reviews add rows on new outlets, which no simulation here can.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from compare.align.match import FEATURES as MATCH_FEATURES
from compare.align.match import select_pairs
from compare.judge.evidence import FEATURES as JUDGE_FEATURES
from compare.linear import LinearModel
from compare.quality.reviews import Rows, fit_judge, fit_match

ORDERS = ("reading", "uncertain")
FIGURES = ("pair_f1", "pair_precision", "conflict_recall", "conflict_precision")


def proposed(
    d: Any, jd: Any, match: LinearModel, judge: LinearModel, k: int, order: str
) -> tuple[list[int], list[int]]:
    """(rows of `d` (match), rows of `jd` (judge)) the reviewer decides on: the first `k` pairs the
    tool aligns on this pair, in review `order`, those the reference judges."""
    probability = match.probability(d.x)
    kept, _ = select_pairs(d.pairs, probability, match.threshold, 3)
    where = {(int(i), int(j)): n for n, (i, j) in enumerate(d.pairs)}
    judged = {(int(i), int(j)): n for n, (i, j) in enumerate(jd.pairs)}
    conflict = judge.probability(jd.x) if len(jd.y) else np.zeros(0)
    if order == "uncertain":

        def gap(pair: tuple[int, int]) -> float:
            gaps = [abs(probability[where[pair]] - match.threshold)]
            if pair in judged:
                gaps.append(abs(conflict[judged[pair]] - judge.threshold))
            return min(gaps)

        kept = sorted(kept, key=gap)
    shown = kept[:k]
    match_rows = [where[p] for p in shown if d.y[where[p]] >= 0]
    judge_rows = [judged[p] for p in shown if p in judged and jd.y[judged[p]] >= 0]
    return match_rows, judge_rows


def simulated_models(data: Sequence[Any], jdata: Sequence[Any], scorer: ModuleType, ks: Sequence[int],
                     folder: Path) -> dict[tuple[int, str], dict[str, Any]]:
    """(K, order) -> {event: Config with the models refitted after K simulated reviews per pair of
    the other events}; K = 0 is the held-out models themselves (order "reading")."""
    from compare.config import Config
    from compare.quality import judge as judges
    from compare.quality import learn

    configs: dict[tuple[int, str], dict[str, Any]] = {}
    for group in sorted({d.group for d in data}):
        train = [d for d in data if d.group != group]
        jtrain = [d for d in jdata if d.group != group]
        a, b, threshold = judges.calibration(jtrain)
        match0, judge0 = learn.fit_with_threshold(train, scorer), judges.fit_with_threshold(jtrain, (a, b, threshold))
        # the reference rows as `python -m compare learn` reads them from the shipped training files
        match_ref, judge_ref = learn.training_arrays(train), judges.training_arrays(jtrain, a, b)
        for k in (0, *ks):
            for order in ORDERS if k else ("reading",):
                if k == 0:
                    match, judge = match0, judge0
                else:
                    rows = [proposed(d, jd, match0, judge0, k, order) for d, jd in zip(train, jtrain, strict=True)]
                    ex = [d.x[m] for d, (m, _) in zip(train, rows, strict=True)]
                    ey = [d.y[m] for d, (m, _) in zip(train, rows, strict=True)]
                    jex = [jd.x[j] for jd, (_, j) in zip(jtrain, rows, strict=True)]
                    jey = [jd.y[j] for jd, (_, j) in zip(jtrain, rows, strict=True)]
                    reviewed = Rows(np.vstack(ex).reshape(-1, len(MATCH_FEATURES)), np.concatenate(ey))
                    match = fit_match(match_ref, reviewed, match0.threshold)
                    reviewed = Rows(np.vstack(jex).reshape(-1, len(JUDGE_FEATURES)), np.concatenate(jey))
                    judge = fit_judge(judge_ref, reviewed, judge0.threshold)
                paths = (folder / f"match-{k}-{order}-{group}.json", folder / f"judge-{k}-{order}-{group}.json")
                for path, model in zip(paths, (match, judge), strict=True):
                    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
                configs.setdefault((k, order), {})[group] = Config(match_model=str(paths[0]),
                                                                   conflict_model=str(paths[1]))
    return configs


def figures(results: Sequence[dict[str, Any]], names: Sequence[str]) -> dict[str, float | None]:
    """The dev pairs' mean pair F1 and precision and the conflicts pooled over them."""
    from compare.quality.conflicts import pooled
    from compare.quality.evaluate import is_dev, mean_figures

    dev = [r for n, r in zip(names, results, strict=True) if is_dev(n)]
    means, conflicts = mean_figures(dev), pooled(dev)
    return {"pair_f1": means.get("pair_f1"), "pair_precision": means.get("pair_precision"),
            "conflict_recall": conflicts["recall"], "conflict_precision": conflicts["precision"]}


def run_simulation(eval_dir: Path, ks: Sequence[int]) -> tuple[dict[str, Any], str]:
    """({"before": figures at K = 0, "after": {order: {K: figures}}}, the table)."""
    from compare.config import Config
    from compare.quality.evaluate import pipeline_results
    from compare.quality.judge import judge_data
    from compare.quality.learn import pair_data
    from compare.quality.references import find_references, load_scorer, prepare_references
    from compare.session import Session

    scorer = load_scorer(eval_dir)
    refs = find_references(eval_dir)
    names = [r.name for r in refs]
    with Session(Config()) as session, tempfile.TemporaryDirectory() as folder:
        prepared = prepare_references(refs, session)
        golds = {r.name: json.loads(r.gold.read_text(encoding="utf-8")) for r in refs}
        data = [pair_data(r.name, r.group, prepared[r.name], golds[r.name], scorer) for r in refs]
        jdata = [judge_data(r.name, r.group, prepared[r.name], golds[r.name], scorer, Config()) for r in refs]
        configs = simulated_models(data, jdata, scorer, ks, Path(folder))
        table: dict[tuple[int, str], dict[str, float | None]] = {}
        for (k, order), by_group in configs.items():
            results = pipeline_results(scorer, refs, prepared, lambda ref, c=by_group: c[ref.group])
            table[(k, order)] = figures(results, names)
    before = table[(0, "reading")]
    after = {order: {str(k): table[(k, order)] for k in ks} for order in ORDERS}
    lines = [f"{'reviews per pair':<18}{'order':<11}" + "".join(f"{f:>20}" for f in FIGURES)]
    for (k, order), row in sorted(table.items()):
        cells = "".join(f"{'-' if row[f] is None else format(row[f], '.3f'):>20}" for f in FIGURES)
        lines.append(f"{k:<18}{order:<11}{cells}")
    return {"before": before, "after": after}, "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m compare.quality.simulate [K ...] [--eval-dir DIR]`: the table, then one JSON line."""
    import argparse
    import logging

    from compare.quality.references import default_eval_dir

    parser = argparse.ArgumentParser(prog="python -m compare.quality.simulate", description=__doc__.split("\n")[0])
    parser.add_argument("reviews", nargs="*", type=int, default=[10, 25], metavar="K",
                        help="reviewed rows per pair (default: 10 25)")
    parser.add_argument("--eval-dir", type=Path, default=default_eval_dir(),
                        help="a folder laid out like ../shared/eval (dev/*/a.txt, b.txt, gold.json; score.py)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    out, text = run_simulation(args.eval_dir, args.reviews)
    sys.stdout.write(text + "\n" + json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
