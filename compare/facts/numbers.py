"""Number facts: an amount, its qualifier ("at least", "about") and what it counts.

"three top officials" -> 3 officials (slot "people"); "2.4 million" -> 2400000; "half a million"
-> 500000; "more than 50" -> qualifier "more than". Two numbers are comparable only when their
slots match: counts of people with counts of people, percentages with percentages.
"""

from __future__ import annotations

import re

from compare.records import Fact, FactKind

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a": 1,
    "an": 1,
    "half": 0.5,
    "quarter": 0.25,
}
SCALES = {
    "dozen": 12,
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
    "bn": 1_000_000_000,
}
QUALIFIERS = (
    "at least",
    "at most",
    "more than",
    "less than",
    "fewer than",
    "greater than",
    "up to",
    "over",
    "under",
    "nearly",
    "almost",
    "about",
    "around",
    "roughly",
    "approximately",
    "some",
    "an estimated",
    "as many as",
    "as few as",
    "no more than",
    "no fewer than",
    "just over",
    "just under",
    "close to",
)
QUALIFIER_RE = re.compile(r"^(" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\b\s*", re.IGNORECASE)
PERSON_NOUNS = {
    "people",
    "person",
    "persons",
    "official",
    "officials",
    "civilian",
    "civilians",
    "soldier",
    "soldiers",
    "troop",
    "troops",
    "worker",
    "workers",
    "student",
    "students",
    "child",
    "children",
    "adult",
    "adults",
    "man",
    "men",
    "woman",
    "women",
    "victim",
    "victims",
    "member",
    "members",
    "resident",
    "residents",
    "passenger",
    "passengers",
    "protester",
    "protesters",
    "migrant",
    "migrants",
    "refugee",
    "refugees",
    "patient",
    "patients",
    "citizen",
    "citizens",
    "leader",
    "leaders",
    "adviser",
    "advisers",
    "advisor",
    "advisors",
    "individual",
    "individuals",
    "suspect",
    "suspects",
    "prisoner",
    "prisoners",
    "employee",
    "employees",
    "staff",
    "lawmaker",
    "lawmakers",
    "senator",
    "senators",
    "minister",
    "ministers",
    "journalist",
    "journalists",
    "police",
    "officer",
    "officers",
    "firefighter",
    "firefighters",
    "executive",
    "executives",
    "diplomat",
    "diplomats",
    "voter",
    "voters",
    "fighter",
    "fighters",
    "militant",
    "militants",
    "dead",
    "injured",
    "wounded",
    "killed",
    "hostage",
    "hostages",
    "crew",
}
UNIT_SLOTS = {"%": "percent", "percent": "percent", "per cent": "percent", "percentage points": "points"}
CONVERSIONS = {  # unit -> (slot, factor to the slot's base unit)
    "km": ("distance_km", 1.0),
    "kilometers": ("distance_km", 1.0),
    "kilometres": ("distance_km", 1.0),
    "miles": ("distance_km", 1.609344),
    "mile": ("distance_km", 1.609344),
    "kph": ("speed_kph", 1.0),
    "km/h": ("speed_kph", 1.0),
    "mph": ("speed_kph", 1.609344),
    "kg": ("mass_kg", 1.0),
    "kilograms": ("mass_kg", 1.0),
    "pounds": ("mass_kg", 0.45359237),
    "tons": ("mass_kg", 1000.0),
    "tonnes": ("mass_kg", 1000.0),
}
CURRENCIES = {
    "$": "usd",
    "us$": "usd",
    "€": "eur",
    "£": "gbp",
    "¥": "jpy",
    "dollars": "usd",
    "euros": "eur",
    "pounds sterling": "gbp",
    "yuan": "cny",
    "won": "krw",
    "rubles": "rub",
    "yen": "jpy",
}
NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?")


UNIT_LABELS = {
    "percent": "%",
    "points": "percentage points",
    "distance_km": "km",
    "speed_kph": "km/h",
    "mass_kg": "kg",
    **{f"money_{code}": code.upper() for code in set(CURRENCIES.values())},
}


def format_amount(amount: float) -> str:
    """An amount as people read it: "3", "2,400,000", "193.121"."""
    if float(amount).is_integer():
        return f"{int(amount):,}" if abs(amount) >= 10_000 else str(int(amount))
    return f"{amount:,.3f}".rstrip("0").rstrip(".")


def parse_amount(text: str) -> float | None:
    """The number in words or digits: "2,000" -> 2000, "2.4 million" -> 2400000, "half a million"
    -> 500000, "twenty-one" -> 21; None when there is no number."""
    words = re.findall(r"\d[\d,]*(?:\.\d+)?|[a-z]+", text.lower().replace("-", " "))
    total = 0.0
    current: float | None = None
    seen = False
    for word in words:
        if NUMBER_TOKEN.fullmatch(word):
            current = (current or 0) + float(word.replace(",", ""))
            seen = True
        elif word in UNITS and not (word in ("a", "an") and current is not None):
            value = UNITS[word]
            if word in ("half", "quarter") or current is None:
                current = value if current is None else current * value
            else:
                current += value
            seen = seen or word not in ("a", "an")
        elif word in SCALES:
            scale = SCALES[word]
            base = 1.0 if current is None else current
            if scale < 1_000:  # hundred, dozen: multiply what came before
                current = base * scale
            else:
                total += base * scale
                current = None
            seen = True
    if not seen:
        return None
    return total + (current or 0)


def split_qualifier(text: str) -> tuple[str, str]:
    """(qualifier, rest): "at least 16" -> ("at least", "16")."""
    match = QUALIFIER_RE.match(text.strip())
    if not match:
        return "", text.strip()
    return match.group(1).lower(), text.strip()[match.end() :]


def counted_noun(ent: object) -> tuple[str, object | None]:
    """(noun as written, its token) that a number entity counts: "three top officials" -> "officials"."""
    root = ent.root  # type: ignore[attr-defined]
    head = root.head
    if root.dep_ in ("nummod", "quantmod", "compound", "amod") and head.pos_ in ("NOUN", "PROPN") and head.i >= ent.end:
        if head.pos_ == "PROPN" and head.ent_type_ != "NORP":
            return "", None  # "38 North": the number is part of a name
        compounds = [t for t in head.lefts if t.dep_ == "compound" and t.i >= ent.end]
        return " ".join(t.text for t in [*compounds, head]), head
    for child in root.children:  # "nine of the 15 members"
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.pos_ in ("NOUN", "PROPN"):
                    return obj.text, obj
    return "", None


def counted_slot(noun: str, token: object | None) -> str:
    """What kind of thing a counted noun is: "people" for persons, else its lemma."""
    lower = noun.lower()
    if not lower:
        return ""
    if lower in PERSON_NOUNS or (token is not None and token.ent_type_ == "NORP"):  # type: ignore[attr-defined]
        return "people"
    return token.lemma_.lower() if token is not None else lower  # type: ignore[attr-defined]


def unit_of(text: str, after: str) -> tuple[str, float]:
    """(slot, factor) for a measured amount from its own words and the word after it."""
    lower = text.lower()
    for symbol, currency in CURRENCIES.items():
        if symbol in lower.split() or lower.startswith(symbol) or after.lower() == symbol:
            return f"money_{currency}", 1.0
    for unit, slot in UNIT_SLOTS.items():
        if lower.endswith(unit) or after.lower() == unit:
            return slot, 1.0
    for unit, (slot, factor) in CONVERSIONS.items():
        if re.search(rf"\b{re.escape(unit)}$", lower) or after.lower() == unit:
            return slot, factor
    return "", 1.0


def number_facts(doc: object) -> list[Fact]:
    """Number facts for the CARDINAL/QUANTITY/MONEY/PERCENT entities of one sentence's `doc`."""
    facts = []
    for ent in doc.ents:  # type: ignore[attr-defined]
        if ent.label_ not in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
            continue
        qualifier, rest = split_qualifier(ent.text)
        amount = parse_amount(rest)
        if amount is None or doc.text[ent.end_char : ent.end_char + 1] == "-":  # type: ignore[attr-defined]
            continue  # no number, or part of a compound word ("half-brother")
        after = doc[ent.end].text if ent.end < len(doc) else ""  # type: ignore[index]
        slot, factor = unit_of(rest, after)
        noun = ""
        if not slot:
            noun, token = counted_noun(ent)
            if token is None and ent.root.head.pos_ == "PROPN" and ent.root.head.ent_type_ not in ("", "NORP"):
                continue  # a number inside a name ("38 North")
            slot = counted_slot(noun, token)
        amount *= factor
        value = f"{format_amount(amount)} {noun or UNIT_LABELS.get(slot, slot)}".strip()
        facts.append(
            Fact(
                FactKind.NUMBER,
                value,
                ent.text,
                ent.start_char,
                ent.end_char,
                slot=slot,
                amount=amount,
                qualifier=qualifier,
            )
        )
    return facts
