"""Cost of a story of 5 reports against a pair (issue 14), in one run.

The five longest dev reports (63, 47, 85, 44 and 43 sentences, about 56 on average; the story
reports are shorter) are compared
1. from the command line, cold (`python -m compare R1 R2 --no-cache` against
   `python -m compare R1 ... R5 --no-cache --claims-csv ...`), interleaved, median of RUNS runs;
2. in one process with the model loaded: the story (`Session.prepare_story` + `compare_story`:
   each report split, read and embedded once, 10 pairs aligned) against the first two reports
   as a pair, and against preparing each of the 10 pairs on its own (what a loop over pairs does).

`python benchmarks/story.py` prints a Markdown table; `make bench` (part `story`) prints its rows.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"
STORIES = ROOT.parent / "shared" / "eval" / "stories"
REPORTS = [
    DEV / "d01-quake" / "a.txt",
    DEV / "d11-strike" / "a.txt",
    DEV / "d06-wildfire" / "a.txt",
    DEV / "d05-border" / "b.txt",
    STORIES / "betting" / "usatoday.txt",
]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def cli_seconds(reports: list[Path], out: Path) -> float:
    """Wall seconds of one cold CLI run over `reports` (which must succeed)."""
    command = [sys.executable, "-m", "compare", *map(str, reports), "--no-cache"]
    if len(reports) > 2:
        command += ["--claims-csv", str(out / "claims.csv")]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def in_process() -> dict[str, float]:
    """Median seconds, model loaded, no caches: the pair, the 5-report story, the 10 pairs one by one."""
    sys.path.insert(0, str(ROOT))
    from itertools import combinations

    from compare.config import Config
    from compare.session import Session

    times: dict[str, list[float]] = {"pair": [], "story": [], "pairs one by one": []}
    with Session(Config(use_cache=False)) as session:
        articles = session.load_story(REPORTS)
        session.compare(session.prepare(articles[0], articles[1]))  # load the model and start the facts process
        for _ in range(RUNS):
            start = time.perf_counter()
            session.compare(session.prepare(articles[0], articles[1]))
            times["pair"].append(time.perf_counter() - start)
            start = time.perf_counter()
            story = session.compare_story(session.prepare_story(articles))
            times["story"].append(time.perf_counter() - start)
            start = time.perf_counter()
            for a, b in combinations(articles, 2):
                session.compare(session.prepare(a, b))
            times["pairs one by one"].append(time.perf_counter() - start)
    sizes = [len(side.sentences) for side in story.sides]
    return {**{k: statistics.median(v) for k, v in times.items()}, "claims": len(story.claims), "sizes": sizes}


def measure() -> dict:
    """Median seconds of the cold CLI runs (`cli_2`, `cli_5`) and of the in-process runs."""
    with tempfile.TemporaryDirectory() as tmp:
        cold: dict[int, list[float]] = {2: [], 5: []}
        for _ in range(RUNS):
            for n in (2, 5):
                cold[n].append(cli_seconds(REPORTS[:n], Path(tmp)))
    return {"cli_2": statistics.median(cold[2]), "cli_5": statistics.median(cold[5]), **in_process()}


def story_rows() -> list[tuple[str, str]]:
    """`make bench` rows: the 5-report story against a pair, cold CLI and in one process."""
    m = measure()
    sizes = "+".join(str(n) for n in m["sizes"])
    return [
        (f"story of 5 reports ({sizes} sentences), cold CLI", f"{m['cli_5']:.2f} s = {m['cli_5'] / m['cli_2']:.2f}x "
         f"the first 2 as a pair ({m['cli_2']:.2f} s)"),
        ("story of 5 reports, model loaded", f"{m['story']:.2f} s = {m['story'] / m['pair']:.2f}x a pair "
         f"({m['pair']:.2f} s); the 10 pairs prepared one by one {m['pairs one by one']:.2f} s"),
    ]


def main() -> None:
    m = measure()
    lines = [
        f"reports: {', '.join(str(n) for n in m['sizes'])} sentences; {os.cpu_count()} cores; medians of {RUNS} runs",
        "",
        "| run | 2 reports (1 pair) | 5 reports (10 pairs) | 5 / 2 |",
        "| --- | --- | --- | --- |",
        f"| cold CLI (`--no-cache`) | {m['cli_2']:.2f} s | {m['cli_5']:.2f} s | {m['cli_5'] / m['cli_2']:.2f}x |",
        f"| one process, model loaded | {m['pair']:.2f} s | {m['story']:.2f} s | {m['story'] / m['pair']:.2f}x |",
        f"| one process, each of the 10 pairs prepared on its own | | {m['pairs one by one']:.2f} s "
        f"| {m['pairs one by one'] / m['pair']:.2f}x |",
        "",
        f"claims in the 5-report story: {m['claims']}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
