"""Learning from the reviewer (issue 27): model versions, the decisions that may teach, a refit
from a hand-made review database with the real model, and the guard rails."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from compare import versions
from compare.align.match import MODEL_PATH, configured_model
from compare.config import Config
from compare.judge.model import load_judge
from compare.quality import reviews
from compare.records import Status
from compare.review.store import Action, Decision, ReviewStore
from compare.review.texts import reviewed_pairs
from tests.test_export import handmade


@pytest.fixture
def models(tmp_path, monkeypatch):
    """An empty folder of model versions of the test's own."""
    monkeypatch.setenv("COMPARE_MODELS_DIR", str(tmp_path / "models"))
    return tmp_path / "models"


def shipped_json(name: str) -> dict:
    return json.loads(MODEL_PATH.with_name(name).read_text(encoding="utf-8"))


def test_versions_are_written_listed_used_and_reset(models):
    assert versions.active_version() == versions.SHIPPED and versions.versions() == []
    match = shipped_json("match.json") | {"threshold": 0.61}
    first = versions.write_version(match, shipped_json("conflict.json"), {"decisions": 30})
    second = versions.write_version(shipped_json("match.json"), shipped_json("conflict.json") | {"threshold": 0.9}, {})
    assert (first, second) == ("v1", "v2") and [v for v, _ in versions.versions()] == ["v1", "v2"]
    assert configured_model(Config()).threshold != 0.61  # written, not in use
    versions.use("v1")
    assert versions.active_version() == "v1" and configured_model(Config()).threshold == 0.61
    versions.use("v2")
    assert load_judge("").threshold == 0.9 and configured_model(Config()).threshold != 0.61
    with pytest.raises(ValueError, match="no model version 'v7'"):
        versions.use("v7")
    versions.use(versions.SHIPPED)
    assert configured_model(Config()) == configured_model(Config(match_model=str(MODEL_PATH)))


def test_the_learn_command_lists_switches_and_resets(models, capsys):
    versions.write_version(shipped_json("match.json"), shipped_json("conflict.json"),
                           {"made": "2026-12-07", "decisions": 25, "before": {"match": 0.8}, "after": {"match": 0.9}})
    assert reviews.main(["--use", "v1"]) == 0 and versions.active_version() == "v1"
    assert reviews.main(["--list"]) == 0
    listed = capsys.readouterr().out
    assert "* v1: 2026-12-07, 25 decisions" in listed and "match 0.8 -> 0.9" in listed
    assert reviews.main(["--use", "v9"]) == 2 and "no model version 'v9'" in capsys.readouterr().err
    assert reviews.main(["--reset"]) == 0 and versions.active_version() == versions.SHIPPED


def test_only_current_decisions_made_with_this_model_on_kept_texts_teach(tmp_path):
    """A decision on an earlier text of the same reports is stale, one made with another sentence
    model is left out: neither teaches."""
    store, comparison = ReviewStore(tmp_path / "r.sqlite"), handmade()
    store.save(comparison, Decision(0, 0, Action.CONFIRM), Config())
    edited = replace(comparison, b_side=replace(comparison.b_side, article=replace(comparison.b, text="An edited B.")))
    store.save(edited, Decision(1, 1, Action.REJECT), Config())
    store.save(replace(edited, model="another-model"), Decision(0, 1, Action.LINK), Config())
    found = reviewed_pairs(store, "test")
    assert [(p.b.text, [(d.a_id, d.b_id) for d in p.decisions]) for p in found] == [("An edited B.", [(1, 1)])]
    assert reviewed_pairs(store, "no-such-model") == []
    other = replace(comparison, a_side=replace(comparison.a_side, article=replace(comparison.a, text="Other A.")),
                    b_side=replace(comparison.b_side, article=replace(comparison.b, text="Other B.")))
    store.save(other, Decision(0, 0, Action.CONFIRM), Config())  # the same ids, both texts other: another pair
    assert [p.b.text for p in reviewed_pairs(store, "test")] == ["An edited B.", "Other B."]


