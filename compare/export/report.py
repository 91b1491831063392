"""Downloads that stand alone: file names after the two reports and the date, and a short
printable HTML report (the two reports, the summary, the conflicts with both sentences, the
reviewer's decisions, the model and the settings).

Pure functions; every report-derived string is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import date

from compare.export import explain
from compare.export.explain import numbered
from compare.export.rows import conflicts_text, published_words, reading_order, status_counts
from compare.records import Article, Comparison, Status
from compare.versions import active_version

NOT_IN_NAME = re.compile(r"[^A-Za-z0-9]+")


def name_part(article: Article) -> str:
    """A file-name-safe short name of a report: its source (or id), lower case, words joined by `-`."""
    words = NOT_IN_NAME.sub("-", article.source or article.id).strip("-").lower()
    return words[:40].strip("-") or "report"


def download_name(comparison: Comparison, what: str, suffix: str, day: date) -> str:
    """`<A>_vs_<B>_<YYYY-MM-DD>_<what>.<suffix>`, e.g. `ap_vs_reuters_2026-12-01_discrepancies.csv`."""
    return reports_name((comparison.a, comparison.b), what, suffix, day)


def reports_name(articles: Sequence[Article], what: str, suffix: str, day: date) -> str:
    """`<A>_vs_<B>[_vs_<C>...]_<YYYY-MM-DD>_<what>.<suffix>`: a download named after its reports."""
    return "_vs_".join(name_part(a) for a in articles) + f"_{day.isoformat()}_{what}.{suffix}"


def article_html(side: str, article: Article) -> str:
    """One line naming a report: side, source, title, date and address."""
    parts = [f"<b>{side}</b>: {html.escape(article.source)}", f"<i>{html.escape(article.title)}</i>"]
    parts.append(published_words(article))
    if article.url:
        parts.append(f"<code>{html.escape(article.url)}</code>")
    return "<li>" + ", ".join(parts) + "</li>"


def report_html(
    comparison: Comparison,
    rows: Sequence[dict[str, str]],
    settings: Mapping[str, object],
    reviewer_lines: Mapping[tuple[int | None, int | None], str],
    day: date,
) -> str:
    """A printable HTML page: the two reports, the story line, rows per status, each conflict with
    both sentences (and the reviewer's word on it), the differences to check, every reviewer
    decision with its note (a split pair names its one sentence), what only A and only B say, and
    the model and settings (the model once). `reviewer_lines` maps (a_id, b_id) to the reviewer's decision in words."""
    esc = html.escape
    counts = status_counts(comparison)
    out = [
        "<!doctype html><html><head><meta charset='utf-8'><title>compare report</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto}td,th{border:1px solid #ccc;"
        "padding:2px 6px}table{border-collapse:collapse}.s{color:#555}</style></head><body>",
        f"<h1>Two reports compared</h1><p class='s'>Made on {day.isoformat()} with compare.</p><ul>",
        article_html("A", comparison.a),
        article_html("B", comparison.b),
        f"</ul><p>{esc(explain.story_line(comparison))}</p><h2>Summary</h2><table><tr>",
        "".join(f"<th>{esc(explain.STATUS_NAMES[Status(k)])}</th>" for k in counts),
        "</tr><tr>" + "".join(f"<td>{v}</td>" for v in counts.values()) + "</tr></table>",
        "<h2>Conflicts</h2>",
    ]
    conflicts = sorted((v for v in comparison.verdicts if v.status is Status.CONFLICT), key=reading_order)
    for verdict in conflicts:
        a, b = verdict.alignment.a, verdict.alignment.b
        heading = conflicts_text(verdict.conflicts) or reviewer_lines.get((a, b), "")
        out.append(f"<h3>{esc(heading)}</h3>")
        if verdict.conflicts and (a, b) in reviewer_lines:
            out.append(f"<p><i>{esc(reviewer_lines[(a, b)])}</i></p>")
        out.append(f"<p>{numbered('A', a)}: {esc(comparison.a_sentences[a].text)}</p>")  # type: ignore[index]
        out.append(f"<p>{numbered('B', b)}: {esc(comparison.b_sentences[b].text)}</p>")  # type: ignore[index]
    if not conflicts:
        out.append("<p>No conflicting facts found between aligned sentences.</p>")
    checks = sorted((v for v in comparison.verdicts if v.to_check), key=reading_order)
    if checks:
        out.append("<h2>Differences to check</h2><p class='s'>The reports differ here, but the judge is not sure "
                   "enough to call it a conflict.</p>")
    for verdict in checks:
        a, b = verdict.alignment.a, verdict.alignment.b
        out.append(f"<h3>{esc(conflicts_text(verdict.to_check))}</h3>")
        out.append(f"<p>{numbered('A', a)}: {esc(comparison.a_sentences[a].text)}</p>")  # type: ignore[index]
        out.append(f"<p>{numbered('B', b)}: {esc(comparison.b_sentences[b].text)}</p>")  # type: ignore[index]
    reviewed = [r for r in rows if r["review"]]
    out.append("<h2>Reviewer decisions</h2>")
    if reviewed:
        out.append("<table><tr><th>pair</th><th>decision</th><th>note</th><th>A</th><th>B</th></tr>")
        for r in reviewed:
            ids = (("A", r["a_id"]), ("B", r["b_id"]))
            pair = " / ".join(numbered(side, int(i)) for side, i in ids if i != "")
            cells = (pair, r["review"], r["note"], r["a_text"] or "-", r["b_text"] or "-")
            out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        out.append("</table>")
    else:
        out.append("<p>None yet.</p>")
    for status, side, sentences in ((Status.ONLY_A, "A", comparison.a_sentences),
                                    (Status.ONLY_B, "B", comparison.b_sentences)):
        alone = sorted((v for v in comparison.verdicts if v.status is status), key=reading_order)
        out.append(f"<h2>Only in {side} ({len(alone)})</h2>")
        index = (lambda v: v.alignment.a) if side == "A" else (lambda v: v.alignment.b)
        out += [f"<p>{numbered(side, index(v))}: {esc(sentences[index(v)].text)}</p>" for v in alone]
    shown = {k: v for k, v in settings.items() if not (k == "model" and v == comparison.model)}
    out.append(f"<p class='s'>{esc(explain.NUMBERING_NOTE[0].upper() + explain.NUMBERING_NOTE[1:])}.</p>")
    out.append(f"<h2>Model and settings</h2><p class='s'>model {esc(comparison.model)}; "
               f"match model and conflict judge {esc(active_version())}; ")
    out.append("; ".join(f"{esc(k)} {esc(str(v))}" for k, v in shown.items()) + "</p></body></html>")
    return "\n".join(out)
