"""The long-report case: two reports of about 2,000 sentences each, built from real report
sentences. Prints wall time and peak memory (max RSS of this process plus its spaCy worker) as JSON.
Usage: python benchmarks/long_pair.py [N]"""

import json
import os
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_reports(n: int) -> tuple[str, str]:
    """Two bodies of n distinct sentences each, made from the seed reports' real sentences at their
    natural length: each is a real sentence with one word swapped for a word of another real
    sentence. Half of B's sentences are A's; the rest are new; the orders differ."""
    from compare.read.load import load_file
    from compare.read.split import split_sentences

    real = [
        s.text
        for name in ("000_54a59e14602e937a.txt", "003_d6f58a359228a0fb.txt")
        for s in split_sentences(load_file(ROOT / "articles" / name))
    ]
    vocabulary = sorted({w for text in real for w in text.split() if w.isalpha() and len(w) > 3})
    rng = random.Random(7)
    made: set[str] = set()
    while len(made) < n * 3 // 2:
        words = rng.choice(real).split()
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
        made.add(" ".join(words))
    pool = sorted(made)
    rng.shuffle(pool)
    a, b = pool[:n], pool[n // 2 : n // 2 + n]
    rng.shuffle(b)

    def body(sentences: list[str]) -> str:
        # one sentence per line, four lines a paragraph: a swapped last word cannot merge two sentences
        return "\n\n".join("\n".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))

    return body(a), body(b)


def measure(a: object, b: object) -> dict[str, float]:
    """Compare two articles as the CLI and the dashboard do (a `Session`, no cache): sentence and
    row counts, wall seconds and peak memory (max RSS of this process plus the spaCy worker it
    starts, their peaks summed)."""
    from compare import Config
    from compare.session import Session

    start = time.perf_counter()
    with Session(Config(use_cache=False)) as session:
        comparison = session.compare(session.prepare(a, b))
        seconds = time.perf_counter() - start
        peak_mb = sum(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    return {
        "a_sentences": len(comparison.a_sentences),
        "b_sentences": len(comparison.b_sentences),
        "rows": len(comparison.verdicts),
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_mb),
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    from compare.records import Article

    a_text, b_text = build_reports(n)
    a = Article("long-a", "A", "", date(2018, 12, 16), a_text)
    b = Article("long-b", "B", "", date(2018, 12, 10), b_text)
    sys.stdout.write(json.dumps(measure(a, b)) + "\n")


if __name__ == "__main__":
    main()
