"""The terms the alignment is judged on, for any (A sentence, B sentence) pair, as numpy kernels.

- cosine of *centred* embeddings: both reports are about one event, so every pair shares a topic
  component; subtracting the mean embedding of all sentences of both reports leaves what is
  specific to each claim (raw cosine is kept for the verdicts and the CSV);
- the best clause-to-clause centred cosine (the references often pair one clause of a long sentence);
- TF-IDF word cosine and character n-gram cosine over both reports' sentences (`compare.align.tfidf`);
- the IDF-weighted overlap of the names, numbers, dates and quote speakers two sentences state;
- attribution mismatch: one sentence attributes its content to someone the other does not name;
- context: how well the neighbouring sentences match (news keeps local order even when it reorders);
- the figures and capitalised words both write.
Everything is prepared once per report pair (`TextParts`, `Features`: vectors and sparse matrices,
linear in the report lengths) and computed a block of A's rows at a time, so nothing n x m is
kept; the dense `*_matrix` functions are the same code run on one block of all rows, for tests.
`compare.align.match` combines the terms with the model learned from the references.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from compare.align.tfidf import char_wb_ngrams, count_matrix, pattern_tokens, tfidf_matrix, word_tokens
from compare.records import Fact, FactKind

Clauses = tuple[np.ndarray, np.ndarray]  # (owner sentence index per clause, ascending; clause vectors (k, d))
Sparse = Any  # a scipy.sparse CSR matrix (scipy is imported only when the lexical or fact terms are built)



def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """res[i, j] = cos(a[i], b[j]) for L2-normalised rows; shape (len(a), len(b)), float32."""
    return (a @ b.T).astype(np.float32)


def pair_cosines(a: np.ndarray, b: np.ndarray, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """cos(a[i], b[j]) for each (i, j) in `pairs` (L2-normalised rows); shape (len(pairs),), float32."""
    if not pairs:
        return np.zeros(0, dtype=np.float32)
    rows, cols = np.asarray(pairs).T
    return np.einsum("kd,kd->k", a[rows], b[cols]).astype(np.float32)


def centred_units(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(a - mu, b - mu) with rows scaled to unit length, mu the mean of all rows of a and b."""
    if len(a) == 0 or len(b) == 0:
        return a.astype(np.float32), b.astype(np.float32)
    mu = np.concatenate([a, b]).mean(axis=0, keepdims=True)
    return unit_rows(a - mu).astype(np.float32), unit_rows(b - mu).astype(np.float32)


def centred_cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """res[i, j] = cos(a[i] - mu, b[j] - mu), mu the mean of all rows of a and b; shape (n, m)."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    return cosine_matrix(*centred_units(a, b))


def unit_rows(x: np.ndarray) -> np.ndarray:
    """`x` with each row scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)


# -- lexical ---------------------------------------------------------------------------------------


def lexical_parts(a_texts: Sequence[str], b_texts: Sequence[str]) -> tuple[Sparse, Sparse] | None:
    """(A's TF-IDF rows, B's TF-IDF rows transposed), IDF fitted on both; None when there is
    nothing to compare (an empty side, or only stop words)."""
    if not a_texts or not b_texts:
        return None
    matrix = tfidf_matrix([*a_texts, *b_texts], word_tokens)
    if matrix is None:  # only stop words, nothing to compare
        return None
    return matrix[: len(a_texts)], matrix[len(a_texts) :].T.tocsr()


def lexical_rows(parts: tuple[Sparse, Sparse] | None, lo: int, hi: int, m: int) -> np.ndarray:
    """Rows lo..hi of the lexical matrix (see `lexical_matrix`); shape (hi - lo, m), float32."""
    if parts is None:
        return np.zeros((hi - lo, m), dtype=np.float32)
    a, b_t = parts
    return (a[lo:hi] @ b_t).toarray().astype(np.float32)


def lexical_matrix(a_texts: Sequence[str], b_texts: Sequence[str]) -> np.ndarray:
    """res[i, j] = TF-IDF cosine of a_texts[i] and b_texts[j], IDF fitted on both; shape (n, m)."""
    return lexical_rows(lexical_parts(a_texts, b_texts), 0, len(a_texts), len(b_texts))


# -- facts -----------------------------------------------------------------------------------------


def fact_keys(facts: Sequence[Fact]) -> set[str]:
    """What a sentence states, as comparable keys (`Fact.key`: quotes by their speaker)."""
    return {f.key for f in facts}


@dataclass(frozen=True, slots=True)
class FactParts:
    """Sparse sentence x key matrices for the fact overlap: A's rows weighted by IDF, B's 0/1
    rows transposed, and each sentence's total IDF weight."""

    a_weighted: Sparse
    b_incidence_t: Sparse
    a_weight: np.ndarray
    b_weight: np.ndarray


