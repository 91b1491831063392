"""How well the conflicts hold against the references, pooled over pairs: reference conflicts
found (by a conflict row, and by a conflict or a difference-to-check row), rows flagged and right,
per kind of conflict, and the judge's calibration (predicted probability against observed rate).

The reference does not name a kind for its conflicts, so "per kind" counts the tool's rows of each
kind: how many it flagged, how many the reference judges, how many are reference conflicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np

BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def conflict_counts(gold: dict, rows: Sequence[dict[str, str]], scorer: ModuleType) -> dict[str, int]:
    """Counts behind the conflict figures, so they can be pooled across pairs: reference conflicts;
    those found by a conflict row, and by a conflict or a to-check row; conflict rows that are
    reference conflicts and those the reference judges; likewise for rows with differences to check."""
    fold = scorer.fold
    pairs = [(fold(p["a"]), fold(p["b"]), p["label"]) for p in gold["pairs"]]
    known_a = {p[0] for p in pairs} | {fold(s) for s in gold.get("only_a", [])}
    known_b = {p[1] for p in pairs} | {fold(s) for s in gold.get("only_b", [])}
    folded = [(r["status"], fold(r.get("a_text")), fold(r.get("b_text")), bool(r.get("to_check"))) for r in rows]
    conflicts = [(a, b) for a, b, label in pairs if label == "conflict"]

    def holds(ra: str, rb: str) -> bool:
        return any(a in ra and b in rb for a, b in conflicts)

    def judged(ra: str, rb: str) -> bool:
        return holds(ra, rb) or any(s in ra for s in known_a) or any(s in rb for s in known_b)

    rows_c = [(ra, rb) for s, ra, rb, _ in folded if s == "conflict"]
    rows_k = [(ra, rb) for s, ra, rb, check in folded if check and s != "conflict"]
    return {
        "conflicts_gold": len(conflicts),
        "conflicts_found": sum(any(a in ra and b in rb for ra, rb in rows_c) for a, b in conflicts),
        "conflicts_checked": sum(any(a in ra and b in rb for ra, rb in rows_c + rows_k) for a, b in conflicts),
        "conflict_rows_true": sum(holds(*r) for r in rows_c),
        "conflict_rows_judged": sum(judged(*r) for r in rows_c),
        "check_rows": len(rows_k),
        "check_rows_true": sum(holds(*r) for r in rows_k),
        "check_rows_judged": sum(judged(*r) for r in rows_k),
    }


def judged_verdicts(comparison: Any, gold: dict, scorer: ModuleType) -> list[dict[str, Any]]:
    """Every aligned row the judge gave a probability: its probability, status, the kinds of its
    conflicts or differences, and its label by the reference (1 a reference conflict, 0 judged
    otherwise, -1 not judged)."""
    from compare.quality.judge import conflict_labels

    rows = [v for v in comparison.verdicts if v.conflict_probability is not None]
    if not rows:
        return []
    pairs = np.array([(v.alignment.a, v.alignment.b) for v in rows], dtype=np.int64)
    labels = conflict_labels(gold, comparison.a_side.texts, comparison.b_side.texts, pairs, scorer)
    return [{"probability": v.conflict_probability, "status": v.status.value, "label": int(label),
             "kinds": sorted({c.kind.value for c in (v.conflicts or v.to_check)})}
            for v, label in zip(rows, labels, strict=True)]


def pooled(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Pooled conflict figures of many pairs' `conflict_counts`: found / gold, right / flagged for
    conflicts, and the same with the differences to check added."""
    total = {k: sum(r.get(k, 0) for r in results) for k in (
        "conflicts_gold", "conflicts_found", "conflicts_checked", "conflict_rows_true", "conflict_rows_judged",
        "check_rows", "check_rows_true", "check_rows_judged")}

    def ratio(x: int, y: int) -> float | None:
        return round(x / y, 3) if y else None

    return total | {
        "recall": ratio(total["conflicts_found"], total["conflicts_gold"]),
        "precision": ratio(total["conflict_rows_true"], total["conflict_rows_judged"]),
        "recall_with_checks": ratio(total["conflicts_checked"], total["conflicts_gold"]),
        "precision_with_checks": ratio(total["conflict_rows_true"] + total["check_rows_true"],
                                       total["conflict_rows_judged"] + total["check_rows_judged"]),
    }


def per_kind(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per kind of conflict: conflict rows flagged, judged and right; rows to check likewise."""
    out: dict[str, dict[str, int]] = {}
    for r in records:
        tier = "conflict" if r["status"] == "conflict" else "check"
        for kind in r["kinds"]:
            row = out.setdefault(kind, {"conflict": 0, "conflict_judged": 0, "conflict_right": 0,
                                        "check": 0, "check_judged": 0, "check_right": 0})
            row[tier] += 1
            row[f"{tier}_judged"] += r["label"] >= 0
            row[f"{tier}_right"] += r["label"] == 1
    return dict(sorted(out.items()))


def calibration(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The judge's probability against the observed rate of reference conflicts among judged rows,
    per bin of `BINS`: rows, mean probability, observed rate."""
    out = []
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = [r for r in records if r["label"] >= 0 and lo <= r["probability"] < hi]
        if inside:
            out.append({"bin": f"{lo:.1f}-{min(hi, 1.0):.1f}", "rows": len(inside),
                        "predicted": round(sum(r["probability"] for r in inside) / len(inside), 3),
                        "observed": round(sum(r["label"] for r in inside) / len(inside), 3)})
    return out


def conflict_tables(summary: dict[str, Any]) -> str:
    """The pooled, per-kind and calibration figures of `summary` (keys `pooled`, `per_kind`,
    `calibration`) as text."""
    p = summary["pooled"]
    lines = [
        "conflicts, pooled over the pairs",
        f"  conflict rows: found {p['conflicts_found']} of {p['conflicts_gold']} reference conflicts "
        f"(recall {fmt(p['recall'])}); right {p['conflict_rows_true']} of {p['conflict_rows_judged']} "
        f"judged (precision {fmt(p['precision'])})",
        f"  with the differences to check: found {p['conflicts_checked']} of {p['conflicts_gold']} "
        f"(recall {fmt(p['recall_with_checks'])}); rows right {p['conflict_rows_true'] + p['check_rows_true']} of "
        f"{p['conflict_rows_judged'] + p['check_rows_judged']} judged (precision {fmt(p['precision_with_checks'])})",
        "",
        f"  {'kind':<30}{'conflict rows':>14}{'judged':>8}{'right':>7}{'to check':>10}{'judged':>8}{'right':>7}",
    ]
    for kind, k in summary["per_kind"].items():
        lines.append(f"  {kind:<30}{k['conflict']:>14}{k['conflict_judged']:>8}{k['conflict_right']:>7}"
                     f"{k['check']:>10}{k['check_judged']:>8}{k['check_right']:>7}")
    lines += ["", f"  calibration of the judge (judged rows)   {'rows':>6}{'predicted':>11}{'observed':>10}"]
    for c in summary["calibration"]:
        lines.append(f"  {c['bin']:<40}{c['rows']:>6}{c['predicted']:>11.3f}{c['observed']:>10.3f}")
    return "\n".join(lines)


def fmt(value: float | None) -> str:
    """A figure to three places, or "-" when undefined."""
    return "-" if value is None else f"{value:.3f}"
