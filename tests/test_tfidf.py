"""`compare.align.tfidf` gives what scikit-learn's vectorisers give for the alignment's settings, to
the last bit, on the real reports: the same columns, values and stored order, so the match
features (and the verdicts) do not change."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer

from compare.align import tfidf
from compare.align.candidates import CAPITAL_TOKEN, NUMBER_TOKEN, char_parts, lexical_parts, lexical_rows, token_parts
from compare.align.tfidf import (
    char_wb_ngrams,
    count_matrix,
    pattern_tokens,
    scale_rows_l2,
    tfidf_matrix,
    word_tokens,
)
from compare.read.load import load_source
from compare.read.split import split_sentences
from tests.conftest import ARTICLES, SHARED


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    """Every sentence of the seed reports and of the reference pairs in ../shared/eval (when present)."""
    paths = sorted(ARTICLES.glob("*.txt")) + sorted((SHARED / "eval").glob("*/*/*.txt"))
    return [s.text for p in paths for s in split_sentences(load_source(p))]


def assert_same_csr(ours, theirs) -> None:
    theirs = theirs.tocsr()
    assert ours.shape == theirs.shape
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)  # the stored order within rows too
    assert ours.dtype == theirs.dtype
    assert np.array_equal(ours.data, theirs.data)


def test_the_stop_words_are_scikit_learns():
    assert tfidf.ENGLISH_STOP_WORDS == ENGLISH_STOP_WORDS


def test_word_tfidf_is_scikit_learns(sentences):
    theirs = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(sentences)
    assert_same_csr(tfidf_matrix(sentences, word_tokens), theirs)


def test_char_tfidf_is_scikit_learns(sentences):
    theirs = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(sentences)
    assert_same_csr(tfidf_matrix(sentences, char_wb_ngrams), theirs)


@pytest.mark.parametrize("pattern", [NUMBER_TOKEN, CAPITAL_TOKEN])
def test_token_incidence_is_scikit_learns(sentences, pattern):
    theirs = CountVectorizer(token_pattern=pattern, lowercase=False, binary=True).fit_transform(sentences)
    a, b = token_parts(sentences[:100], sentences[100:], pattern)
    assert_same_csr(a, theirs[:100].astype(np.float32))
    assert_same_csr(b, theirs[100:].astype(np.float32))


def test_the_lexical_term_is_the_same_as_with_scikit_learn(sentences):
    a_texts, b_texts = sentences[:300], sentences[300:600]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([*a_texts, *b_texts]).tocsr()
    theirs = (matrix[:300] @ matrix[300:].T.tocsr()).toarray().astype(np.float32)
    assert np.array_equal(lexical_rows(lexical_parts(a_texts, b_texts), 0, 300, 300), theirs)


@pytest.mark.parametrize(
    "texts",
    [
        ["a an", "I x"],  # only stop words and one-letter words
        ["Yes", "no  no\tno  NO", "A  short\n\nline of it's words, über-alles"],
        ["", "   ", "ab"],
        ["x"],  # shorter than every n-gram: " x " once
    ],
)
def test_small_cases_are_scikit_learns(texts):
    char_wb = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    capitals = CountVectorizer(token_pattern=CAPITAL_TOKEN, lowercase=False)
    for ours, vectorizer in (
        (tfidf_matrix(texts, word_tokens), TfidfVectorizer(stop_words="english", sublinear_tf=True)),
        (tfidf_matrix(texts, char_wb_ngrams), char_wb),
        (count_matrix(texts, pattern_tokens(CAPITAL_TOKEN)), capitals),
    ):
        try:
            theirs = vectorizer.fit_transform(texts)
        except ValueError:  # scikit-learn: empty vocabulary
            assert ours is None
            continue
        assert_same_csr(ours, theirs.astype(np.float64))


def test_nothing_to_compare_gives_none():
    assert lexical_parts(["the and of"], ["it is"]) is None
    assert char_parts([], ["words"]) is None
    assert token_parts(["no figures"], ["none here"], NUMBER_TOKEN) is None


def test_char_ngrams_of_a_short_word():
    assert char_wb_ngrams("Ab") == [" ab", "ab ", " ab "]
    assert char_wb_ngrams("x") == [" x "]


def test_rows_scale_to_unit_length_in_stored_order():
    from scipy.sparse import csr_matrix

    matrix = csr_matrix((np.array([3.0, 4.0, 1.0]), np.array([1, 0, 2]), np.array([0, 2, 2, 3])), shape=(3, 3))
    scale_rows_l2(matrix)
    assert matrix.toarray().tolist() == [[0.8, 0.6, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
