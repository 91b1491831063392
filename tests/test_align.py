"""Alignment on hand-made vectors: one-to-one, one-to-many, coverage, and the brute-force check."""

from __future__ import annotations

import numpy as np
import pytest

from compare.align.candidates import (
    NUMBER_TOKEN,
    attribution_mismatch_matrix,
    centred_cosine_matrix,
    clause_similarity_matrix,
    context_matrix,
    cosine_matrix,
    fact_overlap_matrix,
    lexical_matrix,
    pair_dots,
    text_parts,
    token_parts,
)
from compare.align.match import align
from compare.config import Config
from compare.records import Article, Fact, FactKind, Sentence, Side


def side(vectors: np.ndarray, texts: list[str], facts: list | None = None) -> Side:
    """A report side of hand-made vectors (no clauses), one sentence per text."""
    article = Article("x", "X", "", None, " ".join(texts))
    sentences = tuple(Sentence("x", k, t, 0, len(t), k) for k, t in enumerate(texts))
    return Side(article, sentences, tuple(facts if facts is not None else [()] * len(texts)), vectors)


def unit(*rows: list[float]) -> np.ndarray:
    x = np.array(rows, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_cosine_matrix_matches_definition():
    rng = np.random.default_rng(0)
    a, b = unit(*rng.normal(size=(4, 6))), unit(*rng.normal(size=(3, 6)))
    res = cosine_matrix(a, b)
    for i in range(4):
        for j in range(3):
            expected = a[i] @ b[j] / (np.linalg.norm(a[i]) * np.linalg.norm(b[j]))
            assert res[i, j] == pytest.approx(expected, abs=1e-6)


def test_centred_cosine_removes_shared_topic():
    topic = np.array([5.0, 0, 0, 0])
    a = unit(topic + [0, 1, 0, 0], topic + [0, 0, 1, 0])
    b = unit(topic + [0, 0, 1, 0], topic + [0, 1, 0, 0])
    raw, centred = cosine_matrix(a, b), centred_cosine_matrix(a, b)
    assert raw.min() > 0.9  # everything looks alike on raw cosine
    assert centred[0, 1] > 0.9 and centred[0, 0] < 0  # the specific parts decide


def test_order_free():
    a = unit([1, 0, 0], [0, 1, 0], [0, 0, 1])
    b = unit([0, 0, 1], [1, 0, 0], [0, 1, 0])  # same claims, reordered
    texts = ["the fire killed 19 firefighters", "the town was evacuated", "the governor spoke"]
    rows = align(side(a, texts), side(b, [texts[2], texts[0], texts[1]]), Config())
    assert sorted((r.a, r.b) for r in rows) == [(0, 1), (1, 2), (2, 0)]


def test_every_sentence_appears_once_at_least():
    rng = np.random.default_rng(3)
    a, b = unit(*rng.normal(size=(5, 8))), unit(*rng.normal(size=(7, 8)))
    rows = align(side(a, ["a"] * 5), side(b, ["b"] * 7), Config())
    assert {r.a for r in rows if r.a is not None} == set(range(5))
    assert {r.b for r in rows if r.b is not None} == set(range(7))
    for row in rows:
        assert (row.similarity is None) == (row.a is None or row.b is None)


def test_empty_side():
    rows = align(side(np.zeros((0, 4), np.float32), []), side(unit([1, 0, 0, 0]), ["b"]), Config())
    assert [(r.a, r.b) for r in rows] == [(None, 0)]


def test_lexical_matrix_rewards_shared_rare_words():
    res = lexical_matrix(
        ["Sanctions on Choe Ryong-hae", "The weather was fine"], ["Choe was sanctioned", "Fine weather"]
    )
    assert res[0, 0] > res[0, 1] and res[1, 1] > res[1, 0]
    assert lexical_matrix(["the a of"], ["and the"]).shape == (1, 1)  # only stop words


def test_fact_overlap_and_attribution_mismatch():
    mnuchin = Fact(FactKind.QUOTE, "Steven Mnuchin", "words", 0, 5, slot="words")
    klingner = Fact(FactKind.QUOTE, "Bruce Klingner", "other", 0, 5, slot="other")
    three = Fact(FactKind.NUMBER, "3 officials", "three", 0, 5, slot="people", amount=3)
    bolton_says = Fact(FactKind.PERSON, "John Bolton", "John Bolton", 0, 11, attributed=True)
    bolton_named = Fact(FactKind.PERSON, "John Bolton", "Bolton", 0, 6)
    a = [(mnuchin, three), (klingner,), (bolton_says,)]
    b = [(mnuchin,), (three,), (bolton_named,)]
    overlap = fact_overlap_matrix(a, b)
    assert overlap[0, 0] > 0 and overlap[0, 1] > 0 and overlap[1, 0] == 0
    mismatch = attribution_mismatch_matrix(a, b)
    # A1 quotes Klingner: nobody on the B side names him. A2 reports Bolton: only B2 names him.
    assert mismatch.tolist() == [[0.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 0.0]]


def test_clause_similarity_takes_the_best_clause():
    a_owner, b_owner = np.array([0, 0, 1]), np.array([0, 1, 1])
    a_vec = unit([1, 0, 0], [0, 1, 0], [0, 0, 1])
    b_vec = unit([0, 1, 0], [0, 0, 1], [1, 0, 0])
    res = clause_similarity_matrix((a_owner, a_vec), (b_owner, b_vec), 2, 2)
    brute = np.full((2, 2), -1.0)
    centred = centred_cosine_matrix(a_vec, b_vec)
    for p, i in enumerate(a_owner):
        for q, j in enumerate(b_owner):
            brute[i, j] = max(brute[i, j], centred[p, q])
    assert np.allclose(res, brute)


def test_context_matrix():
    sim = np.arange(9, dtype=np.float32).reshape(3, 3)
    ctx = context_matrix(sim)
    assert ctx[1, 1] == pytest.approx((sim[0, 0] + sim[2, 2]) / 2)
    assert ctx[0, 0] == pytest.approx(sim[1, 1] / 2)


def fact_overlap_bruteforce(a_facts, b_facts):
    """Reference: the IDF-weighted Jaccard overlap with plain loops over sets."""
    import math
    from collections import Counter

    from compare.align.candidates import fact_keys

    a_keys, b_keys = [fact_keys(fs) for fs in a_facts], [fact_keys(fs) for fs in b_facts]
    total = len(a_keys) + len(b_keys)
    counts = Counter(k for keys in [*a_keys, *b_keys] for k in keys)
    idf = {k: math.log((total + 1) / (c + 0.5)) for k, c in counts.items()}
    res = np.zeros((len(a_keys), len(b_keys)))
    for i, x in enumerate(a_keys):
        for j, y in enumerate(b_keys):
            union = sum(idf[k] for k in x | y)
            res[i, j] = sum(idf[k] for k in x & y) / union if union else 0.0
    return res


def attribution_bruteforce(a_facts, b_facts):
    from compare.align.candidates import named, speakers

    res = np.zeros((len(a_facts), len(b_facts)))
    for i, x in enumerate(a_facts):
        for j, y in enumerate(b_facts):
            one = bool(speakers(x)) and speakers(x).isdisjoint(named(y))
            other = bool(speakers(y)) and speakers(y).isdisjoint(named(x))
            res[i, j] = float(one or other)
    return res


PEOPLE = ["Ann Lee", "Bo Kim", "Cy Roe", "Di Fox"]


def random_facts(rng):
    """A random sentence's facts: quotes and people among PEOPLE, maybe a date."""
    facts = []
    for name in PEOPLE:
        roll = rng.random()
        if roll < 0.2:
            facts.append(Fact(FactKind.QUOTE, name, "words", 0, 5, slot="words"))
        elif roll < 0.4:
            facts.append(Fact(FactKind.PERSON, name, name, 0, 5, attributed=bool(rng.random() < 0.5)))
    if rng.random() < 0.5:
        facts.append(Fact(FactKind.DATE, "2020-01-0" + str(rng.integers(1, 4)), "x", 0, 1))
    return tuple(facts)


@pytest.mark.parametrize("seed", range(15))
def test_fact_matrices_match_bruteforce(seed):
    rng = np.random.default_rng(seed)
    a = [random_facts(rng) for _ in range(rng.integers(0, 6))]
    b = [random_facts(rng) for _ in range(rng.integers(0, 6))]
    assert np.allclose(fact_overlap_matrix(a, b), fact_overlap_bruteforce(a, b), atol=1e-6)
    assert np.array_equal(attribution_mismatch_matrix(a, b), attribution_bruteforce(a, b))


def random_report(rng, n, topic):
    """n sentences: unit vectors around a shared topic, texts over a small vocabulary, facts, and
    1-3 clauses per sentence (owners ascending, as `pipeline.clause_list` makes them)."""
    vectors = unit(*(topic + rng.normal(size=(n, len(topic)))))
    words = ["sanctions", "officials", "treasury", "rights", "abuses", "korea", "statement", "the"]
    texts = [" ".join(rng.choice(words, size=5)) for _ in range(n)]
    owners = np.repeat(np.arange(n), rng.integers(1, 4, size=n))
    clauses = (owners, unit(*(topic + rng.normal(size=(len(owners), len(topic))))))
    return vectors, texts, [random_facts(rng) for _ in range(n)], clauses


def test_blocked_alignment_memory_grows_with_kept_pairs_not_n_times_m():
    import tracemalloc

    rng = np.random.default_rng(1)
    n = m = 1500
    topic = rng.normal(size=16)
    a_vec, a_texts, a_facts, _ = random_report(rng, n, topic)
    b_vec, b_texts, b_facts, _ = random_report(rng, m, topic)
    a, b = side(a_vec, a_texts, a_facts), side(b_vec, b_texts, b_facts)
    align(side(a_vec[:3], a_texts[:3], a_facts[:3]), side(b_vec[:3], b_texts[:3], b_facts[:3]), Config())  # imports
    text = text_parts(a_texts, b_texts, a_facts, b_facts)  # linear in the texts, built once per prepared pair
    tracemalloc.start()
    rows = align(a, b, Config(), text=text, block_rows=64)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert {r.a for r in rows if r.a is not None} == set(range(n))
    assert peak < n * m * 4  # one dense float32 n x m matrix would be this big; five were used before


def test_token_overlap_counts_shared_figures():
    parts = token_parts(["19 firefighters died", "8,374 acres"], ["Nineteen, or 19, died", "8,374 acres burned"],
                        NUMBER_TOKEN)
    assert pair_dots(parts, np.array([0, 0, 1]), np.array([0, 1, 1])).tolist() == [1.0, 0.0, 1.0]
    assert pair_dots(None, np.array([0]), np.array([0])).tolist() == [0.0]