def fact_parts(a_facts: Sequence[Sequence[Fact]], b_facts: Sequence[Sequence[Fact]]) -> FactParts | None:
    """What `fact_overlap_rows` needs; None when no sentence states a fact.

    IDF is over the sentences of both reports, so a name in every sentence counts for little.
    """
    a_keys = [fact_keys(fs) for fs in a_facts]
    b_keys = [fact_keys(fs) for fs in b_facts]
    vocab = key_vocabulary([*a_keys, *b_keys])
    if not vocab:
        return None
    counts = Counter(k for keys in [*a_keys, *b_keys] for k in keys)
    total = len(a_keys) + len(b_keys)
    idf = np.array([math.log((total + 1) / (counts[k] + 0.5)) for k in vocab], dtype=np.float64)
    a_in, b_in = incidence(a_keys, vocab), incidence(b_keys, vocab)
    return FactParts(a_in.multiply(idf).tocsr(), b_in.T.tocsr(), a_in @ idf, b_in @ idf)


def fact_overlap_rows(parts: FactParts | None, lo: int, hi: int, m: int) -> np.ndarray:
    """Rows lo..hi of the fact overlap matrix (see `fact_overlap_matrix`); shape (hi - lo, m)."""
    if parts is None:
        return np.zeros((hi - lo, m), dtype=np.float32)
    shared = (parts.a_weighted[lo:hi] @ parts.b_incidence_t).toarray()
    union = parts.a_weight[lo:hi, None] + parts.b_weight[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0).astype(np.float32)


def fact_overlap_matrix(a_facts: Sequence[Sequence[Fact]], b_facts: Sequence[Sequence[Fact]]) -> np.ndarray:
    """res[i, j] = IDF-weighted Jaccard overlap of the fact keys of a[i] and b[j]; shape (n, m).
    Computed with sparse (sentence x key) matrices, so long reports cost no Python double loop."""
    return fact_overlap_rows(fact_parts(a_facts, b_facts), 0, len(a_facts), len(b_facts))


def key_vocabulary(sets: Sequence[set[str]]) -> dict[str, int]:
    """Column index of every key in `sets`, in first-seen (sorted within a set) order."""
    return {k: i for i, k in enumerate(dict.fromkeys(k for keys in sets for k in sorted(keys)))}


def incidence(sets: Sequence[set[str]], vocab: dict[str, int]) -> Sparse:
    """Sparse 0/1 matrix, res[i, vocab[k]] = 1 when k is in sets[i]; shape (len(sets), len(vocab))."""
    from scipy.sparse import csr_matrix

    rows = [i for i, keys in enumerate(sets) for _ in keys]
    cols = [vocab[k] for keys in sets for k in keys]
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), len(vocab)))


# -- attribution -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttributionParts:
    """Sparse sentence x name matrices: whom each sentence attributes its content to (`said`)
    and whom it names; B's transposed. `*_says` flags sentences that attribute at all."""

    a_said: Sparse
    a_named: Sparse
    b_said_t: Sparse
    b_named_t: Sparse
    a_says: np.ndarray
    b_says: np.ndarray


def attribution_parts(a_facts: Sequence[Sequence[Fact]], b_facts: Sequence[Sequence[Fact]]) -> AttributionParts | None:
    """What `attribution_mismatch_rows` needs; None when no sentence names anybody."""
    a_said, b_said = [speakers(fs) for fs in a_facts], [speakers(fs) for fs in b_facts]
    a_named, b_named = [named(fs) for fs in a_facts], [named(fs) for fs in b_facts]
    vocab = key_vocabulary([*a_named, *b_named])
    if not vocab:
        return None
    return AttributionParts(
        incidence(a_said, vocab),
        incidence(a_named, vocab),
        incidence(b_said, vocab).T.tocsr(),
        incidence(b_named, vocab).T.tocsr(),
        np.array([bool(x) for x in a_said], dtype=bool),
        np.array([bool(x) for x in b_said], dtype=bool),
    )


def attribution_mismatch_rows(parts: AttributionParts | None, lo: int, hi: int, m: int) -> np.ndarray:
    """Rows lo..hi of the attribution mismatch matrix; shape (hi - lo, m), float32 0/1."""
    if parts is None:
        return np.zeros((hi - lo, m), dtype=np.float32)
    a_hits = (parts.a_said[lo:hi] @ parts.b_named_t).toarray() > 0
    b_hits = (parts.a_named[lo:hi] @ parts.b_said_t).toarray() > 0
    a_says, b_says = parts.a_says[lo:hi, None], parts.b_says[None, :]
    return ((a_says & ~a_hits) | (b_says & ~b_hits)).astype(np.float32)


