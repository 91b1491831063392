"""The dashboard's helpers on the real seed comparison: the similarity map's window."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard import ui


def test_similarity_map_window(seed_comparison):
    c = seed_comparison
    n, m = len(c.a_sentences), len(c.b_sentences)
    whole = ui.heatmap_records(c)
    assert len(whole) == min(n, ui.MAP_SIZE) * min(m, ui.MAP_SIZE)
    dense = c.a_vectors @ c.b_vectors.T
    for record in whole[:50]:
        assert record["similarity"] == round(float(dense[record["a"] - 1, record["b"] - 1]), 3)  # numbered from 1

    window = ui.heatmap_records(c, a_start=n - 3, b_start=2, size=5)
    assert {r["a"] for r in window} == {n - 2, n - 1, n}  # clipped at the end of A
    assert {r["b"] for r in window} == set(range(3, 8))
    aligned = {(v.alignment.a, v.alignment.b): v.status.value for v in c.verdicts}
    assert all(r["status"] == aligned.get((r["a"] - 1, r["b"] - 1), "") for r in window)
    assert np.isclose(c.similarity(n - 1, 2), dense[n - 1, 2])


def altair_map(records: list[dict], a_title: str, b_title: str) -> dict:
    """The similarity map as the dashboard drew it with altair before `ui.heatmap_spec`."""
    import altair as alt
    import pandas as pd

    heat = pd.DataFrame(records)
    every_label = {"labelOverlap": False, "labelFontSize": 10}
    base = alt.Chart(heat).encode(
        x=alt.X("b:O", title=b_title, axis=alt.Axis(labelExpr="'B' + datum.value", **every_label)),
        y=alt.Y("a:O", title=a_title, axis=alt.Axis(labelExpr="'A' + datum.value", **every_label)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("similarity:Q", scale=alt.Scale(scheme="blues"), title="cosine similarity"),
        tooltip=["a", "b", "similarity", "status", "a_text", "b_text"],
    )
    status = alt.Scale(domain=["agree", "partial", "conflict"], range=["#2e7d32", "#f9a825", "#c62828"])
    marks = (
        base.transform_filter(alt.datum.status != "")
        .mark_point(shape="square", filled=False, size=120)
        .encode(color=alt.Color("status:N", scale=status))
    )
    return (cells + marks).properties(height=18 * heat["a"].nunique() + 60).to_dict()


def test_similarity_map_spec_is_the_altair_chart_it_replaces(seed_comparison):
    """The map is drawn from a Vega-Lite spec without altair (a second of import and schema
    checks on the first page): the same layers, encodings, height and data as altair made."""
    import json

    records = ui.heatmap_records(seed_comparison)
    ours = ui.heatmap_spec(records, "A sentence (x)", "B sentence (y)")
    theirs = altair_map(records, "A sentence (x)", "B sentence (y)")
    assert json.loads(json.dumps(ours["layer"])) == theirs["layer"]
    assert ours["height"] == theirs["height"] == 18 * len(seed_comparison.a_sentences) + 60
    assert ours["data"]["values"] == theirs["datasets"][theirs["data"]["name"]]


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("plain words", "plain words"),
        ("![x](http://tracker.invalid/p.png)", r"\!\[x\]\(http\://tracker\.invalid/p\.png\)"),
        ("[link](http://evil.invalid)", r"\[link\]\(http\://evil\.invalid\)"),
        ("**FORGED**", r"\*\*FORGED\*\*"),
        ("_it_ `code` ~~gone~~", r"\_it\_ \`code\` \~\~gone\~\~"),
        ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
        ("&lt; stays &amp;", r"\&lt; stays \&amp;"),
        ("# heading", r"\# heading"),
        ("- item + item", r"\- item \+ item"),
        ("1. first", r"1\. first"),
        ("> quote | cell |", r"\> quote \| cell \|"),
        ("$x^2$ costs $5", r"\$x^2\$ costs \$5"),
        (":red[alert] :smile:", r"\:red\[alert\] \:smile\:"),
        ("{curly}", r"\{curly\}"),
        ("back\\slash", r"back\\slash"),
        ("see www.evil.invalid or me@evil.invalid", r"see www\.evil\.invalid or me\@evil\.invalid"),
        ("line one\n# line two\r\n\n---", r"line one \# line two \-\-\-"),
        ("Kim Jong-un, 3.5 m", r"Kim Jong\-un, 3\.5 m"),
    ],
)
def test_escape_markdown(text, markdown):
    assert ui.escape_markdown(text) == markdown


def test_article_files_stay_in_the_folder(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("A report.", encoding="utf-8")
    (folder / "b.md").write_text("B report.", encoding="utf-8")
    (folder / "notes.pdf").write_text("not a report", encoding="utf-8")
    (folder / "sub.txt").mkdir()
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (folder / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "alias.txt").symlink_to(folder / "a.txt")  # a link inside the folder is fine
    assert [p.name for p in ui.article_files(folder)] == ["a.txt", "alias.txt", "b.md"]
    assert ui.article_files(tmp_path / "missing") == []


def test_the_differing_words_are_marked_in_both_sentences():
    """The words a conflict or a difference to check names are bold in a card and marked in the
    side-by-side view, each sentence with its own words; the rest stays escaped text."""
    from tests.test_export import handmade

    comparison = handmade()
    verdict = comparison.verdicts[0]  # three officials vs five North Koreans
    a_text, b_text = comparison.a_sentences[0].text, comparison.b_sentences[0].text
    assert ui.verdict_spans(verdict, "a", a_text) == [(0, 5)] and ui.verdict_spans(verdict, "b", b_text) == [(0, 4)]
    assert ui.difference_spans(comparison, "a") == {0: [(0, 5)]}
    assert ui.marked_markdown("three <b>x</b> officials", [(0, 5)]) == "**three** \\<b\\>x\\</b\\> officials"
    assert ui.marked_html("5 < 7 people", [(4, 5), (0, 1)]) == "<mark>5</mark> &lt; <mark>7</mark> people"
    page = ui.report_html(comparison.a_sentences, ui.sentence_statuses(comparison, "a"), "a",
                          ui.difference_spans(comparison, "a"))
    assert ui.marked_html(a_text, [(0, 5)]) in page and page.count("<mark>") == 1
