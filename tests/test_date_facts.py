"""Date facts: hand-made (text, publication date, expected) cases for "the weekend"."""

from __future__ import annotations

from datetime import date

import pytest

from compare.facts.dates import date_facts, resolve_date
from compare.facts.nlp import parse_texts

TUESDAY = date(2018, 3, 13)
MONDAY = date(2020, 3, 23)


@pytest.mark.parametrize(
    ("mention", "published", "future", "expected"),
    [
        ("the weekend", TUESDAY, False, "2018-03-10"),  # "over the weekend": the last one's Saturday
        ("weekend", MONDAY, False, "2020-03-21"),
        ("last weekend", TUESDAY, False, "2018-03-10"),
        ("this weekend", TUESDAY, True, "2018-03-17"),  # "will rally this weekend": the coming one
        ("the weekend", TUESDAY, True, "2018-03-17"),
        ("last weekend", TUESDAY, True, "2018-03-10"),  # "last" stays past whatever the verb
        ("the weekend", None, False, None),  # nothing to anchor it
    ],
)
def test_resolve_weekend(mention, published, future, expected):
    assert resolve_date(mention, published, future=future) == expected


def dates_of(text: str, published: date) -> list[str]:
    """The date values `date_facts` reads from one sentence."""
    return [f.value for f in date_facts(parse_texts([text])[0], published)]


def test_over_the_weekend_is_a_date_fact():
    text = "Trump traveled to the district over the weekend to hold a campaign rally."
    assert "2018-03-10" in dates_of(text, TUESDAY)


def test_weekend_ahead_when_the_verb_points_forward():
    text = "The president will hold a rally in the district this weekend."
    assert "2018-03-17" in dates_of(text, TUESDAY)
