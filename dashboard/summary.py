"""The top of the page: the two reports, the story line, the legend, the counts, the conflicts,
and the downloads."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import streamlit as st

from compare.export import explain, report
from compare.export import rows as export
from compare.export.explain import numbered
from compare.records import Article, Verdict
from dashboard import ui
from dashboard.desk import Desk, md


def report_line(side: str, article: Article) -> str:
    """`**A** — source (date): *title*` as Markdown; no title part for a report without one."""
    title = f": *{md(article.title)}*" if article.title.strip() else ""
    return f"**{side}** — {md(article.source)} ({export.published_words(article)}){title}"


def summary(desk: Desk) -> None:
    """The two reports, the story line, one line per status, the counts and coverage."""
    c = desk.comparison
    st.markdown("  \n".join(report_line(side, article) for side, article in (("A", c.a), ("B", c.b))))
    st.markdown(f"> {md(explain.story_line(c))}")
    if copied := explain.copy_line(c):
        st.caption(f"Wording: {md(copied)}.")
    st.caption("  \n".join(explain.legend_lines()))  # our words, not the reports'
    cover_a, cover_b = ui.coverage(c)
    figures = [
        *export.status_counts(c).items(),
        ("A covered by B", f"{cover_a:.0%}"),
        ("B covered by A", f"{cover_b:.0%}"),
    ]
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label.replace("_", " "), value)


def conflicts(desk: Desk) -> None:
    """Each conflict with the facts that differ (or the reviewer's relabel and note) and both
    sentences, the differing words in bold; then the differences to check (the judge is not sure
    they are conflicts), then the differing figures that are one figure (a rounding)."""
    c = desk.comparison
    found = desk.conflicts()
    if found:
        st.subheader(f"Conflicts ({len(found)})")
    else:
        st.success("No conflicting facts found between aligned sentences.")
    for verdict in found:
        a, b = verdict.alignment.a, verdict.alignment.b
        heading = export.conflicts_text(verdict.conflicts)
        lines = [f"**{md(heading)}**"] if heading else []  # a reviewer's conflict has no facts to head it
        if reviewer := desk.reviewer_line((a, b)):
            lines.append(f"*{md(reviewer)}*")
        lines += sentence_lines(desk, verdict)
        st.error("  \n".join(lines))
    checks = [v for v in c.verdicts if v.to_check]
    if checks:
        st.subheader(f"Differences to check ({len(checks)})")
        st.caption("The reports differ here, but the judge is not sure enough to call it a conflict: check them.")
    for verdict in checks:
        heading = f"**{md(export.conflicts_text(verdict.to_check))}**{explain.probability_note(verdict)}"
        st.warning("  \n".join([heading,
                                *sentence_lines(desk, verdict)]))
    for verdict in (v for v in c.verdicts if v.remarks):
        where = f"{numbered('A', verdict.alignment.a)} / {numbered('B', verdict.alignment.b)}"
        st.warning(f"Differing figures, {where}: {md('; '.join(verdict.remarks))}")


def sentence_lines(desk: Desk, verdict: Verdict) -> list[str]:
    """`A<a>: ...` and `B<b>: ...` of an aligned row as Markdown, the words that differ in bold."""
    c, a, b = desk.comparison, verdict.alignment.a, verdict.alignment.b
    a_text, b_text = c.a_sentences[a].text, c.b_sentences[b].text  # type: ignore[index]
    return [f"{numbered('A', a)}: {ui.marked_markdown(a_text, ui.verdict_spans(verdict, 'a', a_text))}",
            f"{numbered('B', b)}: {ui.marked_markdown(b_text, ui.verdict_spans(verdict, 'b', b_text))}"]


def downloads(desk: Desk, today: date) -> None:
    """The downloads, named after the two reports and `today`; the discrepancy CSV first."""
    c, rows = desk.comparison, list(desk.rows)
    settings = asdict(desk.config)
    reviewer_lines = {pair: desk.reviewer_line(pair) for pair in desk.saved}
    files = [
        (
            "Discrepancy CSV",
            "discrepancies",
            "csv",
            "text/csv",
            lambda: export.csv_text(export.discrepancy_rows(rows), export.ALIGNMENT_COLUMNS),
        ),
        ("Alignment CSV", "alignment", "csv", "text/csv", lambda: export.csv_text(rows, export.ALIGNMENT_COLUMNS)),
        ("Facts CSV", "facts", "csv", "text/csv", lambda: export.csv_text(export.fact_rows(c), export.FACT_COLUMNS)),
        ("JSON", "comparison", "json", "application/json", lambda: export.comparison_json(c, rows, settings)),
        (
            "Printable report",
            "report",
            "html",
            "text/html",
            lambda: report.report_html(c, rows, settings, reviewer_lines, today),
        ),
    ]
    # Each file is made on every run, not handed over as a callable: Streamlit runs a callable
    # when the button is clicked, and a click that meets a rerun leaves the button spinning for good.
    for column, (label, what, suffix, mime, content) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(
            label,
            content(),
            report.download_name(c, what, suffix, today),
            mime,
            key=f"download_{what}",
            type="primary" if what == "discrepancies" else "secondary",
        )
