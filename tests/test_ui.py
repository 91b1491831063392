"""The dashboard's helpers on the real seed comparison: the similarity map's window."""

from __future__ import annotations

import numpy as np
import pytest

from compare import ui


def test_similarity_map_window(seed_comparison):
    c = seed_comparison
    n, m = len(c.a_sentences), len(c.b_sentences)
    whole = ui.heatmap_records(c)
    assert len(whole) == min(n, ui.MAP_SIZE) * min(m, ui.MAP_SIZE)
    dense = c.a_vectors @ c.b_vectors.T
    for record in whole[:50]:
        assert record["similarity"] == round(float(dense[record["a"], record["b"]]), 3)

    window = ui.heatmap_records(c, a_start=n - 3, b_start=2, size=5)
    assert {r["a"] for r in window} == {n - 3, n - 2, n - 1}  # clipped at the end of A
    assert {r["b"] for r in window} == set(range(2, 7))
    aligned = {(v.alignment.a, v.alignment.b): v.status.value for v in c.verdicts}
    assert all(r["status"] == aligned.get((r["a"], r["b"]), "") for r in window)
    assert np.isclose(c.similarity(n - 1, 2), dense[n - 1, 2])


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
