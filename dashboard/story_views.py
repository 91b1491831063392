"""The story's reading tabs: the coverage matrix (claims x reports) and what only one report states."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from compare.records import Story
from compare.story.export import claim_conflict_text, member_text, only_in, outlet_names
from compare.story.sources import first_reports, independent_reports
from dashboard.desk import md
from dashboard.story_desk import StoryDesk
from dashboard.tabs import KEEP

if TYPE_CHECKING:
    import pandas as pd

STATED, CONFLICTING = "✓", "⚠"
CELL_COLOURS = {STATED: "background-color: #d4edda", CONFLICTING: "background-color: #f8d7da"}


def coverage_frame(story: Story, reviews: dict[int, tuple[str, str]]) -> pd.DataFrame:
    """The coverage matrix as shown: a row per claim (most reports first), a column per report
    named for its outlet (`outlet_names`), with ✓ and its sentence numbers (from 1) where it
    states the claim, ⚠ instead where its value differs from the other reports'
    (`Claim.differing`), empty where it does not state it; then the conflicts, the review and the
    claim's first sentence."""
    names = outlet_names(story)
    rows = []
    for claim in story.claims:
        odd = set(claim.differing)
        shown = {"claim": claim.id, "status": claim.status.value, "reports": len(claim.reports),
                 "independent": independent_reports(story, claim),
                 "first": ", ".join(names[r] for r in first_reports(story, claim))}
        for k, name in enumerate(names):
            numbers = ", ".join(str(n + 1) for n in claim.sentences_of(k))
            shown[name] = f"{CONFLICTING if k in odd else STATED} {numbers}" if numbers else ""
        conflicts = "; ".join(claim_conflict_text(story, c, for_people=True) for c in claim.conflicts)
        shown["conflicts"], shown["review"] = conflicts, reviews.get(claim.id, ("", ""))[0]
        shown["text"] = member_text(story, claim.members[0])
        rows.append(shown)
    import pandas as pd  # imported when needed (see `dashboard.views`)

    columns = ["claim", "status", "reports", "independent", "first", *names, "conflicts", "review", "text"]
    return pd.DataFrame(rows, columns=columns)


def cell_colour(value: object) -> str:
    """Green for a report that states the claim, red for one whose sentence conflicts."""
    return CELL_COLOURS.get(str(value)[:1], "")


def coverage_matrix(desk: StoryDesk) -> None:
    """Which report states which claim, claims sorted by how many reports carry them, conflicts marked."""
    story = desk.story
    st.caption(
        f"Each row is a claim, the ones most reports carry first; each column one of the {len(story.ids)} reports. "
        f"{STATED} and the sentence numbers (from 1): the report states the claim there; {CONFLICTING}: its value "
        "differs from the other reports' (the odd one out; every report in the conflict when there is no majority: "
        "see conflicts); empty: the report does not state it."
    )
    frame = coverage_frame(story, dict(desk.reviews))
    if st.checkbox("Only claims with conflicts", key="coverage_conflicts", persist_state=KEEP):
        frame = frame[frame["conflicts"] != ""]
    names = list(outlet_names(story))
    styled = frame.style.map(cell_colour, subset=names)
    columns = {
        "claim": st.column_config.NumberColumn("claim", width=60),
        "status": st.column_config.TextColumn("status", width=60),
        "reports": st.column_config.NumberColumn("reports", width=60),
        "first": st.column_config.TextColumn(
            "first", width=110, help="the report(s) that stated the claim first: by publication time where the reports "
            "give one, else by day (reports of one day without times tie)"
        ),
        "independent": st.column_config.NumberColumn(
            "independent", width=100, help="the reports stating the claim, those sharing wire copy for it counted once"
        ),
        **{name: st.column_config.TextColumn(name, width=min(160, 20 + 8 * len(name))) for name in names},
        "conflicts": st.column_config.TextColumn("conflicts", width="large"),
        "review": st.column_config.TextColumn("review", width=80),
        "text": st.column_config.TextColumn("text", width="large"),
    }
    st.dataframe(styled, hide_index=True, width="stretch", column_config=columns)
    clashes = [claim for claim in story.claims if claim.conflicts]
    if clashes:  # in full, as a table cell is cut at the page's width
        st.markdown(f"**Conflicts in full ({len(clashes)} claim{'s' if len(clashes) > 1 else ''})**")
        lines = ("; ".join(claim_conflict_text(story, c, True) for c in claim.conflicts) for claim in clashes)
        st.markdown("  \n".join(f"Claim {claim.id}: {md(line)}" for claim, line in zip(clashes, lines, strict=True)))


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
        lines += [md(claim_conflict_text(story, c, for_people=True)) for c in claim.conflicts]
        st.markdown("  \n".join(lines))
