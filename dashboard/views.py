"""The reading tabs: side by side, aligned pairs (with why), facts, similarity map.

pandas is imported by the functions that use it, so that a server's first page starts the
facts reader and the model without waiting for it (0.7 s), and the first view (side by side,
the only tab drawn on a first visit: `dashboard.tabs`) needs none. The similarity map is a
Vega-Lite spec (`ui.heatmap_spec`) drawn without altair, whose import and schema checks cost
about a second."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from compare.export import explain
from compare.export import rows as export
from compare.records import Status
from dashboard import ui
from dashboard.desk import Desk, md
from dashboard.tabs import KEEP

if TYPE_CHECKING:
    import pandas as pd


def side_by_side(desk: Desk) -> None:
    """Both reports as written, each sentence coloured by its status, with its partners."""
    c = desk.comparison
    st.markdown(ui.legend_html(), unsafe_allow_html=True)
    for column, side, article, sentences in zip(
        st.columns(2), "ab", (c.a, c.b), (c.a_sentences, c.b_sentences), strict=True
    ):
        column.markdown(f"#### {side.upper()}: {md(article.source)}")
        column.html(ui.report_html(sentences, ui.sentence_statuses(c, side), side, ui.difference_spans(c, side)))


def aligned_pairs(desk: Desk) -> None:
    """The alignment table with a `why` column, filtered by status and searched by any word."""
    import pandas as pd

    ordered = sorted(desk.comparison.verdicts, key=export.reading_order)  # the order of `rows`
    frame = pd.DataFrame(list(desk.rows), columns=export.ALIGNMENT_COLUMNS)
    frame["why"] = [desk.why_text(v) for v in ordered]
    chosen = st.multiselect(
        "Status", [s.value for s in Status], default=[s.value for s in Status], key="filter", persist_state=KEEP
    )
    query = st.text_input("Search sentences and facts", key="search", persist_state=KEEP)
    shown = frame[frame["status"].isin(chosen)]
    if query:
        text = shown[["a_text", "b_text", "shared_facts", "a_only_facts", "b_only_facts", "conflicts", "to_check"]]
        shown = shown[text.apply(lambda col: col.str.contains(query, case=False, regex=False)).any(axis=1)]
    shown = for_people(shown, {"a_id": "A", "b_id": "B"})
    first = ["status", "A", "a_text", "B", "b_text", "why"]  # the sentences and the reason before the rest
    shown = shown[first + [c for c in shown.columns if c not in first]]
    wide = {c: st.column_config.TextColumn(c, width="large") for c in ("a_text", "b_text", "why")}
    st.dataframe(shown, hide_index=True, width="stretch", column_config=wide)
    st.caption(f"A and B: {explain.NUMBERING_NOTE}.")


def for_people(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """`frame` with its sentence-id `columns` (0-based numbers, several joined by ` | `) numbered
    from 1 as the page numbers sentences, and renamed as `columns` says."""
    frame = frame.copy()
    for column in columns:
        frame[column] = [" | ".join(str(int(n) + 1) for n in v.split(" | ")) if v else "" for v in frame[column]]
    return frame.rename(columns=columns)


def facts(desk: Desk) -> None:
    """Every distinct fact, conflicts highlighted."""
    import pandas as pd

    table = pd.DataFrame(export.fact_rows(desk.comparison), columns=export.FACT_COLUMNS)
    table = for_people(table, {"a_sentences": "A sentences", "b_sentences": "B sentences"})
    st.caption(f"A sentences and B sentences: {explain.NUMBERING_NOTE}.")
    st.dataframe(
        table.style.apply(
            lambda r: ["background-color: #f8d7da" if r["status"] == "conflict" else ""] * len(r), axis=1
        ),
        hide_index=True,
        width="stretch",
    )


def similarity_map(desk: Desk) -> None:
    """A's sentences against B's, every row and column labelled, aligned pairs boxed, in windows
    of `ui.MAP_SIZE` sentences a side for long reports."""
    c = desk.comparison
    n_a, n_b = len(c.a_sentences), len(c.b_sentences)
    a_first = b_first = 1  # numbered from 1, as the page numbers sentences
    if max(n_a, n_b) > ui.MAP_SIZE:
        st.caption(f"The map shows {ui.MAP_SIZE} sentences a side at a time; choose where the window starts.")
        left, right = st.columns(2)
        a_first = left.number_input(
            "first A sentence", 1, max(n_a, 1), 1, step=ui.MAP_SIZE // 2, key="map_a", persist_state=KEEP
        )
        b_first = right.number_input(
            "first B sentence", 1, max(n_b, 1), 1, step=ui.MAP_SIZE // 2, key="map_b", persist_state=KEEP
        )
    records = ui.heatmap_records(c, int(a_first) - 1, int(b_first) - 1)
    st.caption(
        "Each cell is the cosine similarity of a sentence of A (row) and a sentence of B (column): the darker, "
        "the closer in meaning. A box marks a pair the tool aligned, coloured by its status (green agree, "
        "yellow partial, red conflict). Hover a cell for both sentences."
    )
    # chart text is drawn, not parsed as Markdown
    spec = ui.heatmap_spec(records, f"A sentence ({c.a.source})", f"B sentence ({c.b.source})")
    st.vega_lite_chart(spec, width="stretch")
