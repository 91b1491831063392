"""Score the pipeline on the annotated reference pairs (`../shared/eval`): `make eval`.

The references are the dev pairs (`dev/*/a.txt, b.txt, gold.json`), the seed pair
(`seed_gold.json` with `../shared/seeds/`) and the story pairs that have a reference
(`stories/*/story.json`). Each pair is scored by the reference's own `score.py`; the figures
per pair and their mean come out as a table and as JSON. Pairs are grouped by event (a story
pair shares a report with a dev pair), so a model fitted to references can be scored on each
event by a fit that never saw it (`compare.quality.learn`).
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from compare.quality.conflicts import calibration, conflict_counts, conflict_tables, judged_verdicts, per_kind, pooled
from compare.quality.references import (
    Reference,
    default_eval_dir,
    find_references,
    load_scorer,
    prepare_references,
)
from compare.records import Status

METRICS = (
    "pair_f1",
    "pair_precision",
    "pair_recall",
    "unique_recall",
    "conflict_recall",
    "conflict_precision",
    "fact_recall",
)


def score_rows(
    scorer: ModuleType, gold: dict, rows: Sequence[dict[str, str]], facts: Sequence[dict[str, str]] | None
) -> dict[str, Any]:
    """`score.py`'s figures for alignment rows (and facts rows) given as dicts of the CSV contracts."""
    with tempfile.TemporaryDirectory() as tmp:
        align_path = Path(tmp) / "alignment.csv"
        write_dicts(align_path, rows, ["status", "similarity", "a_id", "a_text", "b_id", "b_text"])
        result = scorer.score_alignment(gold, scorer.read_rows(str(align_path)))
        if facts is not None:
            facts_path = Path(tmp) / "facts.csv"
            write_dicts(facts_path, facts, ["kind", "value", "in_a", "in_b", "a_mentions", "b_mentions"])
            result.update(scorer.score_facts(gold, str(facts_path)))
    return result


def write_dicts(path: Path, rows: Sequence[dict[str, str]], columns: Sequence[str]) -> None:
    """Plain CSV of `rows` restricted to `columns` (no formula neutralising: the scorer reads raw text)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def best_match_rows(scores: np.ndarray, a_texts: Sequence[str], b_texts: Sequence[str], cutoff: float) -> list[dict]:
    """Rows of a stock baseline: each sentence's best match on the other side when it reaches
    `cutoff` (status agree), every other sentence one-sided. `scores` is (len(a), len(b))."""
    pairs: set[tuple[int, int]] = set()
    if scores.size:
        pairs |= {(i, int(j)) for i, j in enumerate(scores.argmax(axis=1)) if scores[i, j] >= cutoff}
        pairs |= {(int(i), j) for j, i in enumerate(scores.argmax(axis=0)) if scores[i, j] >= cutoff}
    rows = [{"status": "agree", "a_text": a_texts[i], "b_text": b_texts[j]} for i, j in sorted(pairs)]
    rows += [{"status": Status.ONLY_A.value, "a_text": t, "b_text": ""}
             for i, t in enumerate(a_texts) if i not in {p[0] for p in pairs}]
    rows += [{"status": Status.ONLY_B.value, "a_text": "", "b_text": t}
             for j, t in enumerate(b_texts) if j not in {p[1] for p in pairs}]
    return rows


def tfidf_scores(a_texts: Sequence[str], b_texts: Sequence[str]) -> np.ndarray:
    """TF-IDF cosine of every (A, B) sentence pair, IDF over both reports; shape (n, m)."""
    from compare.align.candidates import lexical_matrix

    return lexical_matrix(a_texts, b_texts)


def mean_figures(results: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    """Mean of each metric over the pairs where it is defined (conflict figures are undefined
    for a pair without reference conflicts or without conflict rows), plus the pooled conflict
    recall and precision over all pairs."""
    out: dict[str, float | None] = {}
    for key in METRICS:
        values = [r[key] for r in results if r.get(key) is not None]
        out[key] = round(float(np.mean(values)), 3) if values else None
    found = sum(r.get("conflicts_found", 0) for r in results)
    gold = sum(r.get("conflicts_gold", 0) for r in results)
    true = sum(r.get("conflict_rows_true", 0) for r in results)
    judged = sum(r.get("conflict_rows_judged", 0) for r in results)
    out["pooled_conflict_recall"] = round(found / gold, 3) if gold else None
    out["pooled_conflict_precision"] = round(true / judged, 3) if judged else None
    out["conflict_rows"] = sum(r.get("conflict_rows", 0) for r in results)
    return out


def evaluate_rows(
    scorer: ModuleType, gold: dict, rows: Sequence[dict[str, str]], facts: Sequence[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The scorer's figures plus the pooled conflict counts for one pair's rows."""
    result = score_rows(scorer, gold, rows, facts)
    result.update(conflict_counts(gold, [{**r, "status": r["status"].lower()} for r in rows], scorer))
    return result


