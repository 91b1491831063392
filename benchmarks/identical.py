"""The tie case: N copies of one sentence in each report (default 5,000). Ties must not multiply:
prints wall time, peak memory (max RSS of this process plus its spaCy worker) and the row count
as JSON. Usage: python benchmarks/identical.py [N]"""

import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SENTENCE = "The Treasury Department announced sanctions on three North Korean officials on Monday."


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    from compare import Config
    from compare.records import Article
    from compare.session import Session

    body = "\n\n".join([SENTENCE] * n)
    a = Article("same-a", "A", "", date(2018, 12, 10), body)
    b = Article("same-b", "B", "", date(2018, 12, 10), body)
    start = time.perf_counter()
    with Session(Config(use_cache=False)) as session:  # as the CLI and the dashboard do
        comparison = session.compare(session.prepare(a, b))
        seconds = time.perf_counter() - start
        peak_mb = sum(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    result = {
        "a_sentences": len(comparison.a_sentences),
        "b_sentences": len(comparison.b_sentences),
        "rows": len(comparison.verdicts),
        "max_partners": Config().max_partners,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_mb),
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
