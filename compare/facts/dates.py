"""Date facts: spaCy finds the mention, dateparser resolves it against the report's publication date.

Values are ISO at the granularity the words give: "Monday" -> 2018-12-10, "last month" ->
2018-11, "last week" -> its month, "early in 2019" -> 2019, "2009-2014" as written. A weekday is
the latest such day on or before publication, unless its verb points forward ("will meet
Monday", "was to meet Monday"). "The weekend" ("over the weekend") is the last one's Saturday, the
coming one's if the verb points forward. A month (and day) without a year is the nearest one: this year's,
unless that is more than FUTURE_MONTHS after publication (then last year's: "Dec. 6" in May) or
the verb points forward and it has passed (then next year's). Vague spans ("in recent days", "for
months") and bare small numbers (an age: "Alshamrani, 21,") are not date facts.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

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
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
MONTH_NAME = re.compile(r"\b(" + "|".join(MONTHS) + r")[a-z]*\.?(?=\s|$|,)", re.IGNORECASE)
RELATIVE_MONTH = re.compile(r"^(last|next|this)\s+(" + "|".join(MONTHS) + r")[a-z]*\.?$", re.IGNORECASE)
WEEKEND = re.compile(r"^(?:(last|this|the)\s+)?weekend$", re.IGNORECASE)  # "over the weekend": "the" is cut
YEAR_RANGE = re.compile(r"^(\d{4})\s*(?:-|–|to|through)\s*(\d{4})$", re.IGNORECASE)
PART_OF_DAY = re.compile(r"^(\w+)\s+(?:morning|afternoon|evening|night)$", re.IGNORECASE)
NAMED_DATES = {"9/11": "2001-09-11"}
PART_WORDS = re.compile(r"\b(early|late|morning|afternoon|evening|night)\b", re.IGNORECASE)
YEAR_UNTIL = re.compile(r"^\s*(?:-|–|to|through)\s*\d{4}\b")  # "2009" [to 2014]: spaCy stops at the first year
CLOCK = re.compile(
    r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<half>[ap]\.?m\b\.?)?", re.IGNORECASE
)  # days news names by their date
FUTURE_MONTHS = 4  # a yearless month this far ahead of publication is still to come
FORWARD_HEADS = {"be", "expect", "schedule", "plan", "set", "due", "go", "intend", "aim", "hope", "want"}
GENERIC_EVENT_WORDS = {"say", "be", "have", "do", "make", "take", "come", "go", "get", "report", "tell", "add"}
FUTURE_AUX = {"will", "'ll", "’ll", "shall", "wo"}
MODAL_AUX = {"can", "could", "may", "might", "would"}  # "can meet Thursday"; not with "have"
END_POINTS = {"through", "until", "till", "by", "to"}  # "through September": a past act may run on
# words of a date a length of time may run on from ("in May to 20 years")
DAY_WORDS = frozenset({"today", "yesterday", "tonight", "sept", *MONTH_NAMES, *MONTHS})
DAY_AND_LENGTH = re.compile(r"(?P<day>.+?)\s+(?:to|for)\s+(?P<length>.+)", re.IGNORECASE)
FUTURE_WORDS = re.compile(r"\b(?:next|coming|upcoming)\b", re.IGNORECASE)
PAST_WORDS = re.compile(r"\b(?:last|ago|previous|past)\b", re.IGNORECASE)


def resolve_date(mention: str, published: date | None, *, future: bool = False, past: bool = False) -> str | None:
    """ISO value ("2018-12-10", "2018-11", "2019") of a date mention, or None if vague or unparsable."""
    text = POSSESSIVE.sub("", mention.strip())
    if not text or VAGUE.search(text) or DURATION.match(text) or re.fullmatch(r"\d{1,3}", text):
        return None
    core = LEAD_WORDS.sub("", text).strip() or text
    core = PART_OF_DAY.sub(lambda m: m[1] if m[1].lower() in WEEKDAYS else m[0], core)  # "Monday evening"
    lower = core.lower()
    if lower in NAMED_DATES:
        return NAMED_DATES[lower]
    if lower in WEEKDAYS:
        return resolve_weekday(lower, published, future=future)
    if match := YEAR_RANGE.match(core):
        return f"{match[1]}-{match[2]}"
    if published is not None and (match := RELATIVE_MONTH.match(core)):
        return relative_month(match[1].lower(), MONTHS.index(match[2].lower()[:3]) + 1, published)
    if published is not None and (match := WEEKEND.match(core)):
        saturday = published - timedelta(days=(published.weekday() - 5) % 7 or 7)
        if future and (match[1] or "").lower() != "last":  # "will rally this weekend": the coming one
            saturday = published + timedelta(days=(5 - published.weekday()) % 7)
        return saturday.isoformat()
    from dateparser.date import DateDataParser

    if MONTH_DAY.match(core) or FUTURE_WORDS.search(core) or PAST_WORDS.search(core):
        prefer = "current_period"
    else:
        prefer = "future" if future else "past"
    yearless = bool(MONTH_NAME.search(core)) and not re.search(r"\b\d{4}\b", core)
    settings: dict[str, object] = {"PREFER_DATES_FROM": "current_period" if yearless else prefer, "REQUIRE_PARTS": []}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime.combine(published, datetime.min.time())
    elif not re.search(r"\b\d{4}\b", core):
        return None  # relative or yearless mention with nothing to anchor it
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(core)
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    if yearless and published is not None:
        day = nearest_year(day, published, future=future, past=past)
    return format_period(day, data.period or "day", core)


def nearest_year(day: date, published: date, *, future: bool, past: bool = False) -> date:
    """`day` (read in the publication year) moved to the year a yearless mention means: last
    year's when it is more than FUTURE_MONTHS ahead, or ahead at all when the verb is in the past;
    next year's when it has passed but the verb points forward."""
    months_ahead = (day.year - published.year) * 12 + day.month - published.month
    if past and day > published:
        return shift_year(day, -1)
    if future and day < published and months_ahead < 0:
        return shift_year(day, 1)
    if not future and months_ahead > FUTURE_MONTHS:
        return shift_year(day, -1)
    return day


