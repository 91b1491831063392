"""The batch runner against a loop of CLI calls (issue 15), in one run.

The corpus: the dev pairs (`../shared/eval/dev/*/{a,b}.txt`) and the 2 three-report stories
(`../shared/eval/stories/*/story.json`), repeated under other story ids up to STORIES stories
(default 48). It is run
1. as a serial loop of cold CLI calls, one per story (`python -m compare R1 R2 [R3] --no-cache
   --csv ... --facts-csv ...`, plus `--claims-csv` for three reports);
2. as `python -m compare batch MANIFEST --out DIR --no-cache` with the local pool of WORKERS
   processes (default 2).
Both without the on-disk cache, so what the batch saves is its own: the models loaded once per
worker, and each report read and embedded once per worker. For each: wall time, throughput
(stories per minute) and peak memory (the largest sum of the resident memory of the command's
process tree, sampled every 0.2 s with psutil).

`python benchmarks/batch.py` prints a Markdown table (slow: about a quarter of an hour here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
STORIES = int(os.environ.get("STORIES", "48"))
WORKERS = int(os.environ.get("WORKERS", "2"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def base_stories() -> list[list[Path]]:
    """The reports of each dev pair and each story of the eval folder."""
    stories = [[folder / "a.txt", folder / "b.txt"] for folder in sorted((EVAL / "dev").iterdir()) if folder.is_dir()]
    for spec in sorted((EVAL / "stories").glob("*/story.json")):
        stories.append([spec.parent / name for name in json.loads(spec.read_text())["reports"]])
    return stories


def corpus(n: int) -> list[tuple[str, list[Path]]]:
    """`n` stories: the base stories in turn, each copy under its own id."""
    base = base_stories()
    return [(f"s{k:03d}-{base[k % len(base)][0].parent.name}", base[k % len(base)]) for k in range(n)]


def run_measured(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak MB of the process tree's summed RSS) of a command that must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    parent = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:5])} ...: exit {process.returncode}: {process.stderr.read()[-500:]}")
    return seconds, peak / 2**20


def cli_loop(stories: list[tuple[str, list[Path]]], out: Path) -> tuple[float, float]:
    """(wall seconds, peak MB) of one cold CLI call per story, one after another."""
    seconds, peak = 0.0, 0.0
    for story, reports in stories:
        command = [sys.executable, "-m", "compare", *map(str, reports), "--no-cache"]
        command += ["--csv", str(out / f"{story}.csv"), "--facts-csv", str(out / f"{story}-facts.csv")]
        if len(reports) > 2:
            command += ["--claims-csv", str(out / f"{story}-claims.csv")]
        s, p = run_measured(command)
        seconds, peak = seconds + s, max(peak, p)
    return seconds, peak


def batch_run(stories: list[tuple[str, list[Path]]], folder: Path) -> tuple[float, float]:
    """(wall seconds, peak MB) of `python -m compare batch` over the stories."""
    manifest = folder / "manifest.csv"
    rows = ["story,report"] + [f"{story},{report}" for story, reports in stories for report in reports]
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "compare", "batch", str(manifest), "--out", str(folder / "out"), "--no-cache"]
    return run_measured([*command, "--workers", str(WORKERS)])


def main() -> None:
    stories = corpus(STORIES)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "cli").mkdir()
        results = {
            "serial loop of CLI calls": cli_loop(stories, folder / "cli"),
            f"batch, local pool of {WORKERS} workers": batch_run(stories, folder),
        }
    lines = [
        f"{STORIES} stories ({sum(len(r) for _, r in stories)} reports) on {os.cpu_count()} cores",
        "",
        "| run | wall time | stories per minute | peak memory |",
        "| --- | --- | --- | --- |",
    ]
    for name, (seconds, peak) in results.items():
        lines.append(f"| {name} | {seconds:.0f} s | {STORIES / seconds * 60:.1f} | {peak:.0f} MB |")
    loop, batch = results.values()
    lines.append(f"\nbatch / loop wall time: {batch[0] / loop[0]:.2f}")
    sys.stdout.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()
