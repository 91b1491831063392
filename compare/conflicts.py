"""The conflict rules: when two aligned sentences state incompatible or differing values of one fact.

A false conflict costs more than a missed one (a fact-checker misled twice stops trusting the
tool), so every rule asks for evidence that the two values are values *of the same thing*:
- figures: the same counted thing (`Fact.slot`), no figure on the other side that matches it
  (equal, a rounding or unit conversion of it, the same range, or the sum of the other side's figures: 65
  passengers and 6 crew are 71 people), and the same thing measured: for counts the same nearest
  predicate in the figure's clause (killed vs died, not died vs working), for units a name in
  common ("Hang Seng"). A figure that a qualifier or a range makes compatible ("at least 20"
  vs 25, "between 6.9 and 7.1" vs 7.1) is still a conflict, of kind `QUALIFIED`, as the
  references ask;
- dates: one day-level date each, of the same event (their event words overlap);
- speakers: the same quoted words given to two people both named in their sentence;
- roles: two different people with the same title, neither named on the other side;
- negation: the two sentences say the same words but for a negation;
- extent: "all (of the) N" against "most / some (of the) N";
- status: the same words but for a status and its opposite ("ongoing" vs "ended").
Each rule returns `Conflict` records; words are made from them in `export` and the dashboard.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date

from compare.facts.dates import MONTH_NAMES, WEEKDAYS
from compare.facts.names import name_key
from compare.facts.quotes import fold_quote
from compare.records import Conflict, ConflictKind, Fact, FactKind

NEGATION = re.compile(
    r"\b(?:not|never|no(?!\.\s*\d)(?!-)|none|nobody|nothing|neither|nor|cannot|without)\b|n't\b", re.IGNORECASE
)
QUOTE_OVERLAP = 0.6  # share of the shorter quote's words that makes two quotes "the same words"
NEGATION_OVERLAP = 0.8  # word overlap (negations left out) that makes two sentences "the same words"
UNIT_ROUNDING = 0.01  # figures within 1% are one figure, converted (120 mph = 193 kph)
AT_LEAST = {"at least", "more than", "over", "greater than", "no fewer than", "just over", "as many as"}
AT_MOST = {"at most", "less than", "fewer than", "under", "up to", "no more than", "just under", "as few as"}
APPROXIMATE = {"about", "around", "roughly", "approximately", "nearly", "almost", "some", "close to", "an estimated"}
STOP = frozenset(
    "the a an and or of to in on at for with by from as is are was were be been being has have had it its "
    "that this these those he she they we i you his her their our who which what when where than then "
    "said says say told according also more most least about some there here into over after before "
    "up down out off all any each other another such only just now will would could may might can".split()
)
# Predicates of the counts news reports most often disagree on; two figures whose nearby words
# fall in different groups count different things ("19 firefighters died" vs "200 were working").
COUNT_PREDICATES = {
    "dead": "killed kill kills killing died die dies dead death deaths lives fatalities fatal perished",
    "hurt": "injured injuring injuries injury wounded wounding hurt hospitalized hospitalised",
    "held": "arrested arrest arrests detained detention charged jailed",
    "fled": "evacuated evacuation evacuate fled fleeing displaced",
    "lost": "missing unaccounted",
    "saved": "rescued survived survivors saved",
    "ruined": "destroyed destroying damaged burned razed consumed",
    "threat": "threatened threatening risk",
}
# How far a fire or a flood has reached, for areas only: "burned 8,000 acres" is its size, like
# "spread to 2,000 acres" (a death toll that "grew to 71" still counts the dead).
AREA_PREDICATES = {
    "size": "grew grown grows growing spread spreading spreads expanded swelled burned burning scorched charred "
    "blackened consumed",
}
AREA_SLOTS = ("area_ha",)
# What a sum of money or a share is doing; these words say nothing of a count ("investment would
# create 5,400 jobs" counts jobs, whatever the money does).
MEASURE_PREDICATES = {
    "invest": "invest invests invested investing investment investments",
    "save": "save saves saved saving savings",
    "spend": "spend spends spent spending",
    "cost": "cost costs costing price priced",
    "pay": "pay pays paid paying payment payments",
    "earn": "earn earns earned earning earnings revenue profit profits income",
    "owe": "deficit debt owed owes",
}


def predicate_index(groups: dict[str, str]) -> dict[str, frozenset[str]]:
    """Each predicate word with the groups it belongs to ("burned": ruined and size)."""
    index: dict[str, set[str]] = {}
    for group, words in groups.items():
        for word in words.split():
            index.setdefault(word, set()).add(group)
    return {word: frozenset(found) for word, found in index.items()}


COUNT_PREDICATE_OF = predicate_index(COUNT_PREDICATES)
AREA_PREDICATE_OF = predicate_index({**COUNT_PREDICATES, **AREA_PREDICATES})
MEASURE_PREDICATE_OF = predicate_index({**COUNT_PREDICATES, **MEASURE_PREDICATES})
STATUS_OPPOSITES = (
    ("ongoing", "ended"),
    ("continuing", "ended"),
    ("open", "closed"),
    ("alive", "dead"),
    ("survived", "died"),
    ("approved", "rejected"),
    ("accepted", "rejected"),
    ("confirmed", "denied"),
    ("won", "lost"),
    ("guilty", "innocent"),
    ("convicted", "acquitted"),
    ("resumed", "suspended"),
    ("lifted", "imposed"),
    ("increased", "decreased"),
    ("rose", "fell"),
)
STATUS_OVERLAP = 0.6  # word overlap (the two statuses left out) that makes two sentences "the same words"
EXTENT = re.compile(r"\b(all|most|some|many|few)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?(\w+)", re.IGNORECASE)


def same_figure(x: Fact, y: Fact) -> bool:
    """True when two figures are one figure: equal, converted (within 1%) or one a rounding of
    the other to its own precision (1.25 million reported as 1.2 million); two ranges when both
    ends are, never a range and a single figure ("between 6.9 and 7.1" is not 7.1)."""
    if x.amount is None or y.amount is None:
        return False
    if (x.high is None) != (y.high is None):
        return False
    if x.high is not None and y.high is not None and not same_amount(x.high, y.high):
        return False
    return same_amount(x.amount, y.amount)


def same_amount(x: float, y: float) -> bool:
    """True when two amounts are one: equal, within 1 %, or one a rounding of the other."""
    if x == y:
        return True
    big = max(abs(x), abs(y))
    if big and abs(x - y) <= UNIT_ROUNDING * big:
        return True
    return is_rounding(x, y) or is_rounding(y, x)


def is_rounding(exact: float, rounded: float) -> bool:
    """True when `rounded` (with at most two significant digits) is `exact` rounded to its precision."""
    if rounded == 0 or exact == 0:
        return False
    step = 10 ** (math.floor(math.log10(abs(rounded))) - 1)  # two significant digits
    if abs(rounded / step - round(rounded / step)) > 1e-6:
        return False  # "rounded" has more precision than two digits: not a rounding
    return abs(exact - rounded) < step and abs(exact - rounded) / abs(exact) <= 0.05


def qualifier_allows(x: Fact, y: Fact) -> bool:
    """True when a qualifier makes two different figures compatible ("more than 50" and 64,
    "about 2,000" and 2,050)."""
    if x.amount is None or y.amount is None:
        return False
    for p, q in ((x, y), (y, x)):
        if p.high is not None and p.amount <= q.amount <= p.high:
            return True  # a figure inside the other's range
        if p.qualifier in AT_LEAST and q.amount >= p.amount:
            return True
        if p.qualifier in AT_MOST and q.amount <= p.amount:
            return True
    if x.qualifier in APPROXIMATE or y.qualifier in APPROXIMATE:
        return abs(x.amount - y.amount) / max(abs(x.amount), abs(y.amount), 1e-9) <= 0.1
    return False


CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\b(?:while|whereas|but|and)\b")
NAME_WINDOW = 6
MEASURES = ("percent", "points", "distance_km", "speed_kph", "mass_kg")
DURATIONS = ("year", "month", "week", "day", "hour", "minute", "second")
WORD = re.compile(r"[A-Za-z]+")


def clause_of(sentence: str, fact: Fact) -> tuple[str, str]:
    """The words of a fact's clause (between the punctuation around it) before and after it."""
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, fact.start)]
    start = breaks[-1] if breaks else 0
    after = CLAUSE_BREAK.search(sentence, fact.end)
    end = after.start() if after else len(sentence)
    return sentence[start : fact.start], sentence[fact.end : end]


