"""The conflict judge: the evidence it reads (hand-made facts), the shipped model file, the two tiers
(conflict above the judge's threshold, difference to check below it), later updates, and the judge
on hand-made sentence pairs with the real fact extractor: each kind of difference caught (as a
conflict or to check), and the near misses not called conflicts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from compare.config import Config
from compare.export.rows import conflict_text
from compare.facts.extract import extract_pair_facts
from compare.judge.classify import classify_pair
from compare.judge.evidence import FEATURES, pair_evidence
from compare.judge.model import MODEL_PATH, as_update, judge_from_json, load_judge
from compare.linear import LinearModel
from compare.quality.judge import precision_threshold
from compare.records import Alignment, Article, Conflict, ConflictKind, Fact, FactKind, Sentence, Status

DAY = date(2019, 7, 6)


def number(amount: float, slot: str = "people", text: str = "", start: int = 0, qualifier: str = "") -> Fact:
    text = text or f"{amount:g}"
    return Fact(FactKind.NUMBER, f"{amount:g} {slot}", text, start, start + len(text), slot=slot, amount=amount,
                qualifier=qualifier)


def day(value: str, text: str) -> Fact:
    return Fact(FactKind.DATE, value, text, 0, len(text))


def feature(evidence, name: str) -> float:
    return float(evidence.x[FEATURES.index(name)])


def test_differing_counts_of_one_thing_are_a_difference_with_their_evidence():
    a_text, b_text = "The storm killed 7 people.", "The storm killed 9 people."
    x, y = number(7, text="7", start=17), number(9, text="9", start=17)
    evidence = pair_evidence(a_text, [x], b_text, [y], 0.95, (DAY, DAY))
    assert [c.kind for c in evidence.differences] == [ConflictKind.CONTRADICTION]
    assert feature(evidence, "rule_figure") == 1 and feature(evidence, "figure") == 1
    assert feature(evidence, "figure_ratio") == pytest.approx(abs(np.log(7 / 9)))
    assert feature(evidence, "similarity") == 0.95 and evidence.x.shape == (len(FEATURES),)


@pytest.mark.parametrize(
    ("x", "y"),
    [
        (number(1.25e6, "money_usd"), number(1.2e6, "money_usd")),  # a rounding
        (number(193, "speed_kph"), number(192.5, "speed_kph")),  # a unit conversion
        (number(3, "people"), number(5, "building")),  # another thing counted, in another predicate's clause
    ],
)
def test_one_figure_written_two_ways_or_two_things_counted_is_no_difference(x, y):
    evidence = pair_evidence("3 people were hurt.", [x], "5 buildings burned.", [y], 0.8, (DAY, DAY))
    assert evidence.differences == ()


def test_days_and_times_of_one_event_differ():
    a = [day("2019-07-05", "Friday"), day("2019-07-05 18:30", "6:30 p.m.")]
    b = [day("2019-07-06", "Saturday"), day("2019-07-05 18:40", "6:40 p.m.")]
    kinds = [c.kind for c in pair_evidence("a", a, "b", b).differences]
    assert kinds == [ConflictKind.DATE, ConflictKind.TIME]
    same_weekday = pair_evidence("a", [day("2019-07-04", "Thursday")], "b", [day("2019-06-27", "Thursday")])
    assert same_weekday.differences == ()  # one "Thursday" resolved to two weeks is not two days


def test_a_quote_given_to_another_speaker_is_a_difference():
    x = Fact(FactKind.QUOTE, "Bruce Klingner", "Klingner", 0, 8, slot="we are in no hurry")
    y = Fact(FactKind.QUOTE, "Joel Wit", "Wit", 0, 3, slot="we are in no hurry at all")
    evidence = pair_evidence("a", [x], "b", [y])
    assert [c.kind for c in evidence.differences] == [ConflictKind.SPEAKER]


def test_a_count_that_moved_between_reports_of_two_days_is_a_later_update():
    conflict = Conflict(ConflictKind.CONTRADICTION, number(6), number(7), "6", "7")
    update = as_update(conflict, (date(2014, 12, 30), date(2014, 12, 31)))
    assert update.kind is ConflictKind.LATER_UPDATE and update.later == "b" and update.days == 1
    assert conflict_text(update) == "A reports 6 people, B 7 people (later update: B, 1 day later)"
    assert as_update(conflict, (DAY, DAY)) is conflict
    date_conflict = Conflict(ConflictKind.DATE, day("2019-07-05", "Friday"), day("2019-07-06", "Saturday"))
    assert as_update(date_conflict, (date(2014, 12, 30), date(2014, 12, 31))) is date_conflict


def test_the_shipped_judge_reads_the_evidence_features_and_has_its_threshold():
    model = load_judge()
    assert model.features == FEATURES and 0 < model.threshold < 1
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="make train-conflicts"):
        judge_from_json({**data, "features": data["features"][:-1]})


def test_the_judge_decides_the_tier_by_its_own_threshold(tmp_path):
    """The same difference is a conflict under a judge whose threshold it reaches and a difference
    to check (status partial, never agree) under one whose threshold it does not."""
    base = load_judge()
    a_text, b_text = "The storm killed 7 people.", "The storm killed 9 people."
    facts = ([number(7, text="7", start=17)], [number(9, text="9", start=17)])
    verdicts = {}
    for threshold in (0.0, 1.0):
        path = tmp_path / f"judge-{threshold}.json"
        path.write_text(json.dumps(replace(base, threshold=threshold).to_json()), encoding="utf-8")
        config = Config(conflict_model=str(path))
        verdicts[threshold] = classify_pair(Alignment(0, 0, 0.99, 0.9), (a_text, b_text), *facts, config, (DAY, DAY))
    assert verdicts[0.0].status is Status.CONFLICT and verdicts[0.0].to_check == ()
    assert verdicts[1.0].status is Status.PARTIAL and verdicts[1.0].conflicts == ()
    assert [c.kind for c in verdicts[1.0].to_check] == [ConflictKind.CONTRADICTION]
    assert verdicts[0.0].conflict_probability == verdicts[1.0].conflict_probability


def test_the_threshold_is_the_lowest_that_reaches_the_precision():
    prob = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.3, 0.2])
    y = np.array([1, 1, 1, 1, 0, 1, 0, 0, 0])
    assert precision_threshold(prob, y) == 0.425  # at 0.4, 5 of 7 right is below 0.75; at 0.425, 5 of 6
    assert precision_threshold(prob[:3], y[:3]) == 1.0  # too few rows to trust any threshold


def extracted(a_text: str, b_text: str) -> tuple[list[Fact], list[Fact]]:
    a, b = Article("a", "a", "", DAY, a_text), Article("b", "b", "", DAY, b_text)
    facts = extract_pair_facts(a, [Sentence("a", 0, a_text, 0, len(a_text), 0)],
                               b, [Sentence("b", 0, b_text, 0, len(b_text), 0)])
    return facts[0][0], facts[1][0]


def judged(a_text: str, b_text: str, similarity: float = 0.9):
    a_facts, b_facts = extracted(a_text, b_text)
    return classify_pair(Alignment(0, 0, similarity, 0.9), (a_text, b_text), a_facts, b_facts, Config(), (DAY, DAY))


# (A, B, the kind the tool must name): caught as a conflict or a difference to check, whichever the
# shipped judge's probability and threshold say (so the test holds when the judge is refitted)
CAUGHT = [
    ("The storm killed 7 people on Friday, officials said.", "The storm killed 9 people on Friday, officials said.",
     ConflictKind.CONTRADICTION),
    ("All of the passengers were from the region.", "Most of the passengers were from the region.",
     ConflictKind.EXTENT),
    ("The storm hit the coast on Friday.", "The storm hit the coast on Saturday.", ConflictKind.DATE),
    ("The shooting began at 6:30 p.m. Friday.", "The shooting began at 6:40 p.m. Friday.", ConflictKind.TIME),
    ("\"We are ready to talk,\" said Foreign Minister Wang Yi.",
     "\"We are ready to talk,\" said Prime Minister Li Keqiang.", ConflictKind.SPEAKER),
    ("The search for the missing sailors is ongoing.", "The search for the missing sailors has ended.",
     ConflictKind.STATUS),
    ("The company has confirmed the layoffs.", "The company has not confirmed the layoffs.", ConflictKind.NEGATION),
]


@pytest.mark.parametrize(("a_text", "b_text", "kind"), CAUGHT)
def test_each_kind_is_caught_as_a_conflict_or_to_check(a_text, b_text, kind):
    verdict = judged(a_text, b_text)
    listed = verdict.conflicts or verdict.to_check
    assert kind in {c.kind for c in listed}, verdict
    is_conflict = verdict.conflict_probability >= load_judge().threshold
    assert (verdict.status is Status.CONFLICT) == is_conflict and bool(verdict.conflicts) == is_conflict


def test_a_planted_count_contradiction_is_a_conflict():
    verdict = judged(*CAUGHT[0][:2])
    assert verdict.status is Status.CONFLICT
    assert conflict_text(verdict.conflicts[0]) == "A reports 7 people, B 9 people (contradiction)"


NEAR_MISSES = [
    ("The plane carried 1.25 million dollars in cash.", "The plane carried 1.2 million dollars in cash."),  # rounding
    ("Three people were injured in the blast.", "Five buildings were damaged in the blast."),  # another slot
    ("\"We will never surrender,\" the minister said.",  # the same quote with a tag added
     "\"We will never surrender, not now, not ever,\" the minister said."),
    ("The war has killed more than 10,000 people since 2014.", "The attack on Friday killed 12 people."),  # a toll
    pytest.param("Friday's quake was the largest since the magnitude 6.7 Northridge quake.",
                 "The magnitude 7.1 quake struck at 8:19 p.m.",
                 marks=pytest.mark.xfail(strict=True, reason="a figure a comparison brings in: the judge calls it "
                                         "a conflict; 'compared' evidence is too rare in the references to outweigh "
                                         "the figures (docs/quality.md)")),
]


@pytest.mark.parametrize(("a_text", "b_text"), NEAR_MISSES)
def test_near_misses_are_not_called_conflicts(a_text, b_text):
    verdict = judged(a_text, b_text)
    assert verdict.status is not Status.CONFLICT and verdict.conflicts == (), verdict


def test_a_judge_that_always_says_no_never_calls_a_conflict(tmp_path):
    never = LinearModel(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.zeros(len(FEATURES)), -50.0, 0.5)
    path = tmp_path / "never.json"
    path.write_text(json.dumps(never.to_json()), encoding="utf-8")
    a_facts, b_facts = extracted(*CAUGHT[0][:2])
    verdict = classify_pair(Alignment(0, 0, 0.95, 0.9), CAUGHT[0][:2], a_facts, b_facts,
                            Config(conflict_model=str(path)), (DAY, DAY))
    assert verdict.status is Status.PARTIAL and verdict.to_check and verdict.conflict_probability < 1e-9


def test_a_conflict_between_sentences_left_apart_is_aligned_when_asked(tmp_path):
    """With `apart_conflicts`, a candidate pair the alignment did not keep, with a figure each that
    the judge calls a conflict, becomes a conflict row, and its sentences are no longer one-sided;
    below `APART_FLOOR` or without the setting, nothing changes."""
    from compare.judge.classify import APART_FLOOR, classify
    from compare.records import Side

    always = replace(load_judge(), threshold=0.0)
    path = tmp_path / "always.json"
    path.write_text(json.dumps(always.to_json()), encoding="utf-8")
    a_text, b_text = "The storm killed 7 people.", "The storm killed 9 people."
    a = Side(Article("a", "a", "", DAY, a_text), (Sentence("a", 0, a_text, 0, len(a_text), 0),),
             ((number(7, text="7", start=17),),), np.ones((1, 2), dtype=np.float32) / np.sqrt(2))
    b = Side(Article("b", "b", "", DAY, b_text), (Sentence("b", 0, b_text, 0, len(b_text), 0),),
             ((number(9, text="9", start=17),),), np.ones((1, 2), dtype=np.float32) / np.sqrt(2))
    rows = [Alignment(0, None, None), Alignment(None, 0, None)]
    config = Config(conflict_model=str(path), apart_conflicts=True)
    pairs = np.array([[0, 0]])
    found = classify(rows, a, b, config, (pairs, np.array([APART_FLOOR + 0.05])))
    assert [(v.alignment.a, v.alignment.b, v.status) for v in found] == [(0, 0, Status.CONFLICT)]
    assert found[0].alignment.score == pytest.approx(APART_FLOOR + 0.05)
    below = classify(rows, a, b, config, (pairs, np.array([APART_FLOOR - 0.05])))
    assert [v.status for v in below] == [Status.ONLY_A, Status.ONLY_B]
    assert [v.status for v in classify(rows, a, b, config)] == [Status.ONLY_A, Status.ONLY_B]
