"""The annotated reference pairs (`../shared/eval`): where they are, what event each is of, how the
reference's own `score.py` is loaded, and how a reference labels a candidate pair.

The references are the dev pairs (`dev/*/a.txt, b.txt, gold.json`), the seed pair
(`seed_gold.json` with `../shared/seeds/`) and the story pairs that have a reference
(`stories/*/story.json`). Pairs are grouped by event (a story pair shares a report with a dev
pair), so a model fitted to references can be scored on each event by a fit that never saw it.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

SEED_A = "000_54a59e14602e937a.txt"
SEED_B = "003_d6f58a359228a0fb.txt"


@dataclass(frozen=True, slots=True)
class Reference:
    """One annotated report pair: the two report files, the gold file and the event it is of."""

    name: str
    a: Path
    b: Path
    gold: Path
    group: str  # the event: pairs of one event are held out together


def default_eval_dir() -> Path:
    """`../shared/eval` beside the checkout."""
    return Path(__file__).resolve().parents[3] / "shared" / "eval"


def find_references(eval_dir: Path) -> list[Reference]:
    """Every annotated pair under `eval_dir`: dev pairs, the seed pair, then story pairs whose
    reference is not already a dev pair; sorted within each part by name."""
    refs = [
        Reference(d.name, d / "a.txt", d / "b.txt", d / "gold.json", d.name)
        for d in sorted((eval_dir / "dev").iterdir())
        if (d / "gold.json").is_file()
    ]
    seeds = eval_dir.parent / "seeds"
    if (eval_dir / "seed_gold.json").is_file() and (seeds / SEED_A).is_file():
        refs.append(Reference("seed", seeds / SEED_A, seeds / SEED_B, eval_dir / "seed_gold.json", "seed"))
    known = {r.gold.resolve() for r in refs}
    for story in sorted((eval_dir / "stories").glob("*/story.json")):
        spec = json.loads(story.read_text(encoding="utf-8"))
        folder = story.parent
        group = next((r.group for r in refs if r.gold.resolve() in {(folder / x["gold"]).resolve()
                                                                  for x in spec["references"]}), folder.name)
        for item in spec["references"]:
            gold = (folder / item["gold"]).resolve()
            if gold in known:
                continue
            name = f"{folder.name}:{Path(item['a']).stem}-{Path(item['b']).stem}"
            refs.append(Reference(name, folder / item["a"], folder / item["b"], gold, group))
            known.add(gold)
    return refs


def load_scorer(eval_dir: Path) -> ModuleType:
    """The reference's `score.py`, imported from its file."""
    spec = importlib.util.spec_from_file_location("reference_score", eval_dir / "score.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare_references(refs: Sequence[Reference], session: Any = None) -> dict[str, Any]:
    """`pipeline.Prepared` of every reference pair by reference name, through `session` (a
    `compare.session.Session`: the model loaded and the facts process started once), or a
    session of the default settings made for the call."""
    from compare.session import Session

    if session is None:
        with Session() as own:
            return prepare_references(refs, own)
    return {ref.name: session.prepare(session.load(ref.a), session.load(ref.b)) for ref in refs}


def candidate_labels(gold: dict, a_texts: Sequence[str], b_texts: Sequence[str], pairs: np.ndarray,
                     scorer: ModuleType) -> np.ndarray:
    """Label of each candidate (i, j) by the reference, the way its scorer judges an aligned row:
    1 when a reference pair (same, conflict or related) lies in the two sentences, 0 when the
    row would count as wrong, -1 when the reference does not judge it."""
    fold = scorer.fold
    a, b = [fold(t) for t in a_texts], [fold(t) for t in b_texts]
    ref = [(fold(p["a"]), fold(p["b"])) for p in gold["pairs"]]
    only_a, only_b = [fold(s) for s in gold.get("only_a", [])], [fold(s) for s in gold.get("only_b", [])]
    known_a, known_b = {x for x, _ in ref} | set(only_a), {y for _, y in ref} | set(only_b)
    labels = np.full(len(pairs), -1, dtype=np.int64)
    for k, (i, j) in enumerate(pairs):
        if any(x in a[i] and y in b[j] for x, y in ref):
            labels[k] = 1
        elif any(s in a[i] for s in only_a) or any(s in b[j] for s in only_b):
            labels[k] = 0
        elif any(s in a[i] for s in known_a) and any(s in b[j] for s in known_b):
            labels[k] = 0
    return labels