def nearest_predicate(sentence: str, fact: Fact) -> frozenset[str]:
    """The predicate groups of the predicate word nearest a figure in its clause (empty if none;
    before the figure wins a tie): `COUNT_PREDICATES` for a count, `AREA_PREDICATES` besides for
    an area and `MEASURE_PREDICATES` besides for money, shares and other measures."""
    if is_measure(fact.slot):
        index = MEASURE_PREDICATE_OF
    else:
        index = AREA_PREDICATE_OF if fact.slot in AREA_SLOTS else COUNT_PREDICATE_OF
    before, after = clause_of(sentence, fact)
    left = [w.lower() for w in WORD.findall(before)][::-1]
    right = [w.lower() for w in WORD.findall(after)]
    for k in range(max(len(left), len(right))):
        for words in (left, right):
            if k < len(words) and words[k] in index:
                return index[words[k]]
    return frozenset()


def clause_words(sentence: str, fact: Fact) -> set[str]:
    """Content words of a fact's clause, lower case, without the fact's own words."""
    before, after = clause_of(sentence, fact)
    own = {w.lower() for w in WORD.findall(fact.text)}
    return {w.lower() for w in WORD.findall(before + " " + after)} - STOP - own


def clause_names(sentence: str, fact: Fact) -> dict[str, int]:
    """Capitalised words within `NAME_WINDOW` words of a figure in its clause, with their distance
    in words (names: "Hang Seng", "GM", "Moscow"; what a share or a sum is of is named next to it)."""
    before, after = clause_of(sentence, fact)
    first = WORD.search(sentence)
    opening = first.start() if first else -1  # capitalised whatever it is ("Shares of GM", "Shares of Ford")
    start = fact.start - len(before)
    near: dict[str, int] = {}
    left = list(WORD.finditer(before))[::-1][:NAME_WINDOW]
    right = list(WORD.finditer(after))[:NAME_WINDOW]
    for matches, offset in ((left, start), (right, fact.end)):
        for distance, match in enumerate(matches):
            word = match.group()
            if word[0].isupper() and word.lower() not in STOP and offset + match.start() != opening:
                near[word] = min(near.get(word, distance), distance)
    return near