def is_dev(name: str) -> bool:
    """True for the dev pairs (the issue's targets are their mean), not the seed or story pairs."""
    return name != "seed" and ":" not in name


def format_table(title: str, names: Sequence[str], results: Sequence[dict[str, Any]], mean: dict) -> str:
    """A fixed-width table: one line per pair and the mean."""
    head = ["pair", "F1", "prec", "rec", "one-sided", "confl rec", "confl prec", "fact rec", "confl rows"]
    keys = [*METRICS, "conflict_rows"]

    def cell(value: Any) -> str:
        return "-" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))

    lines = [title, "  ".join(f"{h:>10}" if k else f"{h:<24}" for k, h in enumerate(head))]
    dev = mean_figures([r for n, r in zip(names, results, strict=True) if is_dev(n)])
    for name, r in [*zip(names, results, strict=True), ("mean of the dev pairs", dev), ("mean of all", mean)]:
        lines.append("  ".join([f"{name:<24}", *(f"{cell(r.get(k)):>10}" for k in keys)]))
    pooled = (f"pooled conflicts: recall {cell(mean.get('pooled_conflict_recall'))}, "
              f"precision {cell(mean.get('pooled_conflict_precision'))}")
    return "\n".join([*lines, pooled])


def baseline_results(scorer: ModuleType, refs: Sequence[Reference], prepared: dict[str, Any]) -> dict[str, list]:
    """The two stock baselines on every pair: MiniLM cosine best match >= 0.6, TF-IDF best match >= 0.3."""
    out: dict[str, list] = {"stock MiniLM >= 0.6": [], "TF-IDF >= 0.3": []}
    for ref in refs:
        p = prepared[ref.name]
        gold = json.loads(ref.gold.read_text(encoding="utf-8"))
        a_texts, b_texts = p.a_side.texts, p.b_side.texts
        cos = p.a_side.vectors @ p.b_side.vectors.T
        out["stock MiniLM >= 0.6"].append(evaluate_rows(scorer, gold, best_match_rows(cos, a_texts, b_texts, 0.6)))
        tfidf = tfidf_scores(a_texts, b_texts)
        out["TF-IDF >= 0.3"].append(evaluate_rows(scorer, gold, best_match_rows(tfidf, a_texts, b_texts, 0.3)))
    return out


def pipeline_results(
    scorer: ModuleType, refs: Sequence[Reference], prepared: dict[str, Any], config_for: Callable[[Reference], Any]
) -> list[dict[str, Any]]:
    """The pipeline's figures on every pair, each compared under `config_for(ref)` (for held-out
    figures: settings and models fitted without that pair's event)."""
    from compare.align.match import match_threshold
    from compare.export import rows as export
    from compare.pipeline import compare_prepared
    from compare.quality.misses import miss_json, pair_misses

    results = []
    for ref in refs:
        gold = json.loads(ref.gold.read_text(encoding="utf-8"))
        config = config_for(ref)
        comparison = compare_prepared(prepared[ref.name], config)
        result = evaluate_rows(scorer, gold, export.alignment_rows(comparison), export.fact_rows(comparison))
        missed, wrong = pair_misses(comparison, gold, scorer, match_threshold(config), config.match_model,
                                    text=prepared[ref.name].text)
        results.append({**result, "worst_misses": [miss_json(m) for m in missed],
                        "worst_false": [miss_json(m) for m in wrong],
                        "judged": judged_verdicts(comparison, gold, scorer),
                        "fact_kinds": fact_kinds(gold, result.get("missed_facts", []), scorer)})
    return results


