"""The conflict judge: a logistic regression over the evidence of a pair (`evidence.FEATURES`),
fitted across every reference pair by `compare.quality.judge` (`make train-conflicts`) and shipped
as `compare/models/conflict.json`, with the probability above which a difference is called a
conflict (chosen for precision when it was fitted). Below it, differences are listed for a
person to check, never asserted.

Where the two reports were published on different days, a count or a status that differs is a
`LATER_UPDATE` that says which report is later (`as_update`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from compare.judge.evidence import FEATURES, Evidence
from compare.linear import LinearModel, linear_from_json
from compare.records import Conflict, ConflictKind
from compare.versions import active_file

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "conflict.json"
UPDATES = (ConflictKind.CONTRADICTION, ConflictKind.QUALIFIED, ConflictKind.STATUS)


def judge_from_json(data: dict) -> LinearModel:
    """The judge of `LinearModel.to_json` output; raises ValueError when it does not fit `FEATURES`."""
    return linear_from_json(data, FEATURES, "make train-conflicts")


def load_judge(path: str = "") -> LinearModel:
    """The judge in `path` (JSON); for "", the version in use (`compare.versions`: a reviewer's
    refit), else the shipped one. Each file is read once."""
    return read_judge(Path(path) if path else active_file("conflict.json") or MODEL_PATH)


@lru_cache(maxsize=8)
def read_judge(path: Path) -> LinearModel:
    """The judge in the JSON file `path`, read once."""
    return judge_from_json(json.loads(path.read_text(encoding="utf-8")))


def conflict_probability(evidence: Evidence, model: LinearModel) -> float | None:
    """P(conflict) of a pair with differences; None when the two sentences differ on nothing."""
    if not evidence.differences:
        return None
    return float(model.probability(evidence.x[None, :])[0])


def as_update(conflict: Conflict, published: tuple[date | None, date | None]) -> Conflict:
    """`conflict` as a `LATER_UPDATE` naming the later report when it is a count or a status and the
    reports were published on different days; unchanged otherwise."""
    a, b = published
    if conflict.kind not in UPDATES or a is None or b is None or a == b:
        return conflict
    return replace(conflict, kind=ConflictKind.LATER_UPDATE, later="b" if b > a else "a", days=abs((b - a).days))
