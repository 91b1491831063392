"""Tabs drawn on demand: only the open tab's page runs, so a first visit draws one view, not
every view (issue 16: drawing every tab, and importing pandas for the tables of tabs nobody had
opened yet, cost the first render about half a second).

The tabs track the chosen label in session state under their key (a click on a tab reruns the
page), so the reader stays on the chosen tab across reruns: a review decision that makes a pair
a conflict, a slider moved, another report picked. Widgets inside a tab keep their values while
it is closed when they are made with `persist_state=KEEP`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

KEEP = "page"  # the `persist_state` of a widget in a tab: its value outlives the runs its tab is closed


def kept_key(key: str) -> str:
    """The session key under which the tabs of `key` remember the chosen label for runs that do
    not draw them (the story's *Two reports* tab closed): Streamlit forgets an undrawn widget."""
    return f"{key}_kept"


def drawn_tab(labels: Sequence[str], pages: Sequence[Callable[[], None]], key: str) -> str:
    """Tabs over `labels`, the chosen one kept under `key`; runs only the chosen tab's page
    (`pages[i]` draws the tab `labels[i]`) inside it. Returns the chosen label."""
    if len(labels) != len(pages):
        raise ValueError(f"{len(labels)} tab labels for {len(pages)} pages")
    kept = kept_key(key)
    if key not in st.session_state and st.session_state.get(kept) in labels:
        st.session_state[key] = st.session_state[kept]  # back to the tab chosen before they were hidden
    tabs = st.tabs(list(labels), key=key, on_change="rerun")
    chosen = next(i for i, tab in enumerate(tabs) if tab.open)
    st.session_state[kept] = labels[chosen]  # before the page runs: a page may rerun at once (a saved decision)
    with tabs[chosen]:
        pages[chosen]()
    return labels[chosen]
