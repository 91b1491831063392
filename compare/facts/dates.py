"""Date facts: spaCy finds the mention, dateparser resolves it against the report's publication date.

Values are ISO at the granularity the words give: "Monday" -> 2018-12-10, "last month" ->
2018-11, "early in 2019" -> 2019. A weekday is the latest such day on or before publication,
unless its verb points forward ("will meet Monday"). A month and day without a year take the
publication year. Vague spans ("in recent days", "for months") are not date facts.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from compare.records import Fact, FactKind

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
VAGUE = re.compile(
    r"\b(?:recent(?:ly)?|several|few|many|some|numerous|decades?|centuries|ages|"
    r"coming|past|lately|soon|later|earlier|before|after|period|era|times?|"
    r"annual(?:ly)?|daily|weekly|monthly|yearly|overnight|season)\b"
    r"|^(?:for\s+)?(?:days|weeks|months|years)$",
    re.IGNORECASE,
)
DURATION = re.compile(
    r"^(?:for\s+|about\s+|nearly\s+|almost\s+|over\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|\w+teen|twenty|thirty|forty|fifty)[\s-]+(?:day|week|month|year)s?(?:-long)?$",
    re.IGNORECASE,
)
LEAD_WORDS = re.compile(
    r"^(?:(?:early|late|mid|middle|end|start|beginning|in|on|at|by|the|of|since|until|as of|from)\b[\s-]*)+",
    re.IGNORECASE,
)
POSSESSIVE = re.compile(r"['’]s$")
MONTH_DAY = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?$"
    r"|^\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$",
    re.IGNORECASE,
)
GENERIC_EVENT_WORDS = {"say", "be", "have", "do", "make", "take", "come", "go", "get", "report", "tell", "add"}
FUTURE_AUX = {"will", "'ll", "’ll", "shall", "wo"}
FUTURE_WORDS = re.compile(r"\b(?:next|coming|upcoming)\b", re.IGNORECASE)
PAST_WORDS = re.compile(r"\b(?:last|ago|previous|past)\b", re.IGNORECASE)


def resolve_date(mention: str, published: date | None, *, future: bool = False) -> str | None:
    """ISO value ("2018-12-10", "2018-11", "2019") of a date mention, or None if vague or unparsable."""
    text = POSSESSIVE.sub("", mention.strip())
    if not text or VAGUE.search(text) or DURATION.match(text):
        return None
    core = LEAD_WORDS.sub("", text).strip() or text
    if core.lower() in WEEKDAYS:
        return resolve_weekday(core.lower(), published, future=future)
    from dateparser.date import DateDataParser

    if MONTH_DAY.match(core):
        prefer = "current_period"
    elif FUTURE_WORDS.search(core) or PAST_WORDS.search(core):
        prefer = "current_period"
    else:
        prefer = "future" if future else "past"
    settings: dict[str, object] = {"PREFER_DATES_FROM": prefer, "REQUIRE_PARTS": []}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime.combine(published, datetime.min.time())
    elif not re.search(r"\b\d{4}\b", core):
        return None  # relative or yearless mention with nothing to anchor it
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(core)
    if data.date_obj is None:
        return None
    return format_period(data.date_obj.date(), data.period or "day", core)


def resolve_weekday(name: str, published: date | None, *, future: bool) -> str | None:
    """ISO date of a bare weekday: the latest on/before publication, or the next after it if `future`."""
    if published is None:
        return None
    delta = (published.weekday() - WEEKDAYS.index(name)) % 7
    if future:
        delta = -((WEEKDAYS.index(name) - published.weekday()) % 7 or 7)
    return date.fromordinal(published.toordinal() - delta).isoformat()


def format_period(day: date, period: str, text: str) -> str:
    """`day` written at the granularity of `period` ('day', 'week', 'month', 'year')."""
    if period == "year":
        return f"{day.year:04d}"
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()


def points_forward(ent: object) -> bool:
    """True when the verb governing a date mention is in the future ("will meet Monday")."""
    token = ent.root  # type: ignore[attr-defined]
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX"):
            aux = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
            if aux & FUTURE_AUX:
                return True
            if token.tag_ in ("VBD", "VBN") or aux & {"did", "had", "has", "have", "was", "were"}:
                return False
        if token.head is token:
            break
        token = token.head
    return False


def event_words(ent: object) -> str:
    """Lemmas naming what a date is the date *of*: its governing verb or noun and that word's
    objects ("slapped sanctions on three North Koreans Monday" -> "sanction slap"). Two dates
    conflict only when their events share a word."""
    token = ent.root.head  # type: ignore[attr-defined]
    if token.pos_ == "ADP":  # "on Friday": the event is what the preposition hangs on
        token = token.head
    if token.pos_ not in ("VERB", "NOUN", "PROPN"):
        return ""
    words = {token.lemma_.lower()} if token.pos_ == "VERB" or token.pos_ == "NOUN" else set()
    for child in token.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "nsubj") and child.pos_ in ("NOUN", "PROPN"):
            words.add(child.lemma_.lower())
        if child.dep_ == "prep":
            words.update(c.lemma_.lower() for c in child.children if c.dep_ == "pobj" and c.pos_ == "NOUN")
    return " ".join(sorted(words - GENERIC_EVENT_WORDS))


def date_facts(doc: object, published: date | None) -> list[Fact]:
    """Date facts for the spaCy DATE entities of one sentence's `doc`."""
    facts = []
    for ent in doc.ents:  # type: ignore[attr-defined]
        if ent.label_ != "DATE":
            continue
        value = resolve_date(ent.text, published, future=points_forward(ent))
        if value:
            facts.append(Fact(FactKind.DATE, value, ent.text, ent.start_char, ent.end_char, slot=event_words(ent)))
    return facts