def is_measure(slot: str) -> bool:
    """True for slots that are units (percent, money, distance, ...) rather than counted things:
    what such a figure measures is said by the names around it."""
    return slot in MEASURES or slot in DURATIONS or slot.startswith("money_")


def same_measured_thing(a_sentence: str, x: Fact, b_sentence: str, y: Fact) -> float:
    """How much evidence (0: none) that two figures of one slot measure or count the same thing,
    by the words of their clauses: for units and lengths of time, the names they share ("Hang Seng
    added 0.9%" vs "Hang Seng rose 0.8 percent"; a sentence's first word is no name), unless their
    predicates differ ("$6 billion ... to save" vs "invest $9 billion", "a $375 billion trade
    deficit" vs "$506 billion in goods"); for counts, a shared nearest predicate ("killed 19" vs
    "19 died"; not "19 died" vs "200 were working"), or, where neither has one, the content words
    they share besides what is counted."""
    a_pred, b_pred = nearest_predicate(a_sentence, x), nearest_predicate(b_sentence, y)
    if (a_pred or b_pred) and not a_pred & b_pred:  # one names a predicate the other lacks, or another one
        return 0
    if is_measure(x.slot):
        a_names, b_names = clause_names(a_sentence, x), clause_names(b_sentence, y)
        return sum(2 / (2 + a_names[w] + b_names[w]) for w in a_names.keys() & b_names.keys())  # nearer: more
    if a_pred:
        return 1.0
    return shared_words(a_sentence, x, b_sentence, y)


def shared_words(a_sentence: str, x: Fact, b_sentence: str, y: Fact) -> float:
    """How many content words (by their first five letters) two figures' clauses share, besides
    what the figures count (the slot and the counted nouns: "5,400 jobs" and "9,000 jobs" share
    no word by "jobs")."""
    counted = {x.slot.lower()[:5]} | {w.lower()[:5] for f in (x, y) for w in WORD.findall(f.value)}
    a_stems = {w[:5] for w in clause_words(a_sentence, x) if len(w) > 2} - counted
    b_stems = {w[:5] for w in clause_words(b_sentence, y) if len(w) > 2} - counted
    return float(len(a_stems & b_stems))


