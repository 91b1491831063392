"""The compare dashboard: pick two reports, read the comparison, filter the pairs, export CSVs.

Run with `make run` (or `streamlit run app.py`). A thin shell over the `compare` package.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from compare import explain, export, report, ui
from compare.cache import FactsCache
from compare.config import SETTINGS, Config, setting_range
from compare.embed import ModelError
from compare.fetch import is_url
from compare.load import LoadError, decode_bytes, load_file, parse_any
from compare.pipeline import (
    Prepared,
    compare_prepared,
    comparison_warnings,
    configured_encoder,
    load_configured,
    prepare,
)
from compare.records import Article, Status, Verdict
from compare.review import (
    Action,
    Decision,
    ReviewStore,
    apply_decisions,
    default_path,
    review_columns,
    split_stale,
)
from compare.sqlite import StoreError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ARTICLES = Path(os.environ.get("COMPARE_ARTICLES", Path(__file__).parent / "articles"))
REVIEW_DB = default_path()  # COMPARE_REVIEW_DB, else the user's data folder; absolute
SLIDERS = {  # setting -> its plain name in the sidebar
    "threshold": "Minimum match probability",
    "max_partners": "Most partners per sentence",
    "agree_similarity": "Similarity needed to agree",
}
FORM_KEYS = ("review_action", "review_label", "review_note")
ACTIONS = ["confirm", "reject", "relabel", "split"]
LABELS = ["agree", "partial", "conflict"]
md = ui.escape_markdown  # every report-derived string shown through Markdown goes through this


@st.cache_resource(show_spinner="Loading the sentence model (once per server)…")
def get_encoder(model: str):  # noqa: ANN201 - an Encoder
    """The model behind the on-disk embedding cache; it loads on the first sentence not cached."""
    return configured_encoder(Config(model=model))


@st.cache_data(show_spinner=False, max_entries=32)
def get_prepared(a: Article, b: Article, model: str) -> Prepared:
    """Both reports split, their facts read and their sentences embedded, with a bar that names
    each stage as it goes (cached per report pair and model)."""
    slot = st.empty()
    bar = slot.progress(0.0, text="Splitting both reports and starting the facts reader…")

    def embedded(done: int, total: int) -> None:
        text = (
            f"Embedding {done} of {total} sentences and clauses (facts are read alongside)…"
            if done < total
            else f"Embedded all {total}; reading facts (names, dates, figures)…"
        )
        bar.progress(min(done / max(total, 1), 1.0), text=text)

    prepared = prepare(a, b, get_encoder(model), model, embedded, FactsCache())
    bar.progress(1.0, text="Aligning the sentences…")
    slot.empty()
    return prepared


def choose_report(side: str, files: list[Path], default: int) -> Article | None:
    """Sidebar controls for one report; the loaded `Article` (metadata as the user set it)."""
    st.sidebar.subheader(f"Report {side}")
    mode = st.sidebar.radio("Source", ["From articles/", "Upload", "Paste", "URL"], key=f"mode_{side}", horizontal=True)
    if mode == "From articles/":
        if not files:
            st.sidebar.warning(f"No reports in {md(str(ARTICLES))}")
            return None
        path = st.sidebar.selectbox(
            "File", files, index=min(default, len(files) - 1), key=f"file_{side}", format_func=lambda p: p.name
        )
        article = load_file(path)
    elif mode == "Upload":
        upload = st.sidebar.file_uploader("Report file", type=["txt", "md", "html", "htm"], key=f"upload_{side}")
        if upload is None:
            return None
        text = decode_bytes(upload.getvalue(), upload.name)
        article = parse_any(text, article_id=Path(upload.name).stem, origin=upload.name)
    elif mode == "URL":
        url = st.sidebar.text_input("http(s) address", key=f"url_{side}").strip()
        if not url:
            return None
        if not is_url(url):  # never a path: the file loader would read any file on the server
            raise LoadError(f"{url}: only http:// and https:// addresses can be opened here")
        with st.spinner(f"Fetching {md(url)}…"):
            article = load_configured(url, Config())
    else:
        text = st.sidebar.text_area(
            "Report text (plain text, Markdown with front matter, or an HTML page)",
            key=f"paste_{side}",
            height=320,
            placeholder=f"Paste report {side} here, then press Compare",
        )
        st.sidebar.button("Compare", key=f"paste_go_{side}", type="primary")  # the click applies the text
        if not text.strip():
            return None
        article = parse_any(text, article_id=f"pasted-{side}", origin=f"pasted report {side}")
        if article.source == article.id:  # no source in the text: ask for one rather than show "pasted-A"
            article = Article(article.id, "", article.title, article.published, article.text, article.url)
    source = st.sidebar.text_input(
        "Source name",
        value=article.source,
        key=f"source_{side}_{article.id}",
        placeholder="who published it (e.g. Reuters)",
    )
    published = st.sidebar.date_input(
        "Published",
        value=article.published,
        key=f"published_{side}_{article.id}",
        min_value=date(1900, 1, 1),
        max_value=date(2100, 1, 1),
    )
    if not published:
        st.sidebar.caption("Give the publication date: relative dates (Monday, last month) are read against it.")
    return Article(article.id, source or f"report {side}", article.title, published or None, article.text, article.url)


def store_review(change: Callable[[ReviewStore], object], done: str) -> None:
    """Apply `change` to the review store and rerun, with `done` shown as a green confirmation on
    the next run; if the store cannot be written, a red line says so (the page, and the note just
    typed, stay as they are)."""
    try:
        change(ReviewStore(REVIEW_DB))
    except StoreError as error:
        st.error(md(f"Decision not saved: {error}"))
    else:
        st.session_state["review_done"] = done
        st.rerun()


def fill_review_form(pair: tuple[int, int], saved: dict[tuple[int, int], Decision]) -> None:
    """When the chosen pair changes, load its own saved decision into the review form, or empty
    the form when it has none: a note or a decision never carries over to another pair."""
    if st.session_state.get("review_form_pair") == pair:
        return
    decision = saved.get(pair)
    action = decision.action.value if decision else None
    st.session_state["review_action"] = action if action in ACTIONS else None
    st.session_state["review_label"] = decision.label if decision and decision.label in LABELS else LABELS[0]
    st.session_state["review_note"] = decision.note if decision else ""
    st.session_state["review_form_pair"] = pair


def step_pair(options: list[tuple[int, int]], step: int) -> None:
    """Choose the pair `step` places after (or before) the chosen one in `options`, wrapping round."""
    chosen = st.session_state.get("review_pair")
    here = options.index(chosen) if chosen in options else -step
    st.session_state["review_pair"] = options[(here + step) % len(options)]


def reset_settings() -> None:
    """Put the sliders back to the defaults of the settings table."""
    for name in SLIDERS:
        st.session_state[name] = getattr(Config(), name)


def settings_sidebar() -> Config:
    """Sliders for the alignment settings; moving one re-classifies without embedding again."""
    st.sidebar.subheader("Settings")
    helps = {name: help_text for name, _, help_text in SETTINGS}
    values = {}
    for name, plain in SLIDERS.items():
        low, high = setting_range(name)
        kind = type(getattr(Config(), name))  # int settings move in whole steps
        st.session_state.setdefault(name, getattr(Config(), name))  # in the session, so reset can set it
        values[name] = st.sidebar.slider(
            plain,
            kind(low),
            kind(high),
            step=kind(0.01) if kind is float else 1,
            help=f"{helps[name]} (setting `{name}`, default {getattr(Config(), name)})",
            key=name,
        )
    st.sidebar.button("Reset to defaults", key="reset_settings", on_click=reset_settings)
    model = st.sidebar.text_input("Model", Config().model, help=helps["model"], key="model")
    return Config(model=model, **values)


st.set_page_config(page_title="compare: two reports, claim by claim", layout="wide")
st.title("compare")
st.caption("Two reports of one event, aligned claim by claim: what they share, where they differ, what each adds.")

files = ui.article_files(ARTICLES)
try:
    report_a = choose_report("A", files, 0)
    report_b = choose_report("B", files, 1)
    config = settings_sidebar()
    if report_a is None or report_b is None:
        waiting = [side for side, r in (("A", report_a), ("B", report_b)) if r is None]
        st.info(
            "Choose two reports in the sidebar: waiting for report "
            + " and ".join(waiting)
            + " (paste its text and press Compare, or pick a file)."
        )
        st.stop()
    if report_a.id == report_b.id:
        report_b = Article(f"{report_b.id}-b", report_b.source, report_b.title, report_b.published, report_b.text)
    prepared = get_prepared(report_a, report_b, config.model)
except (LoadError, ModelError) as error:
    st.error(md(str(error)))
    st.stop()

tool_comparison = compare_prepared(prepared, config)
for warning in comparison_warnings(tool_comparison):
    st.warning(md(warning))
try:
    current, stale = split_stale(tool_comparison, ReviewStore(REVIEW_DB).load(tool_comparison))
except StoreError as error:  # the comparison is still worth reading without its decisions
    st.error(md(f"Review decisions cannot be shown: {error}"))
    current, stale = [], []
if stale:
    st.warning(
        f"{len(stale)} review decision(s) were made on an earlier text of these reports and are not applied; "
        "review those pairs again."
    )
comparison = apply_decisions(tool_comparison, current, config)
saved = {(d.a_id, d.b_id): d for d in current}
tool_status = {(v.alignment.a, v.alignment.b): v.status for v in tool_comparison.verdicts}
rows = export.alignment_rows(comparison, review_columns(current))
counts = export.status_counts(comparison)
cover_a, cover_b = ui.coverage(comparison)


def reviewer_line(pair: tuple[int | None, int | None]) -> str:
    """The reviewer's decision on `pair` in words, or empty when it has none."""
    decision = saved.get(pair)  # type: ignore[arg-type]
    if decision is None:
        return ""
    return explain.review_line(decision.action.value, decision.label, decision.note, tool_status.get(pair))


