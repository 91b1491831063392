"""Quality on every annotated reference pair (../shared/eval: every dev pair, the seed pair, the
story pairs), each scored by a match model fitted without its event: the means `make eval`
reports, checked a little below the measured figures so a regression fails the suite."""

from __future__ import annotations

import pytest

from compare.quality.evaluate import run_evaluation
from tests.conftest import SHARED

EVAL = SHARED / "eval"


@pytest.fixture(scope="module")
def figures():
    if not (EVAL / "dev").is_dir():
        pytest.skip("../shared/eval is not beside this checkout")
    out, _ = run_evaluation(EVAL, baselines=True)
    return out


def test_dev_means_hold(figures):
    """Floors a little below `make eval` on the 34 dev pairs (2026-12-07, in the comments); every
    model (match, conflict judge) and threshold fitted without the event scored."""
    dev = figures["mean_dev"]
    assert dev["pair_f1"] >= 0.62, dev  # 0.644
    assert dev["pair_precision"] >= 0.67, dev  # 0.696
    assert dev["unique_recall"] >= 0.95, dev  # 0.983
    assert dev["fact_recall"] >= 0.74, dev  # 0.764


def test_fact_recall_per_kind_holds(figures):
    """Floors a little below `make eval`'s fact recall per kind, pooled over the 34 dev pairs
    (2026-12-07, after the ranks, names, quote marks and weekend readings: in the comments)."""
    kinds = {k: found / total for k, (found, total) in figures["fact_kinds_dev"].items()}
    floors = {"date": 0.70, "number": 0.74, "org": 0.65, "person": 0.88, "place": 0.72, "quote": 0.74}
    # 0.728, 0.762, 0.679, 0.902, 0.741, 0.765
    assert all(kinds[k] >= floor for k, floor in floors.items()), kinds


def test_pooled_conflicts_hold(figures):
    pooled = figures["conflicts_dev"]["pooled"]
    assert pooled["conflicts_gold"] >= 73
    assert pooled["recall"] >= 0.15, pooled  # 0.192: 14 of 73 reference conflicts
    assert pooled["precision"] >= 0.38, pooled  # 0.452: 14 of 31 conflict rows right
    assert pooled["recall_with_checks"] >= 0.20, pooled  # 0.274 with the differences to check
    assert pooled["recall_with_checks"] >= pooled["recall"]
    kinds = figures["fact_kinds_dev"]
    assert set(kinds) == {"date", "number", "org", "person", "place", "quote"}
    assert all(0 <= found <= total for found, total in kinds.values()) and sum(t for _, t in kinds.values()) >= 2000
    calibration = figures["conflicts_dev"]["calibration"]
    assert sum(c["rows"] for c in calibration) >= 50 and all(0 <= c["observed"] <= 1 for c in calibration)


def test_beats_the_stock_baselines_measured_in_the_same_run(figures):
    stock = figures["baselines"]["stock MiniLM >= 0.6"]["mean_dev"]
    assert figures["mean_dev"]["pair_f1"] > stock["pair_f1"] + 0.05
    assert figures["mean_dev"]["unique_recall"] > stock["unique_recall"]


def test_every_reference_pair_is_scored(figures):
    names = [p["pair"] for p in figures["pairs"]]
    dev = sorted(d.name for d in (EVAL / "dev").iterdir() if (d / "gold.json").is_file())
    assert [n for n in names if n.startswith("d")] == dev and len(dev) >= 34 and "seed" in names
    assert all(p["pair_f1"] is not None for p in figures["pairs"])


def test_story_claims_keep_each_reference_pair_within_003_of_its_pairwise_alignment(figures):
    stories = figures["stories"]
    assert {(s["story"], s["a"], s["b"]) for s in stories} == {
        ("betting", "fox", "reuters"), ("betting", "fox", "usatoday"),
        ("pensacola", "cnn", "washtimes"), ("pensacola", "washtimes", "ap"),
    }
    for s in stories:
        assert s["delta_pair_f1"] >= -0.03, s  # make eval: +0.037, -0.018, -0.016, -0.016
        assert s["claims"]["all"] > 0 and s["claims"]["some"] > 0


def test_worst_misses_and_false_alignments_are_what_the_scorer_counts(figures):
    """`--misses`: every pair's worst misses are reference pairs the scorer lists as missed, lowest
    probability first, and its false alignments the most confident wrong rows."""
    import json

    from compare.quality.references import find_references, load_scorer

    scorer = load_scorer(EVAL)
    golds = {r.name: json.loads(r.gold.read_text(encoding="utf-8")) for r in find_references(EVAL)}
    seen_false = 0
    for pair in figures["pairs"]:
        misses, wrong = pair["worst_misses"], pair["worst_false"]
        assert len(misses) <= 3 and len(wrong) <= 3
        assert len(misses) == min(3, len(pair["missed_pairs"])), pair["pair"]
        for m in misses:
            ref = [p for p in golds[pair["pair"]]["pairs"]
                   if scorer.fold(p["a"]) in scorer.fold(m["a"]) and scorer.fold(p["b"]) in scorer.fold(m["b"])]
            assert ref and ref[0]["label"] in ("same", "conflict") and m["label"] == ref[0]["label"]
            assert m["probability"] is None or 0 <= m["probability"] <= 1
            assert m["reason"].startswith(("never a candidate", "below the threshold", "crowded out"))
        probabilities = [-1 if m["probability"] is None else m["probability"] for m in misses]
        assert probabilities == sorted(probabilities)
        assert all(w["status"] in ("agree", "partial", "conflict") for w in wrong)
        assert [w["probability"] for w in wrong] == sorted((w["probability"] for w in wrong), reverse=True)
        seen_false += len(wrong)
    assert seen_false > 0  # dev precision is 0.68: some rows are wrong
