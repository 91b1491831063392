"""The learned match: candidates and features in blocks against dense brute force, bounded
selection, the shipped model file, and repeated identical sentences."""

from __future__ import annotations

import json

import numpy as np
import pytest

from compare.align.candidates import (
    centred_cosine_matrix,
    clause_similarity_matrix,
    context_matrix,
    features,
    lexical_matrix,
    text_parts,
)
from compare.align.match import (
    CANDIDATES,
    FEATURES,
    MODEL_PATH,
    align,
    candidate_features,
    candidate_pairs,
    load_model,
    match_threshold,
    model_from_json,
    neighbourhood,
    select_pairs,
)
from compare.config import Config
from tests.test_align import random_report, side, unit


def dense_semantic(a_vec, b_vec, a_clauses, b_clauses):
    n, m = len(a_vec), len(b_vec)
    return (centred_cosine_matrix(a_vec, b_vec) + clause_similarity_matrix(a_clauses, b_clauses, n, m)) / 2


def small_case(seed):
    rng = np.random.default_rng(seed)
    topic = rng.normal(size=6) * 2
    n, m = int(rng.integers(1, 12)), int(rng.integers(1, 12))
    a_vec, a_texts, a_facts, a_clauses = random_report(rng, n, topic)
    b_vec, b_texts, b_facts, b_clauses = random_report(rng, m, topic)
    f = features(a_vec, b_vec, text_parts(a_texts, b_texts, a_facts, b_facts), (a_clauses, b_clauses))
    return f, dense_semantic(a_vec, b_vec, a_clauses, b_clauses), (a_texts, b_texts)


@pytest.mark.parametrize("seed", range(12))
def test_neighbourhood_in_blocks_is_the_dense_top_k(seed):
    f, sem, _ = small_case(seed)
    n, m = f.shape
    for rows in (1, 2, 3, n):
        nb = neighbourhood(f, rows)
        for i in range(n):
            best = np.sort(sem[i])[::-1][:CANDIDATES]
            assert np.allclose(nb.row_top[i, : len(best)], best, atol=1e-5)
            assert np.allclose(sem[i, nb.row_idx[i, : len(best)]], best, atol=1e-5)
        for j in range(m):
            best = np.sort(sem[:, j])[::-1][:CANDIDATES]
            assert np.allclose(nb.col_top[j, : len(best)], best, atol=1e-5)
            assert np.allclose(sem[nb.col_idx[j, : len(best)], j], best, atol=1e-5)


@pytest.mark.parametrize("seed", range(8))
def test_candidate_features_in_blocks_match_the_dense_terms(seed):
    f, sem, (a_texts, b_texts) = small_case(seed)
    n, m = f.shape
    nb = neighbourhood(f)
    pairs = candidate_pairs(nb)
    assert len(pairs) <= CANDIDATES * (n + m)
    dense = candidate_features(f, nb, pairs, block_rows=n)
    lexical, context = lexical_matrix(a_texts, b_texts), context_matrix(sem)
    for rows in (1, 2, 5):
        assert np.allclose(candidate_features(f, nb, pairs, block_rows=rows), dense, atol=1e-5)
    for k, (i, j) in enumerate(pairs):
        row = dict(zip(FEATURES, dense[k], strict=True))
        assert row["cosine"] == pytest.approx(float(f.a_vectors[i] @ f.b_vectors[j]), abs=1e-5)
        assert (row["centred"] + row["clause"]) / 2 == pytest.approx(sem[i, j], abs=1e-5)
        assert row["lexical"] == pytest.approx(lexical[i, j], abs=1e-5)
        assert row["context"] == pytest.approx(context[i, j], abs=1e-5)
        others = np.delete(sem[i], j)
        if len(others):
            assert max(row["gap_high"], row["gap_low"]) >= sem[i, j] - others.max() - 1e-5
        assert row["mutual"] == float(sem[i].argmax() == j and sem[:, j].argmax() == i)


def test_select_pairs_bounds_partners_and_takes_the_best_first():
    pairs = np.array([(0, 0), (0, 1), (0, 2), (1, 0), (2, 0)])
    prob = np.array([0.9, 0.8, 0.7, 0.6, 0.2])
    assert select_pairs(pairs, prob, 0.5, 2)[0] == [(0, 0), (0, 1), (1, 0)]
    assert select_pairs(pairs, prob, 0.5, 1)[0] == [(0, 0)]
    assert select_pairs(pairs, prob, 0.95, 3)[0] == []
    kept, kept_p = select_pairs(pairs, prob, 0.0, 5)
    assert len(kept) == 5 and kept_p.tolist() == pytest.approx([0.9, 0.8, 0.7, 0.6, 0.2])


@pytest.mark.parametrize("seed", range(6))
def test_select_pairs_is_maximal_under_the_bound(seed):
    rng = np.random.default_rng(seed)
    pairs = np.unique(rng.integers(0, 6, size=(25, 2)), axis=0)
    prob = rng.uniform(size=len(pairs))
    threshold, bound = 0.3, int(rng.integers(1, 4))
    kept, _ = select_pairs(pairs, prob, threshold, bound)
    per_a = {i: sum(1 for x, _ in kept if x == i) for i, _ in kept}
    per_b = {j: sum(1 for _, y in kept if y == j) for _, j in kept}
    assert max(per_a.values(), default=0) <= bound and max(per_b.values(), default=0) <= bound
    for (i, j), p in zip(map(tuple, pairs), prob, strict=True):
        if p >= threshold and (i, j) not in kept:  # left out only because a side was full
            assert per_a.get(i, 0) == bound or per_b.get(j, 0) == bound


def test_shipped_model_file_is_plain_json_fitting_the_features():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    model = load_model()
    assert model.features == FEATURES and data["trained_on"]
    assert Config().threshold is None and match_threshold(Config()) == model.threshold  # one source: the file
    assert 0 < model.probability(np.zeros((1, len(FEATURES)))).item() < 1
    with pytest.raises(ValueError, match="other features"):
        model_from_json({**data, "features": data["features"][:-1]})
    with pytest.raises(ValueError, match="malformed"):
        model_from_json({**data, "coef": [float("nan")] * len(FEATURES)})


def test_repeated_identical_sentences_do_not_multiply_rows():
    n = 400
    vec = unit(*np.tile([1.0, 0.5, 0.2], (n, 1)))
    texts = ["The fire destroyed 50 homes."] * n
    rows = align(side(vec, texts), side(vec, texts), Config())
    pairs = [r for r in rows if r.a is not None and r.b is not None]
    assert len(rows) <= Config().max_partners * 2 * n
    assert max(sum(1 for r in pairs if r.a == i) for i in range(n)) <= Config().max_partners