st.markdown(
    f"**A** — {md(comparison.a.source)} ({comparison.a.published or 'undated'}): *{md(comparison.a.title)}*  \n"
    f"**B** — {md(comparison.b.source)} ({comparison.b.published or 'undated'}): *{md(comparison.b.title)}*"
)
st.markdown(f"> {md(explain.story_line(comparison))}")
st.caption("  \n".join(explain.legend_lines()))  # our words, not the reports'
columns = st.columns(7)
for column, (label, value) in zip(
    columns,
    [*counts.items(), ("A covered by B", f"{cover_a:.0%}"), ("B covered by A", f"{cover_b:.0%}")],
    strict=True,
):
    column.metric(label.replace("_", " "), value)

conflict_verdicts = sorted((v for v in comparison.verdicts if v.status is Status.CONFLICT), key=export.reading_order)
if conflict_verdicts:
    st.subheader(f"Conflicts ({len(conflict_verdicts)})")
    for verdict in conflict_verdicts:
        pair = (verdict.alignment.a, verdict.alignment.b)
        heading = export.conflicts_text(verdict.conflicts)
        lines = [f"**{md(heading)}**"] if heading else []
        if reviewer := reviewer_line(pair):
            lines.append(f"*{md(reviewer)}*")
        lines += [
            f"A{pair[0]}: {md(comparison.a_sentences[pair[0]].text)}",  # type: ignore[index]
            f"B{pair[1]}: {md(comparison.b_sentences[pair[1]].text)}",  # type: ignore[index]
        ]
        st.error("  \n".join(lines))
