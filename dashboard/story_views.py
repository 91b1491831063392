"""The story's reading tabs: the coverage matrix (claims x reports) and what only one report states."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from compare.records import Claim, Story
from compare.story.export import claim_conflict_text, coverage_rows, only_in
from dashboard.desk import md
from dashboard.story_desk import StoryDesk
from dashboard.tabs import KEEP

if TYPE_CHECKING:
    import pandas as pd

STATED, CONFLICTING = "✓", "⚠"
CELL_COLOURS = {STATED: "background-color: #d4edda", CONFLICTING: "background-color: #f8d7da"}


def conflicting_reports(claim: Claim) -> set[int]:
    """The reports whose sentence in `claim` conflicts with another report's."""
    return {m.report for c in claim.conflicts for m in (c.a, c.b)}


def coverage_frame(story: Story, reviews: dict[int, tuple[str, str]]) -> pd.DataFrame:
    """The coverage matrix as shown: a row per claim (most reports first), a column per report
    with ✓ and its sentence numbers where it states the claim (⚠ where that sentence conflicts
    with another report's), empty where it does not; then the conflicts, the first sentence and
    the review."""
    rows = []
    for claim, row in zip(story.claims, coverage_rows(story), strict=True):
        clash = conflicting_reports(claim)
        shown = {"claim": claim.id, "status": claim.status.value, "reports": len(claim.reports)}
        for k, report in enumerate(story.ids):
            if row[report]:
                shown[report] = f"{CONFLICTING if k in clash else STATED} {row[report]}"
            else:
                shown[report] = ""
        shown |= {"conflicts": row["conflicts"], "text": row["text"], "review": reviews.get(claim.id, ("", ""))[0]}
        rows.append(shown)
    import pandas as pd  # imported when needed (see `dashboard.views`)

    return pd.DataFrame(rows, columns=["claim", "status", "reports", *story.ids, "conflicts", "text", "review"])


def cell_colour(value: object) -> str:
    """Green for a report that states the claim, red for one whose sentence conflicts."""
    return CELL_COLOURS.get(str(value)[:1], "")


def coverage_matrix(desk: StoryDesk) -> None:
    """Which report states which claim, claims sorted by how many reports carry them, conflicts marked."""
    story = desk.story
    st.caption(
        f"Each row is a claim, the ones most reports carry first; each column one of the {len(story.ids)} reports. "
        f"{STATED} and the sentence numbers: the report states the claim there; {CONFLICTING}: it states it with a "
        "value another report contradicts (see conflicts); empty: the report does not state it."
    )
    frame = coverage_frame(story, dict(desk.reviews))
    if st.checkbox("Only claims with conflicts", key="coverage_conflicts", persist_state=KEEP):
        frame = frame[frame["conflicts"] != ""]
    styled = frame.style.map(cell_colour, subset=list(story.ids))
    st.dataframe(styled, hide_index=True, width="stretch")


def only_in_report(desk: StoryDesk) -> None:
    """For one report chosen, every claim no other report states, with its sentences."""
    story = desk.story
    counts = [len(only_in(story, k)) for k in range(len(story.ids))]
    st.caption(
        "What only one report states: "
        + md(", ".join(f"{story.ids[k]} {n}" for k, n in enumerate(counts)))
        + " claims. Choose a report to read them."
    )
    if st.session_state.get("only_report", 0) >= len(story.ids):  # a report was removed
        st.session_state.pop("only_report")
    k = st.selectbox(
        "Report", list(range(len(story.ids))), format_func=desk.report_name, key="only_report", persist_state=KEEP
    )
    claims = only_in(story, k)
    st.markdown(f"**{counts[k]} claim(s) only {md(desk.report_name(k))} states**")
    if not claims:
        st.success("Every claim of this report is in another report too.")
    for claim in claims:
        lines = [f"#{claim.id}"] + [md(desk.member_line(m)) for m in claim.members]
        lines += [md(claim_conflict_text(story, c)) for c in claim.conflicts]
        st.markdown("  \n".join(lines))