def number_conflicts(
    a_sentence: str,
    a_facts: Sequence[Fact],
    b_sentence: str,
    b_facts: Sequence[Fact],
    published: tuple[date | None, date | None] = (None, None),
) -> list[Conflict]:
    """Figures of the same counted thing and predicate that no figure on the other side matches,
    each paired with at most one figure of the other side: the pairs with the most evidence first.
    Never in conflict: a figure dated to a year the other sentence is not of (`other_year`; a
    sentence without a date is of its report's `published` year: "In March 2016, a Boeing ...
    crashed, killing all 62" against this crash), an increment ("an additional $16 billion", "four
    more crews") or a class bound ("magnitude 3 or higher") against anything, or the figures of
    one event (a magnitude) dated in their clauses to different days ("a 6.4 magnitude quake hit
    the area on Thursday" vs "Friday's magnitude 7.1 earthquake") or further apart than
    `EVENT_SLOTS` allows (the 6.4 foreshock and the 7.1 quake)."""
    found: list[Conflict] = []
    slots = {f.slot for f in a_facts if f.kind is FactKind.NUMBER and f.slot}
    for slot in sorted(slots):
        xs = [f for f in a_facts if f.kind is FactKind.NUMBER and f.slot == slot and f.amount is not None]
        ys = [f for f in b_facts if f.kind is FactKind.NUMBER and f.slot == slot and f.amount is not None]
        if not xs or not ys or summed(counts(a_facts), ys) or summed(counts(b_facts), xs):
            continue
        xs = [x for x in xs if not is_increment(a_sentence, x)]
        ys = [y for y in ys if not is_increment(b_sentence, y)]
        left_x = [x for x in xs if not any(same_figure(x, y) for y in ys)]
        left_y = [y for y in ys if not any(same_figure(x, y) for x in xs)]
        evidence = [
            (same_measured_thing(a_sentence, x, b_sentence, y), p, q)
            for p, x in enumerate(left_x)
            for q, y in enumerate(left_y)
        ]
        used_x, used_y = set(), set()
        for weight, p, q in sorted(evidence, key=lambda e: (-e[0], e[1], e[2])):
            if not weight or p in used_x or q in used_y:
                continue
            x, y = left_x[p], left_y[q]
            if other_year(a_sentence, x, a_facts, b_sentence, b_facts, published[1]) or other_year(
                b_sentence, y, b_facts, a_sentence, a_facts, published[0]
            ):
                continue  # "killing 224 people in October 2015" is another crash than this year's
            if slot in EVENT_SLOTS and (other_days(a_sentence, x, a_facts, b_sentence, y, b_facts)
                                        or abs(x.amount - y.amount) > EVENT_SLOTS[slot]):
                continue
            used_x.add(p)
            used_y.add(q)
            kind = ConflictKind.QUALIFIED if qualifier_allows(x, y) else ConflictKind.CONTRADICTION
            found.append(Conflict(kind, x, y, x.text, y.text))
    return found


INCREMENT_BEFORE = frozenset({"additional", "another", "further", "extra"})
INCREMENT_AFTER = frozenset({"more", "additional", "other", "others", "extra"})
BOUNDS = frozenset({"higher", "more", "greater", "larger", "bigger", "above", "over", "older", "up", "less", "fewer",
                    "lower", "below", "under", "smaller"})
# Figures that belong to one event, with the most two reports of the one event differ by: two days
# or a wider gap, two events (a quake's magnitude, preliminary or revised, moves by tenths; the
# 6.4 foreshock and the 7.1 quake are two quakes).
EVENT_SLOTS = {"magnitude": 0.5}


def is_increment(sentence: str, fact: Fact) -> bool:
    """True for a figure said to come on top of another ("an additional $16 billion", "another
    5,000 troops", "four more crews", "two other people"), that bounds a class ("a magnitude 3
    or higher earthquake", "towns of 10,000 or more") or that a comparison brings in ("the largest
    since the magnitude 6.7 Northridge quake"): it states no figure of this event to compare."""
    own = {w.lower() for w in WORD.findall(fact.text)}
    before = [w.lower() for w in WORD.findall(sentence[: fact.start])[-3:]]
    after = [w.lower() for w in WORD.findall(sentence[fact.end :])[:2]]
    return bool(
        own & INCREMENT_BEFORE
        or "since" in before  # "the largest since the magnitude 6.7 Northridge quake": another event
        or (before and before[-1] in INCREMENT_BEFORE)
        or (after and after[0] in INCREMENT_AFTER)
        or (len(after) == 2 and after[0] in ("or", "and") and after[1] in BOUNDS)
    )


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


