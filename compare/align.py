"""Align the sentences of two reports by meaning, order-free, allowing one-to-many matches.

The match score of sentence i of A and sentence j of B combines four (n, m) matrices:
- semantic: cosine similarity of *centred* embeddings. Both reports are about one event, so every
  pair shares a topic component; subtracting the mean embedding of all sentences of both reports
  leaves what is specific to each claim (raw cosine is kept for the verdicts and the CSV);
- lexical: TF-IDF cosine over both reports' sentences (scikit-learn), which rewards shared rare words;
- facts: IDF-weighted overlap of the names, numbers, dates and quote speakers two sentences state;
- context: how well the neighbouring sentences match (news keeps local order even when it reorders);
minus a penalty when one sentence attributes its content to someone the other does not name (two
people saying two things are two claims, however close the words). Long sentences are also
compared clause by clause, and the best clause match is averaged into the semantic score.
Each sentence keeps its best partner above the threshold, plus any other within
`extra_match_margin` of that best.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from compare.config import Config
from compare.records import Alignment, Fact, FactKind

Clauses = tuple[np.ndarray, np.ndarray]  # (owner sentence index per clause, clause vectors (k, d))


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """res[i, j] = cos(a[i], b[j]) for L2-normalised rows; shape (len(a), len(b)), float32."""
    return (a @ b.T).astype(np.float32)


def centred_cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """res[i, j] = cos(a[i] - mu, b[j] - mu), mu the mean of all rows of a and b; shape (n, m)."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    mu = np.concatenate([a, b]).mean(axis=0, keepdims=True)
    return cosine_matrix(unit_rows(a - mu), unit_rows(b - mu))


def unit_rows(x: np.ndarray) -> np.ndarray:
    """`x` with each row scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)


def lexical_matrix(a_texts: Sequence[str], b_texts: Sequence[str]) -> np.ndarray:
    """res[i, j] = TF-IDF cosine of a_texts[i] and b_texts[j], IDF fitted on both; shape (n, m)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not a_texts or not b_texts:
        return np.zeros((len(a_texts), len(b_texts)), dtype=np.float32)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([*a_texts, *b_texts])
    except ValueError:  # only stop words, nothing to compare
        return np.zeros((len(a_texts), len(b_texts)), dtype=np.float32)
    return (matrix[: len(a_texts)] @ matrix[len(a_texts) :].T).toarray().astype(np.float32)


def fact_keys(facts: Sequence[Fact]) -> set[str]:
    """What a sentence states, as comparable keys: `kind:value`, quotes by their speaker."""
    return {f"speaker:{f.value}" if f.kind is FactKind.QUOTE else f.label for f in facts}


def fact_overlap_matrix(a_facts: Sequence[Sequence[Fact]], b_facts: Sequence[Sequence[Fact]]) -> np.ndarray:
    """res[i, j] = IDF-weighted Jaccard overlap of the fact keys of a[i] and b[j]; shape (n, m).

    IDF is over the sentences of both reports, so a name in every sentence counts for little.
    Computed with sparse (sentence x key) matrices, so long reports cost no Python double loop.
    """
    a_keys = [fact_keys(fs) for fs in a_facts]
    b_keys = [fact_keys(fs) for fs in b_facts]
    vocab = {k: i for i, k in enumerate(dict.fromkeys(k for keys in [*a_keys, *b_keys] for k in sorted(keys)))}
    if not vocab:
        return np.zeros((len(a_keys), len(b_keys)), dtype=np.float32)
    counts = Counter(k for keys in [*a_keys, *b_keys] for k in keys)
    total = len(a_keys) + len(b_keys)
    idf = np.array([math.log((total + 1) / (counts[k] + 0.5)) for k in vocab], dtype=np.float64)
    a_in, b_in = incidence(a_keys, vocab), incidence(b_keys, vocab)
    shared = (a_in.multiply(idf) @ b_in.T).toarray()
    union = (a_in @ idf)[:, None] + (b_in @ idf)[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0).astype(np.float32)


def incidence(sets: Sequence[set[str]], vocab: dict[str, int]):  # noqa: ANN201 - a scipy CSR matrix
    """Sparse 0/1 matrix, res[i, vocab[k]] = 1 when k is in sets[i]; shape (len(sets), len(vocab))."""
    from scipy.sparse import csr_matrix

    rows = [i for i, keys in enumerate(sets) for _ in keys]
    cols = [vocab[k] for keys in sets for k in keys]
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), len(vocab)))


def attribution_mismatch_matrix(a_facts: Sequence[Sequence[Fact]], b_facts: Sequence[Sequence[Fact]]) -> np.ndarray:
    """res[i, j] = 1 where one sentence attributes its content to someone (a quote's speaker, or the
    subject of "X said ...") whom the other sentence neither quotes nor names; else 0.

    Two people saying two things are two claims, however close the words.
    """
    a_said, b_said = [speakers(fs) for fs in a_facts], [speakers(fs) for fs in b_facts]
    a_named, b_named = [named(fs) for fs in a_facts], [named(fs) for fs in b_facts]
    vocab = {k: i for i, k in enumerate(dict.fromkeys(k for keys in [*a_named, *b_named] for k in sorted(keys)))}
    n, m = len(a_said), len(b_said)
    if not vocab:
        return np.zeros((n, m), dtype=np.float32)
    a_hits = (incidence(a_said, vocab) @ incidence(b_named, vocab).T).toarray() > 0
    b_hits = (incidence(a_named, vocab) @ incidence(b_said, vocab).T).toarray() > 0
    a_says = np.array([bool(x) for x in a_said], dtype=bool)[:, None]
    b_says = np.array([bool(x) for x in b_said], dtype=bool)[None, :]
    return ((a_says & ~a_hits) | (b_says & ~b_hits)).astype(np.float32)


