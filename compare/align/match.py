"""Which sentence pairs to align: candidates by meaning, then a model learned from the references.

Two reports of one event share a topic, so how similar a pair is says less than how much it stands
out from each sentence's other candidates. Every feature is the same when A and B swap, so the
alignment mirrors. Alignment therefore runs in two passes over blocks of
A's rows (nothing n x m is kept):
1. `neighbourhood`: the semantic term (centred cosine averaged with the best clause match) of every
   pair, reduced to each sentence's best `CANDIDATES` partners and their values;
2. `candidate_features`: for those candidate pairs only (at most `CANDIDATES` x (n + m)), the
   features in `FEATURES`: the terms of `compare.align.candidates`, and where the pair stands in its row and
   its column (gap to the best other partner, CSLS, rank, mutual best).
A logistic regression (`MatchModel`, fitted across every reference pair by `compare.quality.learn` and
shipped as `compare/models/match.json`) turns the features into the probability that the two
sentences state the same claim; `select_pairs` keeps pairs above a threshold, each sentence at
most `max_partners` of them, best first. Repeated identical sentences cannot multiply rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from compare.align.candidates import (
    Features,
    TextParts,
    attribution_mismatch_rows,
    clause_similarity_rows,
    context_rows,
    cosine_matrix,
    fact_overlap_rows,
    features,
    lexical_rows,
    pair_cosines,
    pair_dots,
    text_parts,
)
from compare.config import Config
from compare.linear import LinearModel, linear_from_json
from compare.records import Alignment, Side
from compare.versions import active_file

BLOCK_CELLS = 1 << 20  # cells of one block of rows: each float32 (rows, m) term is 4 MB at most
CANDIDATES = 8  # each sentence's best partners by meaning that are scored by the model
CSLS_K = 3  # neighbours whose mean similarity is a sentence's "hubness" in CSLS
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "match.json"
FEATURES = (
    "cosine",  # raw cosine of the sentence embeddings
    "centred",  # cosine after subtracting both reports' mean embedding
    "clause",  # best centred cosine between a clause of each
    "lexical",  # TF-IDF cosine
    "facts",  # IDF-weighted overlap of names, numbers, dates, speakers
    "attribution",  # 1 when one attributes its content to someone the other does not name
    "context",  # semantic term of the neighbouring sentences
    "gap_high",  # semantic term minus the best other partner, of the sentence where it stands out more
    "gap_low",  # likewise, of the sentence where it stands out less
    "csls",  # 2 x semantic minus both sentences' mean similarity to their nearest neighbours
    "rank_best",  # the better of the two ranks (each sentence's candidates; 0 best, CANDIDATES if absent)
    "rank_worst",  # the worse of the two
    "mutual",  # 1 when each is the other's best
    "short_words",  # log words of the shorter sentence
    "length_ratio",  # log(longer / shorter) in words
    "chars",  # character 3-5-gram TF-IDF cosine
    "numbers",  # figures written the same way in both
    "capitals",  # capitalised words both have (names, places, days)
)


MatchModel = LinearModel  # the match model is a logistic regression over `FEATURES`


def model_from_json(data: dict) -> MatchModel:
    """The `MatchModel` of `to_json` output; raises ValueError when it does not fit `FEATURES`."""
    return linear_from_json(data, FEATURES, "python -m compare.quality.learn")


def configured_model(config: Config) -> MatchModel:
    """The match model `config.match_model` names; when empty, the model version in use
    (`compare.versions`: a reviewer's refit), else the shipped one."""
    return load_model(Path(config.match_model) if config.match_model else active_file("match.json") or MODEL_PATH)


def match_threshold(config: Config, model: MatchModel | None = None) -> float:
    """The probability a pair needs to be aligned under `config`: its `threshold` when set, else
    the threshold fitted with the match model (one source: the model file)."""
    if config.threshold is not None:
        return config.threshold
    return (model or configured_model(config)).threshold


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> MatchModel:
    """The shipped match model (read at first use, JSON: nothing in it can run code)."""
    return model_from_json(json.loads(path.read_text(encoding="utf-8")))
COLUMN = {name: k for k, name in enumerate(FEATURES)}  # a feature's column in the candidate matrix


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """Each sentence's best `CANDIDATES` partners by the semantic term: values (descending, padded
    with -inf) and indices (padded with -1); A's rows (n, K), B's columns (m, K)."""

    row_top: np.ndarray
    row_idx: np.ndarray
    col_top: np.ndarray
    col_idx: np.ndarray


def semantic_terms(f: Features, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """(centred cosine, best clause cosine) of rows lo..hi against all of B; each (hi - lo, m).
    Without clauses the clause term is the centred cosine."""
    centred = cosine_matrix(f.a_centred[lo:hi], f.b_centred)
    if f.clauses is None:
        return centred, centred
    return centred, clause_similarity_rows(f.clauses, lo, hi)


def semantic_block(f: Features, lo: int, hi: int) -> np.ndarray:
    """The semantic term of rows lo..hi: mean of the centred and the clause cosine; (hi - lo, m)."""
    centred, clause = semantic_terms(f, lo, hi)
    return (centred + clause) / 2


def top_k(values: np.ndarray, k: int, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """The k largest entries along `axis` (descending; ties by position) and their indices,
    padded with -inf / -1 when the axis is shorter than k."""
    x = values if axis == 1 else values.T
    rows, width = x.shape
    take = min(k, width)
    idx = np.argsort(-x, axis=1, kind="stable")[:, :take].copy()  # a copy: a view would keep the whole sort
    top = np.take_along_axis(x, idx, axis=1)
    if take < k:
        top = np.pad(top, ((0, 0), (0, k - take)), constant_values=-np.inf)
        idx = np.pad(idx, ((0, 0), (0, k - take)), constant_values=-1)
    return top.astype(np.float32), idx


def block_step(f: Features) -> int:
    """Rows of A per block, so a block holds about `BLOCK_CELLS` cells."""
    return max(1, BLOCK_CELLS // max(f.shape[1], 1))


def neighbourhood(f: Features, block_rows: int | None = None) -> Neighbourhood:
    """Pass 1: every sentence's best partners by the semantic term, a block of rows at a time."""
    n, m = f.shape
    step = block_rows or block_step(f)
    row_top, row_idx = [], []
    col_top = np.full((m, CANDIDATES), -np.inf, dtype=np.float32)
    col_idx = np.full((m, CANDIDATES), -1, dtype=np.int64)
    for lo in range(0, n, step):
        sem = semantic_block(f, lo, min(lo + step, n))
        top, idx = top_k(sem, CANDIDATES, axis=1)
        row_top.append(top)
        row_idx.append(idx)
        block_top, block_idx = top_k(sem, CANDIDATES, axis=0)
        merged_top = np.concatenate([col_top, block_top], axis=1)
        merged_idx = np.concatenate([col_idx, np.where(block_idx >= 0, block_idx + lo, -1)], axis=1)
        order = np.argsort(-merged_top, axis=1, kind="stable")[:, :CANDIDATES]
        col_top = np.take_along_axis(merged_top, order, axis=1)
        col_idx = np.take_along_axis(merged_idx, order, axis=1)
    return Neighbourhood(np.vstack(row_top), np.vstack(row_idx), col_top, col_idx)


def candidate_pairs(nb: Neighbourhood) -> np.ndarray:
    """(i, j) of every pair where one is among the other's candidates, sorted; shape (k, 2)."""
    n, m = len(nb.row_idx), len(nb.col_idx)
    rows = [(i, j) for i in range(n) for j in nb.row_idx[i] if j >= 0]
    rows += [(i, j) for j in range(m) for i in nb.col_idx[j] if i >= 0]
    if not rows:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.asarray(rows, dtype=np.int64), axis=0)


def rank_in(idx: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Position of target[k] in idx[k] (each row a candidate list), CANDIDATES when absent."""
    hits = idx == target[:, None]
    return np.where(hits.any(axis=1), hits.argmax(axis=1), CANDIDATES)


def hubness(top: np.ndarray) -> np.ndarray:
    """Mean of each sentence's best `CSLS_K` similarities (fewer when it has fewer partners)."""
    x = top[:, :CSLS_K]
    valid = np.isfinite(x)
    return np.where(valid, x, 0).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)


def candidate_features(
    f: Features, nb: Neighbourhood, pairs: np.ndarray, block_rows: int | None = None
) -> np.ndarray:
    """Pass 2: the `FEATURES` of each candidate pair; shape (len(pairs), len(FEATURES)), float32,
    each written to its column by name (`COLUMN`), so the order of `FEATURES` is the one source."""
    n, m = f.shape
    out = np.zeros((len(pairs), len(FEATURES)), dtype=np.float32)
    if len(pairs) == 0:
        return out
    i, j = pairs[:, 0], pairs[:, 1]
    step = block_rows or block_step(f)
    for lo in range(0, n, step):
        hi = min(lo + step, n)
        sel = np.nonzero((i >= lo) & (i < hi))[0]
        if len(sel) == 0:
            continue
        wide_lo, wide_hi = max(lo - 1, 0), min(hi + 1, n)
        centred, clause = semantic_terms(f, wide_lo, wide_hi)
        wide = (centred + clause) / 2
        r, c, w = i[sel] - lo, j[sel], i[sel] - wide_lo
        context = context_rows(wide, first=lo == 0, last=hi == n)
        out[sel, COLUMN["centred"]] = centred[w, c]
        out[sel, COLUMN["clause"]] = clause[w, c]
        out[sel, COLUMN["lexical"]] = lexical_rows(f.text.lexical, lo, hi, m)[r, c]
        out[sel, COLUMN["facts"]] = fact_overlap_rows(f.text.facts, lo, hi, m)[r, c]
        out[sel, COLUMN["attribution"]] = attribution_mismatch_rows(f.text.attribution, lo, hi, m)[r, c]
        out[sel, COLUMN["context"]] = context[r, c]
    sem = (out[:, COLUMN["centred"]] + out[:, COLUMN["clause"]]) / 2
    out[:, COLUMN["cosine"]] = pair_cosines(f.a_vectors, f.b_vectors, [tuple(p) for p in pairs])
    row_rank, col_rank = rank_in(nb.row_idx[i], j), rank_in(nb.col_idx[j], i)
    row_other = np.where(nb.row_idx[i, 0] == j, nb.row_top[i, 1], nb.row_top[i, 0])
    col_other = np.where(nb.col_idx[j, 0] == i, nb.col_top[j, 1], nb.col_top[j, 0])
    row_gap = np.clip(sem - np.where(np.isfinite(row_other), row_other, -1.0), -2, 2)
    col_gap = np.clip(sem - np.where(np.isfinite(col_other), col_other, -1.0), -2, 2)
    out[:, COLUMN["gap_high"]] = np.maximum(row_gap, col_gap)  # A/B swap symmetric
    out[:, COLUMN["gap_low"]] = np.minimum(row_gap, col_gap)
    out[:, COLUMN["csls"]] = 2 * sem - hubness(nb.row_top)[i] - hubness(nb.col_top)[j]
    out[:, COLUMN["rank_best"]] = np.minimum(row_rank, col_rank)
    out[:, COLUMN["rank_worst"]] = np.maximum(row_rank, col_rank)
    out[:, COLUMN["mutual"]] = (row_rank == 0) & (col_rank == 0)
    a_words, b_words = f.text.a_words[i], f.text.b_words[j]
    short, long = np.minimum(a_words, b_words), np.maximum(a_words, b_words)
    out[:, COLUMN["short_words"]] = np.log1p(short)
    out[:, COLUMN["length_ratio"]] = np.log((long + 1) / (short + 1))
    out[:, COLUMN["chars"]] = pair_dots(f.text.chars, i, j)
    out[:, COLUMN["numbers"]] = pair_dots(f.text.numbers, i, j)
    out[:, COLUMN["capitals"]] = pair_dots(f.text.capitals, i, j)
    return out


def select_pairs(
    pairs: np.ndarray, probability: np.ndarray, threshold: float, max_partners: int
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The pairs to align, sorted, with their probabilities: best first, a pair is kept when its
    probability reaches `threshold` and neither sentence has `max_partners` partners yet."""
    taken_a: dict[int, int] = {}
    taken_b: dict[int, int] = {}
    kept: dict[tuple[int, int], float] = {}
    # best first; among equals, pairs nearer the top of both reports first (the same order when A and B swap)
    for k in np.lexsort((pairs[:, 0] * pairs[:, 1], pairs.sum(axis=1), -probability)) if len(pairs) else []:
        if probability[k] < threshold:
            break
        i, j = int(pairs[k, 0]), int(pairs[k, 1])
        if taken_a.get(i, 0) < max_partners and taken_b.get(j, 0) < max_partners:
            kept[(i, j)] = float(probability[k])
            taken_a[i] = taken_a.get(i, 0) + 1
            taken_b[j] = taken_b.get(j, 0) + 1
    chosen = sorted(kept)
    return chosen, np.array([kept[p] for p in chosen], dtype=np.float32)


def align(
    a: Side,
    b: Side,
    config: Config,
    text: TextParts | None = None,
    block_rows: int | None = None,
    model: MatchModel | None = None,
) -> list[Alignment]:
    """Alignment rows: every selected pair (`Alignment.score` is its probability), then each
    unpaired A sentence (b=None) and B sentence (a=None); every sentence of both reports is in at
    least one row. Sides without clause vectors are compared sentence by sentence; `text` is
    `text_parts` of the sides when the caller has it already; `model` defaults to the one
    `config.match_model` names (the shipped one when empty)."""
    return align_scored(a, b, config, text, block_rows, model)[0]


def align_scored(
    a: Side,
    b: Side,
    config: Config,
    text: TextParts | None = None,
    block_rows: int | None = None,
    model: MatchModel | None = None,
) -> tuple[list[Alignment], np.ndarray, np.ndarray]:
    """`align`'s rows, and every candidate pair the model scored (k, 2) with its probability (k,):
    the pairs left apart, for the conflicts that lie between sentences the alignment did not keep."""
    f = side_features(a, b, text)
    model = model or configured_model(config)
    pairs, probability = score_candidates(f, model, block_rows)
    kept, kept_p = select_pairs(pairs, probability, match_threshold(config, model), config.max_partners)
    n, m = len(a.sentences), len(b.sentences)
    return rows_from_pairs(kept, pair_cosines(a.vectors, b.vectors, kept), kept_p, n, m), pairs, probability


def side_features(a: Side, b: Side, text: TextParts | None = None) -> Features:
    """The `Features` of two sides: `text` is their `text_parts` when the caller has it already;
    sides without clause vectors are compared sentence by sentence."""
    if text is None:
        text = text_parts(a.texts, b.texts, a.facts, b.facts)
    clauses = None
    if len(a.clause_owners) and len(b.clause_owners):
        clauses = ((a.clause_owners, a.clause_vectors), (b.clause_owners, b.clause_vectors))
    return features(a.vectors, b.vectors, text, clauses)


def score_candidates(
    f: Features, model: MatchModel, block_rows: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs of `f` (k, 2) and the model's probability for each (k,)."""
    n, m = f.shape
    if n == 0 or m == 0:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    nb = neighbourhood(f, block_rows)
    pairs = candidate_pairs(nb)
    return pairs, model.probability(candidate_features(f, nb, pairs, block_rows))


def rows_from_pairs(
    pairs: list[tuple[int, int]], similarity: np.ndarray, scores: np.ndarray, n: int, m: int
) -> list[Alignment]:
    """Alignment rows for `pairs` (with each pair's raw cosine and match score, in `pairs` order)
    plus one one-sided row per sentence left unpaired."""
    rows = [
        Alignment(i, j, round(float(sim), 6), round(float(score), 6))
        for (i, j), sim, score in zip(pairs, similarity, scores, strict=True)
    ]
    paired_a = {i for i, _ in pairs}
    paired_b = {j for _, j in pairs}
    rows += [Alignment(i, None, None) for i in range(n) if i not in paired_a]
    rows += [Alignment(None, j, None) for j in range(m) if j not in paired_b]
    return rows