def other_days(
    a_sentence: str, x: Fact, a_facts: Sequence[Fact], b_sentence: str, y: Fact, b_facts: Sequence[Fact]
) -> bool:
    """True when the days nearest two figures in their own clauses are both given and differ."""
    a_days, b_days = clause_dates(a_sentence, x, a_facts, day=True), clause_dates(b_sentence, y, b_facts, day=True)
    return bool(a_days and b_days and a_days[0].value != b_days[0].value)


def counts(facts: Sequence[Fact]) -> list[Fact]:
    """The figures of a sentence that count things (not percentages, money or distances)."""
    return [f for f in facts if f.kind is FactKind.NUMBER and f.amount is not None and not is_measure(f.slot)]


def summed(parts: Sequence[Fact], totals: Sequence[Fact]) -> bool:
    """True when `parts` (two or more figures) add up to one of `totals` (65 passengers + 6 crew = 71)."""
    if len(parts) < 2:
        return False
    total = sum(f.amount or 0 for f in parts)
    return any(t.amount is not None and abs(t.amount - total) <= UNIT_ROUNDING * max(total, 1) for t in totals)


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


def surname(name: str) -> str:
    """The last word of a name as `names.name_key` folds it ("Christopher A. Wray", "Chris Wray" -> "wray")."""
    words = name_key(name).split()
    return words[-1] if words else ""


def named_in(sentence: str, name: str) -> bool:
    """True when the sentence itself writes the name's surname (not a pronoun resolved to it)."""
    last = surname(name)
    return bool(last) and re.search(rf"\b{re.escape(last)}\b", sentence, re.IGNORECASE) is not None


def speaker_conflicts(
    a_sentence: str, a_facts: Sequence[Fact], b_sentence: str, b_facts: Sequence[Fact]
) -> list[Conflict]:
    """The same quoted words given to two different people, each named in their own sentence and
    neither named in the other (a pronoun resolved to somebody is not evidence enough)."""
    people = {f.value for f in [*a_facts, *b_facts] if f.kind is FactKind.PERSON}
    found = []
    for x in (f for f in a_facts if f.kind is FactKind.QUOTE):
        for y in (f for f in b_facts if f.kind is FactKind.QUOTE):
            if surname(x.value) == surname(y.value) or quote_overlap(x.slot, y.slot) < QUOTE_OVERLAP:
                continue
            explicit = all(v in people for v in (x.value, y.value))
            if (
                explicit
                and named_in(a_sentence, x.value)
                and named_in(b_sentence, y.value)
                and not (named_in(b_sentence, x.value) or named_in(a_sentence, y.value))
            ):
                found.append(Conflict(ConflictKind.SPEAKER, x, y, x.value, y.value))
    return found


def role_conflicts(a_facts: Sequence[Fact], b_facts: Sequence[Fact]) -> list[Conflict]:
    """Different people in the same titled role ("Treasury Secretary X" vs "... Y"), with
    different surnames, where neither sentence also names the other person."""
    a_people = {surname(f.value) for f in a_facts if f.kind is FactKind.PERSON}
    b_people = {surname(f.value) for f in b_facts if f.kind is FactKind.PERSON}
    found = []
    for x in (f for f in a_facts if f.kind is FactKind.PERSON and f.slot):
        for y in (f for f in b_facts if f.kind is FactKind.PERSON and f.slot == x.slot):
            sx, sy = surname(x.value), surname(y.value)
            if sx != sy and sx not in b_people and sy not in a_people:
                found.append(Conflict(ConflictKind.ROLE, x, y, x.value, y.value))
    return found


def negation_conflict(a_text: str, b_text: str) -> Conflict | None:
    """A `NEGATION` conflict when two sentences say the same words (at least `NEGATION_OVERLAP`
    of them) but one negates more often than the other ("It's an exchange" vs "It's not an
    exchange"; "No. 1" is no negation)."""
    a_neg, b_neg = count_negations(a_text), count_negations(b_text)
    if a_neg == b_neg or different_subjects(a_text, b_text):
        return None
    a_words, b_words = plain_words(a_text), plain_words(b_text)
    if not a_words or not b_words:
        return None
    overlap = len(a_words & b_words) / max(len(a_words), len(b_words))
    if overlap < NEGATION_OVERLAP:
        return None
    return Conflict(
        ConflictKind.NEGATION,
        a_text="denies" if a_neg > b_neg else "affirms",
        b_text="denies" if b_neg > a_neg else "affirms",
    )


