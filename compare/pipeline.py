"""The only module that knows the order of the stages: load -> split -> facts -> embed -> align -> classify.

Embedding is the slow part, so it is split from the rest: `prepare` does the work that depends on
the texts and the model; `compare_prepared` re-aligns and re-classifies for any settings in
milliseconds (the dashboard's sliders use this).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from compare.align import align, cosine_matrix
from compare.classify import classify
from compare.config import Config
from compare.embed import Encoder, encode_texts, load_encoder
from compare.facts import extract_pair_facts
from compare.load import LoadError, load_file
from compare.records import Article, Comparison, Fact, Sentence
from compare.split import split_sentences

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Two reports split, with their facts and sentence embeddings (rows L2-normalised)."""

    a: Article
    b: Article
    a_sentences: tuple[Sentence, ...]
    b_sentences: tuple[Sentence, ...]
    a_facts: tuple[tuple[Fact, ...], ...]
    b_facts: tuple[tuple[Fact, ...], ...]
    a_vectors: np.ndarray  # (len(a_sentences), d) float32
    b_vectors: np.ndarray  # (len(b_sentences), d) float32
    model: str


def split_checked(article: Article) -> list[Sentence]:
    """The article's sentences; raises `LoadError` when there are none."""
    sentences = split_sentences(article)
    if not sentences:
        raise LoadError(f"{article.id}: no sentences found in the report")
    return sentences


def prepare(a: Article, b: Article, encoder: Encoder, model_name: str) -> Prepared:
    """Split both reports, extract and canonicalise their facts, and embed their sentences."""
    a_sentences, b_sentences = split_checked(a), split_checked(b)
    a_facts, b_facts = extract_pair_facts(a, a_sentences, b, b_sentences)
    log.info("embedding %d + %d sentences", len(a_sentences), len(b_sentences))
    vectors = encode_texts(encoder, [s.text for s in [*a_sentences, *b_sentences]])
    return Prepared(
        a,
        b,
        tuple(a_sentences),
        tuple(b_sentences),
        tuple(a_facts),
        tuple(b_facts),
        vectors[: len(a_sentences)],
        vectors[len(a_sentences) :],
        model_name,
    )


def compare_prepared(prepared: Prepared, config: Config) -> Comparison:
    """Align and classify prepared reports under `config` (no model work)."""
    p = prepared
    alignments = align(
        p.a_vectors,
        p.b_vectors,
        [s.text for s in p.a_sentences],
        [s.text for s in p.b_sentences],
        p.a_facts,
        p.b_facts,
        config,
    )
    verdicts = classify(
        alignments, [s.text for s in p.a_sentences], [s.text for s in p.b_sentences], p.a_facts, p.b_facts, config
    )
    return Comparison(
        p.a,
        p.b,
        p.a_sentences,
        p.b_sentences,
        p.a_facts,
        p.b_facts,
        tuple(verdicts),
        p.model,
        cosine_matrix(p.a_vectors, p.b_vectors),
    )


def compare_articles(a: Article, b: Article, config: Config, encoder: Encoder | None = None) -> Comparison:
    """The comparison of two loaded reports; loads the configured model unless `encoder` is given."""
    encoder = encoder or load_encoder(config.model)
    return compare_prepared(prepare(a, b, encoder, config.model), config)


def compare_files(
    path_a: str | Path, path_b: str | Path, config: Config | None = None, encoder: Encoder | None = None
) -> Comparison:
    """The comparison of two report files (.txt / .md); raises `LoadError` or `ModelError` with a
    one-line message on bad input."""
    config = config or Config()
    a = load_file(path_a, max_chars=config.max_chars)
    b = load_file(path_b, max_chars=config.max_chars)
    if a.id == b.id:
        b = Article(f"{b.id}-b", b.source, b.title, b.published, b.text, b.url)
    return compare_articles(a, b, config, encoder)
