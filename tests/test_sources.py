"""Who reported first (issue 28, item 4): the rule `compare.story.sources.first_published` applies
to reports' days and times, on small hand-made cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from compare.export.rows import article_meta, published_words
from compare.records import Article
from compare.story.sources import first_published, publication_order

EST = timezone(timedelta(hours=-5))


def report(name: str, day: date | None, moment: datetime | None = None) -> Article:
    """A report with a day and, maybe, a time of day."""
    return Article(name, name, "", day, "Text.", published_at=moment)


D16, D17 = date(2018, 12, 16), date(2018, 12, 17)


@pytest.mark.parametrize(
    ("reports", "first", "order"),
    [
        # days only: the earliest day; one day ties
        ([report("a", D17), report("b", D16), report("c", D16)], ("b", "c"), "bca"),
        # one day, times with zones: the earliest instant
        ([report("a", D16, datetime(2018, 12, 16, 9, 0, tzinfo=EST)),
          report("b", D16, datetime(2018, 12, 16, 13, 0, tzinfo=UTC))], ("b",), "ba"),
        # times with zones are instants across days: 23:00 EST on the 16th is after 01:00 UTC on the 17th
        ([report("a", D16, datetime(2018, 12, 16, 23, 0, tzinfo=EST)),
          report("b", D17, datetime(2018, 12, 17, 1, 0, tzinfo=UTC))], ("b",), "ba"),
        # one day, times without zones: compared as given
        ([report("a", D16, datetime(2018, 12, 16, 11, 0)), report("b", D16, datetime(2018, 12, 16, 8, 15))],
         ("b",), "ba"),
        # one day, a report without a time: the tie cannot be broken
        ([report("a", D16, datetime(2018, 12, 16, 11, 0)), report("b", D16)], ("a", "b"), "ab"),
        # one day, a time with a zone and one without: the tie cannot be broken
        ([report("a", D16, datetime(2018, 12, 16, 11, 0, tzinfo=UTC)), report("b", D16, datetime(2018, 12, 16, 8))],
         ("a", "b"), "ab"),
        # a time without a zone does not reach across days: the earlier day wins
        ([report("a", D17, datetime(2018, 12, 17, 0, 30)), report("b", D16, datetime(2018, 12, 16, 23, 0, tzinfo=UTC))],
         ("b",), "ba"),
        # undated reports are never first and come last
        ([report("a", None), report("b", D17), report("c", D16, datetime(2018, 12, 16, 8, 0))], ("c",), "cba"),
        ([report("a", None), report("b", None)], (), "ab"),
        # the same instant written in two zones: a tie
        ([report("a", D16, datetime(2018, 12, 16, 9, 0, tzinfo=EST)),
          report("b", D16, datetime(2018, 12, 16, 14, 0, tzinfo=UTC))], ("a", "b"), "ab"),
    ],
)
def test_who_published_first(reports, first, order):
    assert tuple(reports[r].id for r in first_published(reports, range(len(reports)))) == first
    assert "".join(reports[r].id for r in publication_order(reports)) == order


def test_first_among_the_reports_stating_a_claim_only():
    reports = [report("a", D16), report("b", D17), report("c", D17, datetime(2018, 12, 17, 7, 0))]
    assert first_published(reports, (1, 2)) == (1, 2)  # b has no time: c cannot be put before it
    assert first_published(reports, (2,)) == (2,)


def test_publication_in_words_and_json():
    assert published_words(report("a", D16)) == "2018-12-16"
    assert published_words(report("a", None)) == "undated"
    assert published_words(report("a", D16, datetime(2018, 12, 16, 9, 30, tzinfo=EST))) == "2018-12-16 09:30 UTC-05:00"
    assert published_words(report("a", D16, datetime(2018, 12, 16, 9, 30, tzinfo=UTC))) == "2018-12-16 09:30 UTC"
    assert published_words(report("a", D16, datetime(2018, 12, 16, 9, 30))) == "2018-12-16 09:30"
    meta = article_meta(report("a", D16, datetime(2018, 12, 16, 9, 30, tzinfo=EST)))
    assert (meta["published"], meta["published_at"]) == ("2018-12-16", "2018-12-16T09:30-05:00")
    assert article_meta(report("a", D16))["published_at"] == ""
