"""The compare dashboard as small page functions over one `Desk` (see `run`); `app.py` only
calls `run()`. Each function renders one part of the page and can be tried with AppTest."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import streamlit as st

from compare import export, ui
from compare.embed import ModelError
from compare.load import LoadError
from compare.pipeline import comparison_warnings, start_facts_process
from compare.review import ReviewStore, apply_decisions, default_path, review_columns, split_stale
from compare.session import distinct
from compare.sqlite import StoreError
from dashboard import review, summary, views
from dashboard.desk import Desk, md
from dashboard.sidebar import choose_report, get_prepared, get_session, settings_sidebar

ROOT = Path(__file__).resolve().parent.parent


def build_desk() -> Desk:
    """The sidebar, the slow preparation (cached) and the decisions; stops the page with one line
    (an info or an error) when there is nothing to compare yet."""
    articles = Path(os.environ.get("COMPARE_ARTICLES", ROOT / "articles"))  # read each run: tests set it
    files = ui.article_files(articles)
    try:
        report_a = choose_report("A", files, 0, articles)
        report_b = choose_report("B", files, 1, articles)
        config = settings_sidebar()
        if report_a is None or report_b is None:
            waiting = " and ".join(side for side, r in (("A", report_a), ("B", report_b)) if r is None)
            st.info(
                f"Choose two reports in the sidebar: waiting for report {waiting} "
                "(paste its text and press Compare, or pick a file)."
            )
            st.stop()
        prepared = get_prepared(*distinct(report_a, report_b), config.model, config.backend)
    except (LoadError, ModelError) as error:
        st.error(md(str(error)))
        st.stop()
    tool = get_session(config.model, config.backend).compare(prepared, config)
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


def run() -> None:
    """The page, top to bottom: sidebar, summary, conflicts, downloads, then the tabs."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    start_facts_process()  # spaCy loads in its own process while this one starts the page
    st.set_page_config(page_title="compare: two reports, claim by claim", layout="wide")
    st.title("compare")
    st.caption("Two reports of one event, aligned claim by claim: what they share, where they differ, what each adds.")
    # Each part whose number of elements varies sits in a container of its own, so the tabs keep
    # their place on the page: when a pair becomes a conflict, the browser stays on the chosen tab.
    with st.container():
        desk = build_desk()
    with st.container():
        summary.summary(desk)
    with st.container():
        summary.conflicts(desk)
    summary.downloads(desk, date.today())
    tabs = st.tabs(["Side by side", "Aligned pairs", "Review", "Facts", "Similarity map"])
    pages = (views.side_by_side, views.aligned_pairs, review.review_tab, views.facts, views.similarity_map)
    for tab, page in zip(tabs, pages, strict=True):
        with tab:
            page(desk)
