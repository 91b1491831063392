"""The local pool's workers end with the batch (issue 26, item 6): killing the `python -m compare
batch` process alone (SIGKILL, so it cleans up nothing) ends its pool workers, their facts processes
and the resource tracker within seconds; Ctrl-C (SIGINT to that process alone) stops the run at once,
ends them too, and keeps the parts written, which the next run skips. Real runs of the seed reports
with the real model, as subprocesses; every wait is bounded and every process started is ended."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from compare.batch import run as batch_run
from compare.batch.manifest import read_manifest
from compare.batch.run import read_part, run_batch, settings_key
from compare.config import Config
from tests.conftest import ROOT, SEED_A, SEED_B
from tests.test_batch import write_manifest
from tests.test_manifest_faults import stand_in_story

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
GONE_WITHIN = 20.0  # seconds


def seed_manifest(folder: Path, stories: int) -> Path:
    """A manifest of `stories` stories, each the two seed reports (copied into `folder`)."""
    a, b = (shutil.copy(report, folder / report.name) for report in (SEED_A, SEED_B))
    return write_manifest(folder, [(f"seed-{k}", str(path), "") for k in range(stories) for path in (a, b)])


def start_batch(manifest: Path, out: Path) -> subprocess.Popen:
    """`python -m compare batch` with the local engine and 2 workers, in a session of its own (so
    the `finally` of a test can end whatever is left of it by its process group)."""
    command = [sys.executable, "-m", "compare", "batch", str(manifest), "--out", str(out), "--engine", "local",
               "--workers", "2", "--no-cache"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with open(out.parent / "stderr.txt", "w", encoding="utf-8") as stderr:
        return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stderr=stderr)


def wait_for_workers(pid: int, seconds: float = 120.0) -> list:
    """The batch's descendants once both pool workers exist and each has started its facts process
    (or `seconds` have passed with the workers there)."""
    batch, deadline = psutil.Process(pid), time.monotonic() + seconds
    while time.monotonic() < deadline:
        workers = [p for p in batch.children() if "spawn_main" in " ".join(safe(p.cmdline, []))]
        if len(workers) == 2 and all(safe(w.children, []) for w in workers):
            break
        time.sleep(0.1)
    assert len(workers) == 2, "the pool's workers did not start"
    return batch.children(recursive=True)


def safe(call, default):
    try:
        return call()
    except psutil.Error:
        return default


def alive(processes: list) -> list[int]:
    """The pids among `processes` still running (a zombie, ended and waiting to be reaped, is not)."""
    return [p.pid for p in processes if safe(p.is_running, False) and safe(p.status, "") != psutil.STATUS_ZOMBIE]


def wait_gone(processes: list, seconds: float = GONE_WITHIN) -> list[int]:
    """The pids still running after `seconds` (at most), checked every 0.2 s."""
    deadline = time.monotonic() + seconds
    while alive(processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive(processes)


def end(process: subprocess.Popen, processes: list) -> None:
    """Kill whatever is left of a batch: its process group, and each of `processes`."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for p in processes:
        safe(p.kill, None)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass


def test_killing_the_batch_process_alone_ends_its_workers_and_their_facts_processes(tmp_path):
    process, processes = start_batch(seed_manifest(tmp_path, 6), tmp_path / "out"), []
    try:
        processes = wait_for_workers(process.pid)
        names = [" ".join(safe(p.cmdline, [])) for p in processes]
        assert sum("spawn_main" in n for n in names) >= 3 and any("resource_tracker" in n for n in names)
        os.kill(process.pid, signal.SIGKILL)  # the batch alone: its workers are left to notice
        process.wait(timeout=30)
        assert wait_gone(processes) == [], "still running: " + "; ".join(names)
    finally:
        end(process, processes)


def test_ctrl_c_stops_the_batch_and_its_workers_and_a_rerun_skips_the_finished_stories(tmp_path, monkeypatch):
    manifest, out = seed_manifest(tmp_path, 60), tmp_path / "out"
    process, processes = start_batch(manifest, out), []
    try:
        processes = wait_for_workers(process.pid)
        deadline = time.monotonic() + 180
        while not list((out / "parts").glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.1)
        processes = psutil.Process(process.pid).children(recursive=True)
        os.kill(process.pid, signal.SIGINT)  # to the batch alone, not its process group
        assert process.wait(timeout=GONE_WITHIN) == 130  # not after all 60 stories
        assert wait_gone(processes) == []
        said = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
        assert "interrupted: stories finished so far are kept" in said and "Traceback" not in said
    finally:
        end(process, processes)
    log = (out / "run.log").read_text()
    assert "interrupted: " in log and "end: " not in log
    config, tasks = Config(use_cache=False), read_manifest(manifest)
    finished = {t.story for t in tasks if (p := read_part(out, t, t.fingerprint(settings_key(config)))) and p.ok}
    assert 1 <= len(finished) < len(tasks) and len(finished) == len(list((out / "parts").glob("*.json")))
    ran: list[str] = []  # the rerun, its stories run by a stand-in (no model): only the others run

    def run_story(task, *args):
        ran.append(task.story)
        return stand_in_story(task, *args)

    monkeypatch.setattr(batch_run, "run_story", run_story)
    run = run_batch(manifest, out, config, engine="serial")
    assert run.skipped == len(finished) and set(ran) == {t.story for t in tasks} - finished


def test_a_facts_process_whose_parent_died_while_it_started_ends_at_once():
    """The facts process's watchdog is given its parent's pid by the parent: a process that starts
    after that parent was killed (it now has another parent) ends at once, instead of watching the
    process that adopted it for ever."""
    code = "from compare.facts.process import end_with_parent; end_with_parent(2**22 + 1); print('still here')"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "still here" not in result.stdout


def test_killing_a_serial_batch_alone_ends_its_facts_process(tmp_path):
    """The facts process watches its parent (`compare.facts.process.end_with_parent`): kill -9 of
    a batch run by the serial engine, whose facts process is its own child, ends that process too."""
    manifest, out = seed_manifest(tmp_path, 60), tmp_path / "out"
    command = [sys.executable, "-m", "compare", "batch", str(manifest), "--out", str(out), "--engine", "serial",
               "--no-cache"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, start_new_session=True,
                               stderr=subprocess.DEVNULL)
    children: list = []
    try:
        deadline = time.monotonic() + 120
        while not children and time.monotonic() < deadline:
            children = [p for p in safe(psutil.Process(process.pid).children, []) if "spawn_main" in
                        " ".join(safe(p.cmdline, []))]
            time.sleep(0.1)
        assert children, "the facts process did not start"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert wait_gone(children) == []
    finally:
        end(process, children)
