"""The corpus batch runner: the manifest, equality with single comparisons (serially, in the local
pool and on a local Dask cluster), one bad story among good ones, resuming after a kill, and the
corpus summary. Real reports from ../shared/eval, the real model."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from compare.batch.manifest import ManifestError, read_manifest
from compare.batch.run import TABLE_COLUMNS, part_path, run_batch
from compare.batch.summary import summarize, summary_text
from compare.batch.worker import MemoEncoder
from compare.cli import main
from compare.config import Config
from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.skipif(not (SHARED / "eval").exists(), reason="needs ../shared/eval")
DEV = SHARED / "eval" / "dev"
BETTING = SHARED / "eval" / "stories" / "betting"
SENTENCE = (DEV / "d10-sentence" / "a.txt", DEV / "d10-sentence" / "b.txt")  # the smallest dev pair
CONFIG = Config(use_cache=False)  # every vector computed: nothing shared through the disk cache


def write_manifest(folder: Path, rows: list[tuple[str, ...]], header: str = "story,report,source") -> Path:
    """A manifest in `folder`; report paths are written relative to it."""
    lines = [header] + [",".join(os.path.relpath(c, folder) if c.startswith("/") else c for c in r) for r in rows]
    path = folder / "manifest.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def good_rows() -> list[tuple[str, ...]]:
    """Three stories: a dev pair, the same reports under another id, and the three betting reports."""
    a, b = (str(p) for p in SENTENCE)
    return [
        ("sentence", a, "Outlet A"),
        ("sentence", b, "Outlet B"),
        ("sentence-again", a, "Outlet A"),
        ("sentence-again", b, "Outlet B"),
        *[("betting", str(BETTING / f"{name}.txt"), name) for name in ("fox", "reuters", "usatoday")],
    ]


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def single_rows(a: Path, b: Path, folder: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(alignment rows, facts rows) of `python -m compare A B --no-cache`, as its CSV files, the
    outlets named as the manifest names them (`--source`)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = {Path(report): source for _, report, source in good_rows()}
    code = main([str(a), str(b), "--csv", str(folder / "a.csv"), "--facts-csv", str(folder / "f.csv"), "--no-cache",
                 "--source", f"{sources[a]},{sources[b]}"])
    assert code == 0
    return read_csv(folder / "a.csv"), read_csv(folder / "f.csv")


def story_rows(rows: list[dict[str, str]], story: str, a: str, b: str) -> list[dict[str, str]]:
    """The rows of one pair of one story, without the three columns the batch adds in front."""
    picked = [r for r in rows if (r["story"], r["a_report"], r["b_report"]) == (story, a, b)]
    return [{k: v for k, v in r.items() if k not in ("story", "a_report", "b_report")} for r in picked]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A manifest of the good stories plus two bad ones, run serially in this process."""
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    rows = good_rows() + [
        ("missing-file", str(SENTENCE[0]), ""),
        ("missing-file", str(folder / "gone.txt"), ""),
        ("empty-file", str(folder / "empty.txt"), ""),
        ("empty-file", str(SENTENCE[1]), ""),
    ]
    manifest = write_manifest(folder, rows)
    run = run_batch(manifest, folder / "out", CONFIG, engine="serial")
    return folder, manifest, run


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """The single comparisons of every pair of the good stories, from the CLI."""
    folder = tmp_path_factory.mktemp("single")
    fox, reuters, usatoday = (BETTING / n for n in ("fox.txt", "reuters.txt", "usatoday.txt"))
    pairs = {(SENTENCE[0], SENTENCE[1]), (fox, reuters), (fox, usatoday), (reuters, usatoday)}
    return {(a, b): single_rows(a, b, folder / f"{a.stem}-{b.stem}") for a, b in sorted(pairs)}


