"""Two reports: their `Desk` (the comparison with the reviewer's pair decisions applied) and the
page of today's views over it, for two reports alone or for any two reports of a story."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from compare.config import Config
from compare.export import rows as export
from compare.pipeline import comparison_warnings
from compare.records import Comparison
from compare.review.store import ReviewStore, apply_decisions, default_path, review_columns, split_stale
from compare.sqlite import StoreError
from dashboard import review, summary, views
from dashboard.desk import Desk, md
from dashboard.tabs import drawn_tab

TABS = ("Side by side", "Aligned pairs", "Review", "Facts", "Similarity map")


def desk_of(tool: Comparison, config: Config) -> Desk:
    """The desk of `tool` (the comparison as the tool made it): its warnings shown, its current
    decisions read from the review store and applied, stale ones named in a warning."""
    for warning in comparison_warnings(tool):
        st.warning(md(warning))
    store = default_path()  # COMPARE_REVIEW_DB, else the user's data folder; absolute
    try:
        current, stale = split_stale(tool, ReviewStore(store).load(tool))
    except StoreError as error:  # the comparison is still worth reading without its decisions
        st.error(md(f"Review decisions cannot be shown: {error}"))
        current, stale = [], []
    if stale:
        st.warning(
            f"{len(stale)} review decision(s) were made on an earlier text of these reports and are not applied; "
            "review those pairs again."
        )
    comparison = apply_decisions(tool, current, config)
    rows = export.alignment_rows(comparison, review_columns(current))
    return Desk(tool, comparison, config, tuple(current), tuple(rows), store)


def pair_page(desk: Desk, today: date) -> None:
    """Summary, conflicts, downloads, then the tabs, of which only the chosen one is drawn (kept
    in session state as `view`: when a pair becomes a conflict, the reader stays on the chosen
    tab). Each part whose number of elements varies sits in a container of its own, so the tabs
    keep their place on the page."""
    with st.container():
        summary.summary(desk)
    with st.container():
        summary.conflicts(desk)
    summary.downloads(desk, today)
    pages = (views.side_by_side, views.aligned_pairs, review.review_tab, views.facts, views.similarity_map)
    drawn_tab(TABS, [partial(page, desk) for page in pages], key="view")