DENIAL = re.compile(r"\bno\b(?![.-])(?!\s+(?:one|doubt|matter|less|fewer|more)\b)", re.IGNORECASE)
HEDGES = frozenset(
    "for whether if any possible possibly potential potentially unclear suspected feared fears risk ruled "
    "checking searching looking investigating".split()
)  # "checking for gas leaks", "whether there were gas leaks", "ruled out foul play" affirm nothing
SCOPE_END = re.compile(
    r"[,;:()\u2014\u2013.!?]|\s-\s|\b(?:in|from|at|on|for|to|with|by|after|before|since|during|as|while|but|and|"
    r"because|than|that|which|who|said|says|yesterday|today|tonight|now|yet|late|early|earlier|later|"
    rf"{'|'.join(WEEKDAYS)}|{'|'.join(MONTH_NAMES)})\b",
    re.IGNORECASE,
)
DENIAL_WORDS = 8  # the most words after "no" that it may deny


def denied_phrases(text: str) -> set[tuple[str, str]]:
    """Pairs of adjacent content words that a "no" denies: the words after it up to the end of
    its noun phrase (a preposition, a clause break): "no major reports of gas leaks or serious
    injuries in Kern County" denies "major reports", "gas leaks", "serious injuries"; "no
    immediate reaction from the White House" denies "immediate reaction", not "White House"; a
    time ends it too ("no containment late Sunday" denies no "late Sunday")."""
    found: set[tuple[str, str]] = set()
    for match in DENIAL.finditer(text):
        rest = text[match.end() :]
        end = SCOPE_END.search(rest)
        words = [w.lower() for w in WORD.findall(rest[: end.start() if end else len(rest)])][:DENIAL_WORDS]
        found |= {(x, y) for x, y in zip(words, words[1:], strict=False) if content_word(x) and content_word(y)}
    return found


def content_word(word: str) -> bool:
    """True for a word that says what a phrase is about (not a stop word, three letters or more)."""
    return len(word) > 2 and word not in STOP and word not in ("or", "nor")


def affirmed(text: str, phrase: tuple[str, str]) -> bool:
    """True when a sentence with no negation at all says the two words side by side, no hedge
    ("checking for", "whether", "any", ...) among the four words before them."""
    if count_negations(text):
        return False  # "Serious injuries were not reported", "We haven't had any serious injuries"
    words = [w.lower() for w in WORD.findall(text)]
    for k in range(len(words) - 1):
        if (words[k], words[k + 1]) == phrase and not HEDGES & set(words[max(0, k - 4) : k]):
            return True
    return False


def capitals(text: str) -> tuple[set[str], set[str]]:
    """(the capitalised words of a sentence but stop words, those of them capitalised elsewhere
    than at its start, where any word is)."""
    words = [w for w in WORD.findall(text) if w[0].isupper() and w.lower() not in STOP]
    first = WORD.search(text)
    inner = set(words) - ({first.group()} if first and words.count(first.group()) < 2 else set())
    return set(words), inner


def shared_names(a_text: str, b_text: str) -> set[str]:
    """Capitalised words both sentences have, each capitalised somewhere but at a sentence's start
    in at least one of them ("Russia no longer leads" and "suspended Russia" share "Russia")."""
    a_all, a_inner = capitals(a_text)
    b_all, b_inner = capitals(b_text)
    return {w for w in a_all & b_all if w in a_inner or w in b_inner}


def denial_conflict(a_text: str, b_text: str) -> Conflict | None:
    """A `NEGATION` conflict when one sentence denies what the other, which negates nothing,
    states in the same words, and the two name the same people or places ("There were no major
    reports of gas leaks ... in Kern County, Witt said" vs "we've had ... power lines down, gas
    leaks," said Kern County Fire Chief David Witt"; not "no major damage in Ridgecrest" vs "major
    damage in Trona")."""
    if not shared_names(a_text, b_text) or different_subjects(a_text, b_text):
        return None
    for denier, other, kind in ((a_text, b_text, ("denies", "affirms")), (b_text, a_text, ("affirms", "denies"))):
        if any(affirmed(other, phrase) for phrase in denied_phrases(denier)):
            return Conflict(ConflictKind.NEGATION, a_text=kind[0], b_text=kind[1])
    return None


ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth last next previous".split())