def fact_kinds(gold: dict, missed: Sequence[str], scorer: ModuleType) -> dict[str, list[int]]:
    """Per kind of fact: [reference facts found, reference facts scored] of one pair (the
    scorer's `missed_facts` are written `kind:value in a+b`)."""
    scored = [f["kind"] for f in gold.get("facts", []) if scorer.fact_key(f)]
    lost = [m.partition(":")[0] for m in missed]
    return {kind: [scored.count(kind) - lost.count(kind), scored.count(kind)] for kind in sorted(set(scored))}


def fact_kind_table(results: Sequence[dict[str, Any]]) -> tuple[dict[str, list[int]], str]:
    """The per-kind fact recall pooled over `results`, as a dict and as one line of text."""
    pooled: dict[str, list[int]] = {}
    for r in results:
        for kind, (found, total) in r.get("fact_kinds", {}).items():
            pooled.setdefault(kind, [0, 0])
            pooled[kind][0] += found
            pooled[kind][1] += total
    cells = [f"{k} {f / t:.3f} ({f}/{t})" for k, (f, t) in sorted(pooled.items()) if t]
    return pooled, "fact recall per kind, pooled: " + ", ".join(cells)


@dataclass(frozen=True, slots=True)
class StoryRef:
    """A story of three or more reports with references for some pairs: the report files in
    story order and, per reference, (report i, report j, gold file, the event group)."""

    name: str
    reports: tuple[Path, ...]
    references: tuple[tuple[int, int, Path, str], ...]


def find_stories(eval_dir: Path, refs: Sequence[Reference]) -> list[StoryRef]:
    """Every story under `eval_dir/stories` whose references run A before B in story order, with
    each reference's event group taken from `refs` (the same gold file)."""
    groups = {r.gold.resolve(): r.group for r in refs}
    out = []
    for spec_file in sorted((eval_dir / "stories").glob("*/story.json")):
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
        folder = spec_file.parent
        reports = tuple(folder / r for r in spec["reports"])
        items = []
        for item in spec["references"]:
            i, j = spec["reports"].index(item["a"]), spec["reports"].index(item["b"])
            gold = (folder / item["gold"]).resolve()
            if i < j and gold in groups:
                items.append((i, j, gold, groups[gold]))
        if items:
            out.append(StoryRef(folder.name, reports, tuple(items)))
    return out


def story_results(
    scorer: ModuleType, stories: Sequence[StoryRef], config_for_group: Callable[[str], Any], session: Any
) -> list[dict[str, Any]]:
    """Per story reference: the pair's figures from the story's pairwise comparison and from the
    pairs the story's claims imply between the two reports (`story.build.project`), each story
    compared under the held-out settings of its event (all its references are one event), its
    reports prepared through `session` (the same model, facts cache and facts process as the
    pairs)."""
    from compare.export import rows as export
    from compare.story.build import project
    from compare.story.export import claim_counts

    out = []
    for story_ref in stories:
        prepared = session.prepare_story(session.load_story(story_ref.reports))
        by_group: dict[str, Any] = {}
        for i, j, gold_path, group in story_ref.references:
            if group not in by_group:
                by_group[group] = (session.compare_story(prepared, config_for_group(group)), config_for_group(group))
            story, held_out = by_group[group]
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            pairwise = evaluate_rows(scorer, gold, export.alignment_rows(story.comparison(i, j)))
            implied = evaluate_rows(scorer, gold, export.alignment_rows(project(story, i, j, held_out)))
            out.append({
                "story": story_ref.name,
                "a": story.ids[i],
                "b": story.ids[j],
                "pairwise": {k: pairwise.get(k) for k in METRICS if k != "fact_recall"},
                "projected": {k: implied.get(k) for k in METRICS if k != "fact_recall"},
                "delta_pair_f1": round(implied["pair_f1"] - pairwise["pair_f1"], 3),
                "claims": claim_counts(story),
            })
    return out