def test_every_export_names_the_models_in_use(models):
    """JSON and the printable report say which match model and judge made them."""
    from dataclasses import asdict
    from datetime import date

    from compare.export import report
    from compare.export import rows as export

    comparison = handmade()
    assert json.loads(export.comparison_json(comparison))["model_version"] == "shipped"
    versions.use(versions.write_version(shipped_json("match.json"), shipped_json("conflict.json"), {}))
    assert json.loads(export.comparison_json(comparison))["model_version"] == "v1"
    page = report.report_html(comparison, export.alignment_rows(comparison), asdict(Config()), {}, date(2026, 12, 7))
    assert "match model and conflict judge v1" in page


def test_a_refit_needs_enough_decisions(tmp_path, capsys):
    store, comparison = ReviewStore(tmp_path / "r.sqlite"), handmade()
    store.save(comparison, Decision(0, 0, Action.CONFIRM), Config())
    assert reviews.main(["--reviews", str(tmp_path / "r.sqlite")]) == 2
    assert f"a refit needs at least {reviews.MIN_DECISIONS}" in capsys.readouterr().err


def seed_decisions(store: ReviewStore, comparison) -> int:
    """Decisions on the seed pair as a reviewer might make them: the aligned pairs confirmed (every
    third rejected), those with a difference to check relabelled conflict, and for each sentence of
    A left one-sided its closest sentence of B rejected; how many."""
    aligned = [v for v in comparison.verdicts if v.alignment.a is not None and v.alignment.b is not None]
    decisions = []
    for k, verdict in enumerate(aligned):
        if verdict.to_check:
            decisions.append(Decision(verdict.alignment.a, verdict.alignment.b, Action.RELABEL, Status.CONFLICT.value))
        else:
            action = Action.REJECT if k % 3 == 2 else Action.CONFIRM
            decisions.append(Decision(verdict.alignment.a, verdict.alignment.b, action))
    paired = {v.alignment.a for v in aligned}
    for i in range(len(comparison.a_sentences)):
        if i not in paired:
            j = max(range(len(comparison.b_sentences)), key=lambda j: comparison.similarity(i, j))
            decisions.append(Decision(i, j, Action.REJECT))
    paired_b = {v.alignment.b for v in aligned}
    for j in range(len(comparison.b_sentences)):
        if j not in paired_b and len(decisions) < 30:
            i = max(range(len(comparison.a_sentences)), key=lambda i: comparison.similarity(i, j))
            decisions.append(Decision(i, j, Action.REJECT))
    for decision in dict.fromkeys(decisions):
        store.save(comparison, decision, Config())
    return len(dict.fromkeys(decisions))


def test_a_refit_from_a_review_database_makes_a_new_version_with_its_figures(tmp_path, models, seed_comparison, capsys):
    """The real model on the seed pair: the reviewer's decisions refit both models; the new
    version's files differ from the shipped ones, its figures are printed and kept, and it is in
    use unless it agrees with the reviewer less (then it is kept, not used)."""
    store = ReviewStore(tmp_path / "r.sqlite")
    assert seed_decisions(store, seed_comparison) >= reviews.MIN_DECISIONS
    assert reviews.main(["--reviews", str(store.path)]) == 0
    said = capsys.readouterr().out
    assert "agreement with your decisions, held out by report pair" in said
    (name, meta), = versions.versions()
    assert meta["decisions"] >= reviews.MIN_DECISIONS and meta["rows"]["match"] > 0
    match = json.loads((models / name / "match.json").read_text(encoding="utf-8"))
    assert not np.allclose(match["coef"], shipped_json("match.json")["coef"])  # the decisions moved it
    assert match["threshold"] == shipped_json("match.json")["threshold"]  # thresholds stay the shipped ones
    used = versions.active_version() == name
    assert used == (f"written and in use: {name}" in said)