def attribution_mismatch_matrix(a_facts: Sequence[Sequence[Fact]], b_facts: Sequence[Sequence[Fact]]) -> np.ndarray:
    """res[i, j] = 1 where one sentence attributes its content to someone (a quote's speaker, or the
    subject of "X said ...") whom the other sentence neither quotes nor names; else 0.

    Two people saying two things are two claims, however close the words.
    """
    return attribution_mismatch_rows(attribution_parts(a_facts, b_facts), 0, len(a_facts), len(b_facts))


def speakers(facts: Sequence[Fact]) -> set[str]:
    """Whom a sentence attributes its content to: quote speakers and `attributed` people."""
    return {f.value for f in facts if f.kind is FactKind.QUOTE or (f.kind is FactKind.PERSON and f.attributed)}


def named(facts: Sequence[Fact]) -> set[str]:
    """Every person, organisation and quote speaker a sentence names."""
    return {f.value for f in facts if f.kind in (FactKind.QUOTE, FactKind.PERSON, FactKind.ORG)}


# -- clauses ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClauseParts:
    """Both sides' clause vectors, centred together and unit length, ordered by owner sentence;
    `*_bounds[i]` is the first clause of sentence i (`*_bounds[n]` the clause count)."""

    a_vectors: np.ndarray
    b_vectors: np.ndarray
    a_bounds: np.ndarray
    b_bounds: np.ndarray


def clause_parts(a_clauses: Clauses, b_clauses: Clauses, n: int, m: int) -> ClauseParts:
    """What `clause_similarity_rows` needs, for n A sentences and m B sentences."""
    (a_owner, a_vectors), (b_owner, b_vectors) = a_clauses, b_clauses
    a_order, b_order = np.argsort(a_owner, kind="stable"), np.argsort(b_owner, kind="stable")
    a_centred, b_centred = centred_units(a_vectors[a_order], b_vectors[b_order])
    return ClauseParts(
        a_centred,
        b_centred,
        np.searchsorted(a_owner[a_order], np.arange(n + 1)),
        np.searchsorted(b_owner[b_order], np.arange(m + 1)),
    )


def group_max(x: np.ndarray, bounds: np.ndarray, axis: int) -> np.ndarray:
    """Max of `x` along `axis` over each group [bounds[g], bounds[g + 1]); -1 for empty groups."""
    starts, ends = bounds[:-1], bounds[1:]
    filled = starts < ends
    shape = list(x.shape)
    shape[axis] = len(starts)
    res = np.full(shape, -1.0, dtype=np.float32)
    if filled.any():
        reduced = np.maximum.reduceat(x, starts[filled], axis=axis)
        if axis == 0:
            res[filled] = reduced
        else:
            res[:, filled] = reduced
    return res


def clause_similarity_rows(parts: ClauseParts, lo: int, hi: int) -> np.ndarray:
    """Rows lo..hi of the clause similarity matrix (see `clause_similarity_matrix`)."""
    r0, r1 = parts.a_bounds[lo], parts.a_bounds[hi]
    sim = parts.a_vectors[r0:r1] @ parts.b_vectors.T
    rows = group_max(sim, parts.a_bounds[lo : hi + 1] - r0, axis=0)
    return group_max(rows, parts.b_bounds, axis=1)


def clause_similarity_matrix(a_clauses: Clauses, b_clauses: Clauses, n: int, m: int) -> np.ndarray:
    """res[i, j] = the best centred cosine between a clause of A's sentence i and a clause of B's
    sentence j (-1 when either has no clause); shape (n, m). `Clauses` is (owner sentence index
    per clause, clause vectors)."""
    return clause_similarity_rows(clause_parts(a_clauses, b_clauses, n, m), 0, n)


# -- the score, a block of rows at a time ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextParts:
    """The terms of the match score that come from the texts and facts alone (no vectors): they
    can be built apart from the embedding, and once for any number of re-alignments."""

    lexical: tuple[Sparse, Sparse] | None
    facts: FactParts | None
    attribution: AttributionParts | None
    a_words: np.ndarray  # (n,) words per sentence
    b_words: np.ndarray  # (m,)
    chars: tuple[Sparse, Sparse] | None = None  # character n-gram TF-IDF rows of A and of B
    numbers: tuple[Sparse, Sparse] | None = None  # 0/1 rows: which figures (digits) each sentence writes
    capitals: tuple[Sparse, Sparse] | None = None  # 0/1 rows: which capitalised words each sentence has


def text_parts(
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    a_facts: Sequence[Sequence[Fact]],
    b_facts: Sequence[Sequence[Fact]],
    words: TextParts | None = None,
) -> TextParts:
    """The `TextParts` of two reports' sentences and their facts; `words` is `word_parts` of the
    same texts when the caller has built it already (the pipeline does, while spaCy reads)."""
    words = words if words is not None else word_parts(a_texts, b_texts)
    return replace(words, facts=fact_parts(a_facts, b_facts), attribution=attribution_parts(a_facts, b_facts))