def story_table(results: Sequence[dict[str, Any]]) -> str:
    """The story figures as a fixed-width table: pairwise and projected pair F1, P, R per reference."""
    lines = ["stories: each reference pair scored from the pairwise alignment and from the claims across the "
             "story's reports (projected)",
             f"{'story':<12}{'pair':<22}{'pairwise F1':>12}{'P':>7}{'R':>7}{'projected F1':>14}{'P':>7}{'R':>7}"
             f"{'delta':>8}   claims all/some/one"]
    for r in results:
        pw, pr, c = r["pairwise"], r["projected"], r["claims"]
        lines.append(f"{r['story']:<12}{r['a'] + '-' + r['b']:<22}{pw['pair_f1']:>12.3f}{pw['pair_precision']:>7.3f}"
                     f"{pw['pair_recall']:>7.3f}{pr['pair_f1']:>14.3f}{pr['pair_precision']:>7.3f}"
                     f"{pr['pair_recall']:>7.3f}{r['delta_pair_f1']:>+8.3f}   {c['all']}/{c['some']}/{c['one']}")
    return "\n".join(lines)


def run_evaluation(eval_dir: Path, baselines: bool = True) -> tuple[dict[str, Any], str]:
    """(the figures as JSON-ready dict, the tables as text) of every reference pair under
    `eval_dir`: the pipeline with each event scored by a match model fitted without it, and the
    stock baselines on the same sentences."""
    from compare.config import Config
    from compare.session import Session

    scorer = load_scorer(eval_dir)
    refs = find_references(eval_dir)
    names = [r.name for r in refs]
    report: dict[str, Any] = {}
    with Session(Config()) as session, tempfile.TemporaryDirectory() as models:
        prepared = prepare_references(refs, session)
        config_for = held_out_config(refs, prepared, scorer, Path(models))
        results = pipeline_results(scorer, refs, prepared, config_for)
        by_group = {r.group: r for r in refs}
        stories = story_results(scorer, find_stories(eval_dir, refs), lambda g: config_for(by_group[g]), session)
    report["compare"] = summarise(names, results)
    dev = [r for n, r in zip(names, results, strict=True) if is_dev(n)]
    records = [j for r in dev for j in r["judged"]]
    conflicts = {"pooled": pooled(dev), "per_kind": per_kind(records), "calibration": calibration(records)}
    kinds, kinds_line = fact_kind_table(dev)
    tables = [format_table("compare (each pair scored by models fitted without its event)", names, results,
                           report["compare"]["mean"]), "dev pairs: " + kinds_line,
              "dev pairs: " + conflict_tables(conflicts)]
    if stories:
        tables.append(story_table(stories))
    if baselines:
        for title, rows in baseline_results(scorer, refs, prepared).items():
            report[title] = summarise(names, rows)
            tables.append(format_table(title, names, rows, report[title]["mean"]))
    out = {"mean": report["compare"]["mean"], "mean_dev": report["compare"]["mean_dev"],
           "pairs": report["compare"]["pairs"],
           "baselines": {k: {"mean": v["mean"], "mean_dev": v["mean_dev"]}
                         for k, v in report.items() if k != "compare"},
           "stories": stories,
           "conflicts_dev": conflicts,
           "fact_kinds_dev": kinds,
           "config": asdict(Config())}
    return out, "\n\n".join(tables)


