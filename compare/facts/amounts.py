"""Figures in text: amounts in words or digits, their qualifiers and ranges, what they count and
in what unit, and ranks ("3rd").

The helpers `compare.facts.numbers` builds number facts with: `parse_amount("2.4 million")` ->
2400000, `split_qualifier("at least 16")` -> ("at least", "16"), `counted_noun` / `counted_slot`
(what a figure counts: slot "people" for "three top officials"), `measure_of` (units converted:
miles to km), `slot_family` (which slots are compared with each other), `ordinal_amount("32nd")`
-> 32 and `is_ordinal` (a rank's slot, never compared with a count).
"""

from __future__ import annotations

import re

from compare.facts.lexicon import (
    COLLECTIVE_NOUNS,
    CONVERSIONS,
    CURRENCIES,
    PERSON_NOUNS,
    QUAKE_WORDS,
    QUALIFIERS,
    SCALES,
    TIME_UNITS,
    UNIT_SLOTS,
    UNITS,
)

QUALIFIER_RE = re.compile(r"^(" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\b\s*", re.IGNORECASE)
NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?")
RANGE = re.compile(r"^(?:between\s+)?(?P<lo>.+?)\s*(?P<sep>\bto\b|\band\b|-|–)\s*(?P<hi>.+)$", re.IGNORECASE)
BIG_SCALES = ("trillion", "billion", "million")
PERCENT_WORDS = {"%": "percent", "percent": "percent", "per cent": "percent", "percentage points": "percentage points"}
MAX_NOUN_WORDS = 6
RATE_NOUNS = {"year", "month", "week", "day", "hour", "share", "barrel", "gallon", "head", "person", "piece"}
ORDINAL_SLOT = "ordinal_"  # slots of ranks ("ordinal_night"): their own family, never a count's
IRREGULAR_ORDINALS = {"first": "one", "second": "two", "third": "three", "fifth": "five", "eighth": "eight",
                      "ninth": "nine", "twelfth": "twelve"}


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


def ordinal_amount(text: str) -> float | None:
    """The number an ordinal says: "32nd" -> 32, "third" -> 3, "twenty-first" -> 21, "fortieth" ->
    40, "hundredth" -> 100; None for no ordinal ("Secondly")."""
    words = text.lower().replace("-", " ").split()
    if not words:
        return None
    digits = re.fullmatch(r"(\d[\d,]*)(?:st|nd|rd|th)", words[-1])
    if digits:
        return float(digits[1].replace(",", ""))
    last = words[-1]
    if last in IRREGULAR_ORDINALS:
        last = IRREGULAR_ORDINALS[last]
    elif last.endswith("ieth"):
        last = last[:-4] + "y"  # "twentieth" -> "twenty"
    elif last.endswith("th"):
        last = last[:-2]  # "seventh" -> "seven"
    else:
        return None
    return parse_amount(" ".join([*words[:-1], last]))


def ordinal_figure(amount: float) -> str:
    """An ordinal in digits: 3 -> "3rd", 32 -> "32nd", 11 -> "11th"."""
    n = int(amount)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def is_ordinal(slot: str) -> bool:
    """True for the slot of a rank ("ordinal_night"), which is never compared with a count."""
    return slot.startswith(ORDINAL_SLOT)