def shift_year(day: date, years: int) -> date:
    """`day` in another year (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def relative_month(which: str, month: int, published: date) -> str:
    """ "last November", "next June", "this May": the month before, after or in the publication
    year's run of months."""
    year = published.year
    if which == "last":
        year -= 1 if month >= published.month else 0
    elif which == "next":
        year += 1 if month <= published.month else 0
    return f"{year:04d}-{month:02d}"


def resolve_weekday(name: str, published: date | None, *, future: bool) -> str | None:
    """ISO date of a bare weekday: the latest on/before publication, or if `future` the first on or
    after it ("would travel to the area on Monday" in a report of a Monday is that day)."""
    if published is None:
        return None
    delta = (published.weekday() - WEEKDAYS.index(name)) % 7
    if future:
        delta = -((WEEKDAYS.index(name) - published.weekday()) % 7)
    return date.fromordinal(published.toordinal() - delta).isoformat()


def format_period(day: date, period: str, text: str) -> str:
    """`day` written at the granularity of `period` ('day', 'week', 'month', 'year')."""
    if period == "year":
        return f"{day.year:04d}"
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "week":  # "last week": the month it fell in (a week is no ISO date people write)
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def points_forward(ent: object) -> bool:
    """True when the verb governing a date mention is in the future ("will meet Monday")."""
    return verb_time(ent) == "future"


def verb_time(ent: object) -> str:
    """ "future" when the verb governing a date mention points forward ("will meet Monday", "was
    to meet", "can meet"; not a negated "would" or "could": "would not say Monday"), "past" when
    it is in the past ("had made posts on the September 11 anniversary"; not for an end point:
    "secured doses through September"), else ""."""
    token = ent.root  # type: ignore[attr-defined]
    end_point = token.head.lower_ in END_POINTS
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX"):
            aux = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
            negated = any(c.dep_ == "neg" for c in token.children)  # "would not say Monday": a refusal, past
            if aux & FUTURE_AUX or aux & MODAL_AUX and "have" not in aux and not negated:
                return "future"
            if "to" in aux and token.dep_ == "xcomp" and token.head.lemma_ in FORWARD_HEADS:
                return "future"  # "was to meet Monday", "is expected to vote Friday"
            if token.tag_ in ("VBD", "VBN") or aux & {"did", "had", "has", "have", "was", "were"}:
                return "" if end_point else "past"
        if token.head.i == token.i:
            break
        token = token.head
    return ""


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


