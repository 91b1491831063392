"""The on-disk embedding cache: hits skip the model, keys separate models, two processes at once."""

from __future__ import annotations

import multiprocessing

import numpy as np

from compare.embed.cache import CachedEncoder, default_cache_dir, digest, text_key


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

    from compare.facts.cache import FactsCache
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

    import compare.facts.extract as facts_module
    from compare.read.split import split_sentences
    from compare.records import Article

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


# --- facts are JSON, never pickle ---------------------------------------------------------------


class RunsAShellCommand:
    """A pickle that, when loaded, runs `touch marker` (what a crafted cache row could do)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os
        import shlex

        return (os.system, (f"touch {shlex.quote(str(self.marker))}",))


def seed_article():
    from datetime import date

    from compare.records import Article

    return Article("a", "A", "", date(2018, 12, 16), "The Treasury acted on Monday.")


def test_crafted_pickle_row_is_never_run(tmp_path):
    import pickle
    import sqlite3

    from compare.facts.cache import FactsCache

    article, marker = seed_article(), tmp_path / "marker"
    path = tmp_path / "embeddings.sqlite"
    FactsCache(tmp_path)
    crafted = pickle.dumps(RunsAShellCommand(marker))
    with sqlite3.connect(path) as db:  # the pickle-era table and every facts table, under the current key
        db.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'facts%'")]
        for table in tables:
            db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", (FactsCache.key(article), crafted))
    assert FactsCache(tmp_path).get(article) is None  # a miss: the facts are read again
    assert not marker.exists()


def test_facts_round_trip_exactly_as_json(tmp_path):
    import sqlite3

    from compare.facts.cache import FactsCache
    from compare.records import Fact, FactKind

    article = seed_article()
    facts = [
        (
            Fact(FactKind.NUMBER, "3 officials", "three", 0, 5, slot="people", amount=3.0, qualifier="at least"),
            Fact(FactKind.PERSON, "Kim Jong Un", "Mr. Kim", 6, 13, slot="leader", attributed=True),
            Fact(FactKind.QUOTE, "Steven Mnuchin", "“We act”", 14, 22, slot="we act"),
            Fact(FactKind.NUMBER, "-0.5 percent", "-0.5%", 0, 5, slot="percent", amount=-0.5),
        ),
        (),
        (Fact(FactKind.DATE, "2018-12-10", "Monday", 21, 27),),
    ]
    FactsCache(tmp_path).put(article, facts)
    back = FactsCache(tmp_path).get(article)
    assert back == facts
    assert [[(type(f.kind), type(f.amount)) for f in fs] for fs in back] == [
        [(type(f.kind), type(f.amount)) for f in fs] for fs in facts
    ]
    with sqlite3.connect(tmp_path / "embeddings.sqlite") as db:
        (data,) = db.execute("SELECT data FROM facts_json").fetchone()
    assert isinstance(data, str) and json_facts_kinds(data.split("\n", 1)[1]) == [
        "number", "person", "quote", "number", "date"
    ]  # after the checksum line


def json_facts_kinds(data):
    import json

    return [f["kind"] for fs in json.loads(data) for f in fs]


GOOD_FACT = {
    "kind": "date",
    "value": "2018-12-10",
    "text": "Monday",
    "start": 0,
    "end": 6,
    "slot": "",
    "amount": None,
    "qualifier": "",
    "attributed": False,
    "high": None,
}
BAD_FACT_ROWS = [
    b"\x80\x04not json",  # bytes
    "not json",
    "{}",
    "[1, 2]",
    "[[1]]",
    '[["date"]]',
    [[GOOD_FACT | {"kind": "weather"}]],
    [[GOOD_FACT | {"start": "0"}]],
    [[GOOD_FACT | {"start": True}]],
    [[GOOD_FACT | {"amount": "3"}]],
    [[GOOD_FACT | {"amount": True}]],
    [[GOOD_FACT | {"attributed": 1}]],
    [[GOOD_FACT | {"extra": 1}]],
    [[{k: v for k, v in GOOD_FACT.items() if k != "slot"}]],
    '[[{"kind": "number", "value": "x", "text": "x", "start": 0, "end": 1, "slot": "", '
    '"amount": NaN, "qualifier": "", "attributed": false, "high": null}]]',
    [[GOOD_FACT | {"high": "7"}]],
    '[[{"kind": "number", "value": "x", "text": "x", "start": 0, "end": 1, "slot": "", '
    '"amount": 6.9, "qualifier": "", "attributed": false, "high": Infinity}]]',
]


def test_bad_facts_rows_are_misses(tmp_path):
    import json
    import sqlite3

    from compare.facts.cache import FactsCache

    article = seed_article()
    cache = FactsCache(tmp_path)
    cache.put(article, [()])
    assert cache.get(article) == [()]
    good = json.dumps([[GOOD_FACT]])
    cache_path = tmp_path / "embeddings.sqlite"
    key = FactsCache.key(article)
    for row in [good, *BAD_FACT_ROWS]:
        data = row if isinstance(row, (str, bytes)) else json.dumps(row)
        if isinstance(data, str):  # with a checksum that matches, so that the JSON checks are what is tried
            data = digest(key, data.encode()).hex() + "\n" + data
        with sqlite3.connect(cache_path) as db:
            db.execute("UPDATE facts_json SET data=?", (data,))
        got = cache.get(article)
        assert (got is not None) == (row is good), row


def test_fact_types_name_every_fact_field():
    from dataclasses import fields

    from compare.facts.cache import FACT_TYPES
    from compare.records import Fact

    assert list(FACT_TYPES) == [f.name for f in fields(Fact)]


# --- bad rows, bad files, unwritable folders ----------------------------------------------------


def vector_bytes(values):
    return np.asarray(values, dtype=np.float32).tobytes()


BAD_VECTOR_ROWS = [  # (dim, data) written over a good 3-value row
    (6, vector_bytes(range(6))),  # a vector of another model's dimension
    (3, b"\x00\x00\x80?\x00"),  # a short blob
    (3, vector_bytes(range(4))),  # a long blob
    (3, vector_bytes([1.0, float("nan"), 0.0])),
    (3, vector_bytes([1.0, float("inf"), 0.0])),
    ("three", vector_bytes(range(3))),  # INTEGER affinity would turn "3" into 3
    (3, "text, not bytes"),
]


def test_bad_vector_rows_are_recomputed(tmp_path):
    import sqlite3

    texts = ["a cat", "a dog"]
    expected = CachedEncoder("m", CountingEncoder, tmp_path).encode(texts)
    for dim, data in BAD_VECTOR_ROWS:
        with sqlite3.connect(tmp_path / "embeddings.sqlite") as db:
            db.execute("UPDATE vectors SET dim=?, data=? WHERE key=?", (dim, data, text_key("m", "a cat")))
        again = CachedEncoder("m", CountingEncoder, tmp_path)
        assert np.array_equal(again.encode(texts), expected), (dim, data)
        assert (again.hits, again.misses) == (1, 1), (dim, data)
        healed = CachedEncoder("m", CountingEncoder, tmp_path)
        healed.encode(texts)
        assert healed.misses == 0  # the bad row was replaced


def test_cached_rows_of_another_dimension_are_recomputed(tmp_path):
    class Wider(CountingEncoder):
        def encode(self, sentences, **kwargs):
            return np.hstack([super().encode(sentences), np.ones((len(sentences), 2), dtype=np.float32)])

    CachedEncoder("m", CountingEncoder, tmp_path).encode(["a cat"])  # 3 values, name-only key
    wider = CachedEncoder("m", Wider, tmp_path)
    out = wider.encode(["a cat", "a dog"])
    assert out.shape == (2, 5) and np.array_equal(out, Wider().encode(["a cat", "a dog"]))


def set_aside_files(folder):
    return sorted(p.name for p in folder.iterdir() if ".corrupt-" in p.name)


def test_a_file_that_is_not_a_database_is_set_aside(tmp_path, caplog):
    from compare.facts.cache import FactsCache

    (tmp_path / "embeddings.sqlite").write_bytes(b"not a database at all " * 200)
    encoder = CachedEncoder("m", CountingEncoder, tmp_path)
    assert "set aside" in caplog.text
    assert len(set_aside_files(tmp_path)) == 1
    assert encoder.encode(["a cat"]).shape == (1, 3)
    again = CachedEncoder("m", CountingEncoder, tmp_path)
    again.encode(["a cat"])
    assert again.hits == 1  # the fresh file caches
    assert FactsCache(tmp_path).get(seed_article()) is None


def filled_cache(folder, count=3000):
    class Wide:
        def encode(self, sentences, **kwargs):
            return np.ones((len(sentences), 384), dtype=np.float32)

    texts = [f"text {i}" for i in range(count)]
    CachedEncoder("m", Wide, folder).encode(texts)
    return texts, Wide


def test_truncated_or_overwritten_database_is_set_aside(tmp_path, caplog):
    import os

    for name, damage in (("truncated", "truncate"), ("overwritten", "overwrite")):
        folder = tmp_path / name
        texts, wide = filled_cache(folder)
        path = folder / "embeddings.sqlite"
        if damage == "truncate":
            os.truncate(path, path.stat().st_size // 2)
        else:
            with open(path, "r+b") as handle:
                handle.seek(4096 * 200)
                handle.write(b"\xff" * 4096 * 50)
        encoder = CachedEncoder("m", wide, folder)
        assert encoder.encode(texts).shape == (3000, 384)  # recomputed, no exception
        assert len(set_aside_files(folder)) == 1, name
        again = CachedEncoder("m", wide, folder)
        again.encode(texts)
        assert again.misses == 0, name
    assert "set aside" in caplog.text


def test_a_database_with_foreign_tables_is_set_aside(tmp_path, caplog):
    import sqlite3

    for name, schema in (
        ("other", "CREATE TABLE users (name TEXT)"),
        ("same-name", "CREATE TABLE vectors (id INTEGER, embedding BLOB)"),
    ):
        folder = tmp_path / name
        folder.mkdir()
        with sqlite3.connect(folder / "embeddings.sqlite") as db:
            db.execute(schema)
        encoder = CachedEncoder("m", CountingEncoder, folder)
        assert encoder.encode(["a cat"]).shape == (1, 3)
        assert len(set_aside_files(folder)) == 1, name
        assert "foreign tables" in caplog.text


def test_an_older_cache_file_is_kept_and_its_pickles_dropped(tmp_path):
    import sqlite3

    with sqlite3.connect(tmp_path / "embeddings.sqlite") as db:
        db.execute("CREATE TABLE vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, data BLOB NOT NULL)")
        db.execute("CREATE TABLE facts (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
    CachedEncoder("m", CountingEncoder, tmp_path).encode(["a cat"])
    assert set_aside_files(tmp_path) == []
    with sqlite3.connect(tmp_path / "embeddings.sqlite") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "facts" not in tables and "vectors" in tables


def test_an_unwritable_cache_folder_runs_uncached(tmp_path, caplog):
    from compare.facts.cache import FactsCache

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    folder = blocker / "cache"  # its parent is a regular file: cannot be made
    encoder = CachedEncoder("m", CountingEncoder, folder)
    assert encoder.path is None and "going on without it" in caplog.text
    assert np.array_equal(encoder.encode(["a cat", "a dog"]), CountingEncoder().encode(["a cat", "a dog"]))
    facts = FactsCache(folder)
    facts.put(seed_article(), [()])
    assert facts.get(seed_article()) is None


def test_a_cache_file_that_becomes_unusable_midway_runs_uncached(tmp_path, caplog):
    import os

    encoder = CachedEncoder("m", CountingEncoder, tmp_path)
    encoder.encode(["a cat"])
    for name in os.listdir(tmp_path):
        os.remove(tmp_path / name)
    (tmp_path / "embeddings.sqlite").mkdir()  # cannot be opened as a database any more
    assert encoder.encode(["a cat", "a dog"]).shape == (2, 3)
    assert "going on without it" in caplog.text


def test_configured_encoder_runs_uncached_when_the_cache_folder_is_unwritable(tmp_path, monkeypatch):
    import compare.pipeline as pipeline
    from compare.config import Config

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COMPARE_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(pipeline, "load_encoder", lambda *args, **kwargs: CountingEncoder())
    encoder = pipeline.configured_encoder(Config(model=str(tmp_path)))
    assert encoder.encode(["a cat"]).shape == (1, 3)


# --- keyed by the model's content ---------------------------------------------------------------


def test_same_name_other_content_does_not_share_vectors(tmp_path):
    asked = []

    def fingerprint(value):
        return lambda: asked.append(value) or value

    first = CachedEncoder("m", CountingEncoder, tmp_path, fingerprint=fingerprint("aaa"))
    first.encode(["same text"])
    first.encode(["same text", "other"])
    assert asked == ["aaa"]  # computed once per encoder, not per encode call
    other = CachedEncoder("m", CountingEncoder, tmp_path, fingerprint=fingerprint("bbb"))
    other.encode(["same text"])
    assert other.misses == 1
    same = CachedEncoder("m", CountingEncoder, tmp_path, fingerprint=fingerprint("aaa"))
    same.encode(["same text"])
    assert same.hits == 1


def test_unknown_fingerprint_reads_nothing_and_stores_after_loading(tmp_path):
    downloaded = []

    def load():
        downloaded.append(1)
        return CountingEncoder()

    CachedEncoder("m", CountingEncoder, tmp_path).encode(["same text"])  # a name-only key
    late = CachedEncoder("m", load, tmp_path, fingerprint=lambda: "ccc" if downloaded else None)
    late.encode(["same text"])
    assert late.misses == 1 and late.content == "ccc"
    again = CachedEncoder("m", CountingEncoder, tmp_path, fingerprint=lambda: "ccc")
    again.encode(["same text"])
    assert again.hits == 1


def make_model_folder(folder):
    (folder / "1_Pooling").mkdir(parents=True)
    (folder / "config.json").write_text('{"hidden_size": 4}')
    (folder / "1_Pooling" / "config.json").write_text('{"pooling_mode_mean_tokens": true}')
    (folder / "model.safetensors").write_bytes(bytes(range(256)) * 64)
    return folder


def test_configured_encoder_keys_by_the_model_folder_content(tmp_path, monkeypatch):
    import compare.pipeline as pipeline
    from compare.config import Config

    folder = make_model_folder(tmp_path / "model")
    monkeypatch.setattr(pipeline, "load_encoder", lambda *args, **kwargs: CountingEncoder())
    config = Config(model=str(folder))
    pipeline.configured_encoder(config).encode(["same text"])
    warm = pipeline.configured_encoder(config)
    warm.encode(["same text"])
    assert warm.hits == 1
    (folder / "1_Pooling" / "config.json").write_text('{"pooling_mode_cls_token": true}')
    changed = pipeline.configured_encoder(config)
    changed.encode(["same text"])
    assert changed.misses == 1  # another pooling: the old vectors are not served


def test_the_model_folder_is_hashed_once_for_the_cache_key_and_the_loader(tmp_path, monkeypatch):
    """The embedding cache's key and the ONNX export's name share one hash of the model folder
    (90 MB of the packaged model read once on a first run, not twice)."""
    import compare.embed.encoders as embed
    import compare.embed.onnx as onnx_encoder
    import compare.pipeline as pipeline
    from compare.config import Config

    folder = make_model_folder(tmp_path / "model")
    real, hashed, loaded = embed.folder_fingerprint, [], []
    monkeypatch.setattr(embed, "folder_fingerprint", lambda f: hashed.append(f) or real(f))
    load = lambda *_, **kw: loaded.append(kw["fingerprint"]) or CountingEncoder()  # noqa: E731
    monkeypatch.setattr(pipeline, "load_encoder", load)
    pipeline.configured_encoder(Config(model=str(folder))).encode(["a text"])
    assert hashed == [folder] and loaded == [real(folder)]

    named = []
    monkeypatch.setattr(onnx_encoder, "load_onnx_encoder", lambda f, fingerprint: named.append(fingerprint))
    embed.load_onnx(str(folder), "known")  # a known hash is not computed again
    embed.load_onnx(str(folder))
    assert named == ["known", real(folder)] and len(hashed) == 2


def test_warm_run_with_the_packaged_model_loads_no_torch(tmp_path):
    import subprocess
    import sys

    from compare.config import DEFAULT_MODEL
    from compare.embed.encoders import model_fingerprint

    cache = tmp_path / "warm"
    CachedEncoder(DEFAULT_MODEL, CountingEncoder, cache, fingerprint=lambda: model_fingerprint(DEFAULT_MODEL)).encode(
        ["a cat"]
    )
    code = (
        "import sys; from compare.config import Config; from compare.pipeline import configured_encoder; "
        "e = configured_encoder(Config()); e.encode(['a cat']); "
        "print(e.hits, [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules])"
    )
    env = {**__import__("os").environ, "COMPARE_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "1 []"


def flip_bytes_in_place(path, rng, patches: int = 6, size: int = 8) -> None:
    """`patches` random `size`-byte patches written over the rows' bytes of the cache file, in
    place (a bad disk or a bad copy): the file stays a database of the same length."""
    import sqlite3

    with sqlite3.connect(path) as db:  # where the stored rows' bytes are: the pages after the schema's
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    for _ in range(patches):
        at = rng.randrange(4096 * 2, len(data) - size)
        data[at : at + size] = rng.randbytes(size)
    path.write_bytes(bytes(data))


def test_bytes_changed_inside_the_cache_file_never_change_the_results(tmp_path, caplog):
    """Issue 26, item 2: six random 8-byte patches inside the embeddings cache, eight trials: the
    vectors come back exactly as first computed (a changed row is a miss, recomputed), never
    silently wrong, and the warning names the file, once per file."""
    import random
    import sqlite3

    from compare.embed import cache as embed_cache

    texts = [f"sentence number {k} about the sanctions" for k in range(300)]
    rng = random.Random(26)
    for trial in range(8):
        folder = tmp_path / f"t{trial}"
        expected = CachedEncoder("m", CountingEncoder, folder).encode(texts)
        flip_bytes_in_place(folder / "embeddings.sqlite", rng)
        embed_cache.WARNED.clear()
        caplog.clear()
        with caplog.at_level("WARNING"):
            try:
                again = CachedEncoder("m", CountingEncoder, folder).encode(texts)
            except sqlite3.DatabaseError:  # never: a file SQLite cannot read is set aside, not raised
                raise
            assert np.array_equal(again, expected), trial
            if "fail their checks" in caplog.text:
                assert caplog.text.count("fail their checks") == 1 and str(folder) in caplog.text


def test_a_vector_row_moved_to_another_key_is_a_miss(tmp_path):
    import sqlite3

    texts = ["a cat", "a dog"]
    expected = CachedEncoder("m", CountingEncoder, tmp_path).encode(texts)
    with sqlite3.connect(tmp_path / "embeddings.sqlite") as db:  # the dog's row copied over the cat's
        (data,) = db.execute("SELECT data FROM vectors WHERE key=?", (text_key("m", "a dog"),)).fetchone()
        db.execute("UPDATE vectors SET data=? WHERE key=?", (data, text_key("m", "a cat")))
    again = CachedEncoder("m", CountingEncoder, tmp_path)
    assert np.array_equal(again.encode(texts), expected) and (again.hits, again.misses) == (1, 1)


def test_cached_facts_changed_on_disk_are_read_again(tmp_path, caplog):
    import sqlite3

    from compare.facts.cache import FactsCache
    from compare.records import Fact, FactKind

    article = seed_article()
    facts = [(Fact(FactKind.NUMBER, "3 officials", "three", 0, 5, slot="people", amount=3.0),)]
    FactsCache(tmp_path).put(article, facts)
    with sqlite3.connect(tmp_path / "embeddings.sqlite") as db:  # 3 officials -> 5 officials, JSON still valid
        (data,) = db.execute("SELECT data FROM facts_json").fetchone()
        db.execute("UPDATE facts_json SET data=?", (data.replace("3 officials", "5 officials"),))
    with caplog.at_level("WARNING"):
        assert FactsCache(tmp_path).get(article) is None  # a miss: the facts are read again
    assert "fail their checks" in caplog.text