def word_parts(a_texts: Sequence[str], b_texts: Sequence[str]) -> TextParts:
    """The `TextParts` terms that come from the texts alone (`facts` and `attribution` None)."""
    return TextParts(
        lexical_parts(a_texts, b_texts),
        None,
        None,
        word_counts(a_texts),
        word_counts(b_texts),
        char_parts(a_texts, b_texts),
        token_parts(a_texts, b_texts, NUMBER_TOKEN),
        token_parts(a_texts, b_texts, CAPITAL_TOKEN),
    )


NUMBER_TOKEN = r"\d(?:[\d,.]*\d)?"  # "8,374", "1.2", "19"
CAPITAL_TOKEN = r"\b[A-Z][a-z]+\b"  # "Yarnell", "Prescott", "Sunday"


def char_parts(a_texts: Sequence[str], b_texts: Sequence[str]) -> tuple[Sparse, Sparse] | None:
    """(A's rows, B's rows) of a character 3-5-gram TF-IDF over both reports' sentences (it sees
    "killed" and "killing" as alike); None when a side is empty."""
    if not a_texts or not b_texts:
        return None
    matrix = tfidf_matrix([*a_texts, *b_texts], char_wb_ngrams)
    if matrix is None:  # no characters to compare
        return None
    return matrix[: len(a_texts)], matrix[len(a_texts) :]


def token_parts(a_texts: Sequence[str], b_texts: Sequence[str], pattern: str) -> tuple[Sparse, Sparse] | None:
    """(A's rows, B's rows) of 0/1 incidence of the tokens matching `pattern` (case kept); None
    when no sentence has one."""
    if not a_texts or not b_texts:
        return None
    matrix = count_matrix([*a_texts, *b_texts], pattern_tokens(pattern))
    if matrix is None:  # no such token anywhere
        return None
    matrix.data.fill(1)
    matrix = matrix.astype(np.float32)
    return matrix[: len(a_texts)], matrix[len(a_texts) :]


def pair_dots(parts: tuple[Sparse, Sparse] | None, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """res[k] = A[rows[k]] . B[cols[k]] for sparse row matrices (A, B); zeros when `parts` is None.
    Computed `PAIR_CHUNK` pairs at a time, so memory stays small for any number of pairs."""
    res = np.zeros(len(rows), dtype=np.float32)
    if parts is None:
        return res
    a, b = parts
    for lo in range(0, len(rows), PAIR_CHUNK):
        r, c = rows[lo : lo + PAIR_CHUNK], cols[lo : lo + PAIR_CHUNK]
        res[lo : lo + len(r)] = np.asarray(a[r].multiply(b[c]).sum(axis=1), dtype=np.float32).ravel()
    return res


PAIR_CHUNK = 512


def word_counts(texts: Sequence[str]) -> np.ndarray:
    """Number of white-space separated words of each text; shape (len(texts),), float32."""
    return np.array([len(t.split()) for t in texts], dtype=np.float32)


@dataclass(frozen=True, slots=True)
class Features:
    """Everything the match score of any (A sentence, B sentence) pair is computed from; each
    piece is linear in the report lengths."""

    a_vectors: np.ndarray  # (n, d) L2-normalised sentence vectors
    b_vectors: np.ndarray  # (m, d)
    a_centred: np.ndarray  # the same, centred on both reports' mean and unit length again
    b_centred: np.ndarray
    clauses: ClauseParts | None
    text: TextParts

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.a_centred), len(self.b_centred)


def features(
    a_vectors: np.ndarray, b_vectors: np.ndarray, text: TextParts, clauses: tuple[Clauses, Clauses] | None = None
) -> Features:
    """The `Features` of two reports: their sentence vectors (L2-normalised), text parts and,
    optionally, clause vectors."""
    n, m = len(a_vectors), len(b_vectors)
    a_centred, b_centred = centred_units(a_vectors, b_vectors)
    clause = clause_parts(*clauses, n, m) if clauses is not None and n and m else None
    return Features(a_vectors, b_vectors, a_centred, b_centred, clause, text)


def context_rows(sim: np.ndarray, first: bool, last: bool) -> np.ndarray:
    """Context of the rows of `sim` between its first and last row, which are the neighbours
    (drop `first`/`last` when the block starts/ends the report: zeros stand in). res[i, j] is
    the mean of sim[i-1, j-1] and sim[i+1, j+1] (0 beyond the edges)."""
    padded = np.pad(sim, ((int(first), int(last)), (1, 1)))
    return ((padded[:-2, :-2] + padded[2:, 2:]) / 2).astype(np.float32)


def context_matrix(sim: np.ndarray) -> np.ndarray:
    """res[i, j] = mean of sim[i-1, j-1] and sim[i+1, j+1] (0 beyond the edges); shape of `sim`."""
    return context_rows(sim, first=True, last=True)