else:
    st.success("No conflicting facts found between aligned sentences.")
for verdict in (v for v in comparison.verdicts if v.remarks):
    st.warning(f"Differing figures, A{verdict.alignment.a} / B{verdict.alignment.b}: {md('; '.join(verdict.remarks))}")

discrepancy_csv = export.csv_text(export.discrepancy_rows(rows), export.ALIGNMENT_COLUMNS)
today = date.today()
settings = asdict(config)
reviewer_lines = {pair: reviewer_line(pair) for pair in saved}
downloads = st.columns(5)
for column, (label, what, suffix, mime, content) in zip(
    downloads,
    [
        ("Discrepancy CSV", "discrepancies", "csv", "text/csv", lambda: discrepancy_csv),
        ("Alignment CSV", "alignment", "csv", "text/csv", lambda: export.csv_text(rows, export.ALIGNMENT_COLUMNS)),
        (
            "Facts CSV",
            "facts",
            "csv",
            "text/csv",
            lambda: export.csv_text(export.fact_rows(comparison), export.FACT_COLUMNS),
        ),
        ("JSON", "comparison", "json", "application/json", lambda: export.comparison_json(comparison, rows, settings)),
        (
            "Printable report",
            "report",
            "html",
            "text/html",
            lambda: report.report_html(comparison, rows, settings, reviewer_lines, today),
        ),
    ],
    strict=True,
):
    column.download_button(
        label,
        content,
        report.download_name(comparison, what, suffix, today),
        mime,
        key=f"download_{what}",
        type="primary" if what == "discrepancies" else "secondary",
    )

