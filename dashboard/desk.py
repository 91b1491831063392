"""What every page function of the dashboard reads: the comparison as the tool made it and as
the reviewer's decisions leave it, the settings, the decisions and the review store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compare.config import Config
from compare.export import explain
from compare.export import rows as export
from compare.records import Comparison, Status, Verdict
from compare.review.store import Decision
from dashboard import ui

md = ui.escape_markdown  # every report-derived string shown through Markdown goes through this
Pair = tuple[int | None, int | None]


def pair_words(pair: Pair) -> str:
    """`A3 ↔ B5`: a pair as people number its sentences (from 1)."""
    return f"{explain.numbered('A', pair[0])} ↔ {explain.numbered('B', pair[1])}"


@dataclass(frozen=True, slots=True)
class Desk:
    """One run of the page: `tool` is the comparison before review, `comparison` after the current
    decisions; `rows` the alignment rows with the review columns; `store` the review database."""

    tool: Comparison
    comparison: Comparison
    config: Config
    current: tuple[Decision, ...]
    rows: tuple[dict[str, str], ...]
    store: Path

    @property
    def saved(self) -> dict[Pair, Decision]:
        """(a_id, b_id) -> the current decision on that pair."""
        return {(d.a_id, d.b_id): d for d in self.current}

    def tool_status(self, pair: Pair) -> Status | None:
        """The status the tool gave `pair`, before any decision."""
        return next((v.status for v in self.tool.verdicts if (v.alignment.a, v.alignment.b) == pair), None)

    def reviewer_line(self, pair: Pair) -> str:
        """The reviewer's decision on `pair` in words, or empty when it has none."""
        decision = self.saved.get(pair)
        if decision is None:
            return ""
        return explain.review_line(decision.action.value, decision.label, decision.note, self.tool_status(pair))

    def why_text(self, verdict: Verdict) -> str:
        """Why `verdict` has its status: the tool's evidence, then the reviewer's decision if any."""
        lines = explain.why_lines(verdict, self.config)
        if reviewer := self.reviewer_line((verdict.alignment.a, verdict.alignment.b)):
            lines.append(reviewer)
        return " ".join(lines)

    def conflicts(self) -> list[Verdict]:
        """The conflict verdicts (the tool's and the reviewer's), in reading order."""
        found = (v for v in self.comparison.verdicts if v.status is Status.CONFLICT)
        return sorted(found, key=export.reading_order)
