"""The sidebar's list of reports: A and B as always, then a third, fourth, ... report added with
*Add a report* and taken away with *Remove report X*; and the story's slow preparation, cached."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from compare.records import Article, LoadError
from compare.story.build import MAX_REPORTS, PreparedStory
from dashboard.desk import md
from dashboard.sidebar import choose_report, get_session, with_stage_bar

SIDES_KEY = "report_sides"  # the letters of the reports in the sidebar, in order
FIRST_SIDES = ("A", "B")


def report_sides() -> list[str]:
    """The letters of the reports the sidebar shows (A and B until one is added)."""
    return list(st.session_state.setdefault(SIDES_KEY, list(FIRST_SIDES)))


def add_side() -> None:
    """One more report, lettered after the last one there has been."""
    sides = report_sides()
    st.session_state[SIDES_KEY] = [*sides, chr(max(ord(s) for s in sides) + 1)]


def remove_side(side: str) -> None:
    """Take report `side` out of the list (the others keep their letters and their choices)."""
    st.session_state[SIDES_KEY] = [s for s in report_sides() if s != side]


def choose_reports(files: list[Path], articles: Path) -> list[tuple[str, Article | None]]:
    """The sidebar controls of every report, each followed by its *Remove* button when there are
    more than two, then *Add a report*; (letter, the loaded report or None while it is missing).
    A and B start on the first two files; a report added later starts empty and asks for its
    source. A third or later report that cannot be read is left out with a line saying why, so one
    bad address does not blank the page; A or B that cannot be read raises `LoadError`."""
    sides = report_sides()
    chosen = []
    for k, side in enumerate(sides):
        try:
            chosen.append((side, choose_report(side, files, k if k < len(FIRST_SIDES) else None, articles)))
        except LoadError as error:
            if k < 2:
                raise  # A and B are the comparison: without one of them there is nothing to show
            st.sidebar.error(md(f"Report {side} is left out: {error}"))  # the others are still compared
            st.warning(md(f"Report {side} could not be read and is left out: {error}"))
        if len(sides) > 2:
            st.sidebar.button(f"Remove report {side}", key=f"remove_{side}", on_click=remove_side, args=(side,))
    if len(sides) < MAX_REPORTS:
        st.sidebar.button(
            "Add a report",
            key="add_report",
            on_click=add_side,
            help="Compare three or more reports of one story: a coverage matrix of their claims, what each "
            "alone reports, and any two of them side by side",
        )
    return chosen


@st.cache_data(show_spinner=False, max_entries=16)
def get_prepared_story(articles: tuple[Article, ...], model: str, backend: str) -> PreparedStory:
    """Every report split, its facts read and its sentences embedded once, and every pair made
    comparable, with a bar naming each stage (cached per reports, model and backend)."""
    return with_stage_bar(
        f"Splitting {len(articles)} reports and starting the facts reader…",
        f" of {len(articles)} reports",
        "Aligning every pair of reports…",
        lambda progress: get_session(model, backend).prepare_story(articles, progress),
    )
