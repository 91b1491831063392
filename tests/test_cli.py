"""The command line: exit codes, one-line errors, outputs and the summary."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compare.cli import build_parser
from compare.config import SETTINGS
from tests.conftest import ROOT, SEED_A, SEED_B


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "compare", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("", None, "is a directory"),
        ("empty.txt", b"", "empty"),
        ("bin.txt", b"\x89PNG\r\n\x1a\n\xff\xfe\x00", "not a text file"),
        ("title-only.txt", b"---\ntitle: Only\n---\n", "no text"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, name, content, message):
    bad = tmp_path / name if name else tmp_path
    if content is not None:
        bad.write_bytes(content)
    result = run_cli(str(bad), str(SEED_B))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.com:99999/", "not a valid URL (Port out of range"),
        ("http://[::1", "not a valid URL (Invalid IPv6 URL)"),
        ("http://user@127.0.0.1@example.com/", "user names and passwords in URLs are not supported"),
    ],
)
def test_malformed_url_exits_2_with_one_line(url, message):
    result = run_cli(url, str(SEED_B))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_model_exits_2(tmp_path):
    result = run_cli(str(SEED_A), str(SEED_B), "--model", str(tmp_path / "no-such-model"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot load model")
    assert "Traceback" not in result.stderr


def test_seed_run_writes_every_output(tmp_path):
    """Every file, into a folder that does not exist yet (as `out/` on a fresh clone)."""
    out = {name: tmp_path / "out" / name for name in ("al.csv", "disc.csv", "facts.csv", "all.json")}
    result = run_cli(
        str(SEED_A),
        str(SEED_B),
        "--csv",
        str(out["al.csv"]),
        "--discrepancies",
        str(out["disc.csv"]),
        "--facts-csv",
        str(out["facts.csv"]),
        "--json",
        str(out["all.json"]),
    )
    assert result.returncode == 0, result.stderr
    assert "rows: agree" in result.stdout and "only in B:" in result.stdout
    header = out["al.csv"].read_text(encoding="utf-8").splitlines()[0]
    assert (
        header
        == "status,similarity,a_id,a_text,b_id,b_text,shared_facts,a_only_facts,b_only_facts,conflicts,review,note,"
        "to_check,a_source,b_source,wording"
    )
    with open(out["al.csv"], encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["a_id"] for r in rows if r["a_id"]} == {str(i) for i in range(17)}
    assert {r["b_id"] for r in rows if r["b_id"]} == {str(i) for i in range(28)}
    with open(out["disc.csv"], encoding="utf-8") as handle:
        statuses = [r["status"] for r in csv.DictReader(handle)]
    assert "agree" not in statuses
    payload = json.loads(out["all.json"].read_text(encoding="utf-8"))
    assert payload["a"]["published"] == "2018-12-16" and payload["facts"]


def test_every_setting_is_a_flag_with_help():
    parser = build_parser()
    flags = {a.dest: a for a in parser._actions}
    for name, default, help_text in SETTINGS:
        assert len(help_text) > 20, name
        assert flags[name].default == default
        assert help_text in flags[name].help
    assert "threshold" in flags and "model" in flags


def undated_pair(folder: Path) -> tuple[Path, Path]:
    """Two plain .txt reports with no front matter and no date line, one event told with a weekday
    ("Monday night") and with another calendar day ("March 6")."""
    a, b = folder / "a.txt", folder / "b.txt"
    a.write_text("Police said the gunman opened fire Monday night, killing 7 people.\n\nThe mayor spoke Tuesday.\n",
                 encoding="utf-8")
    b.write_text("The gunman opened fire on March 6, killing 9 people, police said.\n\nThe mayor spoke Tuesday.\n",
                 encoding="utf-8")
    return a, b


def test_an_undated_report_is_warned_about_and_published_dates_place_it(tmp_path):
    a, b = undated_pair(tmp_path)
    undated = run_cli(str(a), str(b), "--facts-csv", str(tmp_path / "f1.csv"))
    assert undated.returncode == 0, undated.stderr
    assert undated.stderr.count("has no publication date") == 2 and "(undated)" in undated.stdout
    dated = run_cli(str(a), str(b), "--published", "2021-03-10,2021-03-10", "--source", "Paper A,",
                    "--csv", str(tmp_path / "al.csv"), "--facts-csv", str(tmp_path / "f2.csv"))
    assert dated.returncode == 0, dated.stderr
    assert "no publication date" not in dated.stderr
    assert "A: Paper A (2021-03-10)" in dated.stdout and "B: b (2021-03-10)" in dated.stdout
    facts = (tmp_path / "f2.csv").read_text(encoding="utf-8")
    assert "2021-03-08" in facts and "2021-03-08 night" in facts and "2021-03-06" in facts  # Monday night: March 8
    rows = (tmp_path / "al.csv").read_text(encoding="utf-8")
    # a difference, to check or a conflict
    assert "A gives the date as 2021-03-08, B as 2021-03-06 (different date)" in rows


def test_published_on_the_command_line_may_carry_a_time():
    """`--published` takes a day or an ISO date and time (issue 28, item 4); a blank keeps the report's own."""
    from datetime import UTC, date, datetime, timedelta, timezone

    from compare.cli import given
    from compare.records import Article

    reports = [Article(k, k, "", date(2021, 3, 1), "Text.") for k in "abc"]
    out = given(reports, "2021-03-10T09:30-05:00,2021-03-10T14:00Z,", None)
    assert out[0].published == date(2021, 3, 10)
    assert out[0].published_at == datetime(2021, 3, 10, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert out[1].published_at == datetime(2021, 3, 10, 14, 0, tzinfo=UTC)
    assert out[2] == reports[2]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--published", "2021-13-10"), "error: --published: '2021-13-10' is not a date (YYYY-MM-DD) or an ISO date "
         "and time (YYYY-MM-DDTHH:MM, a zone such as -05:00 or Z after it)"),
        (("--published", "2021-03-10,2021-03-10,2021-03-11"), "error: --published: 3 values for 2 reports"),
        (("--source", "A,B,C"), "error: --source: 3 values for 2 reports"),
    ],
)
def test_bad_published_or_source_exits_2_with_one_line(tmp_path, flags, message):
    a, b = undated_pair(tmp_path)
    result = run_cli(str(a), str(b), *flags)
    assert result.returncode == 2 and result.stderr.strip() == message
