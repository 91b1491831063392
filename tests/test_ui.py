"""The dashboard's helpers on the real seed comparison: the similarity map's window."""

from __future__ import annotations

import numpy as np

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