def markdown_table(out: dict[str, Any]) -> str:
    """The figures of `run_evaluation` as a Markdown table: a row per pair, the means, the baselines' means."""
    head = ("| pair | pair F1 | precision | recall | one-sided recall | conflict recall | conflict precision "
            "| fact recall |")

    def row(name: str, r: dict[str, Any]) -> str:
        cells = ["-" if r.get(k) is None else f"{r[k]:.3f}" for k in METRICS]
        return f"| {name} | " + " | ".join(cells) + " |"

    lines = [head, "| --- " * 8 + "|"]
    lines += [row(p["pair"], p) for p in out["pairs"]]
    dev = sum(is_dev(p["pair"]) for p in out["pairs"])
    lines.append(row(f"**mean of the {dev} dev pairs**", out["mean_dev"]))
    lines.append(row("mean of all pairs", out["mean"]))
    for name, means in out.get("baselines", {}).items():
        lines.append(row(f"{name}, dev mean", means["mean_dev"]))
    if out.get("stories"):
        lines += ["", "| story | pair | pairwise F1 (P / R) | from the claims F1 (P / R) | difference "
                      "| claims all / some / one |", "| --- " * 6 + "|"]
        for r in out["stories"]:
            pw, pr, c = r["pairwise"], r["projected"], r["claims"]
            lines.append(f"| {r['story']} | {r['a']}-{r['b']} | {pw['pair_f1']:.3f} ({pw['pair_precision']:.3f} / "
                         f"{pw['pair_recall']:.3f}) | {pr['pair_f1']:.3f} ({pr['pair_precision']:.3f} / "
                         f"{pr['pair_recall']:.3f}) | {r['delta_pair_f1']:+.3f} "
                         f"| {c['all']} / {c['some']} / {c['one']} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m compare.quality.evaluate [EVAL_DIR] [--json PATH]`: the table of every reference pair."""
    import argparse
    import logging

    parser = argparse.ArgumentParser(prog="python -m compare.quality.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=default_eval_dir())
    parser.add_argument("--eval-dir", dest="eval_dir", type=Path,
                        help="a folder laid out like ../shared/eval (dev/*/a.txt, b.txt, gold.json; score.py)")
    parser.add_argument("--json", type=Path, default=Path("out/eval.json"), help="where to write the figures")
    parser.add_argument("--no-baselines", action="store_true", help="skip the stock baselines")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    parser.add_argument("--misses", action="store_true",
                        help="print each pair's worst misses and false alignments after the tables")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    out, text = run_evaluation(args.eval_dir, baselines=not args.no_baselines)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    if args.misses:
        from compare.quality.misses import misses_text

        text += "\n\nworst misses and false alignments per pair\n" + misses_text(
            [p["pair"] for p in out["pairs"]], out["pairs"])
    sys.stdout.write((markdown_table(out) if args.markdown else text) + f"\n\nwritten: {args.json}\n")
    return 0


def summarise(names: Sequence[str], results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`{"mean": ..., "pairs": [...]}` of one system's results, the misses kept per pair."""
    pairs = [{"pair": n, **{k: r.get(k) for k in [*METRICS, "conflict_rows"]},
              "missed_pairs": r.get("missed_pairs", []), "missed_facts": r.get("missed_facts", []),
              "worst_misses": r.get("worst_misses", []), "worst_false": r.get("worst_false", [])}
             for n, r in zip(names, results, strict=True)]
    dev = [r for n, r in zip(names, results, strict=True) if is_dev(n)]
    return {"mean": mean_figures(results), "mean_dev": mean_figures(dev), "pairs": pairs}


def held_out_config(
    refs: Sequence[Reference], prepared: dict[str, Any], scorer: ModuleType, folder: Path
) -> Callable[[Reference], Any]:
    """Settings per pair whose match model, conflict judge and their thresholds were fitted on
    every other event's pairs (`compare.quality.learn.held_out_models`,
    `compare.quality.judge.held_out_judges`: the judge's threshold chosen inside the training
    events), the models written as JSON files into `folder`."""
    from compare.config import Config
    from compare.quality.judge import held_out_judges, judge_data
    from compare.quality.learn import held_out_models, pair_data

    golds = {r.name: json.loads(r.gold.read_text(encoding="utf-8")) for r in refs}
    data = [pair_data(r.name, r.group, prepared[r.name], golds[r.name], scorer) for r in refs]
    judges = held_out_judges([judge_data(r.name, r.group, prepared[r.name], golds[r.name], scorer, Config())
                              for r in refs])
    configs = {}
    for group, model in held_out_models(data, scorer).items():
        match_path, judge_path = folder / f"match-without-{group}.json", folder / f"judge-without-{group}.json"
        match_path.write_text(json.dumps(model.to_json()), encoding="utf-8")
        judge_path.write_text(json.dumps(judges[group].to_json()), encoding="utf-8")
        configs[group] = Config(match_model=str(match_path), conflict_model=str(judge_path))
    return lambda ref: configs[ref.group]


if __name__ == "__main__":
    sys.exit(main())
