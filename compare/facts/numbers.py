"""Number facts: an amount, its qualifier ("at least", "about") and what it counts.

"three top officials" -> 3 officials (slot "people"); "$34 billion" -> "34 billion dollars" (amount
34000000000, slot "money_usd"); "about 150 miles" -> "150 miles" (amount in km, slot "distance_km");
"38 years" -> "38 years" (slot "year"); "Dorn, 77," -> "77 years old" (slot "age"); "6.9 to 7.1" ->
a range whose amount is its first figure; "a 50-page affidavit" -> "50-page affidavit" (slot
"page_affidavit"); "the third night" -> "3rd night" (slot "ordinal_night": a rank, never compared
with a count); "10 months later" -> "10 months". Two numbers are comparable only when their slots
match: counts of people with counts of people, percentages with percentages.
"""

from __future__ import annotations

import re

from compare.facts.amounts import (
    MAX_NOUN_WORDS,
    ORDINAL_SLOT,
    age_slot,
    count_rate,
    counted_noun,
    counted_slot,
    currency_of,
    format_amount,
    is_age,
    is_magnitude,
    measure_of,
    ordinal_amount,
    ordinal_figure,
    parse_amount,
    rate_of,
    split_qualifier,
    split_range,
    trailing_words,
    written_amount,
)
from compare.facts.dates import entities
from compare.facts.lexicon import CURRENCY_WORDS, SCALES, TIME_UNITS
from compare.records import Fact, FactKind

NUMBER_LABELS = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
PERIOD_LEAD = re.compile(
    r"^(?:over\s+|for\s+|in\s+)?(?:the\s+)?(?:next|past|last|first|another|previous|final)\s+(?=\S+[\s-])", re.I
)
RATE_WORDS = {"once", "twice", "times", "per", "$"}  # "once a year" is a frequency, not a length of time
# the word that makes a length of time the time between two events ("10 months later"), not a date
RELATIVE_WORDS = ("later", "earlier", "after", "before")
# a figure in digits joined by hyphens to the words for what it measures ("50-page", "770-foot-tall")
MEASURE_COMPOUND = re.compile(r"(?P<figure>\d[\d,]*(?:\.\d+)?)(?P<words>(?:-[a-z]+)+)(?![-\w])")
MIN_ORDINAL = 3  # "first" and "second" are mostly no rank of this event ("the first time", "a second phase")


def amount_fact(doc: object, ent: object) -> Fact | None:
    """The number fact of a CARDINAL / QUANTITY / MONEY / PERCENT entity, or None."""
    qualifier, rest = split_qualifier(ent.text)  # type: ignore[attr-defined]
    if re.search(r"\d/\d", rest):
        return None  # "9/11", a fraction or a date, not a count
    low, sep, high = split_range(rest)
    amount = parse_amount(low)
    if amount is None:
        return None
    after = doc[ent.end].text if ent.end < len(doc) else ""  # type: ignore[attr-defined, index]
    hyphenated = doc.text[ent.end_char : ent.end_char + 1] == "-"  # type: ignore[attr-defined]
    magnitude = is_magnitude(doc, ent)
    if ent.label_ in ("CARDINAL", "QUANTITY") and not magnitude:  # type: ignore[attr-defined]
        compound = compound_fact(doc, ent)
        if compound is not None:
            return compound  # "a 50-page affidavit", "the 770-foot-tall dam"
    if hyphenated and ent.label_ not in ("MONEY", "PERCENT") and not magnitude:  # type: ignore[attr-defined]
        return None  # part of a compound word ("half-brother"), unlike "$150 billion-a-year"
    figure = written_amount(low, amount)
    top = parse_amount(high) if sep else None
    if sep:
        figure += f" {sep} " if sep == "to" else sep
        figure += written_amount(high, top or 0.0)
    if top is not None and sep == "to" and ent.start > 0 and doc[ent.start - 1].lower_ == "from":  # type: ignore[attr-defined, index]
        amount, top = top, None  # "grew from 2,000 to 6,000 acres": a change, now 6,000
    elif sep == "-":
        top = None  # "6-3": a score or a vote, one figure
    currency = currency_of(doc, ent, rest, after)
    if magnitude:
        slot, factor, label = "magnitude", 1.0, "magnitude"
    elif currency:
        per = rate_of(doc, ent)
        slot, factor, label = f"money_{currency}{per}", 1.0, CURRENCY_WORDS[currency] + per
    else:
        slot, factor, label = measure_of(rest, after)
    if not slot:
        noun, token = counted_noun(ent)
        if token is None and ent.root.head.pos_ == "PROPN" and ent.root.head.ent_type_ not in ("", "NORP"):  # type: ignore[attr-defined]
            return None  # a number inside a name ("38 North")
        if token is None and is_age(ent):
            slot, label = age_slot(ent), "years old"
        else:
            slot, label = counted_slot(noun, token), noun or trailing_words(high or low)
            per = count_rate(token)
            slot, label = (slot + per, label + per) if slot and per else (slot, label)
            if not slot and label:  # "1.1 million acres": the entity holds its noun
                slot = ent.root.lemma_.lower() if ent.root.pos_ == "NOUN" else label.lower()  # type: ignore[attr-defined]
    value = f"{figure} {label}".strip()
    return Fact(
        FactKind.NUMBER,
        value,
        ent.text,
        ent.start_char,
        ent.end_char,  # type: ignore[attr-defined]
        slot=slot,
        amount=amount * factor,
        qualifier=qualifier,
        high=None if top is None else top * factor,
    )


