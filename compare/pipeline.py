"""The only module that knows the order of the stages: load -> split -> facts -> embed -> align -> classify.

Embedding is the slow part, so it is split from the rest: `prepare` does the work that depends on
the texts and the model; `compare_prepared` re-aligns and re-classifies for any settings in
milliseconds (the dashboard's sliders use this).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from compare.align.candidates import TextParts, text_parts, word_parts
from compare.align.match import align_scored
from compare.config import DEFAULT_MODEL, Config
from compare.embed.encoders import Encoder, LazyEncoder, Progress, encode_texts, load_encoder, model_fingerprint
from compare.facts.extract import FactStore, cached_facts, canonicalize_facts, extract_report_facts
from compare.facts.process import facts_process, main_module_hidden
from compare.facts.process import start_facts_process as start_facts_process  # the pipeline's names too
from compare.facts.process import stop_facts_process as stop_facts_process
from compare.judge.classify import classify
from compare.read.load import load_source
from compare.read.split import split_clauses, split_sentences
from compare.records import Article, Comparison, Fact, LoadError, Sentence, Side

log = logging.getLogger(__name__)
WORD_CHARACTER = re.compile(r"[^\W_]")  # a letter or a digit, in any script


@dataclass(frozen=True, slots=True)
class Prepared:
    """Two reports split, with their facts, sentence and clause embeddings (one `Side` each), and
    the alignment's text-only terms, built once for any settings."""

    a_side: Side
    b_side: Side
    model: str
    text: TextParts


def split_checked(article: Article) -> list[Sentence]:
    """The article's sentences; raises `LoadError` when there are none, or when the report has no
    letter or digit at all ("!!! ... ???" is punctuation, not two sentences)."""
    sentences = split_sentences(article)
    if not sentences or not WORD_CHARACTER.search(article.text):
        raise LoadError(f"{article.id}: no sentences found in the report")
    return sentences


def prepare(
    a: Article,
    b: Article,
    encoder: Encoder,
    model_name: str,
    progress: Progress | None = None,
    facts_cache: FactStore | None = None,
) -> Prepared:
    """Both reports split, their facts read (names canonical across both), their sentences and
    clauses embedded, and the alignment's text-only terms built (see `prepare_sides`)."""
    (a_side, b_side), words = prepare_sides([a, b], encoder, progress, facts_cache, pairs=[(0, 1)])
    return pair_prepared(a_side, b_side, model_name, words[(0, 1)])


def prepare_sides(
    articles: Sequence[Article],
    encoder: Encoder,
    progress: Progress | None = None,
    facts_cache: FactStore | None = None,
    pairs: Sequence[tuple[int, int]] = (),
) -> tuple[list[Side], dict[tuple[int, int], TextParts]]:
    """(a `Side` per report, the alignment's text-only terms (`align.candidates.word_parts`) of each of
    `pairs` by (i, j)). Each report is split, its facts read (names as written in that report:
    pair two sides with `pair_prepared`), its sentences and clauses embedded (in one encoder
    call for all reports, each distinct text once). spaCy reads the facts in a process of its
    own (see `facts_process`) while the calling thread embeds (model loading included) and then
    builds the pairs' text-only terms, so the work overlaps on a multi-core CPU; `progress` is
    called from the calling thread only. Each report is read, parsed and embedded once however
    many pairs it is in."""
    split = [split_checked(article) for article in articles]
    clauses = [clause_list(sentences) for sentences in split]
    texts = [s.text for sentences in split for s in sentences] + [t for _, ts in clauses for t in ts]
    unique = list(dict.fromkeys(texts))
    log.info(
        "embedding %s sentences (%d distinct texts with clauses)", " + ".join(str(len(s)) for s in split), len(unique)
    )
    reports = list(zip(articles, split, strict=True))
    found = cached_facts(reports, facts_cache)  # read once: the process and the fallback get them too
    reading_args = (reports, facts_cache)
    reading = submit_facts(reading_args, found) if None in found else None  # None: all cached
    sharing = (lambda: not reading.done()) if reading is not None else None
    vectors = encode_texts(encoder, unique, progress=progress, sharing=sharing)
    texts_of = [[s.text for s in sentences] for sentences in split]
    words = {(i, j): word_parts(texts_of[i], texts_of[j]) for i, j in pairs}  # while the facts process reads
    facts = facts_of(reading, reading_args, found)
    rows = {text: k for k, text in enumerate(unique)}
    picked = vectors[[rows[t] for t in texts]] if texts else vectors
    sides, start, clause_start = [], 0, sum(len(s) for s in split)
    for article, sentences, (owners, clause_texts), report_facts in zip(articles, split, clauses, facts, strict=True):
        n, k = len(sentences), len(clause_texts)
        sentence_vectors = picked[start : start + n]
        clause_vectors = picked[clause_start : clause_start + k]
        sides.append(Side(article, tuple(sentences), tuple(report_facts), sentence_vectors, owners, clause_vectors))
        start, clause_start = start + n, clause_start + k
    return sides, words


def pair_prepared(a: Side, b: Side, model_name: str, words: TextParts | None = None) -> Prepared:
    """Two sides of `prepare_sides` made comparable: names canonical across both reports, and the
    alignment's text-only terms (TF-IDF, shared figures and names) built, or completed with the
    facts when `words` (`align.candidates.word_parts` of the two) is given."""
    a_facts, b_facts = canonicalize_facts(list(a.facts), list(b.facts), (a.texts, b.texts))
    a, b = replace(a, facts=tuple(a_facts)), replace(b, facts=tuple(b_facts))
    return Prepared(a, b, model_name, text_parts(a.texts, b.texts, a_facts, b_facts, words))