def entities(doc: object) -> list[object]:
    """The sentence's entities, with a DATE entity that spaCy ran on from a day into a length of
    time given as the two ("Thursday to 20 years" in "sentenced on Thursday to 20 years in
    prison"; "Monday for 10 years"): a weekday or month, then "to" or "for" and a duration. A
    range ("5 to 10 years", "Monday to Friday") stays one entity."""
    out = []
    for ent in doc.ents:  # type: ignore[attr-defined]
        match = DAY_AND_LENGTH.fullmatch(ent.text) if ent.label_ == "DATE" else None
        if match and DURATION.match(match["length"]) and names_a_day(match["day"]):
            start = ent.start_char
            day = doc.char_span(start, start + match.end("day"), label="DATE")  # type: ignore[attr-defined]
            length = doc.char_span(start + match.start("length"), ent.end_char, label="DATE")  # type: ignore[attr-defined]
            if day is not None and length is not None:
                out += [day, length]
                continue
        out.append(ent)
    return out


def names_a_day(text: str) -> bool:
    """True when `text` names a day or a time before or after the report's: a weekday, a month
    ("Thursday", "Dec. 7", "in May"), "today", "yesterday", "last week", "this month"."""
    words = re.findall(r"[a-z]+", text.lower())
    relative = re.search(r"\b(?:last|this|next)\s+(?:week|month|year)\b", text, re.IGNORECASE)
    return any(w in WEEKDAYS or w in DAY_WORDS for w in words) or relative is not None


def date_facts(doc: object, published: date | None) -> list[Fact]:
    """Date facts of one sentence's `doc`: its DATE entities (a year range "from 2009 to 2014" as
    one), "9/11" however spaCy tags it, a TIME entity that names a day ("Monday night", which
    spaCy tags TIME), and clock times (TIME "8:20 p.m.") on the day the sentence names, as
    "2019-07-05 20:20", and parts of a day ("late Sunday", "Monday evening", "Monday night") as a
    date of their own beside the day's: "2013-06-30 late"."""
    facts = []
    times = []
    for ent in entities(doc):
        if ent.label_ == "TIME" and not names_a_day(ent.text):  # type: ignore[attr-defined]
            times.append(ent)
            continue
        if ent.label_ not in ("DATE", "TIME") and ent.text not in NAMED_DATES:  # type: ignore[attr-defined]
            continue  # a TIME naming a day ("Monday night", "tonight") is that day, and its part
        text, end = ent.text, ent.end_char
        if match := YEAR_UNTIL.match(doc.text[end:]):  # type: ignore[attr-defined]
            text, end = text + match[0], end + match.end()
        when = verb_time(ent)
        value = resolve_date(text, published, future=when == "future", past=when == "past")
        if value:
            facts.append(Fact(FactKind.DATE, value, text, ent.start_char, end, slot=event_words(ent)))
        parts = " ".join(PART_WORDS.findall(text)).lower()
        if value and len(value) == 10 and parts:  # "late Sunday": also the part of that day
            facts.append(Fact(FactKind.DATE, f"{value} {parts}", text, ent.start_char, end, slot=event_words(ent)))
    day = next((f.value for f in facts if len(f.value) == 10), None)
    for ent in times if day else []:
        clock = clock_time(ent.text)
        before = next((f for f in facts if len(f.value) == 10 and 0 <= ent.start_char - f.end <= 1), None)
        part = " ".join(PART_WORDS.findall(ent.text)).lower() if before else ""  # "Monday" + "evening"
        if clock or part:
            value = f"{day} {clock}" if clock else f"{before.value} {part}"  # type: ignore[union-attr]
            facts.append(Fact(FactKind.DATE, value, ent.text, ent.start_char, ent.end_char, slot=event_words(ent)))
    return facts


def clock_time(text: str) -> str | None:
    """ "HH:MM" of a clock time ("8:20 p.m." -> "20:20", "12:01 a.m. EDT" -> "00:01", "14:21"),
    None for other times ("last night", "hours")."""
    match = CLOCK.search(text)
    if not match:
        return None
    hour, minute, half = int(match["h"]), int(match["m"] or 0), (match["half"] or "").lower().replace(".", "")
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if not half and not match["m"] or hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"
