"""The sidebar: the two reports (file, upload, paste, URL) and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TypeVar

import streamlit as st

from compare.align.match import match_threshold
from compare.config import DEFAULT_MODEL, SETTINGS, Config, setting_range
from compare.embed.encoders import BACKENDS, Progress
from compare.export.rows import time_words
from compare.pipeline import Prepared
from compare.read.fetch import completed_url, is_url
from compare.read.load import decode_bytes, load_file, parse_any
from compare.records import Article, LoadError
from compare.session import Session
from dashboard.desk import md

T = TypeVar("T")

SLIDERS = {  # setting -> its plain name in the sidebar
    "threshold": "Minimum match probability",
    "max_partners": "Most partners per sentence",
    "agree_similarity": "Similarity needed to agree",
}


@st.cache_resource(show_spinner="Starting the sentence model and the facts reader (once per server)…")
def get_session(model: str, backend: str) -> Session:
    """The session (encoder behind the embedding cache, facts cache and process), once per server
    for each model and backend; the model loads on the first sentence not cached."""
    return Session(Config(model=model, backend=backend))


def with_stage_bar(starting: str, embedding: str, aligning: str, work: Callable[[Progress], T]) -> T:
    """`work(progress)` under a bar that names each stage as it goes: `starting`, then "Embedding
    N of M sentences and clauses`embedding`…", the facts, then `aligning`; gone when it is done."""
    slot = st.empty()
    bar = slot.progress(0.0, text=starting)

    def embedded(done: int, total: int) -> None:
        text = (
            f"Embedding {done} of {total} sentences and clauses{embedding}…"
            if done < total
            else f"Embedded all {total}; reading facts (names, dates, figures)…"
        )
        bar.progress(min(done / max(total, 1), 1.0), text=text)

    result = work(embedded)
    bar.progress(1.0, text=aligning)
    slot.empty()
    return result


@st.cache_data(show_spinner=False, max_entries=32)
def get_prepared(a: Article, b: Article, model: str, backend: str) -> Prepared:
    """Both reports split, their facts read and their sentences embedded, with a bar that names
    each stage as it goes (cached per report pair, model and backend)."""
    return with_stage_bar(
        "Splitting both reports and starting the facts reader…",
        " (facts are read alongside)",
        "Aligning the sentences…",
        lambda progress: get_session(model, backend).prepare(a, b, progress),
    )


def choose_report(side: str, files: list[Path], default: int | None, articles: Path) -> Article | None:
    """Sidebar controls for one report; the loaded `Article` (metadata as the user set it), or None
    while it is missing. `default` is the file it starts on; None for a report added later, which
    starts empty and asks where it comes from (never an unrelated file of the folder)."""
    st.sidebar.subheader(f"Report {side}")
    mode = st.sidebar.radio(
        "Source",
        ["From articles/", "Upload", "Paste", "URL"],
        index=None if default is None else 0,
        key=f"mode_{side}",
        horizontal=True,
    )
    if mode is None:
        st.sidebar.caption(f"Where does report {side} come from? A file, an upload, pasted text or an address.")
        return None
    if mode == "From articles/":
        if not files:
            st.sidebar.warning(f"No reports in {md(str(articles))}")
            return None
        path = st.sidebar.selectbox(
            "File",
            files,
            index=None if default is None else min(default, len(files) - 1),
            key=f"file_{side}",
            format_func=lambda p: p.name,
            placeholder=f"Choose report {side}'s file",
        )
        if path is None:
            return None
        article = load_file(path)
    elif mode == "Upload":
        upload = st.sidebar.file_uploader("Report file", type=["txt", "md", "html", "htm"], key=f"upload_{side}")
        if upload is None:
            return None
        text = decode_bytes(upload.getvalue(), upload.name)
        article = parse_any(text, article_id=Path(upload.name).stem, origin=upload.name)
    elif mode == "URL":
        url = completed_url(st.sidebar.text_input("http(s) address", key=f"url_{side}"))  # https:// when left out
        if not url:
            return None
        if not is_url(url):  # never a path: the file loader would read any file on the server
            raise LoadError(f"{url}: only http:// and https:// addresses can be opened here")
        with st.spinner(f"Fetching {md(url)}…"):
            model = st.session_state.get("model", DEFAULT_MODEL)  # the settings are drawn below
            article = get_session(model, st.session_state.get("backend", Config().backend)).load(url)
    else:
        article = pasted_report(side)
        if article is None:
            return None
    source = st.sidebar.text_input(
        "Source name", value=article.source, key=f"source_{side}_{article.id}", placeholder="who published it"
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
    moment = article.published_at if published == article.published else None  # a new day drops the time read
    if moment is not None:
        st.sidebar.caption(f"Time read from the report: {time_words(moment)}")
    return replace(article, source=source or f"report {side}", published=published or None, published_at=moment)


def pasted_report(side: str) -> Article | None:
    """A tall box for pasted text and a Compare button; the pasted report (its source left empty
    to be asked for, unless the text names one), or None while the box is empty."""
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
        article = replace(article, source="")
    return article


def slider_default(name: str) -> float | int:
    """A slider's default: the setting's, and for the threshold the match model's own."""
    return match_threshold(Config()) if name == "threshold" else getattr(Config(), name)


def reset_settings() -> None:
    """Put the sliders back to the defaults of the settings table."""
    for name in SLIDERS:
        st.session_state[name] = slider_default(name)


def settings_sidebar() -> Config:
    """Sliders for the alignment settings (moving one re-classifies without embedding again), a
    reset, and the model and its backend."""
    st.sidebar.subheader("Settings")
    helps = {name: help_text for name, _, help_text in SETTINGS}
    values = {}
    for name, plain in SLIDERS.items():
        low, high = setting_range(name)
        kind = type(slider_default(name))  # int settings move in whole steps
        st.session_state.setdefault(name, slider_default(name))  # in the session, so reset can set it
        values[name] = st.sidebar.slider(
            plain,
            kind(low),
            kind(high),
            step=kind(0.01) if kind is float else 1,
            help=f"{helps[name]} (setting `{name}`, default {slider_default(name)})",
            key=name,
        )
    st.sidebar.button("Reset to defaults", key="reset_settings", on_click=reset_settings)
    model = st.sidebar.text_input("Model", Config().model, help=helps["model"], key="model")
    backend = st.sidebar.selectbox(
        "Model backend", BACKENDS, index=BACKENDS.index(Config().backend), help=helps["backend"], key="backend"
    )
    return Config(model=model, backend=backend, **values)