def speakers(facts: Sequence[Fact]) -> set[str]:
    """Whom a sentence attributes its content to: quote speakers and `attributed` people."""
    return {f.value for f in facts if f.kind is FactKind.QUOTE or (f.kind is FactKind.PERSON and f.attributed)}


def named(facts: Sequence[Fact]) -> set[str]:
    """Every person, organisation and quote speaker a sentence names."""
    return {f.value for f in facts if f.kind in (FactKind.QUOTE, FactKind.PERSON, FactKind.ORG)}


def clause_similarity_matrix(a_clauses: Clauses, b_clauses: Clauses, n: int, m: int) -> np.ndarray:
    """res[i, j] = the best centred cosine between a clause of A's sentence i and a clause of B's
    sentence j; shape (n, m). `Clauses` is (owner sentence index per clause, clause vectors)."""
    (a_owner, a_vectors), (b_owner, b_vectors) = a_clauses, b_clauses
    sim = centred_cosine_matrix(a_vectors, b_vectors)
    rows = np.full((n, sim.shape[1]), -1.0, dtype=np.float32)
    np.maximum.at(rows, a_owner, sim)
    res = np.full((n, m), -1.0, dtype=np.float32)
    np.maximum.at(res.T, b_owner, rows.T)
    return res


def context_matrix(sim: np.ndarray) -> np.ndarray:
    """res[i, j] = mean of sim[i-1, j-1] and sim[i+1, j+1] (0 beyond the edges); shape of `sim`."""
    padded = np.pad(sim, 1)
    return ((padded[:-2, :-2] + padded[2:, 2:]) / 2).astype(np.float32)


def match_scores(
    semantic: np.ndarray,
    lexical: np.ndarray,
    facts: np.ndarray,
    mismatch: np.ndarray,
    config: Config,
) -> np.ndarray:
    """res[i, j] = the combined match score of a[i] and b[j]; shape (n, m). `semantic` is the
    centred cosine (averaged with the best clause match when clauses are known)."""
    return (
        config.weight_semantic * semantic
        + config.weight_lexical * lexical
        + config.weight_facts * facts
        + config.weight_context * context_matrix(semantic)
        - config.attribution_penalty * mismatch
    ).astype(np.float32)


def select_pairs(scores: np.ndarray, threshold: float, margin: float) -> list[tuple[int, int]]:
    """(i, j) pairs, sorted, where scores[i, j] >= threshold and is within `margin` of the best
    score of row i or of column j (so each sentence keeps its best partner and near-ties)."""
    if scores.size == 0:
        return []
    row_best = scores.max(axis=1, keepdims=True)
    col_best = scores.max(axis=0, keepdims=True)
    near = (scores >= row_best - margin) | (scores >= col_best - margin)
    keep = (scores >= threshold) & near
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(keep), strict=True)]


def select_pairs_bruteforce(scores: np.ndarray, threshold: float, margin: float) -> list[tuple[int, int]]:
    """Reference version of `select_pairs` with plain loops, for tests."""
    n, m = scores.shape
    pairs = []
    for i in range(n):
        for j in range(m):
            best_row = max(scores[i, k] for k in range(m))
            best_col = max(scores[k, j] for k in range(n))
            near = scores[i, j] >= best_row - margin or scores[i, j] >= best_col - margin
            if scores[i, j] >= threshold and near:
                pairs.append((i, j))
    return pairs


def align(
    a_vectors: np.ndarray,
    b_vectors: np.ndarray,
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    a_facts: Sequence[Sequence[Fact]],
    b_facts: Sequence[Sequence[Fact]],
    config: Config,
    clauses: tuple[Clauses, Clauses] | None = None,
) -> list[Alignment]:
    """Alignment rows: every selected pair, then each unpaired A sentence (b=None) and B sentence
    (a=None). Every sentence of both reports is in at least one row. `clauses` holds each side's
    clause vectors (see `clause_similarity_matrix`); without it, whole sentences are compared."""
    semantic = centred_cosine_matrix(a_vectors, b_vectors)
    if clauses is not None and len(a_texts) and len(b_texts):
        semantic = (semantic + clause_similarity_matrix(*clauses, len(a_texts), len(b_texts))) / 2
    scores = match_scores(
        semantic,
        lexical_matrix(a_texts, b_texts),
        fact_overlap_matrix(a_facts, b_facts),
        attribution_mismatch_matrix(a_facts, b_facts),
        config,
    )
    pairs = select_pairs(scores, config.threshold, config.extra_match_margin)
    return rows_from_pairs(pairs, cosine_matrix(a_vectors, b_vectors), scores)


def rows_from_pairs(pairs: list[tuple[int, int]], similarity: np.ndarray, scores: np.ndarray) -> list[Alignment]:
    """Alignment rows for `pairs` plus one one-sided row per sentence left unpaired."""
    n, m = similarity.shape
    rows = [Alignment(i, j, round(float(similarity[i, j]), 6), round(float(scores[i, j]), 6)) for i, j in pairs]
    paired_a = {i for i, _ in pairs}
    paired_b = {j for _, j in pairs}
    rows += [Alignment(i, None, None) for i in range(n) if i not in paired_a]
    rows += [Alignment(None, j, None) for j in range(m) if j not in paired_b]
    return rows