def different_subjects(a_text: str, b_text: str) -> bool:
    """True when each sentence has a name (a capitalised word) or an ordinal the other lacks: the
    same words said of two places, firms, people or periods ("no major damage in Ridgecrest" vs
    "major damage in Trona", "GM shares fell" vs "Ford shares rose", "sales rose in the third
    quarter" vs "fell in the second quarter") are two claims, not a negation or a change of status."""

    a_words = {w.lower() for w in WORD.findall(a_text)}
    b_words = {w.lower() for w in WORD.findall(b_text)}
    a_names = {w.lower() for w in capitals(a_text)[0]} | (a_words & ORDINALS)
    b_names = {w.lower() for w in capitals(b_text)[0]} | (b_words & ORDINALS)
    return bool(a_names - b_words and b_names - a_words)


def count_negations(text: str) -> int:
    """Number of negating words ("not", "n't", "never", "no", ...) in a sentence."""
    return len(NEGATION.findall(text.replace("’", "'")))


def plain_words(text: str) -> set[str]:
    """The sentence's words, lower case, negations and "n't" left out."""
    words = re.findall(r"[a-z]+", NEGATION.sub(" ", text.replace("’", "'").lower()))
    return {w for w in words if w not in {"n", "t", "s"}}


def extent_conflict(a_text: str, b_text: str) -> Conflict | None:
    """An `EXTENT` conflict when one sentence says "all (of the) N" and the other "most / some /
    many / few (of the) N" of the same N."""
    for a_match in EXTENT.finditer(a_text):
        for b_match in EXTENT.finditer(b_text):
            qa, na = a_match.group(1).lower(), a_match.group(2).lower()
            qb, nb = b_match.group(1).lower(), b_match.group(2).lower()
            if na[:5] == nb[:5] and qa != qb and "all" in (qa, qb):
                return Conflict(ConflictKind.EXTENT, a_text=a_match.group(0), b_text=b_match.group(0))
    return None


def status_conflict(a_text: str, b_text: str) -> Conflict | None:
    """A `STATUS` conflict when one sentence has a status word and the other its opposite (and not
    the word itself), and otherwise the two say mostly the same words; not when either negates
    ("has not ended" says "ongoing")."""
    if count_negations(a_text) or count_negations(b_text) or different_subjects(a_text, b_text):
        return None
    a_words, b_words = plain_words(a_text), plain_words(b_text)
    for x, y in STATUS_OPPOSITES:
        for p, q in ((x, y), (y, x)):
            if p in a_words and q in b_words and q not in a_words and p not in b_words:
                rest_a, rest_b = a_words - {p}, b_words - {q}
                shared = len(rest_a & rest_b) / max(min(len(rest_a), len(rest_b)), 1)
                if shared >= STATUS_OVERLAP:
                    return Conflict(ConflictKind.STATUS, a_text=p, b_text=q)
    return None


def quote_overlap(a: str, b: str) -> float:
    """Share of the shorter quote's words that the other quote also has."""
    x, y = set(fold_quote(a).split()), set(fold_quote(b).split())
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0


def find_conflicts(
    a_text: str,
    a_facts: Sequence[Fact],
    b_text: str,
    b_facts: Sequence[Fact],
    published: tuple[date | None, date | None] = (None, None),
) -> list[Conflict]:
    """Every conflict between two aligned sentences and their facts, by the rules above;
    `published` is the publication date of each report, when known."""
    found = [
        *number_conflicts(a_text, a_facts, b_text, b_facts, published),
        *date_conflicts(a_facts, b_facts),
        *speaker_conflicts(a_text, a_facts, b_text, b_facts),
        *role_conflicts(a_facts, b_facts),
    ]
    sentence_level = (
        negation_conflict(a_text, b_text) or denial_conflict(a_text, b_text),
        extent_conflict(a_text, b_text),
        status_conflict(a_text, b_text),
    )
    found += [c for c in sentence_level if c is not None]
    return found
