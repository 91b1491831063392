"""The review tab's guard against lost decisions: a save names the version of the pair its
reviewer saw, so a decision someone else saved since is never replaced in silence (keep theirs,
keep mine, or see both); each pair's history one click away; the whole history as a CSV."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import streamlit as st

from compare.export import explain, report
from compare.export import rows as export
from compare.review.store import (
    HISTORY_COLUMNS,
    Decision,
    HistoryEntry,
    ReviewConflict,
    ReviewStore,
    history_rows,
)
from compare.sqlite import StoreError
from dashboard.desk import Desk, md, pair_words

Pair = tuple[int, int]
CONFLICT_KEY = "review_conflict"  # (pair, my decision, theirs or None) while a save waits for a choice


def reviewer_name() -> str:
    """The name saved with each decision: the *Reviewer* field, else `COMPARE_REVIEWER`, else ""."""
    return st.session_state.get("reviewer") or os.environ.get("COMPARE_REVIEWER", "")


def form_version(pair: Pair, saved: dict[Pair, Decision]) -> None:
    """Remember the version of `pair` the form was filled from (0: no decision yet)."""
    st.session_state["review_form_version"] = saved[pair].version if pair in saved else 0


def decision_words(decision: Decision | None) -> str:
    """`rejected, note "a different meeting", by Ana (version 2)` ("forgotten" for None)."""
    if decision is None:
        return "forgotten"
    words = explain.REVIEW_WORDS[decision.action.value] + (f" {decision.label}" if decision.label else "")
    if decision.note:
        words += f', note "{decision.note}"'
    return words + f", by {decision.reviewer or 'an unnamed reviewer'} (version {decision.version})"


def save_decision(desk: Desk, pair: Pair, decision: Decision, done: str, expected: int | None) -> None:
    """Save `decision` on `pair` if the pair is still at the version `expected` (None: whatever
    is there); on success rerun with `done` as the green line, on a conflict keep both decisions
    for `conflict_panel` and rerun, when the store cannot be written say so in red."""
    try:
        stamped = ReviewStore(desk.store).save(desk.comparison, decision, desk.config, expected)
    except ReviewConflict as conflict:
        st.session_state[CONFLICT_KEY] = (pair, decision, conflict.theirs)
    except StoreError as error:
        st.error(md(f"Decision not saved: {error}"))
        return
    else:
        st.session_state.pop(CONFLICT_KEY, None)
        st.session_state["review_form_version"] = stamped.version
        st.session_state["review_done"] = done
    st.rerun()


def conflict_panel(desk: Desk, pair: Pair) -> None:
    """When this reviewer's save met a decision someone else saved since: both, and a choice."""
    waiting = st.session_state.get(CONFLICT_KEY)
    if not waiting or waiting[0] != pair:
        return
    _, mine, theirs = waiting
    st.warning(
        f"Not saved: someone else changed the decision on {md(pair_words(pair))} since you opened it. "
        f"Theirs: {md(decision_words(theirs))}. Yours: {md(decision_words(mine))}."
    )
    keep_theirs, keep_mine, both = st.columns(3)
    if keep_theirs.button("Keep theirs", key="conflict_theirs"):
        st.session_state.pop(CONFLICT_KEY)
        st.session_state.pop("review_form_pair", None)  # the form is filled again, from theirs
        st.session_state["review_done"] = f"Kept their decision on {pair_words(pair)}"
        st.rerun()
    if keep_mine.button("Keep mine", key="conflict_mine"):
        done = f"Saved: {pair_words(pair)} {explain.REVIEW_WORDS[mine.action.value]}, replacing theirs"
        save_decision(desk, pair, mine, done, theirs.version if theirs else 0)
    if both.button("See both", key="conflict_both"):
        st.table({"decision": ["theirs (saved)", "yours (not saved)"],
                  "what": [decision_words(theirs), decision_words(mine)]})


def when(entry: HistoryEntry) -> str:
    return datetime.fromtimestamp(entry.at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def read_history(desk: Desk) -> list[HistoryEntry] | None:
    """Every save and forget on these reports, read once per run of the review tab; None (with a
    red line saying why) when the store cannot be read."""
    try:
        return ReviewStore(desk.store).history(desk.tool)
    except StoreError as error:
        st.error(md(f"The history cannot be read: {error}"))
        return None


def pair_history(history: list[HistoryEntry] | None, pair: Pair) -> None:
    """The history of this pair (every save and forget, who and when), in an expander."""
    if history is None:
        return
    entries = [e for e in history if (e.decision.a_id, e.decision.b_id) == pair]
    with st.expander(f"History of this pair ({len(entries)})"):
        if not entries:
            st.caption("No decision yet.")
        for entry in entries:
            st.markdown(md(f"{when(entry)}: {entry.event} — {decision_words(entry.decision)}"))


def history_download(desk: Desk, entries: list[HistoryEntry] | None, today: date) -> None:
    """The review history of these reports as a CSV (`HISTORY_COLUMNS`), one row per save or forget."""
    if entries is None:
        return
    st.download_button(
        f"Review history CSV ({len(entries)})",
        export.csv_text(history_rows(entries), HISTORY_COLUMNS),
        report.download_name(desk.comparison, "review_history", "csv", today),
        "text/csv",
        key="download_review_history",
    )
