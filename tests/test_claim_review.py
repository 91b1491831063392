"""Reviewer decisions on claims: confirm, reject, split, move, kept in the review database and
applied oldest first; a decision on a claim that is no longer there is stale."""

from __future__ import annotations

import numpy as np
import pytest

from compare.config import Config
from compare.records import Article, Claim, Comparison, Member, Sentence, Side, Story
from compare.story.claim_review import ClaimAction, ClaimDecision, ClaimReviewStore, apply_claim_decisions
from compare.story.export import claim_rows, coverage_rows

A0, A1, A2, B0, B1, B2, C0, C1, C2 = (Member(r, s) for r in range(3) for s in range(3))


def side(name: str, text: str = "") -> Side:
    words = [f"{name} says {k}{text}." for k in range(3)]
    body = " ".join(words)
    sentences, start = [], 0
    for k, w in enumerate(words):
        sentences.append(Sentence(name, k, w, start, start + len(w), 0))
        start += len(w) + 1
    return Side(Article(name, name, "", None, body), tuple(sentences), ((),) * 3, np.zeros((3, 4), np.float32))


def make_story(c_text: str = "") -> Story:
    sides = (side("a"), side("b"), side("c", c_text))
    pairs = ((0, 1), (0, 2), (1, 2))
    comparisons = tuple(Comparison(sides[i], sides[j], (), "m") for i, j in pairs)
    groups = [(A0, B0, C0), (A1, B1), (A2,), (B2,), (C1,), (C2,)]
    return Story(sides, pairs, comparisons, tuple(Claim(k + 1, g, 3) for k, g in enumerate(groups)), "m")


def member_sets(story: Story) -> set[frozenset[Member]]:
    return {frozenset(c.members) for c in story.claims}


def test_confirm_marks_the_claim_and_keeps_it():
    confirm = ClaimDecision(ClaimAction.CONFIRM, (A1, B1), note="ok")
    story, reviews, stale = apply_claim_decisions(make_story(), [confirm])
    assert member_sets(story) == member_sets(make_story()) and not stale
    claim = next(c for c in story.claims if set(c.members) == {A1, B1})
    assert reviews == {claim.id: ("confirmed", "ok")}


def test_reject_leaves_each_sentence_a_claim_of_its_own():
    story, reviews, _ = apply_claim_decisions(make_story(), [ClaimDecision(ClaimAction.REJECT, (A1, B1))])
    assert {frozenset({A1}), frozenset({B1})} <= member_sets(story)
    assert not any({A1, B1} <= s for s in member_sets(story))
    assert sorted(reviews.values()) == [("rejected", ""), ("rejected", "")]


def test_split_takes_part_of_a_claim_out():
    story, _, _ = apply_claim_decisions(make_story(), [ClaimDecision(ClaimAction.SPLIT, (A0, B0, C0), part=(C0,))])
    assert frozenset({A0, B0}) in member_sets(story) and frozenset({C0}) in member_sets(story)
    assert [c.status.value for c in story.claims[:2]] == ["some", "some"]  # sorted again: two reports first


def test_move_a_sentence_to_another_claim_or_its_own():
    moved, _, _ = apply_claim_decisions(
        make_story(), [ClaimDecision(ClaimAction.MOVE, (C1,), part=(C1,), target=(A1, B1))]
    )
    assert frozenset({A1, B1, C1}) in member_sets(moved) and frozenset({C1}) not in member_sets(moved)
    alone, _, _ = apply_claim_decisions(make_story(), [ClaimDecision(ClaimAction.MOVE, (A0, B0, C0), part=(B0,))])
    assert frozenset({A0, C0}) in member_sets(alone) and frozenset({B0}) in member_sets(alone)
    assert sum(len(c.members) for c in alone.claims) == 9  # nothing lost, nothing doubled


