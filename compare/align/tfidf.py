"""Bag-of-words matrices for the alignment's text terms, built with numpy and scipy.sparse.

They give what scikit-learn's `TfidfVectorizer` (word, with its English stop words, or `char_wb`
n-grams; `sublinear_tf`, smooth IDF, L2 rows) and binary `CountVectorizer` give for the same
settings: the same vocabulary in the same (alphabetical) column order, the same values and the
same stored order within each row, so every dot product sums the same terms in the same order.
Importing scikit-learn costs about 2 s, most of a cold comparison's start; this module costs
only scipy.sparse. `tests/test_tfidf.py` checks it against scikit-learn on the reports.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

Sparse = Any  # a scipy.sparse CSR matrix
Analyzer = Callable[[str], list[str]]

WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
WHITE_SPACES = re.compile(r"\s\s+")

# scikit-learn's ENGLISH_STOP_WORDS (from the Glasgow Information Retrieval Group's list);
# `tests/test_tfidf.py` checks that the two are the same.
ENGLISH_STOP_WORDS = frozenset(
    """
a about above across after afterwards again against all almost alone along already also although always am
among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at back
be became because become becomes becoming been before beforehand behind being below beside besides between
beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe detail do done down
due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone everything
everywhere except few fifteen fifty fill find fire first five for former formerly forty found four from front
full further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers herself
him himself his how however hundred i ie if in inc indeed interest into is it its itself keep last latter
latterly least less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere of
off often on once one only onto or other others otherwise our ours ourselves out over own part per perhaps
please put rather re same see seem seemed seeming seems serious several she should show side since sincere six
sixty so some somehow someone something sometime sometimes somewhere still such system take ten than that the
their them themselves then thence there thereafter thereby therefore therein thereupon these they thick thin
third this those though three through throughout thru thus to together too top toward towards twelve twenty
two un under until up upon us very via was we well were what whatever when whence whenever where whereafter
whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will
with within without would yet you your yours yourself yourselves
""".split()
)


def word_tokens(text: str) -> list[str]:
    """The lower-cased words of two or more word characters of `text`, stop words left out."""
    return [w for w in WORD_TOKEN.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]


def char_wb_ngrams(text: str, low: int = 3, high: int = 5) -> list[str]:
    """The lower-cased character `low`..`high`-grams inside each white-space separated word of
    `text`, the word padded with a space on each side; a word shorter than n gives itself once."""
    grams = []
    for word in WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams += [padded[k : k + n] for k in range(max(1, len(padded) - n + 1))]
            if len(padded) <= n:  # the whole word is shorter than n: the longer grams are the same
                break
    return grams


def pattern_tokens(pattern: str) -> Analyzer:
    """An analyzer giving every match of `pattern` in a text, case kept."""
    compiled = re.compile(pattern)
    return compiled.findall


def count_matrix(texts: Iterable[str], analyze: Analyzer) -> Sparse | None:
    """res[i, t] = how often term t occurs in texts[i], float64 CSR of shape (len(texts), terms),
    columns in alphabetical term order; None when no text has a term. Within each row the
    entries are stored in the order their terms first occur in all the texts (as scikit-learn
    stores them)."""
    from scipy.sparse import csr_matrix

    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new term gets the next column
    indices: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for text in texts:
        row = Counter(analyze(text))  # terms in the order they first occur
        indices += map(vocabulary.__getitem__, row)
        counts += row.values()
        indptr.append(len(indices))
    if not vocabulary:
        return None
    matrix = csr_matrix(
        (np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
        shape=(len(indptr) - 1, len(vocabulary)),
    )
    matrix.sort_indices()  # by first occurrence; then renumber the columns alphabetically
    alphabetical = np.empty(len(vocabulary), dtype=np.int32)
    alphabetical[[vocabulary[t] for t in sorted(vocabulary)]] = np.arange(len(vocabulary), dtype=np.int32)
    matrix.indices = alphabetical[matrix.indices]
    return matrix


def tfidf_matrix(texts: Sequence[str], analyze: Analyzer) -> Sparse | None:
    """The TF-IDF rows of `texts` (float64 CSR, see `count_matrix` for the columns): term
    frequency tf -> 1 + log(tf), times idf = 1 + log((n + 1) / (df + 1)) over the n texts, each
    row scaled to unit length; None when no text has a term."""
    matrix = count_matrix(texts, analyze)
    if matrix is None:
        return None
    np.log(matrix.data, out=matrix.data)
    matrix.data += 1.0
    df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    idf = np.full_like(df, len(texts) + 1.0)
    idf /= df + 1.0
    np.log(idf, out=idf)
    idf += 1.0
    matrix.data *= idf[matrix.indices]
    scale_rows_l2(matrix)
    return matrix


def scale_rows_l2(matrix: Sparse) -> None:
    """Scale each row of a CSR `matrix` to unit length in place (zero rows stay zero). Each
    row's sum of squares is added up in stored order, one term at a time (vectorised over the
    rows), as scikit-learn's `normalize` does, so the lengths are the same to the last bit."""
    starts, lengths = matrix.indptr[:-1], np.diff(matrix.indptr)
    squares = matrix.data * matrix.data
    total = np.zeros(len(lengths), dtype=np.float64)
    longest_first = np.argsort(-lengths, kind="stable")
    longer = np.searchsorted(-lengths[longest_first], -np.arange(int(lengths.max(initial=0))), side="left")
    for k, count in enumerate(longer):  # rows longest_first[:count] have more than k entries
        rows = longest_first[:count]
        total[rows] += squares[starts[rows] + k]
    norms = np.sqrt(total)
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, lengths)
