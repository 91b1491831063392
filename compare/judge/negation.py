"""Negation and status: the same words but for a negation, "all (of the) N" against "most / some
(of the) N", and a status against its opposite ("ongoing" vs "ended"); the names two sentences
share."""

from __future__ import annotations

import re

from compare.judge.words import STOP, WORD
from compare.records import Conflict, ConflictKind

NEGATION = re.compile(
    r"\b(?:not|never|no(?!\.\s*\d)(?!-)|none|nobody|nothing|neither|nor|cannot|without)\b|n't\b", re.IGNORECASE
)
NEGATION_OVERLAP = 0.8  # word overlap (negations left out) that makes two sentences "the same words"
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