def test_decisions_apply_in_order_and_a_missing_claim_is_stale():
    decisions = [
        ClaimDecision(ClaimAction.SPLIT, (A0, B0, C0), part=(C0,)),
        ClaimDecision(ClaimAction.CONFIRM, (A0, B0, C0)),  # no longer there after the split
        ClaimDecision(ClaimAction.CONFIRM, (A0, B0), note="the pair holds"),
    ]
    story, reviews, stale = apply_claim_decisions(make_story(), decisions)
    assert stale == [decisions[1]]
    pair = next(c for c in story.claims if set(c.members) == {A0, B0})
    assert reviews[pair.id] == ("confirmed", "the pair holds")


def test_decisions_persist_per_story_text_and_flow_into_the_claims_csv(tmp_path):
    store = ClaimReviewStore(tmp_path / "reviews.sqlite")
    story = make_story()
    decision = ClaimDecision(ClaimAction.SPLIT, (A0, B0, C0), part=(C0,), note="C0 is another claim")
    store.save(story, decision, Config())
    again = ClaimReviewStore(tmp_path / "reviews.sqlite")
    assert again.load(make_story()) == [decision]
    assert again.load(make_story(c_text=" (updated)")) == []  # another text of report c: another story
    reviewed, reviews, _ = apply_claim_decisions(story, again.load(story))
    rows = claim_rows(reviewed, reviews)
    assert {r["review"] for r in rows if r["report"] == "c" and r["sentence_id"] == "0"} == {"split"}
    assert {r["note"] for r in rows if r["review"]} == {"C0 is another claim"}
    matrix = coverage_rows(reviewed, reviews)
    assert {(r["c"], r["review"]) for r in matrix if r["review"]} == {("0", "split"), ("", "split")}
    again.clear(story)
    assert again.load(story) == []


def test_a_broken_database_is_one_plain_error(tmp_path):
    from compare.sqlite import StoreError

    bad = tmp_path / "reviews.sqlite"
    bad.write_text("not a database")
    with pytest.raises(StoreError, match="not a database"):
        ClaimReviewStore(bad).load(make_story())


def test_one_text_given_twice_keeps_its_decisions_apart(tmp_path):
    """Reports b and c with the same text (one file chosen twice): a decision on c's sentences
    reads back as c's, not b's."""
    b, c = side("b"), side("b")
    sides = (side("a"), b, Side(Article("b-2", "b", "", None, c.article.text), c.sentences, c.facts, c.vectors))
    pairs = ((0, 1), (0, 2), (1, 2))
    comparisons = tuple(Comparison(sides[i], sides[j], (), "m") for i, j in pairs)
    groups = [(A0, C0), (B0,), (A1,), (A2,), (B1,), (B2,), (C1,), (C2,)]
    story = Story(sides, pairs, comparisons, tuple(Claim(k + 1, g, 3) for k, g in enumerate(groups)), "m")
    store = ClaimReviewStore(tmp_path / "reviews.sqlite")
    decision = ClaimDecision(ClaimAction.MOVE, (A0, C0), part=(C0,), target=(B1,))
    store.save(story, decision, Config())
    assert store.load(story) == [decision]
    moved, _, stale = apply_claim_decisions(story, store.load(story))
    assert not stale and frozenset({B1, C0}) in member_sets(moved)


@pytest.mark.parametrize(
    ("column", "value"),
    [("members", "{not json"), ("members", '{"a": 1}'), ("members", '[["x"]]'), ("members", '[["h", "one"]]'),
     ("action", "approve"), ("note", b"\xff")],
)
def test_a_hand_edited_claim_row_is_skipped_not_a_crash(tmp_path, caplog, column, value):
    """Issue 26, item 3: bad JSON, a wrong shape, an unknown action or a BLOB in the claim table
    leave that row out (with a warning for a row of the wrong kind); the other decisions stay."""
    import sqlite3

    story, path = make_story(), tmp_path / "r.sqlite"
    store = ClaimReviewStore(path)
    store.save(story, ClaimDecision(ClaimAction.CONFIRM, (A1, B1), note="kept"), Config())
    store.save(story, ClaimDecision(ClaimAction.REJECT, (A0, B0, C0)), Config())
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE claim_decisions SET {column}=? WHERE action='reject'", (value,))
    with caplog.at_level("WARNING"):
        assert [(d.action, d.note) for d in ClaimReviewStore(path).load(story)] == [(ClaimAction.CONFIRM, "kept")]
