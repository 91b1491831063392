"""Figures in conflict: counts, amounts and measures of the same thing that no figure on the other side
matches (equal, a rounding or unit conversion of it, the same range, or the sum of the other
side's figures: 65 passengers and 6 crew are 71 people), of the same thing measured: for counts
the same nearest predicate in the figure's clause (killed vs died, not died vs working), for
units a name in common ("Hang Seng"). A figure that a qualifier or a range makes compatible ("at
least 20" vs 25, "between 6.9 and 7.1" vs 7.1) is still a conflict, of kind `QUALIFIED`, as the
references ask."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date

from compare.facts.amounts import is_ordinal
from compare.judge.when import other_year
from compare.judge.words import WORD, clause_names, clause_of, clause_words
from compare.records import Conflict, ConflictKind, Fact, FactKind

UNIT_ROUNDING = 0.01  # figures within 1% are one figure, converted (120 mph = 193 kph)
AT_LEAST = {"at least", "more than", "over", "greater than", "no fewer than", "just over", "as many as"}
AT_MOST = {"at most", "less than", "fewer than", "under", "up to", "no more than", "just under", "as few as"}
APPROXIMATE = {"about", "around", "roughly", "approximately", "nearly", "almost", "some", "close to", "an estimated"}
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
MEASURE_PREDICATE_OF = predicate_index({**COUNT_PREDICATES, **MEASURE_PREDICATES})


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


MEASURES = ("percent", "points", "distance_km", "speed_kph", "mass_kg")
DURATIONS = ("year", "month", "week", "day", "hour", "minute", "second")


def nearest_predicate(sentence: str, fact: Fact) -> frozenset[str]:
    """The predicate groups of the predicate word nearest a figure in its clause (empty if none;
    before the figure wins a tie): `COUNT_PREDICATES` for a count, and `MEASURE_PREDICATES` besides
    for money, shares and other measures."""
    index = MEASURE_PREDICATE_OF if is_measure(fact.slot) else COUNT_PREDICATE_OF
    before, after = clause_of(sentence, fact)
    left = [w.lower() for w in WORD.findall(before)][::-1]
    right = [w.lower() for w in WORD.findall(after)]
    for k in range(max(len(left), len(right))):
        for words in (left, right):
            if k < len(words) and words[k] in index:
                return index[words[k]]
    return frozenset()


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


def figure_pairs(
    a_sentence: str,
    a_facts: Sequence[Fact],
    b_sentence: str,
    b_facts: Sequence[Fact],
    published: tuple[date | None, date | None] = (None, None),
    slot_of: Callable[[str], str] = str,
) -> list[tuple[float, Fact, Fact]]:
    """(evidence, A's figure, B's figure) for figures of the same slot (as `slot_of` folds it:
    `facts.amounts.slot_family` makes "age boxer" and "age polanco" one) that no figure on the other
    side matches, each paired with at most one figure of the other side: the pairs with the most
    evidence that they count the same thing (`same_measured_thing`, 0 for none) first, then the
    closest in value. Never paired: a figure dated to a year the other sentence is not of
    (`other_year`; a sentence without a date is of its report's `published` year: "In March 2016,
    a Boeing ... crashed, killing all 62" against this crash), an increment ("an additional $16
    billion", "four more crews") or a class bound ("magnitude 3 or higher"), or figures that add
    up to the other side's (65 passengers and 6 crew are 71 people)."""
    found: list[tuple[float, Fact, Fact]] = []
    slots = {slot_of(f.slot) for f in a_facts if f.kind is FactKind.NUMBER and f.slot}
    for slot in sorted(slots):
        xs = [f for f in a_facts if f.kind is FactKind.NUMBER and f.slot and slot_of(f.slot) == slot
              and f.amount is not None]
        ys = [f for f in b_facts if f.kind is FactKind.NUMBER and f.slot and slot_of(f.slot) == slot
              and f.amount is not None]
        if not xs or not ys or summed(counts(a_facts), ys) or summed(counts(b_facts), xs):
            continue
        xs = [x for x in xs if not is_increment(a_sentence, x)]
        ys = [y for y in ys if not is_increment(b_sentence, y)]
        left_x = [x for x in xs if not any(same_figure(x, y) for y in ys)]
        left_y = [y for y in ys if not any(same_figure(x, y) for x in xs)]
        evidence = [
            (same_measured_thing(a_sentence, x, b_sentence, y), -log_ratio(x, y), p, q)
            for p, x in enumerate(left_x)
            for q, y in enumerate(left_y)
        ]
        used_x, used_y = set(), set()
        for weight, _, p, q in sorted(evidence, key=lambda e: (-e[0], -e[1], e[2], e[3])):
            if p in used_x or q in used_y:
                continue
            x, y = left_x[p], left_y[q]
            if other_year(a_sentence, x, a_facts, b_sentence, b_facts, published[1]) or other_year(
                b_sentence, y, b_facts, a_sentence, a_facts, published[0]
            ):
                continue  # "killing 224 people in October 2015" is another crash than this year's
            used_x.add(p)
            used_y.add(q)
            found.append((weight, x, y))
    return found


def figure_conflict(x: Fact, y: Fact) -> Conflict:
    """The conflict of two differing figures: `QUALIFIED` when a qualifier or a range makes them
    compatible ("at least 20" vs 25), else `CONTRADICTION`."""
    kind = ConflictKind.QUALIFIED if qualifier_allows(x, y) else ConflictKind.CONTRADICTION
    return Conflict(kind, x, y, x.text, y.text)


def number_conflicts(
    a_sentence: str,
    a_facts: Sequence[Fact],
    b_sentence: str,
    b_facts: Sequence[Fact],
    published: tuple[date | None, date | None] = (None, None),
) -> list[Conflict]:
    """The rule: differing figures (`figure_pairs`) with evidence that they count or measure the
    same thing."""
    return [figure_conflict(x, y) for weight, x, y in figure_pairs(a_sentence, a_facts, b_sentence, b_facts, published)
            if weight]


def log_ratio(x: Fact, y: Fact) -> float:
    """|log(x / y)| of two figures' amounts, capped at 3 (a sign change or a zero: 3)."""
    a, b = x.amount or 0.0, y.amount or 0.0
    if a <= 0 or b <= 0:
        return 3.0
    return min(abs(math.log(a / b)), 3.0)


INCREMENT_BEFORE = frozenset({"additional", "another", "further", "extra"})
INCREMENT_AFTER = frozenset({"more", "additional", "other", "others", "extra"})
BOUNDS = frozenset({"higher", "more", "greater", "larger", "bigger", "above", "over", "older", "up", "less", "fewer",
                    "lower", "below", "under", "smaller"})


def is_increment(sentence: str, fact: Fact) -> bool:
    """True for a figure said to come on top of another ("an additional $16 billion", "another
    5,000 troops", "four more crews", "two other people"), that bounds a class ("a magnitude 3
    or higher earthquake", "towns of 10,000 or more"): it states no figure of this event to compare."""
    own = {w.lower() for w in WORD.findall(fact.text)}
    before = [w.lower() for w in WORD.findall(sentence[: fact.start])[-3:]]
    after = [w.lower() for w in WORD.findall(sentence[fact.end :])[:2]]
    return bool(
        own & INCREMENT_BEFORE
        or (before and before[-1] in INCREMENT_BEFORE)
        or (after and after[0] in INCREMENT_AFTER)
        or (len(after) == 2 and after[0] in ("or", "and") and after[1] in BOUNDS)
    )


def counts(facts: Sequence[Fact]) -> list[Fact]:
    """The figures of a sentence that count things (not percentages, money or distances, nor ranks:
    "the third night" counts no nights, `amounts.is_ordinal`)."""
    return [f for f in facts if f.kind is FactKind.NUMBER and f.amount is not None and not is_measure(f.slot)
            and not is_ordinal(f.slot)]


def summed(parts: Sequence[Fact], totals: Sequence[Fact]) -> bool:
    """True when `parts` (two or more figures that say what they count) add up to one of `totals`
    (65 passengers + 6 crew = 71; not "seven people were injured, two of them seriously" = 9)."""
    parts = [p for p in parts if p.slot]
    if len(parts) < 2:
        return False
    total = sum(f.amount or 0 for f in parts)
    return any(t.amount is not None and abs(t.amount - total) <= UNIT_ROUNDING * max(total, 1) for t in totals)
