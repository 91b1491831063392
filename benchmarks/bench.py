"""`make bench`: speed and memory figures, measured in one run so the ratios are fair.

1. Seed pair, cold: `python -m compare A B --csv ... --no-cache` with the default (onnx) and the
   torch backend, next to benchmarks/stock.py (load the model, encode both reports, best match
   per sentence), each the median of RUNS runs, the three interleaved.
2. Seed pair, warm: the CLI again with a filled embedding cache (the model is not loaded at all).
3. Encode throughput of each backend (onnx, torch, int8): compare's `encode_texts` next to the
   backend's plain `encode` on the same sentences (for onnx, `OnnxEncoder.encode`).
4. The seed reference scores with each backend (onnx, torch, int8).
5. A 2,000 x 2,000 sentence pair built from real report sentences (benchmarks/long_pair.py):
   wall time (median and range of RUNS runs) and peak memory, each run in a separate process.
6. 5,000 copies of one sentence on each side (benchmarks/identical.py): wall time, peak memory
   and rows, which must stay a small multiple of n + m.
7. The dashboard's first render of the seed pair with empty caches next to the cold CLI
   (benchmarks/dashboard.py), interleaved.
8. A story of 5 reports (about 56 sentences each) against 2 of them, cold CLI and in one
   process (benchmarks/story.py).

`python benchmarks/bench.py seed throughput` runs only those parts (seed, throughput, scores, long,
dashboard, story).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
A = ROOT / "articles" / "000_54a59e14602e937a.txt"
B = ROOT / "articles" / "003_d6f58a359228a0fb.txt"
SCORE = ROOT.parent / "shared" / "eval" / "score.py"
GOLD = ROOT.parent / "shared" / "eval" / "seed_gold.json"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
LONG_N = int(os.environ.get("BENCH_LONG_N", "2000"))
IDENTICAL_N = int(os.environ.get("BENCH_IDENTICAL_N", "5000"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one run of `command` (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env or ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def median_of(command: list[str], env: dict[str, str] | None = None) -> float:
    return statistics.median(timed(command, env) for _ in range(RUNS))


def throughput(backend: str, texts: list[str]) -> tuple[float, float]:
    """(sentences/s of plain model.encode, sentences/s of compare's encode_texts) for one backend."""
    sys.path.insert(0, str(ROOT))
    from compare.embed.encoders import encode_texts, load_encoder

    model = load_encoder(backend=backend)
    model.encode(texts[:32])  # warm up
    plain_runs, our_runs = [], []
    for _ in range(RUNS):  # interleaved, best of each: the machine's noise hits both alike
        start = time.perf_counter()
        model.encode(texts, batch_size=32)
        plain_runs.append(len(texts) / (time.perf_counter() - start))
        start = time.perf_counter()
        encode_texts(model, texts)
        our_runs.append(len(texts) / (time.perf_counter() - start))
    return max(plain_runs), max(our_runs)


def seed_scores(extra: list[str]) -> str:
    """The headline line of score.py for the seed pair run with `extra` CLI flags."""
    if not SCORE.exists():
        return "(../shared/eval not found)"
    with tempfile.TemporaryDirectory() as tmp:
        al, facts = Path(tmp) / "al.csv", Path(tmp) / "facts.csv"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "compare",
                str(A),
                str(B),
                "--csv",
                str(al),
                "--facts-csv",
                str(facts),
                "--no-cache",
                *extra,
            ],
            cwd=ROOT,
            env=ENV,
            check=True,
            capture_output=True,
        )
        out = subprocess.run(
            [sys.executable, str(SCORE), str(GOLD), str(al), str(facts)], capture_output=True, text=True, check=True
        )
    return out.stdout.strip().splitlines()[-1]