def test_a_refit_that_agrees_less_is_kept_but_not_used_unless_forced(tmp_path, models, monkeypatch, capsys):
    """The guard rail on its own: a refit whose held-out agreement falls on either model."""
    shipped_match, shipped_judge = configured_model(Config()), load_judge("")
    worse = reviews.Refit(shipped_match, shipped_judge, {"match": 0.9, "judge": 0.8}, {"match": 0.95, "judge": 0.7},
                          30, 2, {"match": 25, "judge": 5})
    monkeypatch.setattr(reviews, "refit", lambda store, config, session: worse)
    assert reviews.main(["--reviews", str(tmp_path / "r.sqlite")]) == 0
    assert "written but NOT in use: v1" in capsys.readouterr().out and versions.active_version() == versions.SHIPPED
    assert reviews.main(["--reviews", str(tmp_path / "r.sqlite"), "--force"]) == 0
    assert versions.active_version() == "v2"


def test_the_uncertain_order_puts_the_rows_nearest_a_threshold_first(tmp_path, seed_comparison):
    """`--review-order uncertain`: the discrepancy CSV's rows sorted by how near the match model or
    the judge is to calling them the other way; the default order is unchanged."""
    import csv

    from compare.align.match import match_threshold
    from compare.review.order import uncertain_first, uncertainty
    from tests.conftest import SEED_A, SEED_B
    from tests.test_cli import run_cli

    at = (match_threshold(Config()), load_judge("").threshold)
    ordered = uncertain_first(seed_comparison.verdicts, Config())
    gaps = [uncertainty(v, *at) for v in ordered]
    assert gaps == sorted(gaps) and gaps[0] < 0.2
    for order in ("reading", "uncertain"):
        done = run_cli(str(SEED_A), str(SEED_B), "--discrepancies", str(tmp_path / f"{order}.csv"),
                       "--review-order", order)
        assert done.returncode == 0, done.stderr
    reading, uncertain = (list(csv.DictReader((tmp_path / f"{o}.csv").open(encoding="utf-8")))
                          for o in ("reading", "uncertain"))
    assert sorted(map(str, reading)) == sorted(map(str, uncertain)) and reading != uncertain
    first = next(v for v in ordered if v.status.value != "agree")
    assert (uncertain[0]["a_id"], uncertain[0]["b_id"]) == (str(first.alignment.a), str(first.alignment.b))


def test_the_simulated_reviewer_is_shown_the_aligned_pairs_in_review_order():
    """`compare.quality.simulate.proposed` on a hand-made pair: the first K aligned pairs, in reading
    order or least sure first; a pair the reference does not judge is shown but teaches nothing."""
    from types import SimpleNamespace

    from compare.linear import LinearModel
    from compare.quality.simulate import proposed

    one = ("f",)
    match = LinearModel(one, np.zeros(1), np.ones(1), np.ones(1), 0.0, 0.5)  # p = sigmoid(x)
    pairs = np.array([[0, 0], [1, 1], [2, 2], [3, 3]])
    d = SimpleNamespace(x=np.array([[3.0], [0.3], [2.0], [0.1]]), y=np.array([1, 0, -1, 1]), pairs=pairs)
    jd = SimpleNamespace(x=np.zeros((0, 1)), y=np.zeros(0, np.int64), pairs=np.zeros((0, 2), np.int64))
    judge = LinearModel(one, np.zeros(1), np.ones(1), np.ones(1), 0.0, 0.5)
    assert proposed(d, jd, match, judge, 2, "reading") == ([0, 1], [])  # pairs 0 and 1 in reading order
    assert proposed(d, jd, match, judge, 2, "uncertain") == ([3, 1], [])  # nearest p = 0.5 first
    assert proposed(d, jd, match, judge, 3, "reading") == ([0, 1], [])  # pair 2 is not judged: shown, not taught
