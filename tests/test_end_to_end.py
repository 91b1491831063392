"""The real model on the real seed reports: coverage, facts, and the quality figures on the
hand-made reference in ../shared/eval (docs/quality.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from compare.export import rows as export
from compare.records import Status
from tests.conftest import SHARED

SCORE = SHARED / "eval" / "score.py"
GOLD = SHARED / "eval" / "seed_gold.json"


def scores(comparison, tmp_path) -> dict:
    alignment, facts = tmp_path / "al.csv", tmp_path / "facts.csv"
    export.write_csv(alignment, export.alignment_rows(comparison), export.ALIGNMENT_COLUMNS)
    export.write_csv(facts, export.fact_rows(comparison), export.FACT_COLUMNS)
    out = subprocess.run(
        [sys.executable, str(SCORE), str(GOLD), str(alignment), str(facts), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_every_sentence_in_a_row(seed_comparison):
    c = seed_comparison
    assert {v.alignment.a for v in c.verdicts if v.alignment.a is not None} == set(range(len(c.a_sentences)))
    assert {v.alignment.b for v in c.verdicts if v.alignment.b is not None} == set(range(len(c.b_sentences)))


def test_seed_facts(seed_comparison):
    all_rows = export.fact_rows(seed_comparison)
    rows = {(r["kind"], r["value"]): r for r in all_rows}
    assert rows[("date", "2018-12-10")]["status"] == "shared"
    # one row per quote: Mnuchin says one thing in A and another in B
    mnuchin = {(r["in_a"], r["in_b"]) for r in all_rows if r["kind"] == "quote" and r["value"] == "Steven T. Mnuchin"}
    assert mnuchin == {("true", "false"), ("false", "true")}
    assert rows[("person", "Jong Kyong-thaek")]["in_b"] == "false"
    shared_people = {v for (k, v), r in rows.items() if k == "person" and r["status"] == "shared"}
    assert {"Donald Trump", "Steven T. Mnuchin"} <= shared_people


def test_seed_mnuchin_statements_aligned(seed_comparison):
    c = seed_comparison
    pairs = {
        (c.a_sentences[v.alignment.a].text[:20], c.b_sentences[v.alignment.b].text[:20])
        for v in c.verdicts
        if v.status not in (Status.ONLY_A, Status.ONLY_B)
    }
    assert ("“The United States h", "“These sanctions dem") in pairs


@pytest.mark.skipif(not SCORE.exists(), reason="../shared/eval is not beside this checkout")
def test_seed_quality_targets(seed_comparison, tmp_path):
    result = scores(seed_comparison, tmp_path)
    assert result["unique_recall"] >= 0.85, result
    assert result["fact_recall"] >= 0.90, result
    assert result["pair_f1"] >= 0.55, result  # held-out-fitted model: 0.588 (target 0.75 missed, see docs/quality.md)
