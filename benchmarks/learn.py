"""How long `python -m compare learn` takes for about 500 decisions (issue 27: under 10 s).

A review database is filled as a reviewer might fill it, on the dev pairs of ../shared/eval (the
aligned pairs confirmed, every third rejected, the differences to check relabelled conflict, the
closest partner of each one-sided sentence of A rejected) until it holds `DECISIONS` decisions;
then the refit is timed twice: with empty embedding and facts caches (each reviewed report pair
prepared again), and warm (as after the dashboard compared them). Run:
`python benchmarks/learn.py` (needs ../shared/eval).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DECISIONS = 500


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    os.environ["COMPARE_MODELS_DIR"] = str(tmp / "models")
    os.environ["COMPARE_CACHE_DIR"] = str(tmp / "cache")
    from compare.config import Config
    from compare.quality import reviews
    from compare.review.store import ReviewStore
    from compare.session import Session
    from tests.test_learn import seed_decisions

    store = ReviewStore(tmp / "reviews.sqlite")
    total = 0
    with Session(Config()) as session:
        for folder in sorted((ROOT.parent / "shared" / "eval" / "dev").glob("d*")):
            comparison = session.compare(session.prepare(*session.load_pair(folder / "a.txt", folder / "b.txt")))
            total += seed_decisions(store, comparison)
            if total >= DECISIONS:
                break
    for label, cache in (("cold caches", tmp / "cold"), ("warm caches", tmp / "cache")):
        os.environ["COMPARE_CACHE_DIR"] = str(cache)
        start = time.perf_counter()
        with Session(Config()) as session:
            version, used, result = reviews.learn(store, Config(), session)
        seconds = time.perf_counter() - start
        sys.stdout.write(f"{label}: {result.decisions} decisions on {result.pairs} report pairs refitted in "
                         f"{seconds:.1f} s ({version}, {'in use' if used else 'not in use'}); "
                         f"agreement match {result.before['match']:.3f} -> {result.after['match']:.3f}\n")


if __name__ == "__main__":
    main()
