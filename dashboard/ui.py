"""Helpers for the dashboard: tables, coverage figures and the escaped side-by-side HTML.

Pure functions over a `Comparison`; streamlit is imported only by `app.py`. Report text is always
escaped before it is put into HTML, and before it is put into Markdown (`escape_markdown`): a
report must not make a viewer's browser fetch an image, show a live link or forge a bold label.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from compare.export.explain import numbered
from compare.records import Comparison, Sentence, Status, Verdict

STATUS_COLOURS = {
    Status.AGREE: "#d4edda",
    Status.PARTIAL: "#fff3cd",
    Status.CONFLICT: "#f8d7da",
    Status.ONLY_A: "#dbe9f6",
    Status.ONLY_B: "#dbe9f6",
}
STATUS_LABELS = {
    Status.AGREE: "agree",
    Status.PARTIAL: "partial",
    Status.CONFLICT: "conflict",
    Status.ONLY_A: "only here",
    Status.ONLY_B: "only here",
}
SEVERITY = [Status.CONFLICT, Status.PARTIAL, Status.AGREE, Status.ONLY_A, Status.ONLY_B]
REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm")
# Markdown's metacharacters, HTML's (< > &), Streamlit's directives and emoji (:), LaTeX ($);
# `:` and `@` also stop GFM from turning a bare http://... or name@host.tld into a live link
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=@])")
LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def escape_markdown(text: str) -> str:
    """`text` as Markdown that renders as exactly this text on one line: every Markdown, HTML and
    Streamlit metacharacter backslash-escaped, line breaks turned into spaces (so a line cannot
    become a heading, list, quote or table)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", LINE_BREAK.sub(" ", text))


def article_files(folder: Path) -> list[Path]:
    """The report files directly in `folder`, sorted; a file or symlink whose real path lies
    outside the folder is left out, so the dashboard only ever opens reports in it."""
    if not folder.is_dir():
        return []
    root = folder.resolve()
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in REPORT_SUFFIXES and p.resolve().parent == root and p.resolve().is_file()
    )


def sentence_statuses(comparison: Comparison, side: str) -> list[tuple[Status, list[int]]]:
    """Per sentence of report `side` ('a' or 'b'): its most telling status and its partners' numbers."""
    count = len(comparison.a_sentences if side == "a" else comparison.b_sentences)
    found: list[list[Status]] = [[] for _ in range(count)]
    partners: list[list[int]] = [[] for _ in range(count)]
    for verdict in comparison.verdicts:
        mine = verdict.alignment.a if side == "a" else verdict.alignment.b
        other = verdict.alignment.b if side == "a" else verdict.alignment.a
        if mine is None:
            continue
        found[mine].append(verdict.status)
        if other is not None:
            partners[mine].append(other)
    return [(min(s, key=SEVERITY.index), sorted(p)) for s, p in zip(found, partners, strict=True)]


def coverage(comparison: Comparison) -> tuple[float, float]:
    """(share of A's sentences that B also covers, share of B's that A covers), 0..1."""
    a = sentence_statuses(comparison, "a")
    b = sentence_statuses(comparison, "b")
    return (
        sum(1 for _, p in a if p) / len(a) if a else 0.0,
        sum(1 for _, p in b if p) / len(b) if b else 0.0,
    )


def difference_spans(comparison: Comparison, side: str) -> dict[int, list[tuple[int, int]]]:
    """Per sentence of report `side` ('a' or 'b'), the (start, end) offsets in the sentence of the
    words that differ from any partner (`verdict_spans` of each of its rows)."""
    sentences = comparison.a_sentences if side == "a" else comparison.b_sentences
    spans: dict[int, list[tuple[int, int]]] = {}
    for verdict in comparison.verdicts:
        index = verdict.alignment.a if side == "a" else verdict.alignment.b
        if index is not None:
            spans.setdefault(index, []).extend(verdict_spans(verdict, side, sentences[index].text))
    return {k: merged(v) for k, v in spans.items() if v}


