"""The first full page of `make run` in a real browser, with empty caches (issue 25).

What a new user waits for, as `make run` does it with every cache folder empty (the embeddings,
the facts, the review store and the model's ONNX export): first `python -m compare.embed.encoders`
makes the export (timed apart: `make install` does it once), then `streamlit run app.py` is
started, Debian's chromium opens the page at once, and the clock stops when the seed pair's first
sentence is on screen. `--no-export` skips the first step, so the page itself waits for the export
(what a page cost before issue 25).

Run: `python benchmarks/first_page.py [--runs N] [--no-export]` (needs `/usr/bin/chromium`).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SENTENCE = "North Korea threatened to kill any progress toward denuclearization"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_run(tmp: Path, export: bool) -> tuple[float, float, float]:
    """(seconds of the export step, seconds to a served page, seconds to the drawn first page),
    the last two counted from the server's start."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "COMPARE_CACHE_DIR": str(tmp / "cache"),
        "COMPARE_REVIEW_DB": str(tmp / "reviews.sqlite"),
    }
    start = time.perf_counter()
    if export:
        subprocess.run([sys.executable, "-m", "compare.embed.encoders"], cwd=ROOT, env=env, check=True)
    exported = time.perf_counter() - start
    start = time.perf_counter()
    with (tmp / "server.log").open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        served = time.perf_counter() - start
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(url)
            page.get_by_text(SENTENCE).first.wait_for(timeout=300_000)
            drawn = time.perf_counter() - start
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    return exported, served, drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-export", action="store_true", help="leave the ONNX export to the first page")
    args = parser.parse_args()
    served_runs, drawn_runs = [], []
    for k in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            exported, served, drawn = one_run(Path(tmp), not args.no_export)
        served_runs.append(served)
        drawn_runs.append(drawn)
        sys.stdout.write(
            f"run {k + 1}: export step {exported:.1f} s; then server up {served:.1f} s, page drawn {drawn:.1f} s\n"
        )
    sys.stdout.write(
        f"median: server up {statistics.median(served_runs):.1f} s, "
        f"first page {statistics.median(drawn_runs):.1f} s (target < 15 s)\n"
    )


if __name__ == "__main__":
    main()
