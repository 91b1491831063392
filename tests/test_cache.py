"""The on-disk embedding cache: hits skip the model, keys separate models, two processes at once."""

from __future__ import annotations

import multiprocessing

import numpy as np

from compare.cache import CachedEncoder, default_cache_dir, text_key


class CountingEncoder:
    def __init__(self):
        self.calls = 0

    def encode(self, sentences, **kwargs):
        self.calls += 1
        return np.array([[len(s), s.count("a"), 1.0] for s in sentences], dtype=np.float32)


def test_second_encode_reads_the_cache_without_loading(tmp_path):
    loads = []

    def load():
        loads.append(1)
        return CountingEncoder()

    texts = ["a cat", "a dog", "a cat"]
    first = CachedEncoder("m", load, tmp_path).encode(texts)
    assert loads == [1]
    again = CachedEncoder("m", load, tmp_path)
    second = again.encode(texts)
    assert loads == [1]  # nothing missing: the model was never loaded
    assert np.array_equal(first, second) and first.shape == (3, 3)
    assert (again.hits, again.misses) == (3, 0)


def test_models_do_not_share_vectors(tmp_path):
    CachedEncoder("m1", CountingEncoder, tmp_path).encode(["same text"])
    other = CachedEncoder("m2", CountingEncoder, tmp_path)
    other.encode(["same text"])
    assert other.misses == 1
    assert text_key("m1", "x") != text_key("m2", "x")


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPARE_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"


def fill(path: str, offset: int) -> None:
    encoder = CachedEncoder("m", CountingEncoder, path)
    for start in range(0, 200, 20):
        encoder.encode([f"text {i}" for i in range(start + offset, start + offset + 20)])


def test_two_processes_at_once(tmp_path):
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=fill, args=(str(tmp_path), k)) for k in (0, 10)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert all(w.exitcode == 0 for w in workers)
    check = CachedEncoder("m", CountingEncoder, tmp_path)
    out = check.encode([f"text {i}" for i in range(210)])
    assert check.misses == 0 and out.shape == (210, 3)


def test_facts_cache_round_trip_and_key(tmp_path):
    from datetime import date

    from compare.cache import FactsCache
    from compare.records import Article, Fact, FactKind

    article = Article("a", "A", "", date(2018, 12, 16), "The Treasury acted on Monday.")
    facts = [(Fact(FactKind.DATE, "2018-12-10", "Monday", 21, 27), Fact(FactKind.ORG, "Treasury", "Treasury", 4, 12))]
    cache = FactsCache(tmp_path)
    assert cache.get(article) is None
    cache.put(article, facts)
    assert FactsCache(tmp_path).get(article) == facts
    assert cache.get(Article("a", "A", "", date(2018, 12, 17), article.text)) is None  # another date, another key


def test_cached_facts_skip_extraction(monkeypatch):
    from datetime import date

    import compare.facts as facts_module
    from compare.records import Article
    from compare.split import split_sentences

    a = Article("a", "A", "", date(2018, 12, 16), "Steven Mnuchin spoke on Monday. And another one.")
    b = Article("b", "B", "", date(2018, 12, 10), "Steven Mnuchin spoke on Monday. Three officials were named.")
    a_sentences, b_sentences = split_sentences(a), split_sentences(b)

    class Store:
        def __init__(self):
            self.saved = {}

        def get(self, art):
            return self.saved.get(art.text)

        def put(self, art, facts):
            self.saved[art.text] = facts

    parsed: list[list[str]] = []
    parse = facts_module.parse_texts
    monkeypatch.setattr(facts_module, "parse_texts", lambda texts: parsed.append(texts) or parse(texts))
    store = Store()
    first = facts_module.extract_pair_facts(a, a_sentences, b, b_sentences, store)
    assert len(parsed) == 1 and len(parsed[0]) == 4  # both reports in one batch
    assert first[0][0] and [f.value for f in first[0][0]] == [f.value for f in first[1][0]]
    assert facts_module.extract_pair_facts(a, a_sentences, b, b_sentences, store) == first
    assert len(parsed) == 1  # the second run did not parse (nor load spaCy)


def test_parse_texts_parses_each_distinct_text_once(monkeypatch):
    from compare.facts import nlp

    seen: list[str] = []
    real = nlp.load_nlp()

    class Counting:
        def pipe(self, texts, batch_size):
            texts = list(texts)
            seen.extend(texts)
            return real.pipe(texts, batch_size=batch_size)

    monkeypatch.setattr(nlp, "load_nlp", lambda: Counting())
    docs = nlp.parse_texts(["Mr Kim left.", "It rained.", "Mr Kim left."])
    assert seen == ["Mr Kim left.", "It rained."]
    assert [d.text for d in docs] == ["Mr Kim left.", "It rained.", "Mr Kim left."]
