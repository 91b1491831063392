"""Three or more reports of one story: the story desk (prepared once, cached), the reports and
claim counts, the story downloads, and the tabs, each drawn when chosen (coverage matrix, only in
one report, claims review, and today's views of any two reports chosen with the pair picker)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from functools import partial

import streamlit as st

from compare.config import Config
from compare.embed.encoders import ModelError
from compare.export import report
from compare.export import rows as export
from compare.records import Article, LoadError
from compare.review.store import default_path
from compare.sqlite import StoreError
from compare.story.build import pair_comparison
from compare.story.claim_review import ClaimReviewStore, apply_claim_decisions
from compare.story.export import (
    CLAIM_COLUMNS,
    claim_counts,
    claim_rows,
    coverage_columns,
    coverage_rows,
    outlet_names,
    sources_line,
    story_json,
)
from compare.story.sources import copy_pairs, publication_order
from dashboard import claim_review, story_views
from dashboard.desk import md
from dashboard.pair import desk_of, pair_page
from dashboard.reports import get_prepared_story
from dashboard.sidebar import get_session
from dashboard.story_desk import StoryDesk
from dashboard.tabs import KEEP, drawn_tab

TABS = ("Coverage matrix", "Only in one report", "Claims review", "Two reports")


def build_story_desk(articles: list[Article], config: Config) -> StoryDesk:
    """The story of `articles` under `config` (preparation cached), with the claim decisions of the
    review store applied and stale ones named in a warning; stops the page with one error line
    when the model cannot be loaded."""
    try:
        prepared = get_prepared_story(tuple(articles), config.model, config.backend)
    except (LoadError, ModelError, ValueError) as error:
        st.error(md(str(error)))
        st.stop()
    tool = get_session(config.model, config.backend).compare_story(prepared, config)
    store = default_path()  # COMPARE_REVIEW_DB, else the user's data folder; absolute
    try:
        decisions = ClaimReviewStore(store).load(tool)
    except StoreError as error:  # the story is still worth reading without its decisions
        st.error(md(f"Claim decisions cannot be shown: {error}"))
        decisions = []
    story, reviews, stale = apply_claim_decisions(tool, decisions)
    if stale:
        st.warning(
            f"{len(stale)} claim decision(s) no longer match a claim (other settings, or a report's text changed) "
            "and are not applied; review those claims again."
        )
    return StoryDesk(tool, story, config, reviews, tuple(decisions), tuple(stale), store)


def story_page(desk: StoryDesk, today: date) -> None:
    """The reports and counts, the downloads, then the tabs, of which only the chosen one is
    drawn (kept in session state as `story_view`)."""
    with st.container():
        story_summary(desk)
    story_downloads(desk, today)
    pages = [
        partial(story_views.coverage_matrix, desk),
        partial(story_views.only_in_report, desk),
        partial(claim_review.claims_tab, desk),
        partial(two_reports, desk, today),
    ]
    drawn_tab(TABS, pages, key="story_view")


def story_summary(desk: StoryDesk) -> None:
    """One line per report, then the claims per status, the conflicts and what each report alone states."""
    lines = [
        f"**{md(desk.report_name(k))}** ({export.published_words(a)}): "
        + (f"*{md(a.title)}*, " if a.title.strip() else "")
        + f"{len(desk.story.sides[k].sentences)} sentences"
        for k, a in ((k, desk.articles[k]) for k in publication_order(desk.articles))
    ]  # earliest first (undated last): the coverage matrix's "first" column names who stated each claim first
    st.markdown("  \n".join(lines))
    counts = claim_counts(desk.story)
    figures = [
        ("claims", len(desk.story.claims)),
        ("in all reports", counts["all"]),
        ("in some", counts["some"]),
        ("in one", counts["one"]),
        ("claims with conflicts", sum(bool(c.conflicts) for c in desk.story.claims)),
    ]
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, value)
    if copied := sources_line(desk.story, outlet_names(desk.story)):
        said = md(copied[0].upper() + copied[1:] + ".")
        if copy_pairs(desk.story):  # reports that share copy: the reader is warned to count them once
            st.warning(said + " Reports sharing copy count once for a claim (the independent column).")
        else:
            st.caption(said)


def story_downloads(desk: StoryDesk, today: date) -> None:
    """The claims CSV (with the review columns), the coverage matrix CSV and the story JSON."""
    story, reviews = desk.story, desk.reviews
    files = [
        ("Claims CSV", "claims", "csv", "text/csv", lambda: export.csv_text(claim_rows(story, reviews), CLAIM_COLUMNS)),
        (
            "Coverage matrix CSV",
            "coverage",
            "csv",
            "text/csv",
            lambda: export.csv_text(coverage_rows(story, reviews), coverage_columns(story)),
        ),
        ("Story JSON", "story", "json", "application/json", lambda: story_json(story, asdict(desk.config), reviews)),
    ]
    # Each file is made on every run, not handed over as a callable: Streamlit runs a callable
    # when the button is clicked, and a click that meets a rerun leaves the button spinning for good.
    for column, (label, what, suffix, mime, content) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(
            label,
            content(),
            report.reports_name(desk.articles, what, suffix, today),
            mime,
            key=f"download_{what}",
            type="primary" if what == "claims" else "secondary",
        )


def forget_pair_state() -> None:
    """A new pair of reports: the review form, the chosen pair and the link lists start afresh."""
    for key in ("review_form_pair", "review_chosen", "link_a", "link_b"):
        st.session_state.pop(key, None)


def two_reports(desk: StoryDesk, today: date) -> None:
    """The pair picker, then today's page for the two reports chosen (report A as A)."""
    options = list(range(len(desk.story.sides)))
    for key in ("pair_a", "pair_b"):
        if st.session_state.get(key, 0) not in options:  # a report was removed
            st.session_state.pop(key)
    i, j = (
        column.selectbox(
            label, options, default, format_func=desk.report_name, key=key, on_change=forget_pair_state,
            persist_state=KEEP,
        )
        for column, label, default, key in zip(st.columns(2), ("Report A", "Report B"), (0, 1), ("pair_a", "pair_b"),
                                                strict=True)
    )
    if i == j:
        st.info("Choose two different reports to compare them side by side.")
        return
    pair_page(desk_of(pair_comparison(desk.tool, i, j), desk.config), today)
