"""Planted conflicts, table-driven: each mutation of a seed report and the verdict it must get,
including mutations that must NOT be conflicts. The real model, the real reports, the shipped
conflict judge: a difference it is not sure of is listed to check, never silently dropped."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from compare import Config
from compare.export.rows import conflict_text, conflicts_text
from compare.judge.model import load_judge
from compare.pipeline import compare_articles
from compare.read.load import load_file
from compare.records import Article, Comparison, ConflictKind, Status
from tests.conftest import SEED_A, SEED_B


def mutate(article: Article, old: str, new: str) -> Article:
    assert old in article.text, old
    return replace(article, id=article.id + "-mutated", text=article.text.replace(old, new, 1))


def pair_rows(comparison: Comparison, a_part: str, b_part: str):
    return [
        v
        for v in comparison.verdicts
        if v.alignment.a is not None
        and v.alignment.b is not None
        and a_part in comparison.a_sentences[v.alignment.a].text
        and b_part in comparison.b_sentences[v.alignment.b].text
    ]


def test_untouched_seed_reports_have_at_most_one_conflict(seed_comparison):
    assert sum(v.status is Status.CONFLICT for v in seed_comparison.verdicts) <= 1


# (report A is seed A, report B is seed B with one edit) -> the pair's verdict and what it names
CROSS = [
    (
        "three North Koreans",
        "five North Koreans",
        "three top officials",
        "five North Koreans",
        Status.CONFLICT,
        ("3 top officials", "5 North Koreans"),
    ),
    (
        "slapped sanctions on",
        "imposed sanctions on",
        "three top officials",
        "imposed sanctions",
        None,
        (),
    ),  # a paraphrase
]


@pytest.mark.parametrize(("old", "new", "a_part", "b_part", "status", "named"), CROSS)
def test_cross_report_mutations(encoder, old, new, a_part, b_part, status, named):
    a, b = load_file(SEED_A), mutate(load_file(SEED_B), old, new)
    comparison = compare_articles(a, b, Config(), encoder)
    rows = pair_rows(comparison, a_part, b_part)
    assert rows, "the mutated sentence must still align with its partner"
    if status is Status.CONFLICT:
        assert rows[0].status is Status.CONFLICT
        assert all(value in conflicts_text(rows[0].conflicts) for value in named), rows[0].conflicts
    else:
        assert all(r.status is not Status.CONFLICT for r in rows)


# (report A is seed B, report B is seed B with one edit) -> (the difference named, whether it must be
# a conflict), or None for nothing to flag at all. A differing count of the same thing must be a
# conflict; the other kinds are a conflict or a difference to check as the judge's probability and
# threshold say (the judge learned from the references that a differing day, speaker or person in
# real news is more often not a conflict than one).
SELF = [
    (
        "North Koreans Monday",
        "North Koreans Thursday",
        ("A gives the date as 2018-12-10, B as 2018-12-06 (different date)", False),
    ),
    (
        "Klingner noted",
        "Wit noted",
        ("A attributes the words to Bruce Klingner, B to Joel Wit (different speaker)", False),
    ),
    (
        "Treasury Secretary Steven Mnuchin said",
        "Treasury Secretary Mike Pompeo said",
        ("A names Steven Mnuchin, B Mike Pompeo (different person in the role)", False),
    ),
    (
        "the fresh sanctions highlight",
        "the fresh sanctions do not highlight",
        ("A affirms it, B denies it (negation)", False),
    ),
    (
        "nine of the 15 council members",
        "nine of the 12 council members",
        ("A reports 15 council members, B 12 council members (contradiction)", True),
    ),
    (
        "nine of the 15 council members",
        "nine of the about 16 council members",
        ("A reports 15 council members, B 16 council members (qualified figure)", True),
    ),  # "about" makes them compatible; the references still flag it
    ("slapped sanctions on three North Koreans", "imposed sanctions on three North Koreans", None),
    ("The meeting, which has been held", "The meeting, which had been held", None),
]


@pytest.mark.parametrize(("old", "new", "expected"), SELF)
def test_self_mutations(encoder, old, new, expected):
    original = load_file(SEED_B)
    comparison = compare_articles(original, mutate(original, old, new), Config(), encoder)
    conflicts = [conflict_text(c) for v in comparison.verdicts for c in v.conflicts]
    checks = [conflict_text(c) for v in comparison.verdicts for c in v.to_check]
    if expected is None:
        assert conflicts == [] and checks == []
        return
    text, must_conflict = expected
    flagged = [v for v in comparison.verdicts if v.conflicts or v.to_check]
    assert len(flagged) == 1  # the one edited sentence, nothing else
    is_conflict = flagged[0].conflict_probability >= load_judge().threshold
    assert text in (conflicts if is_conflict else checks), (conflicts, checks)
    assert (flagged[0].status is Status.CONFLICT) == is_conflict
    assert is_conflict or not must_conflict


QUALIFIED = [
    ("More than 50 people were killed in the attack on Friday.", "The attack on Friday killed 64 people."),
    ("At least 16 people died in the floods on Friday.", "The floods on Friday killed 19 people."),
]


@pytest.mark.parametrize(("a_text", "b_text"), QUALIFIED)
def test_compatible_figures_are_qualified_conflicts(encoder, a_text, b_text):
    """The references flag "at least 16" against 19 (a journalist wants to see it), as a conflict
    of its own kind, so the reader knows both figures can be right."""
    day = date(2020, 5, 3)
    a = Article("a", "A", "", day, a_text + " Rescue teams searched the area.")
    b = Article("b", "B", "", day, b_text + " Rescue teams searched the area.")
    comparison = compare_articles(a, b, Config(), encoder)
    first = next(v for v in comparison.verdicts if v.alignment.a == 0 and v.alignment.b == 0)
    assert first.status is Status.CONFLICT
    assert [c.kind for c in first.conflicts] == [ConflictKind.QUALIFIED]
    assert "(qualified figure)" in conflicts_text(first.conflicts)
