"""The compare dashboard as small page functions over one `Desk` (see `run`); `app.py` only
calls `run()`. Each function renders one part of the page and can be tried with AppTest.
Two reports get today's page (`dashboard.pair`); three or more a story (`dashboard.story`)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import streamlit as st

from compare.config import Config
from compare.embed.encoders import ModelError
from compare.pipeline import start_facts_process
from compare.records import Article, LoadError
from compare.session import distinct
from dashboard import story, ui
from dashboard.desk import Desk, md
from dashboard.pair import desk_of, pair_page
from dashboard.reports import choose_reports
from dashboard.sidebar import get_prepared, get_session, settings_sidebar

ROOT = Path(__file__).resolve().parent.parent


def choose_all() -> tuple[list[Article], Config]:
    """The sidebar: every report and the settings; stops the page with one line (an info or an
    error) while a report is missing or cannot be read."""
    articles = Path(os.environ.get("COMPARE_ARTICLES", ROOT / "articles"))  # read each run: tests set it
    files = ui.article_files(articles)
    try:
        chosen = choose_reports(files, articles)
        config = settings_sidebar()
    except (LoadError, ModelError) as error:
        st.error(md(str(error)))
        st.stop()
    waiting = " and ".join(side for side, report in chosen[:2] if report is None)
    if waiting:
        st.info(
            f"Choose two reports in the sidebar: waiting for report {waiting} "
            "(paste its text and press Compare, or pick a file)."
        )
        st.stop()
    empty = [side for side, report in chosen[2:] if report is None]
    if empty:
        ready = [side for side, report in chosen if report is not None]
        st.info(
            f"Report {' and '.join(empty)} is empty: choose where it comes from in the sidebar. "
            f"Until then reports {', '.join(ready[:-1])} and {ready[-1]} are compared."
        )
    return [report for _, report in chosen if report is not None], config


def build_desk(reports: list[Article], config: Config) -> Desk:
    """The slow preparation of two reports (cached) and the decisions; stops the page with one
    error line when the model cannot be loaded."""
    try:
        prepared = get_prepared(*distinct(*reports), config.model, config.backend)
    except (LoadError, ModelError) as error:
        st.error(md(str(error)))
        st.stop()
    return desk_of(get_session(config.model, config.backend).compare(prepared, config), config)


HEADING = "{count} reports of one event, aligned claim by claim: what they share, where they differ, what each adds."


def run() -> None:
    """The page, top to bottom: sidebar, summary, conflicts, downloads, then the tabs (only the
    chosen one drawn); a story's views instead when three or more reports are chosen."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    start_facts_process()  # app.py has started it already; here for a caller of run() alone
    st.set_page_config(page_title="compare: two reports, claim by claim", layout="wide")
    st.title("compare")
    heading = st.empty()  # says how many reports once they are chosen
    heading.caption(HEADING.format(count="Two"))
    with st.container():
        reports, config = choose_all()
        if len(reports) > 2:
            heading.caption(HEADING.format(count=len(reports)))
            story_desk = story.build_story_desk(reports, config)
        else:
            desk = build_desk(reports, config)
    if len(reports) > 2:
        story.story_page(story_desk, date.today())
    else:
        pair_page(desk, date.today())
