"""Stories of three reports (`../shared/eval/stories/`), with the real model: each report is
prepared once, each pair inside a story is the pair compared on its own, the claims hold every
aligned pair, and the pairs the claims imply stay within 0.03 pair F1 of the pairwise ones."""

from __future__ import annotations

import csv
import json

import pytest

from compare.config import Config
from compare.export import rows as export
from compare.records import ClaimStatus, Status
from compare.session import Session
from compare.story.build import pair_comparison, prepare_story, project, projected_pairs, swapped
from compare.story.export import CLAIM_COLUMNS, claim_rows, coverage_columns, coverage_rows, outlet_names, pair_index
from tests.conftest import SHARED
from tests.test_cli import run_cli

STORIES = SHARED / "eval" / "stories"


def story_spec(name: str) -> dict:
    return json.loads((STORIES / name / "story.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def betting(encoder):
    """(the betting story compared, its spec) with default settings."""
    spec = story_spec("betting")
    with Session(Config(use_cache=False), encoder) as session:
        articles = session.load_story([STORIES / "betting" / r for r in spec["reports"]])
        story = session.compare_story(session.prepare_story(articles))
    return story, spec


class CountingEncoder:
    """The real encoder, counting the texts it is asked to embed."""

    def __init__(self, encoder) -> None:
        self.encoder, self.texts = encoder, []

    def encode(self, texts, **kwargs):
        self.texts += list(texts)
        return self.encoder.encode(texts, **kwargs)


def test_each_report_is_embedded_once_however_many_pairs(encoder):
    spec = story_spec("pensacola")
    counting = CountingEncoder(encoder)
    with Session(Config(use_cache=False), counting) as session:
        articles = session.load_story([STORIES / "pensacola" / r for r in spec["reports"]])
        prepared = prepare_story(articles, counting, "m")
    assert len(prepared.pairs) == 3
    assert len(counting.texts) == len(set(counting.texts))  # each distinct text once, in one call
    sentences = {s.text for side in prepared.sides for s in side.sentences}
    assert sentences <= set(counting.texts)


def test_a_pair_inside_a_story_is_the_pair_compared_on_its_own(betting, encoder):
    story, spec = betting
    from compare import compare_files

    alone = compare_files(STORIES / "betting" / "fox.txt", STORIES / "betting" / "usatoday.txt", Config(), encoder)
    inside = story.comparison(0, 2)
    assert export.alignment_rows(inside) == export.alignment_rows(alone)
    assert export.fact_rows(inside) == export.fact_rows(alone)


def test_every_aligned_pair_is_inside_one_claim_and_every_sentence_in_one(betting):
    story, _ = betting
    sentences = {(k, s) for k, side in enumerate(story.sides) for s in range(len(side.sentences))}
    members = [{(m.report, m.sentence) for m in c.members} for c in story.claims]
    assert set().union(*members) == sentences
    for (i, j), comparison in zip(story.pairs, story.comparisons, strict=True):
        for v in comparison.verdicts:
            if v.alignment.a is not None and v.alignment.b is not None:
                assert any({(i, v.alignment.a), (j, v.alignment.b)} <= m for m in members)
    statuses = {c.status for c in story.claims}
    assert statuses == {ClaimStatus.ALL, ClaimStatus.SOME, ClaimStatus.ONE}


def test_a_sentence_in_two_claims_is_linked_into_both(betting):
    story, _ = betting
    links = {(i, v.alignment.a, j, v.alignment.b) for (i, j), c in zip(story.pairs, story.comparisons, strict=True)
             for v in c.verdicts if v.alignment.a is not None and v.alignment.b is not None}
    linked = {}
    for i, a, j, b in links:
        linked.setdefault((i, a), set()).add((j, b))
        linked.setdefault((j, b), set()).add((i, a))
    for claim in story.claims:
        inside = {(m.report, m.sentence) for m in claim.members}
        if len(claim.reports) < 2:
            continue
        for m in inside:
            assert linked.get(m, set()) & inside, (claim.id, m)  # every member is linked to another member


@pytest.mark.parametrize("name", ["betting", "pensacola"])
def test_the_pairs_claims_imply_score_within_003_of_the_pairwise_alignment(name, encoder):
    from compare.quality.evaluate import evaluate_rows, load_scorer

    spec = story_spec(name)
    scorer = load_scorer(SHARED / "eval")
    config = Config(use_cache=False)
    with Session(config, encoder) as session:
        story = session.compare_story(
            session.prepare_story(session.load_story([STORIES / name / r for r in spec["reports"]]))
        )
    for ref in spec["references"]:
        i, j = spec["reports"].index(ref["a"]), spec["reports"].index(ref["b"])
        gold = json.loads((STORIES / name / ref["gold"]).read_text(encoding="utf-8"))
        pairwise = evaluate_rows(scorer, gold, export.alignment_rows(story.comparison(i, j)))["pair_f1"]
        implied = evaluate_rows(scorer, gold, export.alignment_rows(project(story, i, j, config)))["pair_f1"]
        assert implied >= pairwise - 0.03, (ref, implied, pairwise)


def test_projection_keeps_every_aligned_pair(betting):
    story, _ = betting
    for i, j in story.pairs:
        aligned = {(v.alignment.a, v.alignment.b) for v in story.comparison(i, j).verdicts
                   if v.alignment.a is not None and v.alignment.b is not None}
        assert aligned <= projected_pairs(story, i, j)


def test_swapping_a_pair_exchanges_its_sides(betting):
    story, _ = betting
    ab = story.comparison(0, 1)
    ba = pair_comparison(story, 1, 0)
    assert ba.a.id == "reuters" and ba.b.id == "fox"
    assert export.status_counts(ba)["only_a"] == export.status_counts(ab)["only_b"]
    assert swapped(ba) == ab
    flipped = {(v.alignment.b, v.alignment.a) for v in ba.verdicts}
    assert flipped == {(v.alignment.a, v.alignment.b) for v in ab.verdicts}


def test_claim_rows_are_one_per_claim_sentence(betting):
    story, _ = betting
    rows = claim_rows(story)
    assert len(rows) == sum(len(c.members) for c in story.claims)
    assert all(tuple(r) == CLAIM_COLUMNS for r in rows)
    first = [r for r in rows if r["claim_id"] == "1"]
    assert {r["report"] for r in first} == {"fox", "reuters", "usatoday"} and first[0]["claim_status"] == "all"
    for r in rows:
        side = story.sides[story.ids.index(r["report"])]
        assert side.sentences[int(r["sentence_id"])].text == r["text"]
    matrix = coverage_rows(story)
    assert len(matrix) == len(story.claims) and tuple(matrix[0]) == coverage_columns(story)
    assert [int(r["n_reports"]) for r in matrix] == sorted((int(r["n_reports"]) for r in matrix), reverse=True)


def test_columns_are_named_for_the_outlets_and_stay_distinct():
    """The coverage matrix's columns (issue 25, item 5): the source of each report, its id where
    it has none, and the id after a source two reports share."""
    from types import SimpleNamespace

    from compare.records import Article

    def story(*pairs):
        return SimpleNamespace(sides=[SimpleNamespace(article=Article(i, s, "", None, "")) for i, s in pairs])

    assert outlet_names(story(("000_54a5", "Reuters"), ("003_d6f5", "AP"), ("c", ""))) == ("Reuters", "AP", "c")
    assert outlet_names(story(("x1", "AP"), ("x2", "AP"), ("x3", "BBC"))) == ("AP (x1)", "AP (x2)", "BBC")


def test_pair_names_two_report_ids():
    class Fake:
        ids = ("fox", "reuters", "usatoday")

    assert pair_index(Fake(), "usatoday,fox") == (2, 0)
    with pytest.raises(ValueError, match="ids: fox, reuters, usatoday"):
        pair_index(Fake(), "fox,nbc")


def test_cli_compares_three_reports_and_writes_the_claims(tmp_path):
    folder = STORIES / "pensacola"
    claims, coverage, pair = tmp_path / "claims.csv", tmp_path / "coverage.csv", tmp_path / "pair.csv"
    result = run_cli(
        str(folder / "cnn.txt"), str(folder / "washtimes.txt"), str(folder / "ap.txt"),
        "--claims-csv", str(claims), "--coverage-csv", str(coverage), "--csv", str(pair), "--pair", "ap,cnn",
        "--json", str(tmp_path / "story.json"),
    )
    assert result.returncode == 0, result.stderr
    assert "claims:" in result.stdout and "only in ap:" in result.stdout
    with open(claims, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CLAIM_COLUMNS and {r["report"] for r in rows} == {"cnn", "washtimes", "ap"}
    with open(coverage, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[3:6] == ["cnn", "washtimes", "ap"]
    with open(pair, newline="", encoding="utf-8") as handle:
        pair_rows = list(csv.DictReader(handle))
    ap_text = (folder / "ap.txt").read_text(encoding="utf-8")
    assert any(r["a_text"] and r["a_text"] in ap_text for r in pair_rows)  # A is ap
    assert {r["status"] for r in pair_rows} <= {s.value for s in Status}
    story = json.loads((tmp_path / "story.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in story["reports"]] == ["cnn", "washtimes", "ap"] and len(story["pairs"]) == 3


def test_cli_story_folder_and_bad_input(tmp_path):
    result = run_cli("story", str(STORIES / "betting"), "--claims-csv", str(tmp_path / "c.csv"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("fox: ")
    lone = run_cli(str(STORIES / "betting" / "fox.txt"))
    assert lone.returncode == 2 and lone.stderr.count("\n") == 1 and "two or more reports" in lone.stderr
    empty = run_cli("story", str(tmp_path))
    assert empty.returncode == 2 and "needs two or more reports" in empty.stderr
    wrong = run_cli(str(STORIES / "betting" / "fox.txt"), str(STORIES / "betting" / "reuters.txt"),
                    str(STORIES / "betting" / "usatoday.txt"), "--pair", "fox,nbc")
    assert wrong.returncode == 2 and "ids: fox, reuters, usatoday" in wrong.stderr


def test_the_package_compares_a_story_in_one_call(encoder):
    from compare import ClaimStatus, compare_story_files

    folder = STORIES / "pensacola"
    story = compare_story_files([folder / "cnn.txt", folder / "washtimes.txt", folder / "ap.txt"], Config(), encoder)
    assert story.ids == ("cnn", "washtimes", "ap") and len(story.comparisons) == 3
    assert story.claims[0].status is ClaimStatus.ALL
