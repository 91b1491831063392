"""Copied or reworded: whether two aligned sentences share wire copy word for word.

Two sentences are `copied` when, after folding case, quotation marks, dashes and white space, they
share a run of at least `MIN_RUN` words in the same order, or a run of at least `MIN_SHARE` of the
shorter sentence's words (a short sentence taken whole, when it has at least `MIN_WORDS`: "He said
so." twice is no sign of shared copy); otherwise `reworded`. Reports that run the same wire story
share many such sentences: they are one source, not two. On the dev pairs, the share of A's
sentences with a copied partner is 0.72 and 0.55 for the two pairs that both run AP copy (d05, d13),
0.21-0.28 for d04, d12, d19, and 0.01 and 0 for d06 and d08.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from compare.records import Comparison

MIN_RUN = 8  # words in a row
MIN_SHARE = 0.8  # of the shorter sentence's words
MIN_WORDS = 4  # the shorter sentence's words, for MIN_SHARE to count
WIRE_COPY = 0.5  # share of a report's sentences copied in the other: they share wire copy
SOME_COPY = 0.2  # share worth saying
COPIED, REWORDED = "copied", "reworded"
FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                      "\u2212": "-", "\u00a0": " "})
WORD = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of `text`, folded: lower case, curly quotes and dashes made plain."""
    return WORD.findall(text.translate(FOLD).lower())


def longest_run(a: list[str], b: list[str]) -> int:
    """The length, in words, of the longest run `a` and `b` share in the same order."""
    if not a or not b:
        return 0
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


@lru_cache(maxsize=1 << 16)  # one row is asked again by its CSV row, the copy line, and every claim holding it
def is_copied(a_text: str, b_text: str) -> bool:
    """True when the two sentences share wire copy: a run of `MIN_RUN` words, or `MIN_SHARE` of the shorter."""
    a, b = words(a_text), words(b_text)
    run = longest_run(a, b)
    shorter = min(len(a), len(b))
    return run >= MIN_RUN or (shorter >= MIN_WORDS and run >= MIN_SHARE * shorter)


def wording(a_text: str, b_text: str) -> str:
    """`copied` or `reworded` (`is_copied`)."""
    return COPIED if is_copied(a_text, b_text) else REWORDED


def copied_rows(comparison: Comparison) -> list[tuple[int, int]]:
    """The aligned (a, b) pairs of `comparison` whose sentences are copied."""
    a, b = comparison.a_sentences, comparison.b_sentences
    pairs = [(v.alignment.a, v.alignment.b) for v in comparison.verdicts]
    return [(i, j) for i, j in pairs if i is not None and j is not None and is_copied(a[i].text, b[j].text)]


def shared_copy(comparison: Comparison) -> tuple[float, float]:
    """(share of A's sentences with a copied partner in B, share of B's with one in A), 0..1."""
    rows = copied_rows(comparison)
    n_a, n_b = len(comparison.a_sentences), len(comparison.b_sentences)
    return (len({a for a, _ in rows}) / n_a if n_a else 0.0, len({b for _, b in rows}) / n_b if n_b else 0.0)