@pytest.fixture(scope="module")
def single_claims(tmp_path_factory):
    """The claims CSV of `python -m compare FOX REUTERS USATODAY --claims-csv`, reports named as
    in the batch manifest (a path relative to it) instead of by report id."""
    path = tmp_path_factory.mktemp("claims") / "claims.csv"
    files = [BETTING / f"{name}.txt" for name in ("fox", "reuters", "usatoday")]
    assert main([*map(str, files), "--claims-csv", str(path), "--no-cache"]) == 0
    return [(row, files[("fox", "reuters", "usatoday").index(row["report"])]) for row in read_csv(path)]


def check_equal_to_single(out: Path, manifest: Path, references, single_claims) -> None:
    """Every pair of every good story in `out` has the single comparison's alignment and facts
    rows, and the three-report story the single story's claims."""
    claims = [r for r in read_csv(out / "claims.csv") if r["story"] == "betting"]
    expected = [
        {"story": "betting"} | row | {"report": os.path.relpath(f, manifest.parent)} for row, f in single_claims
    ]
    assert claims == expected and len({r["claim_id"] for r in claims}) > 5
    assert {r["story"] for r in read_csv(out / "claims.csv")} == {"betting"}  # claims of 3+ reports only
    pairs, facts = read_csv(out / "pairs.csv"), read_csv(out / "facts.csv")
    for task in (t for t in read_manifest(manifest) if t.story in ("sentence", "sentence-again", "betting")):
        for i, first in enumerate(task.reports):
            for second in task.reports[i + 1 :]:
                alignment, fact = references[(Path(first.location), Path(second.location))]
                assert story_rows(pairs, task.story, first.report, second.report) == alignment
                assert story_rows(facts, task.story, first.report, second.report) == fact
    assert len(pairs) == sum(len(a) for a, _ in references.values()) + len(references[SENTENCE][0])


def test_serial_batch_equals_single_comparisons(corpus, references, single_claims):
    folder, manifest, run = corpus
    check_equal_to_single(folder / "out", manifest, references, single_claims)
    betting = [r for r in read_csv(folder / "out" / "pairs.csv") if r["story"] == "betting"]
    assert {(r["a_report"], r["b_report"]) for r in betting} == {
        (f"{os.path.relpath(BETTING, folder)}/{a}.txt", f"{os.path.relpath(BETTING, folder)}/{b}.txt")
        for a, b in (("fox", "reuters"), ("fox", "usatoday"), ("reuters", "usatoday"))
    }


def test_one_bad_story_among_good_ones_is_logged_and_the_rest_written(corpus):
    folder, _, run = corpus
    out = folder / "out"
    assert run.exit_code == 1 and run.ok == 3 and dict(run.failed).keys() == {"missing-file", "empty-file"}
    stories = pd.read_parquet(out / "stories.parquet").set_index("story")
    assert list(stories.index) == ["sentence", "sentence-again", "betting", "missing-file", "empty-file"]
    assert stories.loc["missing-file", "status"] == "error" and "no such file" in stories.loc["missing-file", "error"]
    assert "empty" in stories.loc["empty-file", "error"]
    assert stories.loc["betting", "reports"] == 3 and stories.loc["betting", "pairs"] == 3
    log = (out / "run.log").read_text()
    assert "error missing-file: LoadError" in log and "ok betting" in log
    for name, columns in TABLE_COLUMNS.items():  # every table in both formats, same rows, contract columns
        frame, text = pd.read_parquet(out / f"{name}.parquet"), read_csv(out / f"{name}.csv")
        assert list(frame.columns)[: len(columns)] == list(columns) and len(frame) == len(text)
    reports = pd.read_parquet(out / "reports.parquet")
    assert set(reports["story"]) == {"sentence", "sentence-again", "betting"}
    assert reports.loc[reports["story"] == "betting", "source"].tolist() == ["fox", "reuters", "usatoday"]
    counted = stories.loc["sentence", ["agree", "partial", "conflict", "only_a", "only_b"]].sum()
    assert counted == len([r for r in read_csv(out / "pairs.csv") if r["story"] == "sentence"])