def verdict_spans(verdict: Verdict, side: str, text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets in `text` (the sentence of report `side` in `verdict`'s row) of the
    words that differ: the facts of its conflicts and differences to check, or, for a
    sentence-level difference (a negation, a status), the words the record names."""
    found = []
    for conflict in (*verdict.conflicts, *verdict.to_check):
        fact, words = (conflict.a, conflict.a_text) if side == "a" else (conflict.b, conflict.b_text)
        if fact is not None:
            found.append((fact.start, fact.end))
        elif words and (at := text.lower().find(words.lower())) >= 0:
            found.append((at, at + len(words)))
    return merged(found)


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` sorted, overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def marked_markdown(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` as safe Markdown (`escape_markdown`) with the `spans` in bold: the differing words."""
    parts, here = [], 0
    for start, end in merged(list(spans)):
        parts += [escape_markdown(text[here:start]), f"**{escape_markdown(text[start:end])}**"]
        here = end
    return "".join([*parts, escape_markdown(text[here:])])


def marked_html(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` HTML-escaped with the `spans` in `<mark>`: the differing words."""
    parts, here = [], 0
    for start, end in merged(list(spans)):
        parts += [html.escape(text[here:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        here = end
    return "".join([*parts, html.escape(text[here:])])


def report_html(
    sentences: Sequence[Sentence],
    statuses: Sequence[tuple[Status, list[int]]],
    side: str,
    spans: dict[int, list[tuple[int, int]]] | None = None,
) -> str:
    """The report as written, paragraph by paragraph, each sentence escaped and coloured by its
    status, with its number and its partners' numbers in the other report, and the words that
    differ from a partner (`spans`, per sentence) marked."""
    spans = spans or {}
    other = "B" if side == "a" else "A"
    parts: list[str] = []
    paragraph = None
    for sentence, (status, partners) in zip(sentences, statuses, strict=True):
        if sentence.paragraph != paragraph:
            if paragraph is not None:
                parts.append("</p>")
            parts.append('<p style="line-height:1.6">')
            paragraph = sentence.paragraph
        tag = numbered(side.upper(), sentence.index)
        links = ", ".join(numbered(other, p) for p in partners) or "—"
        title = html.escape(f"{tag}: {STATUS_LABELS[status]}; matches {links}", quote=True)
        parts.append(
            f'<span id="{side}{sentence.index}" title="{title}" '
            f'style="background:{STATUS_COLOURS[status]};padding:1px 2px;border-radius:3px">'
            f'<sup style="color:#555">{tag}{"→" + html.escape(links) if partners else ""}</sup> '
            f"{marked_html(sentence.text, spans.get(sentence.index, []))}</span> "
        )
    if paragraph is not None:
        parts.append("</p>")
    return "".join(parts)


def legend_html() -> str:
    """A one-line colour legend for the side-by-side view."""
    seen: dict[str, str] = {}
    for status, colour in STATUS_COLOURS.items():
        seen.setdefault(STATUS_LABELS[status], colour)
    return " ".join(
        f'<span style="background:{c};padding:2px 6px;border-radius:3px;margin-right:4px">{html.escape(label)}</span>'
        for label, c in seen.items()
    )


MAP_SIZE = 120  # sentences per side in the similarity map (a window of longer reports)


def heatmap_records(
    comparison: Comparison, a_start: int = 0, b_start: int = 0, size: int = MAP_SIZE
) -> list[dict[str, object]]:
    """One record per (A sentence, B sentence) in the window of `size` sentences a side starting
    at `a_start` and `b_start` (0-based): similarity and whether the pair is aligned; `a` and
    `b` are the sentences as the page numbers them, from 1."""
    aligned = {
        (v.alignment.a, v.alignment.b): v.status.value
        for v in comparison.verdicts
        if v.alignment.a is not None and v.alignment.b is not None
    }
    rows = range(len(comparison.a_sentences))[a_start : a_start + size]
    cols = range(len(comparison.b_sentences))[b_start : b_start + size]
    sim = comparison.similarity_block(slice(rows.start, rows.stop), slice(cols.start, cols.stop))
    records = []
    for x, i in enumerate(rows):
        for y, j in enumerate(cols):
            records.append(
                {
                    "a": i + 1,  # numbered from 1, as the page numbers sentences
                    "b": j + 1,
                    "similarity": round(float(sim[x, y]), 3),
                    "status": aligned.get((i, j), ""),
                    "a_text": comparison.a_sentences[i].text[:120],
                    "b_text": comparison.b_sentences[j].text[:120],
                }
            )
    return records


STATUS_MARKS = {"agree": "#2e7d32", "partial": "#f9a825", "conflict": "#c62828"}  # boxes on the map


def heatmap_spec(records: list[dict[str, object]], a_title: str, b_title: str) -> dict[str, object]:
    """The Vega-Lite spec of the similarity map of `heatmap_records`: a cell per pair, darker the
    more similar (A's sentences as rows), every row and column labelled ("A3", "B7"), a hover
    with both sentences, and a box around each aligned pair coloured by its status."""
    every_label = {"labelOverlap": False, "labelFontSize": 10}  # every row and column named, none dropped
    axes = {
        axis: {"field": field, "type": "ordinal", "title": title, "axis": {"labelExpr": label, **every_label}}
        for axis, field, title, label in (
            ("x", "b", b_title, "'B' + datum.value"),
            ("y", "a", a_title, "'A' + datum.value"),
        )
    }
    tooltip = [
        {"field": name, "type": "quantitative" if name in ("a", "b", "similarity") else "nominal"}
        for name in ("a", "b", "similarity", "status", "a_text", "b_text")
    ]
    cells = {
        "mark": {"type": "rect"},
        "encoding": {
            **axes,
            "color": {
                "field": "similarity",
                "type": "quantitative",
                "scale": {"scheme": "blues"},
                "title": "cosine similarity",
            },
            "tooltip": tooltip,
        },
    }
    boxes = {
        "mark": {"type": "point", "shape": "square", "filled": False, "size": 120},
        "transform": [{"filter": "(datum.status !== '')"}],
        "encoding": {
            **axes,
            "color": {
                "field": "status",
                "type": "nominal",
                "scale": {"domain": list(STATUS_MARKS), "range": list(STATUS_MARKS.values())},
            },
        },
    }
    rows = len({r["a"] for r in records})
    return {"data": {"values": records}, "layer": [cells, boxes], "height": 18 * rows + 60}
