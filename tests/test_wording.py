"""Shared wire copy (issue 28): copied or reworded per aligned row, and the share of each report
that is word for word in the other, on hand-made sentences and on the reference pairs."""

from __future__ import annotations

import pytest

from compare.config import Config
from compare.judge.wording import COPIED, REWORDED, is_copied, shared_copy, wording, words
from tests.conftest import SHARED

WIRE = "The Supreme Court on Monday struck down a federal law barring sports gambling in most states."


def test_folding_case_quotes_dashes_and_space():
    assert words("“It’s   OVER” — he said") == words("\"it's over\" - he said")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (WIRE, "In a ruling, " + WIRE.lower(), COPIED),  # the whole sentence inside another
        (WIRE, "Justices on Monday struck down a federal law barring sports gambling, the AP said.", COPIED),  # 8 words
        (WIRE, "A federal ban on sports betting was thrown out by the court on Monday.", REWORDED),
        ("Officials confirmed the toll.", "Officials confirmed the toll on Tuesday.", COPIED),  # 4 of 4 words: 80 %
        ("He said so.", "He said so, officials added later that day.", REWORDED),  # 3 words: too short to tell
    ],
)
def test_copied_or_reworded(a, b, expected):
    assert wording(a, b) == expected and is_copied(b, a) == (expected == COPIED)


def compared(name: str):
    from compare import compare_files

    folder = next((SHARED / "eval" / "dev").glob(f"{name}-*"))
    return compare_files(folder / "a.txt", folder / "b.txt", Config())


@pytest.mark.parametrize(("name", "copy"), [("d05", True), ("d13", True), ("d06", False), ("d08", False)])
def test_wire_copy_in_the_reference_pairs(name, copy):
    """d05 and d13 both run AP copy: more than half of each report is word for word in the other;
    d06 and d08 are written apart: almost none."""
    a, b = shared_copy(compared(name))
    if copy:
        assert a > 0.5 and b > 0.5
    else:
        assert a < 0.05 and b < 0.05


WIRE_STORY = (
    "The storm killed seven people in the coastal town of Marlow on Sunday, officials said.\n\n"
    "Rescue teams pulled three fishermen from the harbour after their boat overturned in high winds.\n\n"
    "The mayor declared a state of emergency and asked residents to stay indoors until Tuesday.\n",
    "The storm killed seven people in the coastal town of Marlow on Sunday, officials said.\n\n"
    "Rescue teams pulled three fishermen from the harbour after their boat overturned in high winds.\n\n"
    "The mayor declared a state of emergency and asked residents to stay indoors until Tuesday.\n\n"
    "Power was restored to most homes by Monday morning, the utility said.\n",
    "Seven people died when a storm swept through Marlow on Sunday, according to local officials.\n\n"
    "Marlow's mayor has declared an emergency, telling people to remain at home.\n",
)


def test_a_story_where_two_reports_share_wire_copy_counts_them_once(encoder):
    """Issue 28, items 2 and 4: two reports running one wire story and a third written apart; a
    claim only the two copies state rests on one source (independent_reports 1), a claim all three
    state has two independent reports, and the claims CSV and the coverage matrix say so; the
    reports published on the earliest day stated a claim first, and of those the earliest by the
    time of day when they give one."""
    from dataclasses import replace
    from datetime import UTC, date, datetime

    from compare.read.load import parse_any
    from compare.session import Session
    from compare.story.export import claim_rows, coverage_rows
    from compare.story.sources import copy_pairs, first_reports, independent_reports, one_source_claims

    days = (date(2026, 3, 2), date(2026, 3, 1), date(2026, 3, 1))  # the local paper and the second copy first
    articles = [replace(parse_any(text, article_id=name), published=day)
                for text, name, day in zip(WIRE_STORY, ("wire1", "wire2", "local"), days, strict=True)]
    with Session(Config(use_cache=False), encoder) as session:
        story = session.compare_story(session.prepare_story(articles))
    assert [(i, j) for i, j, _, _ in copy_pairs(story)] == [(0, 1)]
    by_text = {story.sides[c.members[0].report].sentences[c.members[0].sentence].text[:12]: c for c in story.claims}
    rescue, killed = by_text["Rescue teams"], by_text["The storm ki"]
    assert rescue.reports == (0, 1) and independent_reports(story, rescue) == 1
    assert killed.reports == (0, 1, 2) and independent_reports(story, killed) == 2
    assert one_source_claims(story) >= 1
    assert first_reports(story, killed) == (1, 2) and first_reports(story, rescue) == (1,)  # who stated it first
    rows = [r for r in claim_rows(story) if r["claim_id"] == str(rescue.id)]
    assert {r["independent_reports"] for r in rows} == {"1"} and {r["first_reports"] for r in rows} == {"wire2"}
    matrix = {r["claim_id"]: r for r in coverage_rows(story)}
    assert matrix[str(killed.id)]["independent_reports"] == "2"
    assert matrix[str(killed.id)]["first_reports"] == "wire2; local"  # one day, no times: a tie
    # with times of day (item 4) the tie is broken: the local paper was out at 07:30, the copy at 09:00
    times = (None, datetime(2026, 3, 1, 9, 0, tzinfo=UTC), datetime(2026, 3, 1, 7, 30, tzinfo=UTC))
    timed = replace(story, sides=tuple(replace(side, article=replace(side.article, published_at=moment))
                                       for side, moment in zip(story.sides, times, strict=True)))
    assert first_reports(timed, killed) == (2,) and first_reports(timed, rescue) == (1,)
    assert {r["claim_id"]: r for r in coverage_rows(timed)}[str(killed.id)]["first_reports"] == "local"


@pytest.mark.parametrize(
    ("sentence", "credited"),
    [
        ("The Associated Press contributed to this report.", ["Associated Press"]),
        ("The talks collapsed, according to Reuters.", ["Reuters"]),
        ("He told CNN on Sunday that it was over.", ["CNN"]),
        ("WASHINGTON (AP) — The Senate voted on Tuesday.", ["Associated Press"]),
        ("Reuters reported that the talks had failed.", ["Reuters"]),
        ("Jane Doe contributed reporting from Kyiv.", ["Jane Doe"]),
        ("He contributed $5 million to the campaign.", []),
        ("The toll rose to 3, according to the Pentagon.", []),  # a source of the story, not an outlet credited
    ],
)
def test_credited_sources(sentence, credited):
    from compare.facts.credits import credit_facts

    assert [f.value for f in credit_facts(sentence)] == credited


def test_credited_sources_are_facts_of_kind_source_beside_the_shared_copy_line():
    """Issue 28, item 3: the facts CSV has a `source` row per outlet credited, where it is
    credited; the shared-copy line names what each report credits."""
    from dataclasses import replace

    from compare.export import explain
    from compare.export import rows as export
    from tests.test_export import handmade

    comparison = handmade()
    credit = "The Associated Press contributed to this report."
    sentences = list(comparison.b_sentences)
    sentences[2] = replace(sentences[2], text=credit, end=sentences[2].start + len(credit))
    comparison = replace(comparison, b_side=replace(comparison.b_side, sentences=tuple(sentences)))
    rows = [r for r in export.fact_rows(comparison) if r["kind"] == "source"]
    assert rows == [{"kind": "source", "value": "Associated Press", "in_a": "false", "in_b": "true", "a_mentions": "",
                     "b_mentions": "The Associated Press", "status": "only_b", "conflict_with": "", "a_sentences": "",
                     "b_sentences": "2"}]
    assert explain.copy_line(comparison) == "B credits Associated Press"