def test_cli_batch_exit_codes_and_summary(corpus, capsys):
    folder, manifest, _ = corpus
    out = folder / "out"
    assert main(["batch", str(manifest), "--out", str(out), "--engine", "serial", "--no-cache"]) == 1
    assert "3 done before" in capsys.readouterr().out  # only the two bad stories ran again
    assert main(["batch-summary", str(out)]) == 0
    text = capsys.readouterr().out
    summary = summarize(out)
    pairs = pd.read_parquet(out / "pairs.parquet")
    assert summary.counts["stories"] == 5 and summary.counts["failed"] == 2
    assert summary.counts["pairs"] == 5 and summary.counts["pair_rows"] == len(pairs)
    assert summary.statuses["only_a"] == int((pairs["status"] == "only_a").sum())
    alone = summary.alone_in_pairs.set_index("outlet")
    one_sided_a = pairs[(pairs["status"] == "only_a") & pairs["a_report"].str.endswith("fox.txt")]
    assert alone.loc["fox", "one_sided_rows"] == len(one_sided_a)  # fox is A in both of its pairs
    assert alone.loc["Outlet A", "reports"] == 2
    claims = pd.read_parquet(out / "claims.parquet")
    fox_alone = claims[(claims["n_reports"] == "1") & claims["report"].str.endswith("fox.txt")]["claim_id"].nunique()
    assert fox_alone > 1 and summary.alone_in_claims.set_index("outlet").loc["fox", "claims_alone"] == fox_alone
    assert summary.counts["claims"] == claims["claim_id"].nunique()
    assert summary_text(summary) == text and "failed: missing-file" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("story,path\ns,a.txt\ns,b.txt\n", "missing: report"),
        ("story,report\ns,a.txt\n", "needs two or more"),
        ("story,report\ns,a.txt\ns,a.txt\n", "twice"),
        ("story,report,published\ns,a.txt,May 5\ns,b.txt,\n", "not YYYY-MM-DD"),
        ("story,report\n,a.txt\n", "empty story"),
    ],
)
def test_bad_manifest_exits_2(tmp_path, capsys, content, message):
    manifest = tmp_path / "m.csv"
    manifest.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        read_manifest(manifest)
    assert main(["batch", str(manifest), "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "none.csv"), "--out", str(tmp_path / "out")]) == 2


def test_a_manifest_published_may_carry_a_time(tmp_path):
    """A manifest's `published` may be an ISO date and time (issue 28, item 4): the report gets it,
    and the reports table says it in `published_at`."""
    from datetime import UTC, date, datetime
    from types import SimpleNamespace

    from compare.batch.worker import load_report, report_row
    from compare.records import Article

    manifest = tmp_path / "m.csv"
    manifest.write_text("story,report,published\ns,a.txt,2021-03-10T09:30Z\ns,b.txt,2021-03-10\n", encoding="utf-8")
    (task,) = read_manifest(manifest)
    session = SimpleNamespace(config=Config(use_cache=False), load=lambda where: Article(where, "X", "", None, "Text."))
    a, b = (load_report(session, entry) for entry in task.reports)
    assert a.published == date(2021, 3, 10) and a.published_at == datetime(2021, 3, 10, 9, 30, tzinfo=UTC)
    assert b.published == date(2021, 3, 10) and b.published_at is None
    assert report_row("s", task.reports[0], a)["published_at"] == "2021-03-10T09:30+00:00"
    assert report_row("s", task.reports[1], b)["published_at"] == ""


def test_manifest_paths_are_relative_to_it_and_extra_columns_kept(tmp_path):
    (tmp_path / "sub").mkdir()
    manifest = tmp_path / "sub" / "m.csv"
    manifest.write_text("story,report,lang\ns,../a.txt,en\ns,https://example.org/b,de\n", encoding="utf-8")
    (task,) = read_manifest(manifest)
    assert task.reports[0].location == str(tmp_path / "a.txt") and task.reports[1].location == "https://example.org/b"
    assert task.reports[1].get("lang") == "de"


def test_a_report_in_several_stories_is_read_and_embedded_once_per_worker(corpus, monkeypatch):
    from compare import pipeline
    from compare.batch import worker as batch_worker
    from compare.batch.manifest import StoryTask

    _, manifest, _ = corpus
    session = batch_worker._SESSIONS[CONFIG]  # the serial run's worker is this process
    encoded, read = session.encoder.encoded, len(batch_worker._ARTICLES)
    monkeypatch.setattr(pipeline, "submit_facts", lambda *args: pytest.fail("spaCy asked again"))
    reports = read_manifest(manifest)[2].reports  # the betting story's three reports, in another order
    result = batch_worker.run_story(StoryTask("betting-again", reports[::-1]), CONFIG)
    assert result.ok and len(result.claims) > 0
    assert session.encoder.encoded == encoded and len(batch_worker._ARTICLES) == read


def test_memo_encoder_encodes_each_text_once():
    class Counting:
        def __init__(self) -> None:
            self.seen: list[str] = []

        def encode(self, sentences, **kwargs):
            self.seen += list(sentences)
            return [[float(len(s)), 1.0] for s in sentences]

    inner = Counting()
    memo = MemoEncoder(inner, size=3)
    assert memo.encode(["a", "bb", "a"]).tolist() == [[1, 1], [2, 1], [1, 1]]
    assert memo.encode(["bb", "ccc"]).tolist() == [[2, 1], [3, 1]]
    assert inner.seen == ["a", "bb", "ccc"]
    memo.encode(["dddd"])  # over size: the least recently used ("a") is forgotten
    memo.encode(["a"])
    assert inner.seen == ["a", "bb", "ccc", "dddd", "a"]


def test_local_pool_equals_single_comparisons(tmp_path, references, single_claims):
    manifest = write_manifest(tmp_path, good_rows())
    run = run_batch(manifest, tmp_path / "out", CONFIG, engine="local", workers=2)
    assert run.exit_code == 0 and run.ok == 3
    check_equal_to_single(tmp_path / "out", manifest, references, single_claims)
    workers = set(pd.read_parquet(tmp_path / "out" / "stories.parquet")["worker"])
    assert len(workers) <= 2 and os.getpid() not in {int(w.split(":")[1]) for w in workers}


def test_dask_cluster_by_its_address_equals_single_comparisons(tmp_path, references, single_claims):
    """An existing cluster, as a user would have one: started here (2 worker processes of one
    thread, daemonic as Dask makes them, so each reads the facts itself), named by its address."""
    distributed = pytest.importorskip("distributed")
    manifest = write_manifest(tmp_path, good_rows())
    started = time.monotonic()
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    try:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        command = ["batch", str(manifest), "--out", str(tmp_path / "out"), "--engine", "dask", "--no-cache"]
        assert main([*command, "--address", address]) == 0
        assert time.monotonic() - started < 600
    finally:
        cluster.close()
    check_equal_to_single(tmp_path / "out", manifest, references, single_claims)
    workers = set(pd.read_parquet(tmp_path / "out" / "stories.parquet")["worker"])
    assert 1 <= len(workers) <= 2 and "engine dask" in (tmp_path / "out" / "run.log").read_text()


def test_dask_engine_without_an_address_starts_and_stops_a_local_cluster(tmp_path):
    pytest.importorskip("distributed")
    a, b = (str(p) for p in SENTENCE)
    manifest = write_manifest(tmp_path, [("one", a, ""), ("one", b, ""), ("bad", a, ""), ("bad", "gone.txt", "")])
    run = run_batch(manifest, tmp_path / "out", CONFIG, engine="dask", workers=1)
    assert run.ok == 1 and [story for story, _ in run.failed] == ["bad"]
    assert "no such file" in run.failed[0][1]


def test_a_dask_address_that_cannot_be_reached_is_a_clear_error(tmp_path):
    """Nothing listens on the address: one error line and exit 2 once Dask's connect timeout (2 s
    here, by its own setting; 30 s by default) has passed, and no table written."""
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as probe:  # a port of 127.0.0.1 that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    a, b = (str(p) for p in SENTENCE)
    manifest = write_manifest(tmp_path, [("one", a, ""), ("one", b, "")])
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    done = subprocess.run(
        [sys.executable, "-m", "compare", "batch", str(manifest), "--out", str(tmp_path / "out"),
         "--engine", "dask", "--address", f"tcp://127.0.0.1:{port}", "--no-cache"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last == f"error: Timed out trying to connect to tcp://127.0.0.1:{port} after 2 s"
    assert not (tmp_path / "out" / "pairs.csv").exists()


def test_resume_after_a_kill_skips_written_stories_and_never_reads_a_partial_part(tmp_path, references):
    a, b = (str(p) for p in SENTENCE)
    rows = [(f"copy-{k}", path, source) for k in range(6) for path, source in ((a, "Outlet A"), (b, "Outlet B"))]
    manifest = write_manifest(tmp_path, rows)  # the outlets as the references name them
    out = tmp_path / "out"
    command = [sys.executable, "-m", "compare", "batch", str(manifest), "--out", str(out), "--engine", "serial"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen([*command, "--no-cache"], cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not list((out / "parts").glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the batch and its facts process, mid-run
        process.wait(timeout=60)
    broken = part_path(out, "copy-5")
    written = {p.name for p in (out / "parts").glob("*.json")} - {broken.name}
    assert 1 <= len(written) < 5 and not (out / "pairs.csv").exists()
    broken.write_text('{"story": "copy-5", "ok": tr', encoding="utf-8")  # a torn file: not taken as done
    done = subprocess.run([*command, "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{6 - len(written)} ok now, {len(written)} done before, 0 failed" in done.stdout
    single = references[SENTENCE][0]
    pairs = read_csv(out / "pairs.csv")
    for k in range(6):
        assert story_rows(pairs, f"copy-{k}", os.path.relpath(a, tmp_path), os.path.relpath(b, tmp_path)) == single
    assert json.loads(broken.read_text())["ok"] is True
    assert not [p for p in (out / "parts").iterdir() if p.suffix != ".json"]  # no temporary file left
    log = (out / "run.log").read_text()
    assert log.count("ok copy-0") == 1 and log.count("start:") == 2
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "0 ok now, 6 done before" in again.stdout  # the cache does not change rows


def test_a_story_fingerprint_changes_with_its_rows_and_settings(tmp_path):
    from compare.batch.run import settings_key

    manifest = write_manifest(tmp_path, good_rows()[:2])
    (task,) = read_manifest(manifest)
    assert task.fingerprint(settings_key(Config())) != task.fingerprint(settings_key(Config(threshold=0.5)))
    assert settings_key(Config()) == settings_key(Config(use_cache=False))
    moved = write_manifest(tmp_path, [(s, r, "Another") for s, r, _ in good_rows()[:2]])
    assert read_manifest(moved)[0].fingerprint("x") != task.fingerprint("x")


def test_the_stories_table_is_extended_at_its_end():
    """The stories table's columns before issue 24 keep their places; the later kinds of conflict
    and the rows to check come after them (a contract is extended, never reordered)."""
    from compare.batch.run import STORY_COLUMNS

    before = STORY_COLUMNS[: STORY_COLUMNS.index("worker") + 1]
    assert before[before.index("only_b") + 1 : before.index("coverage")] == (
        "conflicts_contradiction", "conflicts_qualified_figure", "conflicts_different_date",
        "conflicts_different_speaker", "conflicts_different_person_in_the_role", "conflicts_negation",
        "conflicts_different_extent", "conflicts_different_status")
    assert STORY_COLUMNS[len(before):] == (
        "conflicts_different_time", "conflicts_later_update", "to_check_rows", "shared_copy"
    )