Facts = list[tuple[Fact, ...]]
FactsArgs = tuple[list[tuple[Article, list[Sentence]]], FactStore | None]


def submit_facts(args: FactsArgs, found: list[Facts | None]) -> Future | None:
    """`extract_report_facts(*args, found)` running in the facts process; None if that process is
    broken or this process may not start one (a daemonic process: a Dask worker by default)."""
    import multiprocessing

    if multiprocessing.current_process().daemon:
        return None
    try:
        with main_module_hidden():  # the first submit starts the process
            return facts_process().submit(extract_report_facts, *args, found)
    except (BrokenProcessPool, RuntimeError):
        facts_process.cache_clear()
        return None


def facts_of(reading: Future | None, args: FactsArgs, found: list[Facts | None]) -> list[Facts]:
    """What `reading` read; read here instead when there is no process (the facts are cached) or
    it failed (a script without `if __name__ == "__main__":` cannot start one). `found` is what
    the cache held."""
    if reading is not None:
        try:
            return reading.result()
        except BrokenProcessPool:
            log.warning("the facts process failed; reading the facts in this process")
            facts_process.cache_clear()
    return extract_report_facts(*args, found)


def clause_list(sentences: list[Sentence]) -> tuple[np.ndarray, list[str]]:
    """(owner sentence index per clause, clause texts) of a report's sentences."""
    owners, texts = [], []
    for sentence in sentences:
        for clause in split_clauses(sentence.text):
            owners.append(sentence.index)
            texts.append(clause)
    return np.asarray(owners, dtype=np.int64), texts


def compare_prepared(prepared: Prepared, config: Config) -> Comparison:
    """Align and classify prepared reports under `config` (no model work)."""
    p = prepared
    alignments, pairs, probability = align_scored(p.a_side, p.b_side, config, text=p.text)
    candidates = (pairs, probability) if config.apart_conflicts else None
    verdicts = classify(alignments, p.a_side, p.b_side, config, candidates)
    return Comparison(p.a_side, p.b_side, tuple(verdicts), p.model)


def compare_articles(
    a: Article, b: Article, config: Config, encoder: Encoder | None = None, progress: Progress | None = None
) -> Comparison:
    """The comparison of two loaded reports; loads the configured model unless `encoder` is given.
    `progress(done, total)` is told how the embedding goes."""
    encoder = encoder or configured_encoder(config)
    facts_cache = None
    if config.use_cache:
        from compare.facts.cache import FactsCache

        facts_cache = FactsCache()
    return compare_prepared(prepare(a, b, encoder, config.model, progress, facts_cache), config)


def configured_encoder(config: Config) -> Encoder:
    """The configured model, behind the on-disk embedding cache unless `use_cache` is off (with
    the cache, the model is loaded only if some sentence is not cached yet). The cache is keyed
    by the model folder's content (`model_fingerprint`), hashed once, without loading torch; the
    same hash names the ONNX export when the model loads (90 MB are not read twice)."""
    if not config.use_cache:
        return LazyEncoder(lambda: load_encoder(config.model, backend=config.backend))
    from compare.embed.cache import CachedEncoder

    # onnx and torch give the same vectors (an export that does not is refused), so they share them
    key = config.model if config.backend in ("onnx", "torch") else f"{config.model}|{config.backend}"
    cached = CachedEncoder(
        key,
        lambda: load_encoder(config.model, backend=config.backend, fingerprint=cached.content),
        fingerprint=lambda: model_fingerprint(config.model),
    )
    return cached


def load_configured(source: str | Path, config: Config) -> Article:
    """The report at a path or URL, with the config's size, time and address limits."""
    return load_source(
        source,
        max_chars=config.max_chars,
        fetch_timeout=config.fetch_timeout,
        max_download_bytes=config.max_download_bytes,
        allow_private_urls=config.allow_private_urls,
    )


def compare_files(
    path_a: str | Path,
    path_b: str | Path,
    config: Config | None = None,
    encoder: Encoder | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """The comparison of two reports (files .txt / .md / .html, or http(s) URLs); raises `LoadError`
    or `ModelError` with a one-line message on bad input."""
    config = config or Config()
    a, b = load_configured(path_a, config), load_configured(path_b, config)
    if a.id == b.id:
        b = replace(b, id=f"{b.id}-b")
    return compare_articles(a, b, config, encoder, progress)


ENGLISH_WORDS = frozenset(
    "the a an and or of to in on at for with by from as is are was were be been has have had it its "
    "that this these those he she they we i you not but said says will would".split()
)
MIN_WORDS_FOR_LANGUAGE = 8
MIN_ENGLISH_SHARE = 0.06


def looks_english(text: str) -> bool:
    """True unless a text of some length has almost none of the commonest English words."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return True
    return sum(w in ENGLISH_WORDS for w in words) / len(words) >= MIN_ENGLISH_SHARE


def comparison_warnings(comparison: Comparison) -> list[str]:
    """Things a user should know before trusting the comparison (one line each): a report with no
    publication date, a report that does not look English."""
    notes = [
        f"report {label} has no publication date: relative dates such as \"Monday\" cannot be placed "
        "(give it: --published on the command line, `published:` in the report's front matter, or the "
        "date field when pasting a report in the dashboard)"
        for label, article in (("A", comparison.a), ("B", comparison.b))
        if article.published is None
    ]
    if comparison.model == DEFAULT_MODEL:
        for label, article in (("A", comparison.a), ("B", comparison.b)):
            if not looks_english(article.text):
                notes.append(
                    f"report {label} does not look English; the default model is English-only, so its "
                    "alignment is unreliable (try --model paraphrase-multilingual-MiniLM-L12-v2)"
                )
    return notes
