"""Dates and times: two day-level dates of the same event that differ, and what a figure is dated to
(the year and day of its clause), so that figures of two events are never compared."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from compare.facts.dates import WEEKDAYS
from compare.judge.words import WORD, clause_of
from compare.records import Conflict, ConflictKind, Fact, FactKind


def clause_dates(sentence: str, fact: Fact, facts: Sequence[Fact], day: bool = False) -> list[Fact]:
    """The dates of a sentence inside a figure's clause (day-level ones only when `day`), nearest
    first: what the figure is dated to ("killing 224 people in October 2015"; not "the deadliest
    since 2016" after a comma)."""
    before, after = clause_of(sentence, fact)
    lo, hi = fact.start - len(before), fact.end + len(after)
    dates = [f for f in facts if f.kind is FactKind.DATE and lo <= f.start and f.end <= hi and f.value[:4].isdigit()]
    dates = [f for f in dates if len(f.value) == 10] if day else dates
    return sorted(dates, key=lambda d: min(abs(d.start - fact.end), abs(fact.start - d.end)))


COMPARED = frozenset({"since", "than", "until", "before", "after", "record", "ever"})  # "the deadliest since 2016"


def event_years(sentence: str, facts: Sequence[Fact]) -> set[str]:
    """The years of a sentence's dates but those a comparison gives ("the deadliest since 2016",
    "more than ever before")."""

    def compared(f: Fact) -> bool:
        before = WORD.findall(sentence[max(0, f.start - 12) : f.start])[-2:]
        return bool(COMPARED & {w.lower() for w in [*before, *WORD.findall(f.text)]})

    return {f.value[:4] for f in facts if f.kind is FactKind.DATE and f.value[:4].isdigit() and not compared(f)}


def figure_year(sentence: str, fact: Fact, facts: Sequence[Fact]) -> str:
    """The year a figure is dated to: of the nearest date in its clause, else of the sentence's
    dates when they all have one ("In March 2016, a Boeing crashed ..., killing all 62"), leaving
    out dates a comparison gives; "" for none."""
    own = clause_dates(sentence, fact, facts)
    if own:
        return own[0].value[:4]
    years = event_years(sentence, facts)
    return years.pop() if len(years) == 1 else ""


def sentence_years(sentence: str, facts: Sequence[Fact], published: date | None) -> set[str]:
    """The years a sentence is of (`event_years`); a sentence without one is of its report's time
    (the publication year and the one before), or of none known."""
    years = event_years(sentence, facts)
    if years or published is None:
        return years
    return {str(published.year), str(published.year - 1)}


def other_year(
    sentence: str,
    fact: Fact,
    facts: Sequence[Fact],
    other_sentence: str,
    other_facts: Sequence[Fact],
    other_published: date | None,
) -> bool:
    """True when a figure is dated to a year the other sentence is not of: what the two count
    happened apart ("killing 224 people in October 2015" against this year's crash)."""
    year = figure_year(sentence, fact, facts)
    others = sentence_years(other_sentence, other_facts, other_published)
    return bool(year and others and year not in others)


def date_conflicts(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[Conflict]:
    """One day-level date each, different, of the same event (their event words overlap:
    "announced sanctions Monday" vs "slapped sanctions Thursday"), and not more than `EVENT_DAYS`
    apart."""
    a_days = [f for f in a_facts if f.kind is FactKind.DATE and len(f.value) == 10]
    b_days = [f for f in b_facts if f.kind is FactKind.DATE and len(f.value) == 10]
    if len(a_days) != 1 or len(b_days) != 1 or a_days[0].value == b_days[0].value:
        return []
    x, y = a_days[0], b_days[0]
    if days_apart(x.value, y.value) > EVENT_DAYS:
        return []  # "the last large-scale crash ... on Dec. 25, 2016" is another crash than Sunday's
    if weekday_of(x.text) and weekday_of(x.text) == weekday_of(y.text):
        return []  # both say "Thursday": one day, resolved differently (last or next week), not a conflict
    if set(x.slot.split()) & set(y.slot.split()):
        return [Conflict(ConflictKind.DATE, x, y, x.text, y.text)]
    return []


EVENT_DAYS = 366  # two reports may date one event days apart, not years: farther, two events


def days_apart(a_value: str, b_value: str) -> int:
    """Days between two YYYY-MM-DD values (0 when either does not parse)."""
    try:
        return abs((date.fromisoformat(a_value) - date.fromisoformat(b_value)).days)
    except ValueError:
        return 0


WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.IGNORECASE)


def weekday_of(text: str) -> str:
    """The weekday a date mention names ("Thursday's" -> "thursday"), or ""."""
    match = WEEKDAY.search(text)
    return match.group(1).lower() if match else ""
