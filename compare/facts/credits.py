"""Credited sources (issue 28): the wire services and outlets a report credits, as facts of kind
`source` ("The Associated Press contributed to this report", "according to Reuters", "told CNN",
"(AP) --", "Reuters reported").

A credit names an outlet of `OUTLETS` (news agencies and large outlets, written as they credit
themselves), or, before "contributed reporting" or "contributed to this report", any capitalised
name. These facts are for
the facts CSV and the shared-copy line (`compare.export`): they never enter alignment or the
conflict judge, whose facts are the sentence facts of `compare.facts.extract`.
"""

from __future__ import annotations

import re

from compare.records import Fact, FactKind

OUTLETS = {  # as written -> as shown
    "Associated Press": "Associated Press", "The Associated Press": "Associated Press", "AP": "Associated Press",
    "Reuters": "Reuters", "Agence France-Presse": "AFP", "Agence France Presse": "AFP", "AFP": "AFP",
    "Bloomberg": "Bloomberg", "Bloomberg News": "Bloomberg", "Dow Jones": "Dow Jones", "Xinhua": "Xinhua",
    "Kyodo": "Kyodo", "Yonhap": "Yonhap", "TASS": "TASS", "dpa": "dpa", "EFE": "EFE", "ANSA": "ANSA",
    "PA Media": "PA Media", "Press Association": "PA Media", "CNN": "CNN", "BBC": "BBC", "NPR": "NPR",
    "NBC News": "NBC News", "CBS News": "CBS News", "ABC News": "ABC News", "Fox News": "Fox News",
    "CNBC": "CNBC", "MSNBC": "MSNBC", "Al Jazeera": "Al Jazeera", "Politico": "Politico", "Axios": "Axios",
    "The New York Times": "The New York Times", "The Washington Post": "The Washington Post",
    "The Wall Street Journal": "The Wall Street Journal", "USA Today": "USA Today", "USA TODAY": "USA Today",
    "The Guardian": "The Guardian", "Los Angeles Times": "Los Angeles Times", "the Los Angeles Times":
    "Los Angeles Times",
}
NAMES = "|".join(sorted((re.escape(n) for n in OUTLETS), key=len, reverse=True))
CREDITS = (
    re.compile(rf"\b(?:according to|told|in an interview with|in a statement to)\s+(?:the\s+)?(?P<name>{NAMES})\b"),
    re.compile(rf"(?:^|\()(?P<name>{NAMES})\)?\s*(?:[—–-]{{1,2}}|reported\b|said\b)"),
    re.compile(rf"\b(?P<name>{NAMES})\s+(?:first\s+)?reported\b"),
    re.compile(r"\b(?P<name>(?:The\s+)?[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})\s+contributed\s+"
               r"(?:reporting|to this (?:report|story|article))"),
)


def credit_facts(text: str) -> tuple[Fact, ...]:
    """The `source` facts of one sentence: each outlet it credits once, in order of mention."""
    found: dict[str, Fact] = {}
    for pattern in CREDITS:
        for match in pattern.finditer(text):
            written = match.group("name")
            value = OUTLETS.get(written) or OUTLETS.get(written.removeprefix("The ").strip()) or written
            start, end = match.span("name")
            found.setdefault(value, Fact(FactKind.SOURCE, value, written, start, end))
    return tuple(sorted(found.values(), key=lambda f: f.start))


def credited(texts: list[str]) -> list[str]:
    """The outlets a report (its sentences' texts) credits, each once, in order of first mention."""
    return list(dict.fromkeys(f.value for t in texts for f in credit_facts(t)))
