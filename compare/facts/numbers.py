"""Number facts: an amount, its qualifier ("at least", "about") and what it counts.

"three top officials" -> 3 officials (slot "people"); "$34 billion" -> "34 billion dollars" (amount
34000000000, slot "money_usd"); "about 150 miles" -> "150 miles" (amount in km, slot "distance_km");
"38 years" -> "38 years" (slot "year"); "Dorn, 77," -> "77 years old" (slot "age"); "6.9 to 7.1" ->
a range whose amount is its first figure. Two numbers are comparable only when their slots match:
counts of people with counts of people, percentages with percentages.
"""

from __future__ import annotations

import re

from compare.facts.dates import entities
from compare.facts.lexicon import (
    COLLECTIVE_NOUNS,
    CONVERSIONS,
    CURRENCIES,
    CURRENCY_WORDS,
    PERSON_NOUNS,
    QUAKE_WORDS,
    QUALIFIERS,
    SCALES,
    TIME_UNITS,
    UNIT_SLOTS,
    UNITS,
)
from compare.records import Fact, FactKind

QUALIFIER_RE = re.compile(r"^(" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\b\s*", re.IGNORECASE)
NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?")
RANGE = re.compile(r"^(?:between\s+)?(?P<lo>.+?)\s*(?P<sep>\bto\b|\band\b|-|–)\s*(?P<hi>.+)$", re.IGNORECASE)
BIG_SCALES = ("trillion", "billion", "million")
PERCENT_WORDS = {"%": "percent", "percent": "percent", "per cent": "percent", "percentage points": "percentage points"}
NUMBER_LABELS = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
MAX_NOUN_WORDS = 6
PERIOD_LEAD = re.compile(
    r"^(?:over\s+|for\s+|in\s+)?(?:the\s+)?(?:next|past|last|first|another|previous|final)\s+(?=\S+[\s-])", re.I
)
RATE_WORDS = {"once", "twice", "times", "per", "$"}  # "once a year" is a frequency, not a length of time
RATE_NOUNS = {"year", "month", "week", "day", "hour", "share", "barrel", "gallon", "head", "person", "piece"}


def format_amount(amount: float) -> str:
    """An amount as people read it: "3", "2,400,000", "193.121"."""
    if float(amount).is_integer():
        return f"{int(amount):,}" if abs(amount) >= 10_000 else str(int(amount))
    return f"{amount:,.3f}".rstrip("0").rstrip(".")


def parse_amount(text: str) -> float | None:
    """The number in words or digits: "2,000" -> 2000, "2.4 million" -> 2400000, "half a million"
    -> 500000, "twenty-one" -> 21, "a record 375" -> 375; None when there is no number."""
    words = re.findall(r"\d[\d,]*(?:\.\d+)?|[a-z]+", text.lower().replace("-", " "))
    total = 0.0
    current: float | None = None
    seen = False
    article = False  # `current` is only the 1 of "a" / "an" so far
    for word in words:
        if NUMBER_TOKEN.fullmatch(word):
            current = float(word.replace(",", "")) + (0 if current is None or article else current)
            seen, article = True, False
        elif word in UNITS and not (word in ("a", "an") and current is not None):
            value = UNITS[word]
            if word in ("half", "quarter") or current is None or article:
                current = value if current is None or article else current * value
            else:
                current += value
            article = word in ("a", "an")
            seen = seen or not article
        elif word in SCALES:
            scale = SCALES[word]
            base = 1.0 if current is None else current
            if scale < 1_000:  # hundred, dozen: multiply what came before
                current = base * scale
            else:
                total += base * scale
                current = None
            seen, article = True, False
    if not seen:
        return None
    return total + (current or 0)


def split_qualifier(text: str) -> tuple[str, str]:
    """(qualifier, rest): "at least 16" -> ("at least", "16")."""
    match = QUALIFIER_RE.match(text.strip())
    if not match:
        return "", text.strip()
    return match.group(1).lower(), text.strip()[match.end() :]


def split_range(text: str) -> tuple[str, str, str]:
    """(low, separator, high) of a range ("6.9 to 7.1", "$2,520 to $2,800", "6-3", "between 6.9 and
    7.1"; the separator "to" or "-"), or (text, "", "") for a single figure. A hyphen only joins
    figures written in digits ("twenty-one" is one number)."""
    match = RANGE.match(text.strip())
    if not match or parse_amount(match["lo"]) is None or parse_amount(match["hi"]) is None:
        return text, "", ""
    sep = match["sep"].lower()
    if sep in ("-", "–") and not (re.search(r"\d", match["lo"]) and re.search(r"\d", match["hi"])):
        return text, "", ""
    if sep == "and" and not text.strip().lower().startswith("between"):
        return text, "", ""
    return match["lo"], "-" if sep in ("-", "–") else "to", match["hi"]


def written_amount(text: str, amount: float) -> str:
    """An amount the way the text counts it: in millions or billions when it says so ("34 billion",
    "1.1 million"), else in digits ("2,340", "100,000")."""
    lower = text.lower()
    for word in BIG_SCALES:
        if re.search(rf"\b{word}\b", lower) and abs(amount) >= SCALES[word]:
            return f"{format_amount(amount / SCALES[word])} {word}"
    return format_amount(amount)


def counted_noun(ent: object) -> tuple[str, object | None]:
    """(noun phrase as written, its head token) that a number entity counts: "four major U.S.
    professional sports leagues" -> "major U.S. professional sports leagues"; "a crew of six" ->
    "crew"."""
    root = ent.root  # type: ignore[attr-defined]
    head = root.head
    if root.dep_ in ("nummod", "quantmod", "compound", "amod") and head.pos_ in ("NOUN", "PROPN") and head.i >= ent.end:
        if head.pos_ == "PROPN" and head.ent_type_ != "NORP":
            return "", None  # "38 North": the number is part of a name
        words = [t for t in root.doc[ent.end : head.i + 1] if not t.is_punct]  # type: ignore[attr-defined]
        if len(words) > MAX_NOUN_WORDS or any(t.head.i > head.i or t.head.i < ent.start for t in words[:-1]):
            words = [t for t in head.lefts if t.dep_ == "compound" and t.i >= ent.end] + [head]
        return " ".join(t.text for t in words), head
    for child in root.children:  # "nine of the 15 members"
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.pos_ in ("NOUN", "PROPN"):
                    return obj.text, obj
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in COLLECTIVE_NOUNS:
        return head.head.text, head.head  # "a crew of six": six of the crew
    return "", None


def counted_slot(noun: str, token: object | None) -> str:
    """What kind of thing a counted noun is: "people" for persons, else its lemma."""
    lower = noun.lower()
    if not lower:
        return ""
    if lower.split()[-1] in PERSON_NOUNS or (token is not None and token.ent_type_ == "NORP"):  # type: ignore[attr-defined]
        return "people"
    return token.lemma_.lower() if token is not None else lower  # type: ignore[attr-defined]


def currency_of(doc: object, ent: object, rest: str, after: str) -> str:
    """The currency code of a money amount ("usd"), from a symbol or currency word in the entity,
    just before it ("$275" where spaCy leaves the "$" out, "Rs 5,000") or just after it; "" for none."""
    lower = rest.lower()
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""  # type: ignore[attr-defined, index]
    for symbol, currency in CURRENCIES.items():
        if (
            symbol in lower.split()
            or (not symbol.isalpha() and symbol in lower)  # "a record $375 billion"
            or symbol in (after.lower(), before)
        ):
            return currency
    return ""


def measure_of(rest: str, after: str) -> tuple[str, float, str]:
    """(slot, factor to the slot's unit, unit as written) of a measured amount, from its own words
    and the word after it: "150 miles" -> ("distance_km", 1.609344, "miles"); ("", 1, "") for none."""
    lower = rest.lower().strip()
    for unit, slot in UNIT_SLOTS.items():
        if lower.endswith(unit) or after.lower() == unit:
            return slot, 1.0, PERCENT_WORDS[unit]
    for unit, (slot, factor) in CONVERSIONS.items():
        if re.search(rf"\b{re.escape(unit)}$", lower) or after.lower() == unit:
            return slot, factor, unit
    return "", 1.0, ""


def trailing_words(rest: str) -> str:
    """The words after the last figure of an entity ("1.1 million acres" -> "acres")."""
    words = rest.split()
    while words and (parse_amount(words[0]) is not None or words[0].lower() in SCALES or words[0] in ("a", "an")):
        words.pop(0)
    return " ".join(words) if words and words[0][0].isalpha() and parse_amount(" ".join(words)) is None else ""


def is_age(ent: object) -> bool:
    """True for a bare figure set off by commas after a name: "Alshamrani, 21, ..." (an age)."""
    doc = ent.doc  # type: ignore[attr-defined]
    if ent.end - ent.start != 1 or not ent.text.isdigit() or not 0 < int(ent.text) < 120:  # type: ignore[attr-defined]
        return False
    before = doc[ent.start - 2] if ent.start >= 2 else None  # type: ignore[attr-defined]
    comma_before = ent.start >= 1 and doc[ent.start - 1].text == ","  # type: ignore[attr-defined]
    comma_after = ent.end < len(doc) and doc[ent.end].text in (",", ".")  # type: ignore[attr-defined]
    return bool(
        comma_before
        and comma_after
        and before is not None
        and before.pos_ in ("PROPN", "ADJ", "NOUN")
        and before.is_title
    )


def age_slot(ent: object) -> str:
    """The slot of an age: whose it is ("age slager" for "Slager, 36,", "age motorist" for "the
    50-year-old motorist"), so that two people's ages are not taken for one figure."""
    doc = ent.doc  # type: ignore[attr-defined]
    if ent.start >= 2 and doc[ent.start - 1].text == ",":  # type: ignore[attr-defined]
        return f"age {doc[ent.start - 2].lower_}"  # type: ignore[attr-defined]
    head = ent.root.head  # type: ignore[attr-defined]
    while head.dep_ in ("amod", "compound") and head.head.i != head.i:  # "37-year-old migrant"
        head = head.head
    return f"age {head.lemma_.lower()}" if head.pos_ in ("NOUN", "PROPN") else "age"


def rate_of(doc: object, ent: object) -> str:
    """What a sum of money is paid per, as " per patient" for "$2,340 per patient" or "$275 a week"
    ("" for a plain sum): a price per unit is not comparable with a total."""
    word = doc[ent.end] if ent.end < len(doc) else None  # type: ignore[attr-defined, index]
    if word is not None and word.lower_ == "per":
        unit = next((c for c in word.children if c.dep_ == "pobj"), None)  # "per COVID-19 patient"
    elif word is not None and word.lower_ in ("a", "an", "each") and ent.end + 1 < len(doc):  # type: ignore[attr-defined, arg-type]
        unit = doc[ent.end + 1]  # type: ignore[index]
        unit = unit if unit.lemma_.lower() in RATE_NOUNS else None  # "$34 billion a similar amount" is no rate
    else:
        unit = None
    return f" per {unit.lemma_.lower()}" if unit is not None and unit.pos_ in ("NOUN", "PROPN") else ""


def count_rate(noun: object | None) -> str:
    """What a count is per, as " per minute" for "one aftershock per minute" or "100 aftershocks
    an hour", "2,000 people a day", "every week" ("" for a plain count): a rate is not comparable
    with a total ("more than 1,400 aftershocks")."""
    if noun is None:
        return ""
    doc = noun.doc  # type: ignore[attr-defined]
    word = doc[noun.i + 1] if noun.i + 1 < len(doc) else None  # type: ignore[attr-defined]
    if word is None:
        return ""
    if word.lower_ == "per":
        unit = next((c for c in word.children if c.dep_ == "pobj"), None)
        return f" per {unit.lemma_.lower()}" if unit is not None and unit.pos_ in ("NOUN", "PROPN") else ""
    after = doc[noun.i + 2] if noun.i + 2 < len(doc) else None  # type: ignore[attr-defined]
    if word.lower_ in ("a", "an", "each", "every") and after is not None and after.lemma_.lower() in TIME_UNITS:
        return f" per {after.lemma_.lower()}"
    return ""


def slot_family(slot: str) -> str:
    """What a slot counts, without whose or per what: "money_usd per patient" -> "money_usd",
    "age slager" -> "age". The same figure of one family in both reports is one fact of the
    facts CSV even when one report leaves out the "per patient"."""
    return slot.split(" ")[0]


def is_magnitude(doc: object, ent: object) -> bool:
    """True for an earthquake's magnitude: "magnitude 7.1", "a magnitude of between 6.9 and 7.1",
    "a 7.1-magnitude quake", "6.4 magnitude", "a 6.5 quake" (a figure with a decimal point before
    a word for a quake: no count of quakes is written so)."""
    before = [t.lower_ for t in doc[max(0, ent.start - 2) : ent.start]]  # type: ignore[attr-defined, index]
    after = [t.lower_ for t in doc[ent.end : ent.end + 2]]  # type: ignore[attr-defined, index]
    within = ent.text.lower().split("-")[1:]  # type: ignore[attr-defined]
    decimal = re.fullmatch(r"\d\.\d", ent.text.strip()) is not None  # type: ignore[attr-defined]
    return (
        before[-1:] == ["magnitude"]
        or before == ["magnitude", "of"]
        or after[:1] == ["magnitude"]
        or after == ["-", "magnitude"]
        or within == ["magnitude"]
        or (decimal and after[:1] != [] and after[0] in QUAKE_WORDS)
    )


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


def duration_fact(doc: object, ent: object) -> Fact | None:
    """The number fact of a DATE / TIME entity that is a length of time or an age: "38 years",
    "about 15 minutes", "four-year" (with what it qualifies: "4-year contract"), "37-year-old",
    "Dorn, 77,"; None for a date ("four years ago", "last week")."""
    if is_age(ent):
        amount = float(ent.text)  # type: ignore[attr-defined]
        value = f"{format_amount(amount)} years old"
        return Fact(FactKind.NUMBER, value, ent.text, ent.start_char, ent.end_char, slot=age_slot(ent), amount=amount)  # type: ignore[attr-defined]
    qualifier, rest = split_qualifier(PERIOD_LEAD.sub("", ent.text))  # type: ignore[attr-defined]
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
    entities, and lengths of time and ages among its DATE / TIME entities."""
    facts = []
    for ent in entities(doc):
        if ent.label_ in NUMBER_LABELS:  # type: ignore[attr-defined]
            fact = amount_fact(doc, ent)
        elif ent.label_ in ("DATE", "TIME"):
            fact = duration_fact(doc, ent)
        else:
            continue
        if fact is not None:
            facts.append(fact)
    return facts
