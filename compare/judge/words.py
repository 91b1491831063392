"""The words around a fact that the conflict rules read: its clause (between the punctuation around
it), the content words of that clause and the names near a figure."""

from __future__ import annotations

import re

from compare.records import Fact

STOP = frozenset(
    "the a an and or of to in on at for with by from as is are was were be been being has have had it its "
    "that this these those he she they we i you his her their our who which what when where than then "
    "said says say told according also more most least about some there here into over after before "
    "up down out off all any each other another such only just now will would could may might can".split()
)
CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\b(?:while|whereas|but|and)\b")
NAME_WINDOW = 6
WORD = re.compile(r"[A-Za-z]+")


def clause_of(sentence: str, fact: Fact) -> tuple[str, str]:
    """The words of a fact's clause (between the punctuation around it) before and after it."""
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, fact.start)]
    start = breaks[-1] if breaks else 0
    after = CLAUSE_BREAK.search(sentence, fact.end)
    end = after.start() if after else len(sentence)
    return sentence[start : fact.start], sentence[fact.end : end]


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
