"""Negation and status: the same words but for a negation, a denial of what the other sentence
states, "all (of the) N" against "most / some (of the) N", and a status against its opposite
("ongoing" vs "ended")."""

from __future__ import annotations

import re

from compare.facts.dates import MONTH_NAMES, WEEKDAYS
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
