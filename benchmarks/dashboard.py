"""The dashboard's first render of the seed pair with empty caches, next to the cold CLI, the two
interleaved (issue 13: the first render within 1.5 x the cold CLI of the same run).

The first render is `AppTest.from_file("app.py").run()` in a fresh Python process with an empty
embedding and facts cache and an empty review store: Python start, the Streamlit import, the
model load, the facts process, embedding both reports and drawing every element, as a server
does for its first visitor (without the browser's own drawing), up to the drawn page: the
process then ends at once, as the CLI does (the interpreter's teardown is no part of a first
render; it was until 2026-12-01). Run alone:
`python benchmarks/dashboard.py`; `make bench` includes it.
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
A = ROOT / "articles" / "000_54a59e14602e937a.txt"
B = ROOT / "articles" / "003_d6f58a359228a0fb.txt"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
RENDER = (
    "from streamlit.testing.v1 import AppTest\n"
    "at = AppTest.from_file('app.py', default_timeout=600)\n"
    "at.run()\n"
    "assert not at.exception, at.exception\n"
    "assert any('Seed report 000' in m.value for m in at.markdown)\n"
    # the page is drawn: stop timing there, as a server would go on serving; like the CLI, skip
    # the interpreter's teardown (stopping the facts process first, as the CLI does)
    "import os, sys\n"
    "from compare.pipeline import stop_facts_process\n"
    "stop_facts_process()\n"
    "sys.stdout.flush()\n"
    "os._exit(0)\n"
)


def seconds(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one successful run of `command` in the project folder."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def first_render_rows(runs: int = RUNS) -> list[tuple[str, str]]:
    """[(what, figure)] for the cold CLI and the dashboard's first render, medians of `runs`
    interleaved runs, each render with empty embedding and facts caches of its own."""
    sys.path.insert(0, str(ROOT))
    from compare.embed.onnx import onnx_dir

    cli_runs, render_runs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        cli = [sys.executable, "-m", "compare", str(A), str(B), "--csv", str(Path(tmp) / "al.csv"), "--no-cache"]
        for k in range(runs):
            cli_runs.append(seconds(cli, ENV))
            fresh = {
                **ENV,
                "COMPARE_CACHE_DIR": str(Path(tmp) / f"cache{k}"),
                "COMPARE_REVIEW_DB": str(Path(tmp) / f"reviews{k}.sqlite"),
                # the exported ONNX model stays where the cold CLI finds it (made once per model,
                # like an install step); embeddings and facts start empty
                "COMPARE_ONNX_DIR": str(onnx_dir()),
            }
            render_runs.append(seconds([sys.executable, "-c", RENDER], fresh))
    cold, render = statistics.median(cli_runs), statistics.median(render_runs)
    spread = f"{min(render_runs):.1f}-{max(render_runs):.1f} s"
    return [
        ("seed pair: compare CLI, cold (--no-cache), same run", f"{cold:.2f} s"),
        (
            "seed pair: dashboard first render, empty caches",
            f"{render:.2f} s ({spread})  ({render / cold:.2f} x cold CLI; target <= 1.2)",
        ),
    ]


if __name__ == "__main__":
    for key, value in first_render_rows():
        sys.stdout.write(f"{key}  {value}\n")