side_tab, pairs_tab, review_tab, facts_tab, map_tab = st.tabs(
    ["Side by side", "Aligned pairs", "Review", "Facts", "Similarity map"]
)
with side_tab:
    st.markdown(ui.legend_html(), unsafe_allow_html=True)
    left, right = st.columns(2)
    for column, side, sentences in ((left, "a", comparison.a_sentences), (right, "b", comparison.b_sentences)):
        article = comparison.a if side == "a" else comparison.b
        column.markdown(f"#### {side.upper()}: {md(article.source)}")
        column.html(ui.report_html(sentences, ui.sentence_statuses(comparison, side), side))


def why_text(verdict: Verdict) -> str:
    """Why `verdict` has its status: the tool's evidence, then the reviewer's decision if any."""
    pair = (verdict.alignment.a, verdict.alignment.b)
    lines = explain.why_lines(verdict, config)
    if reviewer := reviewer_line(pair):
        lines.append(reviewer)
    return " ".join(lines)


with pairs_tab:
    why = {(v.alignment.a, v.alignment.b): why_text(v) for v in comparison.verdicts}
    ordered = sorted(comparison.verdicts, key=export.reading_order)  # the order of `rows`
    frame = pd.DataFrame(rows, columns=export.ALIGNMENT_COLUMNS)
    frame["why"] = [why[(v.alignment.a, v.alignment.b)] for v in ordered]
    chosen = st.multiselect("Status", [s.value for s in Status], default=[s.value for s in Status], key="filter")
    query = st.text_input("Search sentences and facts", key="search")
    shown = frame[frame["status"].isin(chosen)]
    if query:
        text = shown[["a_text", "b_text", "shared_facts", "a_only_facts", "b_only_facts", "conflicts"]]
        shown = shown[text.apply(lambda col: col.str.contains(query, case=False, regex=False)).any(axis=1)]
    st.dataframe(shown, hide_index=True, width="stretch")

with review_tab:
    a_text = {i: s.text for i, s in enumerate(comparison.a_sentences)}
    b_text = {j: s.text for j, s in enumerate(comparison.b_sentences)}
    pairs = {
        (v.alignment.a, v.alignment.b): v for v in comparison.verdicts if None not in (v.alignment.a, v.alignment.b)
    }
    st.caption(f"Decisions are saved in {md(str(REVIEW_DB))} and go into every export (columns review, note).")
    if done := st.session_state.pop("review_done", None):
        st.success(md(done))
    if pairs:
        reviewed = [p for p in pairs if p in saved]
        st.markdown(f"**{len(reviewed)} of {len(pairs)} reviewed**")
        unreviewed_only = st.checkbox("Only pairs not yet reviewed", key="review_unreviewed")
        options = [
            p for p in pairs if not (unreviewed_only and p in saved and p != st.session_state.get("review_pair"))
        ]
        if st.session_state.get("review_pair") not in options:
            st.session_state["review_pair"] = options[0]
        back, forward, _ = st.columns([1, 1, 6])
        back.button("◀ Previous", key="review_previous", on_click=step_pair, args=(options, -1), shortcut="Alt+P")
        forward.button("Next ▶", key="review_next", on_click=step_pair, args=(options, 1), shortcut="Alt+N")
        chosen_pair = st.selectbox(
            "Aligned pair",
            options,
            format_func=lambda p: (
                f"{'✓' if p in saved else '○'} A{p[0]} ↔ B{p[1]} [{pairs[p].status.value}] {a_text[p[0]][:70]}"
            ),
            key="review_pair",
        )
        verdict = pairs[chosen_pair]
        fill_review_form(chosen_pair, saved)
        left, right = st.columns(2)
        left.markdown(f"**A{chosen_pair[0]}** ({md(comparison.a.source)})  \n{md(a_text[chosen_pair[0]])}")
        right.markdown(f"**B{chosen_pair[1]}** ({md(comparison.b.source)})  \n{md(b_text[chosen_pair[1]])}")
        st.info(f"**{md(explain.STATUS_NAMES[verdict.status])}**: {md(why_text(verdict))}")
        action = st.radio(
            "Decision",
            ACTIONS,
            index=None,
            horizontal=True,
            key="review_action",
            help="split removes a wrong pair; its sentences become one-sided",
        )
        label = st.selectbox("New status", LABELS, key="review_label") if action == "relabel" else ""
        note = st.text_input("Note", key="review_note")
        if st.button("Save decision", key="review_save", type="primary", shortcut="Alt+S"):
            if action is None:
                st.warning("Choose a decision (confirm, reject, relabel or split) before saving.")
            else:
                decision = Decision(*chosen_pair, Action(action), label, note)
                done = f"Saved: A{chosen_pair[0]} ↔ B{chosen_pair[1]} {explain.REVIEW_WORDS[action]}" + (
                    f" {label}" if label else ""
                )
                store_review(lambda store: store.save(comparison, decision, config), done)
        if chosen_pair in saved and st.button("Forget decision", key="review_forget"):
            st.session_state.pop("review_form_pair", None)  # the form empties with the decision
            forgotten = f"Forgotten: the decision on A{chosen_pair[0]} ↔ B{chosen_pair[1]}"
            store_review(lambda store: store.delete(comparison, *chosen_pair), forgotten)
    st.markdown("**Link two sentences the tool left apart**")
    link_a = st.selectbox("A sentence", list(a_text), format_func=lambda i: f"A{i}: {a_text[i][:80]}", key="link_a")
    link_b = st.selectbox("B sentence", list(b_text), format_func=lambda j: f"B{j}: {b_text[j][:80]}", key="link_b")
    link_note = st.text_input("Note", key="link_note")
    if st.button("Link", key="link_save"):
        link = Decision(link_a, link_b, Action.LINK, note=link_note)
        store_review(lambda store: store.save(comparison, link, config), f"Saved: A{link_a} ↔ B{link_b} linked")
    if current:
        st.markdown("**Decisions on these reports**")
        st.dataframe(
            pd.DataFrame(
                [
                    {"pair": f"A{d.a_id} ↔ B{d.b_id}", "decision": d.action.value, "label": d.label, "note": d.note}
                    for d in current
                ]
            ),
            hide_index=True,
            width="stretch",
        )