def long_pair(script: str = "long_pair.py", n: int = LONG_N) -> dict[str, float]:
    """One run of a benchmark script in its own process: its JSON result."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), str(n)],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def seed_rows() -> list[tuple[str, str]]:
    """Cold CLI (onnx and torch) and warm CLI on the seed pair, next to the stock script."""
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "al.csv")
        cli = [py, "-m", "compare", str(A), str(B), "--csv", out]
        stock_runs, cold_runs, torch_runs = [], [], []
        timed([*cli, "--no-cache"])  # the ONNX export, made once at first use, is not what is timed
        for _ in range(RUNS):  # interleaved: the machine's noise hits all alike
            stock_runs.append(timed([py, str(ROOT / "benchmarks" / "stock.py"), str(A), str(B)]))
            cold_runs.append(timed([*cli, "--no-cache"]))
            torch_runs.append(timed([*cli, "--no-cache", "--backend", "torch"]))
        stock, cold, cold_torch = (statistics.median(r) for r in (stock_runs, cold_runs, torch_runs))
        cache_env = {**ENV, "COMPARE_CACHE_DIR": str(Path(tmp) / "cache")}
        timed(cli, cache_env)  # fill the cache
        warm = median_of(cli, cache_env)
    return [
        ("seed pair: stock script (encode + best match)", f"{stock:.2f} s"),
        ("seed pair: CLI cold (--no-cache), onnx", f"{cold:.2f} s  ({cold / stock:.2f} x stock; target <= 0.4)"),
        ("seed pair: CLI cold (--no-cache), torch", f"{cold_torch:.2f} s  ({cold_torch / stock:.2f} x stock)"),
        ("seed pair: CLI warm (embedding cache)", f"{warm:.2f} s  ({warm / cold:.2f} x cold onnx; target <= 0.5)"),
    ]


def throughput_rows() -> list[tuple[str, str]]:
    """Encode throughput of each backend on 1,000 seed sentences."""
    sys.path.insert(0, str(ROOT))
    from compare.read.load import load_file
    from compare.read.split import split_sentences

    seed = [s.text for p in (A, B) for s in split_sentences(load_file(p))]
    texts = (seed * (1 + 1000 // len(seed)))[:1000]
    rows = []
    for backend in ("onnx", "torch", "int8"):
        plain, ours = throughput(backend, texts)
        rows.append((f"encode throughput, {backend}: plain encode", f"{plain:.0f} sentences/s"))
        rows.append(
            (
                f"encode throughput, {backend}: compare encode_texts",
                f"{ours:.0f} sentences/s  ({ours / plain:.0%} of plain; target >= 90%)",
            )
        )
    return rows


def score_rows() -> list[tuple[str, str]]:
    """Seed reference scores with each backend."""
    return [
        ("seed scores, onnx (default)", seed_scores([])),
        ("seed scores, torch", seed_scores(["--backend", "torch"])),
        ("seed scores, int8 backend", seed_scores(["--backend", "int8"])),
    ]


def long_rows() -> list[tuple[str, str]]:
    """The long pair (wall time, peak memory) and the identical-sentences case."""
    runs = [long_pair() for _ in range(RUNS)]
    result = runs[0]
    seconds = sorted(r["seconds"] for r in runs)
    size = f"{result['a_sentences']} x {result['b_sentences']} sentence pair"
    rows = [
        (
            f"{size}: wall time",
            f"{statistics.median(seconds)} s median of {len(runs)}, {seconds[0]}-{seconds[-1]} s  (target <= 60 s)",
        ),
        (f"{size}: peak memory", f"{max(r['peak_mb'] for r in runs)} MB  (target <= 2048 MB)"),
    ]
    same = long_pair("identical.py", IDENTICAL_N)
    n = same["a_sentences"]
    rows.append(
        (
            f"{n} identical sentences a side",
            f"{same['seconds']} s (target < 60 s), {same['peak_mb']} MB (target < 1536 MB), {same['rows']} rows "
            f"({same['rows'] / (2 * n):.2f} x (n + m); each sentence keeps at most {same['max_partners']} partners)",
        )
    )
    return rows


def dashboard_rows() -> list[tuple[str, str]]:
    """The dashboard's first render next to the cold CLI (benchmarks/dashboard.py)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.dashboard import first_render_rows

    return first_render_rows()


def story_rows() -> list[tuple[str, str]]:
    """A story of 5 reports next to a pair of them (benchmarks/story.py)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.story import story_rows as rows

    return rows()


PARTS = {
    "seed": seed_rows,
    "throughput": throughput_rows,
    "scores": score_rows,
    "long": long_rows,
    "dashboard": dashboard_rows,
    "story": story_rows,
}


def main(parts: list[str]) -> None:
    """Print the rows of `parts` (names of `PARTS`; all of them when empty), in that order."""
    rows: list[tuple[str, str]] = []
    for part in parts or list(PARTS):
        rows += PARTS[part]()
    width = max(len(k) for k, _ in rows)
    sys.stdout.write(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    for key, value in rows:
        sys.stdout.write(f"{key.ljust(width)}  {value}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
