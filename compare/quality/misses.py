"""What the pipeline gets wrong on a reference pair, worst first: the reference pairs it does not
align (with why: never a candidate, below the threshold, or crowded out by a sentence's partner
limit) and the pairs it aligns that the reference calls wrong (most confident first).

`python -m compare.quality.evaluate --misses` prints them for every pair; `out/eval.json` keeps them per
pair under `worst_misses` and `worst_false`, so two runs can be compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from compare.records import Comparison, Status

if TYPE_CHECKING:
    from compare.align.candidates import TextParts

ALIGNED = (Status.AGREE, Status.PARTIAL, Status.CONFLICT)
WORST = 3  # misses and false alignments kept per pair


@dataclass(frozen=True, slots=True)
class Miss:
    """A reference pair left unaligned (`label` same or conflict), or an aligned pair the reference
    calls wrong (`label` "false", `status` what the tool said): the two sentences, the match
    probability (None when the pair was never scored) and why it came out so."""

    a: str
    b: str
    label: str
    probability: float | None
    reason: str
    status: str = ""


def candidate_probabilities(
    comparison: Comparison, match_model: str, text: TextParts | None = None
) -> dict[tuple[int, int], float]:
    """Match probability of every candidate pair of `comparison`'s two sides under the match model
    file `match_model` (empty: the shipped one); `text` is the sides' `text_parts` when the
    caller has them (`pipeline.Prepared.text`)."""
    from compare.align.match import MODEL_PATH, load_model, score_candidates, side_features

    model = load_model(Path(match_model) if match_model else MODEL_PATH)
    pairs, probability = score_candidates(side_features(comparison.a_side, comparison.b_side, text), model)
    return {(int(i), int(j)): float(p) for (i, j), p in zip(pairs, probability, strict=True)}


def miss_reason(probability: float | None, threshold: float) -> str:
    """Why a reference pair with this best probability was not aligned."""
    if probability is None:
        return "never a candidate: neither sentence is among the other's best partners by meaning"
    if probability < threshold:
        return f"below the threshold ({probability:.3f} < {threshold:.3f})"
    return "crowded out: a sentence already had its most partners (max_partners) of higher probability"


def pair_misses(
    comparison: Comparison,
    gold: dict,
    scorer: ModuleType,
    threshold: float,
    match_model: str = "",
    worst: int = WORST,
    text: TextParts | None = None,
) -> tuple[list[Miss], list[Miss]]:
    """(the `worst` reference pairs not aligned, lowest probability first; the `worst` aligned pairs
    the reference judges wrong, highest probability first) of one compared reference pair; `text`
    as for `candidate_probabilities`."""
    from compare.quality.references import candidate_labels

    fold = scorer.fold
    a_texts, b_texts = comparison.a_side.texts, comparison.b_side.texts
    a_folded, b_folded = [fold(t) for t in a_texts], [fold(t) for t in b_texts]
    aligned = [v for v in comparison.verdicts if v.status in ALIGNED]
    aligned_texts = [(a_folded[v.alignment.a], b_folded[v.alignment.b]) for v in aligned]
    probability = candidate_probabilities(comparison, match_model, text)
    missed = []
    for pair in gold["pairs"]:
        if pair["label"] not in ("same", "conflict"):
            continue
        ga, gb = fold(pair["a"]), fold(pair["b"])
        if any(ga in ra and gb in rb for ra, rb in aligned_texts):
            continue
        cells = [(i, j) for i, x in enumerate(a_folded) if ga in x for j, y in enumerate(b_folded) if gb in y]
        scores = [probability[c] for c in cells if c in probability]
        best = max(scores) if scores else None
        a_text = a_texts[cells[0][0]] if cells else pair["a"]
        b_text = b_texts[cells[0][1]] if cells else pair["b"]
        missed.append(Miss(a_text, b_text, pair["label"], best, miss_reason(best, threshold)))
    missed.sort(key=lambda m: -1.0 if m.probability is None else m.probability)
    cells = np.array([(v.alignment.a, v.alignment.b) for v in aligned], dtype=np.int64).reshape(-1, 2)
    labels = candidate_labels(gold, a_texts, b_texts, cells, scorer)
    wrong = [
        Miss(a_texts[v.alignment.a], b_texts[v.alignment.b], "false", v.alignment.score,
             "aligned, and the reference pairs neither sentence with the other", v.status.value)
        for v, label in zip(aligned, labels.tolist(), strict=True)
        if label == 0
    ]
    wrong.sort(key=lambda m: -(m.probability or 0.0))
    return missed[:worst], wrong[:worst]


def miss_json(miss: Miss) -> dict[str, Any]:
    """A miss as JSON values."""
    return asdict(miss)


def misses_text(names: Sequence[str], pairs: Sequence[dict[str, Any]], width: int = 110) -> str:
    """The worst misses and false alignments of every pair (`out/eval.json`'s `pairs`), as text."""

    def cut(text: str) -> str:
        return text if len(text) <= width else text[: width - 1] + "\u2026"

    lines = []
    for name, pair in zip(names, pairs, strict=True):
        lines.append(f"{name}")
        for title, key in (("missed", "worst_misses"), ("aligned wrongly", "worst_false")):
            for m in pair.get(key, []):
                p = "-" if m["probability"] is None else f"{m['probability']:.3f}"
                tag = m["label"] if key == "worst_misses" else m["status"]
                lines.append(f"  {title} ({tag}, p {p}): {m['reason']}")
                lines.append(f"    A: {cut(m['a'])}")
                lines.append(f"    B: {cut(m['b'])}")
    return "\n".join(lines)