def compound_fact(doc: object, ent: object) -> Fact | None:
    """The number fact of a figure in digits joined by a hyphen to the word for what it measures,
    with the noun it describes: "a 50-page sworn affidavit" -> "50-page sworn affidavit" (slot
    "page_affidavit"), "the 770-foot-tall Oroville Dam" -> "770-foot-tall Oroville Dam" (slot
    "foot_dam"), "a 387-strong squad" -> "387-strong squad" (slot "strong_squad"); a measure word for
    persons counts people ("an 18-person team": slot "people"); a unit is converted ("a 2.5-mile
    journey": slot "distance_km_journey", amount in km). The slot names the thing measured, so a
    dam's height is not compared with a hole's length. None for anything else: a figure in
    words ("half-brother", "three-drug cocktail"), a score or a range ("6-3", "737-800"), a figure
    inside a word ("COVID-19"), a length of time or an age ("4-year", "2-year-old": DATE entities,
    see `duration_fact`)."""
    qualifier, rest = split_qualifier(ent.text)  # type: ignore[attr-defined]
    begin = ent.end_char - len(rest)  # type: ignore[attr-defined]
    text = doc.text  # type: ignore[attr-defined]
    match = MEASURE_COMPOUND.match(text, begin)
    if match is None or match.end() < ent.end_char or (begin and re.match(r"[-\w.]", text[begin - 1])):  # type: ignore[attr-defined]
        return None
    word = match["words"].split("-")[1]
    token = next((t for t in doc if t.idx == match.start("words") + 1), None)  # type: ignore[attr-defined]
    measure = token.lemma_.lower() if token is not None else word  # type: ignore[attr-defined]
    amount = parse_amount(match["figure"])
    if amount is None or measure in TIME_UNITS:
        return None
    last = next((t for t in doc if t.idx < match.end() <= t.idx + len(t.text)), None)  # type: ignore[attr-defined]
    noun, head = described_noun(doc, last) if last is not None else ("", None)
    unit, factor, _ = measure_of(word, "")
    if not unit:
        unit, factor, _ = measure_of(word + "s", "")  # "10,000-ton" as "10,000 tons"
    if counted_slot(word, token) == "people":
        slot = "people"  # "an 18-person team", "the 20-member crew": a count of people
    else:
        slot = unit or measure
        slot += f"_{head.lemma_.lower()}" if head is not None else ""  # type: ignore[attr-defined]
    return Fact(
        FactKind.NUMBER,
        f"{written_amount(match['figure'], amount)}{match['words']} {noun}".strip(),
        text[ent.start_char : match.end()],  # type: ignore[attr-defined]
        ent.start_char,  # type: ignore[attr-defined]
        match.end(),
        slot=slot,
        amount=amount * factor,
        qualifier=qualifier,
    )


