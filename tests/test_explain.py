"""The dashboard's plain words (`compare.export.explain`) on hand-made verdicts."""

from __future__ import annotations

import pytest

from compare.align.match import match_threshold
from compare.config import Config
from compare.export import explain
from compare.records import Alignment, Conflict, ConflictKind, Fact, FactKind, Status, Verdict

NINE = Fact(FactKind.NUMBER, "9 people", "nine people", 0, 11, slot="people", amount=9)
SEVEN = Fact(FactKind.NUMBER, "7 people", "seven people", 0, 12, slot="people", amount=7)


def test_legend_has_one_line_per_status():
    lines = explain.legend_lines()
    assert [line.split(":")[0] for line in lines] == ["agree", "partial", "conflict", "only in A", "only in B"]


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        (
            Verdict(Alignment(0, 1, 0.88, 0.9), Status.PARTIAL, ("person:Kim Jong Un",), ("date:2018-12-10",)),
            [
                "Match probability 0.90",
                "Similarity 0.88 reaches the agreement setting 0.72",
                "Both state: Kim Jong Un (person)",
                "A adds: 2018-12-10 (date)",
                "Partial because one side adds a figure or a date",
            ],
        ),
        (
            Verdict(Alignment(0, 1, 0.60, 0.5), Status.PARTIAL),
            ["is below the agreement setting 0.72", "No fact is stated by both", "not similar enough"],
        ),
        (
            Verdict(Alignment(2, 3, 0.95, 0.99), Status.AGREE, ("place:Seoul",)),
            ["reaches", "Agree: similar enough"],
        ),
        (
            Verdict(
                Alignment(2, 3, 0.9, 0.8),
                Status.CONFLICT,
                conflicts=(Conflict(ConflictKind.CONTRADICTION, SEVEN, NINE),),
            ),
            ["Conflict because the facts differ: A reports 7 people, B 9 people (contradiction)"],
        ),
        (
            Verdict(Alignment(4, None, None), Status.ONLY_A, a_only=("org:Treasury",)),
            [f"No sentence of B reached the minimum match probability ({match_threshold(Config()):g})",
             "Only A states: Treasury (org)"],
        ),
        (Verdict(Alignment(None, 5, None), Status.ONLY_B), ["No sentence of A reached"]),
    ],
)
def test_why_lines_name_the_evidence(verdict, expected):
    text = " ".join(explain.why_lines(verdict, Config()))
    for part in expected:
        assert part in text


def test_review_line_is_the_reviewers():
    line = explain.review_line("relabel", "conflict", "the toll differs", Status.PARTIAL)
    assert line == "Reviewer relabelled this pair conflict (the tool said partial). Note: the toll differs"
    assert explain.review_line("confirm", "", "", Status.AGREE) == "Reviewer confirmed this pair."
