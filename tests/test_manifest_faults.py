"""Manifest faults (issue 26, item 5): header cells guarded in the CSV like data cells, repeated and
colliding column names refused before any story runs, a manifest too wide refused at once, a table
that cannot be written not losing the others, and a report of punctuation only having no sentences.
Stories are run by a stand-in for `run_story` (no model): these are checks of the runner itself."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pandas as pd
import pytest

from compare.batch import run as batch_run
from compare.batch.manifest import MAX_COLUMNS, ManifestError, read_manifest
from compare.batch.run import run_batch
from compare.batch.worker import StoryResult, report_row
from compare.cli import main
from compare.config import Config
from compare.pipeline import split_checked
from compare.records import Article, LoadError
from tests.test_batch import read_csv

FORMULA = '=HYPERLINK("http://example.org","click")'


def manifest(folder: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A manifest in `folder` written by the csv module (cells with commas or quotes quoted)."""
    path = folder / "manifest.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return path


def stand_in_story(task, config, fingerprint=""):
    """A story's result without the model: one reports row per manifest row, nothing else."""
    reports = tuple(
        report_row(task.story, e, Article(e.report, e.get("source") or "Outlet", "A title", None, "Text."))
        for e in task.reports
    )
    return StoryResult(task.story, fingerprint, True, "", 0.0, "test", reports=reports, summary=(("reports", 2),))


@pytest.fixture
def stand_in(monkeypatch):
    """Stories run by `stand_in_story`; the list of the stories run."""
    ran: list[str] = []

    def run_story(task, config, fingerprint=""):
        ran.append(task.story)
        return stand_in_story(task, config, fingerprint)

    monkeypatch.setattr(batch_run, "run_story", run_story)
    return ran


def run_serial(path: Path, out: Path):
    return run_batch(path, out, Config(use_cache=False), engine="serial")


def test_a_formula_header_is_guarded_in_reports_csv_like_a_data_cell(tmp_path, stand_in):
    rows = [["s", "a.txt", FORMULA, "u"], ["s", "b.txt", "", ""]]
    path = manifest(tmp_path, ["story", "report", FORMULA, "url"], rows)
    run = run_serial(path, tmp_path / "out")
    assert run.exit_code == 0 and stand_in == ["s"]
    with open(tmp_path / "out" / "reports.csv", newline="", encoding="utf-8") as handle:
        header, first, _ = list(csv.reader(handle))
    assert header[-2:] == ["'" + FORMULA, "manifest_url"]  # guarded as the data cell below it is
    assert first[-2:] == ["'" + FORMULA, "u"]
    assert not [cell for cell in header if cell.startswith(("=", "+", "-", "@"))]
    assert list(pd.read_parquet(tmp_path / "out" / "reports.parquet").columns)[-2:] == [FORMULA, "manifest_url"]


@pytest.mark.parametrize(
    ("header", "named"),
    [
        (["story", "report", "notes", "notes"], ["'notes'"]),
        (["story", "report", "url", "manifest_url"], ["'url'", "'manifest_url'"]),
        (["story", "report", "manifest_title", "lang", "title"], ["'manifest_title'", "'title'"]),
        (["story", "report", "story"], ["'story'"]),
    ],
)
def test_repeated_or_colliding_columns_are_refused_before_any_story_runs(tmp_path, stand_in, capsys, header, named):
    rows = [["s", "a.txt", *[""] * (len(header) - 2)], ["s", "b.txt", *[""] * (len(header) - 2)]]
    path = manifest(tmp_path, header, rows)
    with pytest.raises(ManifestError) as caught:
        run_serial(path, tmp_path / "out")
    assert all(name in str(caught.value) for name in named) and "\n" not in str(caught.value)
    assert stand_in == [] and not (tmp_path / "out").exists()  # nothing ran, nothing written
    assert main(["batch", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and all(name in err for name in named)


def test_a_manifest_wider_than_the_limit_is_refused_at_once(tmp_path, capsys):
    wide = [f"extra_column_{k:05d}_" + "x" * 80 for k in range(50_000)]  # a header line of about 5 MB
    path = manifest(tmp_path, ["story", "report", *wide], [["s", "a.txt"], ["s", "b.txt"]])
    assert path.stat().st_size > 4_000_000
    started = time.monotonic()
    with pytest.raises(ManifestError, match=f"50,002 columns; a manifest may have at most {MAX_COLUMNS}"):
        read_manifest(path)
    assert main(["batch", str(path), "--out", str(tmp_path / "out")]) == 2
    assert time.monotonic() - started < 2
    assert f"at most {MAX_COLUMNS}" in capsys.readouterr().err
    limit = ["story", "report", *wide[: MAX_COLUMNS - 2]]  # at the limit: read
    assert len(read_manifest(manifest(tmp_path, limit, [["s", "a.txt"], ["s", "b.txt"]]))[0].reports[0].extra) == 198
    cells = manifest(tmp_path, ["story", "report"], [["s", "a.txt", *wide], ["s", "b.txt"]])  # a wide data line
    started = time.monotonic()
    with pytest.raises(ManifestError, match="more cells than the header"):
        read_manifest(cells)
    assert time.monotonic() - started < 2


def test_a_table_that_cannot_be_written_does_not_lose_the_others(tmp_path, stand_in, monkeypatch, capsys):
    path = manifest(tmp_path, ["story", "report"], [["s", "a.txt"], ["s", "b.txt"], ["t", "a.txt"], ["t", "b.txt"]])
    write_table = batch_run.write_table

    def failing(out, name, *args):
        if name == "reports":
            raise OSError(28, "No space left on device")
        write_table(out, name, *args)

    monkeypatch.setattr(batch_run, "write_table", failing)
    with pytest.raises(OSError, match="reports.csv .*reports.parquet"):
        run_serial(path, tmp_path / "out")
    out = tmp_path / "out"
    assert [r["story"] for r in read_csv(out / "stories.csv")] == ["s", "t"]
    assert list(pd.read_parquet(out / "stories.parquet")["status"]) == ["ok", "ok"]
    assert all((out / f"{name}.csv").exists() for name in ("pairs", "facts", "claims"))
    assert not (out / "reports.csv").exists() and "end: 2 ok" in (out / "run.log").read_text()
    assert main(["batch", str(path), "--out", str(out), "--engine", "serial"]) == 2  # one line, no traceback
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "reports.csv" in err


@pytest.mark.parametrize("text", ["!!! ... ???", "— — —\n\n* * *", "…!?", "___ ---"])
def test_a_report_without_a_letter_or_digit_has_no_sentences(text):
    with pytest.raises(LoadError, match="no sentences found in the report"):
        split_checked(Article("p", "P", "", None, text))
    assert [s.text for s in split_checked(Article("w", "W", "", None, f"It rained. {text}"))][0] == "It rained."