def described_noun(doc: object, last: object) -> tuple[str, object | None]:
    """(noun phrase as written, its head token) that a compound ending in token `last` describes:
    "sworn affidavit" after "50-page", "Oroville Dam" after "770-foot-tall", "hole" after
    "200-foot-long" in "200-foot-long, 30-foot-deep hole" (the words between hold another figure);
    ("", None) when it describes none."""
    token = last
    while token.head.i > token.i and token.head.pos_ not in ("NOUN", "PROPN"):  # type: ignore[attr-defined]
        token = token.head  # type: ignore[attr-defined]
    head = token.head  # type: ignore[attr-defined]
    if head.i <= token.i or head.pos_ not in ("NOUN", "PROPN"):  # type: ignore[attr-defined]
        return "", None
    between = doc[last.i + 1 : head.i]  # type: ignore[attr-defined, index]
    if len(between) >= MAX_NOUN_WORDS or any(t.like_num or t.text in (",", ";") for t in between):
        between = [t for t in head.lefts if t.dep_ == "compound" and t.i > last.i]  # type: ignore[attr-defined]
    return " ".join(t.text for t in [*between, head] if not t.is_punct), head


def ordinal_fact(doc: object, ent: object) -> Fact | None:
    """The number fact of an ORDINAL entity that ranks a thing: "a third night of protests" -> "3rd
    night" (slot "ordinal_night", amount 3), "the 32nd floor" -> "32nd floor", "the seventh
    secretary general" -> "7th secretary general"; None below `MIN_ORDINAL` ("the first time"),
    in a compound word ("third-party", "second-largest"), when it ranks no noun ("At first", "first
    discovered") or is part of a name ("Pennsylvania's 18th Congressional District")."""
    amount = ordinal_amount(ent.text)  # type: ignore[attr-defined]
    if amount is None or amount < MIN_ORDINAL or doc.text[ent.end_char : ent.end_char + 1] == "-":  # type: ignore[attr-defined]
        return None
    noun, token = counted_noun(ent)
    if token is None:
        return None
    if any(t.dep_ == "cc" for t in doc[ent.end : token.i]):  # type: ignore[attr-defined, index]
        noun = token.text  # "the sixth and seventh boys": the sixth boy
    return rank_fact(ent, amount, noun, token)


def ordinal_time_fact(doc: object, ent: object) -> Fact | None:
    """The rank of a length of time that spaCy tags DATE or TIME with its ordinal: "a third straight
    night Thursday" -> "3rd straight night" (slot "ordinal_night"), "the third consecutive month"
    -> "3rd consecutive month"; None for any other DATE / TIME entity and below `MIN_ORDINAL`
    ("the first day")."""
    for token in ent:  # type: ignore[attr-defined]
        head = token.head
        amount = ordinal_amount(token.text) if token.dep_ == "amod" else None
        if amount is None or amount < MIN_ORDINAL or not token.i < head.i < ent.end:  # type: ignore[attr-defined]
            continue
        if head.lemma_.lower() not in TIME_UNITS or doc.text[token.idx + len(token.text) :].startswith("-"):  # type: ignore[attr-defined]
            continue
        noun = " ".join(t.text for t in doc[token.i + 1 : head.i + 1] if not t.is_punct)  # type: ignore[index]
        return rank_fact(ent, amount, noun, head)
    return None


def rank_fact(ent: object, amount: float, noun: str, ranked: object) -> Fact:
    """The number fact of entity `ent` ranking `noun` (head token `ranked`) at `amount`: "3rd
    night", slot "ordinal_night" (`is_ordinal`: never compared with a count)."""
    return Fact(
        FactKind.NUMBER,
        f"{ordinal_figure(amount)} {noun}",
        ent.text,  # type: ignore[attr-defined]
        ent.start_char,  # type: ignore[attr-defined]
        ent.end_char,  # type: ignore[attr-defined]
        slot=ORDINAL_SLOT + ranked.lemma_.lower(),  # type: ignore[attr-defined]
        amount=amount,
    )


