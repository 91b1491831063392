"""The order a reviewer meets the aligned pairs in: reading order (the default), or the pairs the
judges are least sure of first, where a decision teaches the models most (`python -m compare learn`)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from compare.align.match import match_threshold
from compare.config import Config
from compare.judge.model import load_judge
from compare.records import Verdict

ORDERS = ("reading", "uncertain")


def uncertainty(verdict: Verdict, match_at: float, conflict_at: float) -> float:
    """How far the judges are from calling this row the other way, 0 on the line: the smaller of
    |match probability - `match_at`| and, when the conflict judge saw the row, |conflict
    probability - `conflict_at`|; infinite for a row with neither (a one-sided sentence)."""
    gaps = []
    if verdict.alignment.score is not None and verdict.alignment.b is not None and verdict.alignment.a is not None:
        gaps.append(abs(verdict.alignment.score - match_at))
    if verdict.conflict_probability is not None:
        gaps.append(abs(verdict.conflict_probability - conflict_at))
    return min(gaps) if gaps else math.inf


def uncertain_first(verdicts: Iterable[Verdict], config: Config) -> list[Verdict]:
    """`verdicts` with the ones the judges are least sure of first (`uncertainty` under `config`'s
    thresholds); ties, and rows with no probability, keep their order."""
    match_at, conflict_at = match_threshold(config), load_judge(config.conflict_model).threshold
    return sorted(verdicts, key=lambda v: uncertainty(v, match_at, conflict_at))