with facts_tab:
    facts = pd.DataFrame(export.fact_rows(comparison), columns=export.FACT_COLUMNS)
    st.dataframe(
        facts.style.apply(
            lambda r: ["background-color: #f8d7da" if r["status"] == "conflict" else ""] * len(r), axis=1
        ),
        hide_index=True,
        width="stretch",
    )

with map_tab:
    n_a, n_b = len(comparison.a_sentences), len(comparison.b_sentences)
    a_start = b_start = 0
    if max(n_a, n_b) > ui.MAP_SIZE:
        st.caption(f"The map shows {ui.MAP_SIZE} sentences a side at a time; choose where the window starts.")
        left, right = st.columns(2)
        a_start = left.number_input("first A sentence", 0, max(n_a - 1, 0), 0, step=ui.MAP_SIZE // 2)
        b_start = right.number_input("first B sentence", 0, max(n_b - 1, 0), 0, step=ui.MAP_SIZE // 2)
    heat = pd.DataFrame(ui.heatmap_records(comparison, int(a_start), int(b_start)))
    st.caption(
        "Each cell is the cosine similarity of a sentence of A (row) and a sentence of B (column): the darker, "
        "the closer in meaning. A box marks a pair the tool aligned, coloured by its status (green agree, "
        "yellow partial, red conflict). Hover a cell for both sentences."
    )
    every_label = {"labelOverlap": False, "labelFontSize": 10}  # every row and column named, none dropped
    base = alt.Chart(heat).encode(
        x=alt.X(
            "b:O",
            title=f"B sentence ({comparison.b.source})",  # chart text is drawn, not parsed as Markdown
            axis=alt.Axis(labelExpr="'B' + datum.value", **every_label),
        ),
        y=alt.Y(
            "a:O",
            title=f"A sentence ({comparison.a.source})",
            axis=alt.Axis(labelExpr="'A' + datum.value", **every_label),
        ),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("similarity:Q", scale=alt.Scale(scheme="blues"), title="cosine similarity"),
        tooltip=["a", "b", "similarity", "status", "a_text", "b_text"],
    )
    marks = (
        base.transform_filter(alt.datum.status != "")
        .mark_point(shape="square", filled=False, size=120)
        .encode(
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["agree", "partial", "conflict"], range=["#2e7d32", "#f9a825", "#c62828"]),
            ),
        )
    )
    st.altair_chart((cells + marks).properties(height=18 * heat["a"].nunique() + 60), width="stretch")
