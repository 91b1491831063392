"""Corpus-level counts of a batch output folder, for the terminal and for notebooks:

summary = summarize("out/")
summary.counts["conflict_rows"], summary.alone_in_pairs.head()
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compare.batch.worker import CONFLICT_COLUMNS, STATUS_COLUMNS


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch folder holds: `counts` (stories, ok, failed, not run, reports, pairs compared,
    pair rows, claims, facts rows, conflict rows), `statuses` (pair rows per status),
    `conflicts` (pair rows with a conflict of each kind), and DataFrames: `stories` (the stories
    table), `alone_in_pairs` (per outlet: its reports, the one-sided rows where it alone states
    a sentence, summed over the pairs it is in, and that per report) and `alone_in_claims` (per
    outlet: the claims of stories of three or more reports that only its report states)."""

    counts: dict[str, int]
    statuses: dict[str, int]
    conflicts: dict[str, int]
    stories: Any
    alone_in_pairs: Any
    alone_in_claims: Any


def read_table(out: Path, name: str) -> Any:
    """`out/<name>.parquet` as a DataFrame; raises FileNotFoundError naming the file."""
    import pandas as pd

    path = out / f"{name}.parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no batch table here (run `python -m compare batch` first)")
    return pd.read_parquet(path)


def summarize(out: str | Path) -> BatchSummary:
    """The summary of the tables `python -m compare batch` wrote in `out`."""
    out = Path(out)
    stories, pairs, claims = read_table(out, "stories"), read_table(out, "pairs"), read_table(out, "claims")
    reports, facts = read_table(out, "reports"), read_table(out, "facts")
    ok = stories[stories["status"] == "ok"]
    statuses = {s: int(ok[s].sum()) for s in STATUS_COLUMNS}
    conflicts = {kind.value: int(ok[column].sum()) for kind, column in CONFLICT_COLUMNS.items()}
    counts = {
        "stories": len(stories),
        "ok": len(ok),
        "failed": int((stories["status"] == "error").sum()),
        "not_run": int((stories["status"] == "not run").sum()),
        "reports": len(reports),
        "pairs": int(ok["pairs"].sum()),
        "pair_rows": len(pairs),
        "claims": claims[["story", "claim_id"]].drop_duplicates().shape[0],
        "fact_rows": len(facts),
        "conflict_rows": statuses["conflict"],
    }
    return BatchSummary(
        counts, statuses, conflicts, stories, alone_in_pairs(pairs, reports), alone_in_claims(claims, reports)
    )


def outlets(reports: Any) -> Any:
    """(story, report) -> outlet (the report's source, else the report as written)."""
    frame = reports[["story", "report", "source"]].copy()
    frame["outlet"] = frame["source"].where(frame["source"].fillna("") != "", frame["report"])
    return frame[["story", "report", "outlet"]]


def alone_in_pairs(pairs: Any, reports: Any) -> Any:
    """Per outlet: reports, one_sided_rows (only_a rows of its report as A, only_b as B) and
    per_report, most one-sided rows first."""
    import pandas as pd

    sides = [
        pairs.loc[pairs["status"] == "only_a", ["story", "a_report"]].rename(columns={"a_report": "report"}),
        pairs.loc[pairs["status"] == "only_b", ["story", "b_report"]].rename(columns={"b_report": "report"}),
    ]
    alone = pd.concat(sides).merge(outlets(reports), on=["story", "report"], how="left")
    rows = alone.groupby("outlet").size().rename("one_sided_rows")
    count = outlets(reports).groupby("outlet").size().rename("reports")
    table = pd.concat([count, rows], axis=1).fillna(0).astype(int)
    table["per_report"] = (table["one_sided_rows"] / table["reports"]).round(1)
    return table.sort_values(["one_sided_rows", "per_report"], ascending=False).reset_index(names="outlet")


def alone_in_claims(claims: Any, reports: Any) -> Any:
    """Per outlet: claims_alone, the claims (stories of three or more reports) that one report
    alone states, most first."""
    import pandas as pd

    single = claims[claims["n_reports"].astype("string") == "1"][["story", "claim_id", "report"]].drop_duplicates()
    alone = single.merge(outlets(reports), on=["story", "report"], how="left")
    if alone.empty:
        return pd.DataFrame({"outlet": pd.Series(dtype="string"), "claims_alone": pd.Series(dtype=int)})
    table = alone.groupby("outlet").size().rename("claims_alone").reset_index()
    return table.sort_values("claims_alone", ascending=False, ignore_index=True)


def summary_text(summary: BatchSummary, top: int = 10) -> str:
    """The summary as lines for the terminal."""
    c = summary.counts
    lines = [
        f"stories: {c['stories']} ({c['ok']} ok, {c['failed']} failed, {c['not_run']} not run)",
        f"reports: {c['reports']}; pairs compared: {c['pairs']}; pair rows: {c['pair_rows']}",
        f"claims: {c['claims']}; facts rows: {c['fact_rows']}",
        "pair rows per status: " + ", ".join(f"{k} {v}" for k, v in summary.statuses.items()),
        "pair rows with a conflict, per kind: " + ", ".join(f"{k} {v}" for k, v in summary.conflicts.items()),
        f"outlets most often alone in a pair (one-sided rows, per report), top {top}:",
    ]
    for row in summary.alone_in_pairs.head(top).itertuples():
        lines.append(f"  {row.outlet}: {row.one_sided_rows} ({row.per_report} per report, {row.reports} reports)")
    lines.append(f"outlets most often alone on a claim (stories of 3+ reports), top {top}:")
    if summary.alone_in_claims.empty:
        lines.append("  (no claims)")
    for row in summary.alone_in_claims.head(top).itertuples():
        lines.append(f"  {row.outlet}: {row.claims_alone}")
    failed = summary.stories[summary.stories["status"] == "error"]
    for row in failed.head(top).itertuples():
        lines.append(f"failed: {row.story}: {row.error}")
    return "\n".join(lines) + "\n"
