"""Downloads that stand alone (`compare.export.report`, the JSON's settings) and the story line, on the
hand-made comparison of `test_export`."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import date

from compare.config import Config
from compare.export import explain, report
from compare.export import rows as export
from compare.records import Article
from tests.test_export import handmade

DAY = date(2026, 12, 1)


def test_download_names_follow_the_reports_and_the_date():
    comparison = handmade()
    assert report.download_name(comparison, "discrepancies", "csv", DAY) == (
        "paper-a_vs_paper-b_2026-12-01_discrepancies.csv"
    )
    odd = replace(comparison.a_side, article=Article("x", "Le Monde / Paris!", "", None, ""))
    unnamed = replace(comparison.b_side, article=Article("pasted-B", "", "", None, ""))
    other = replace(comparison, a_side=odd, b_side=unnamed)
    assert report.download_name(other, "report", "html", DAY) == "le-monde-paris_vs_pasted-b_2026-12-01_report.html"


def test_json_carries_metadata_model_and_settings():
    comparison = handmade()
    payload = json.loads(export.comparison_json(comparison, None, asdict(Config(threshold=0.4))))
    assert payload["a"]["source"] == "Paper A" and payload["b"]["published"] == "2018-12-10"
    assert payload["model"] == "test"
    assert payload["settings"]["threshold"] == 0.4 and payload["settings"]["model"] == Config().model
    assert "settings" not in json.loads(export.comparison_json(comparison))  # the CLI's JSON as before


def test_printable_report_has_summary_conflicts_and_decisions():
    comparison = handmade()
    rows = export.alignment_rows(comparison, {(1, 1): ("confirmed", "<b>checked</b>")})
    reviewed = {(1, 1): "Reviewer confirmed this pair."}
    page = report.report_html(comparison, rows, asdict(Config(threshold=0.3)), reviewed, DAY)
    assert "Paper A" in page and "Title B" in page and "2018-12-16" in page
    assert "A reports 3 officials, B 5 North Koreans (contradiction)" in page
    assert "Sanctions hit three top officials Monday." in page and "Sanctions hit five North Koreans Monday." in page
    assert "confirmed" in page and "&lt;b&gt;checked&lt;/b&gt;" in page and "<b>checked</b>" not in page
    assert "threshold 0.3" in page


def test_printable_report_names_a_split_sentence_alone_says_the_model_once_and_lists_one_sided_sentences():
    comparison = handmade()
    rows = export.alignment_rows(comparison, {(2, None): ("split", "not the same claim")})
    page = report.report_html(comparison, rows, asdict(Config(model="test")), {}, DAY)
    # sentences numbered from 1 for people: id 2 is A3 (issue 25, item 10)
    assert "<td>A3</td><td>split</td>" in page and "A3 / B" not in page
    assert page.count("model test") == 1
    assert "<h2>Only in A (1)</h2>" in page and "A3: &#x27;=SUM" not in page and "A3: =SUM(A1:A2)" in page
    assert "<h2>Only in B (1)</h2>" in page and "B3: Otto Warmbier died." in page
    assert "Sentence numbers count from 1 here; in the CSV files a_id, b_id" in page


def test_story_line_names_shared_differing_and_one_sided_facts():
    line = explain.story_line(handmade())
    assert line.startswith("Both report 2018-12-10")
    assert "they differ: A reports 3 officials, B 5 North Koreans (contradiction)" in line
    assert "B alone reports Otto Warmbier" in line and line.endswith(".")


def test_story_line_leaves_out_a_bare_figure_nobody_could_quote():
    """`B alone reports 15 council members and 24` (issue 25, item 7): a figure without what it
    counts is left out of the line; with its unit it stays."""
    rows = [
        {"kind": "number", "value": "15 council members", "status": "only_b"},
        {"kind": "number", "value": "24", "status": "only_b"},
        {"kind": "number", "value": "2.5", "status": "only_b"},
        {"kind": "number", "value": "-5 percent", "status": "only_b"},
    ]
    assert explain.story_values(rows, "only_b", 3) == ["15 council members", "-5 percent"]