def relative_length(text: str) -> str:
    """The length of time of a mention that places an event from another: "10 months later" -> "10
    months", "three minutes after" -> "three minutes"; any other text as it is ("four years ago"
    is a date, not a length of time)."""
    head, _, last = text.strip().rpartition(" ")
    return head.rstrip() if head and last.lower() in RELATIVE_WORDS else text


def duration_fact(doc: object, ent: object) -> Fact | None:
    """The number fact of a DATE / TIME entity that is a length of time or an age: "38 years",
    "about 15 minutes", "four-year" (with what it qualifies: "4-year contract"), "37-year-old",
    "Dorn, 77,", "10 months later" and "more than 10 hours later" (`relative_length`: "10 months",
    "10 hours"); None for a date ("four years ago", "last week")."""
    if is_age(ent):
        amount = float(ent.text)  # type: ignore[attr-defined]
        value = f"{format_amount(amount)} years old"
        return Fact(FactKind.NUMBER, value, ent.text, ent.start_char, ent.end_char, slot=age_slot(ent), amount=amount)  # type: ignore[attr-defined]
    qualifier, rest = split_qualifier(relative_length(PERIOD_LEAD.sub("", ent.text)))  # type: ignore[attr-defined]
    match = re.fullmatch(r"(.+?)[\s-]+(\w+?)s?(?P<old>[\s-]+old)?(?:[\s-]+long)?", rest, re.IGNORECASE)
    if not match or match[2].lower() not in TIME_UNITS:
        return None
    before = doc[ent.start - 1].lower_ if ent.start else ""  # type: ignore[attr-defined, index]
    if match[1].lower() in ("a", "an") and before not in RATE_WORDS and not (ent.start and doc[ent.start - 1].like_num):  # type: ignore[attr-defined, index]
        amount: float | None = 1.0  # "about a minute", "a year"; not "$275 a week", "once a year"
    else:
        amount = parse_amount(match[1])
    if amount is None or not all(
        parse_amount(w) is not None or w.lower() in (*SCALES, "a", "an") for w in match[1].replace("-", " ").split()
    ):
        return None
    unit = match[2].lower()
    figure = format_amount(amount)
    if match["old"]:
        value, slot = f"{figure} {unit}s old", age_slot(ent)
    elif "-" in rest[match.end(1) : match.start(2)]:  # "four-year contract": say what lasts
        head = ent.root.head  # type: ignore[attr-defined]
        noun = head.text if head.pos_ == "NOUN" and head.i >= ent.end else ""  # type: ignore[attr-defined]
        value, slot = f"{figure}-{unit} {noun}".strip(), unit
    else:
        value, slot = f"{figure} {unit}{'' if amount == 1 else 's'}", unit
    return Fact(
        FactKind.NUMBER,
        value,
        ent.text,
        ent.start_char,
        ent.end_char,  # type: ignore[attr-defined]
        slot=slot,
        amount=amount,
        qualifier=qualifier,
    )


def number_facts(doc: object) -> list[Fact]:
    """Number facts of one sentence's `doc`: amounts of its CARDINAL / QUANTITY / MONEY / PERCENT
    entities, lengths of time and ages among its DATE / TIME entities, and ranks: ORDINAL entities
    (`ordinal_fact`) and a DATE / TIME entity's ordinal of a length of time (`ordinal_time_fact`)."""
    facts = []
    for ent in entities(doc):
        if ent.label_ in NUMBER_LABELS:  # type: ignore[attr-defined]
            fact = amount_fact(doc, ent)
        elif ent.label_ in ("DATE", "TIME"):
            fact = duration_fact(doc, ent) or ordinal_time_fact(doc, ent)
        elif ent.label_ == "ORDINAL":
            fact = ordinal_fact(doc, ent)
        else:
            continue
        if fact is not None:
            facts.append(fact)
    return facts
