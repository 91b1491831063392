"""The tie case: N copies of one sentence in each report (default 5,000). Ties must not multiply:
prints wall time, peak memory (max RSS of this process plus its spaCy worker) and the row count
as JSON. Usage: python benchmarks/identical.py [N]"""

import json
import os
import sys
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SENTENCE = "The Treasury Department announced sanctions on three North Korean officials on Monday."


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    from long_pair import measure

    from compare import Config
    from compare.records import Article

    body = "\n\n".join([SENTENCE] * n)
    a = Article("same-a", "A", "", date(2018, 12, 10), body)
    b = Article("same-b", "B", "", date(2018, 12, 10), body)
    result = {**measure(a, b), "max_partners": Config().max_partners}
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
