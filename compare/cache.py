"""On-disk caches for the slow stages, shared safely between processes: sentence embeddings
(keyed by the model's name and content, and the text) and a report's extracted facts (keyed by
its text and date).

`CachedEncoder` wraps an encoder *loader*: the model is loaded only when a text is missing from
the cache, so comparing the same reports again skips loading the model at all. Vectors live in
one SQLite file per cache folder (WAL mode; concurrent writers wait for each other, and a text
written twice keeps its first vector).

The cache never stops a comparison: a row of the wrong shape is a miss (recomputed and
replaced), a file that is not a database of these tables is set aside (`*.corrupt-<timestamp>`)
and a fresh one made, and a folder that cannot be written means running uncached; each with a
logged warning. Facts are stored as JSON of the `Fact` fields, never pickled, so a crafted cache
file cannot run code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import fields
from pathlib import Path

import numpy as np

from compare import sqlite
from compare.embed import Encoder, LazyEncoder
from compare.records import Article, Fact, FactKind

log = logging.getLogger(__name__)
FILENAME = "embeddings.sqlite"
TABLES: dict[str, sqlite.Table] = {  # any other table makes the file foreign
    "vectors": (
        ("key", "dim", "data"),
        "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, data BLOB NOT NULL)",
    ),
    "models": (("key", "dim"), "CREATE TABLE IF NOT EXISTS models (key TEXT PRIMARY KEY, dim INTEGER NOT NULL)"),
    "facts_json": (("key", "data"), "CREATE TABLE IF NOT EXISTS facts_json (key TEXT PRIMARY KEY, data TEXT NOT NULL)"),
}
LEGACY_TABLES = ("facts",)  # pickled facts of facts-2 and before: dropped unread
FACTS_VERSION = "facts-20"
BATCH = 500  # keys per SELECT, under SQLite's variable limit


def default_cache_dir() -> Path:
    """`COMPARE_CACHE_DIR`, else the user's cache folder for compare (platformdirs)."""
    if os.environ.get("COMPARE_CACHE_DIR"):
        return Path(os.environ["COMPARE_CACHE_DIR"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("compare"))


def text_key(model: str, text: str) -> str:
    """The cache key of a text under a model: sha256 of both."""
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


def cache_file(folder: str | Path | None) -> sqlite.CheckedFile:
    """The checked cache database of `folder` (default: `default_cache_dir()`)."""
    return sqlite.CheckedFile(Path(folder or default_cache_dir()) / FILENAME, TABLES, LEGACY_TABLES)


def read_vector(dim: object, data: object, expected: int | None) -> np.ndarray | None:
    """The float32 vector, shape (expected,), of a cache row; None unless the row's `dim` is the
    model's (`expected`), `data` holds exactly that many float32 values and all are finite."""
    if expected is None or type(dim) is not int or dim != expected:
        return None
    if not isinstance(data, bytes) or len(data) != 4 * expected:
        return None
    vector = np.frombuffer(data, dtype=np.float32).copy()
    return vector if np.isfinite(vector).all() else None


class CachedEncoder:
    """An `Encoder` that reads vectors from disk and loads and runs the real one only for misses.

    Keys hold `model` and, when `fingerprint` is given, what it returns for the model's content
    (see `compare.embed.model_fingerprint`): computed once, at the first `encode`, so two model
    folders of one name never share vectors. While it returns None (a hub model not downloaded
    yet) nothing is read, and it is asked again after the model has loaded.
    """

    def __init__(
        self,
        model: str,
        load: Callable[[], Encoder],
        cache_dir: str | Path | None = None,
        fingerprint: Callable[[], str | None] | None = None,
    ) -> None:
        self.model = model
        self.encoder = LazyEncoder(load)
        self.cache = cache_file(cache_dir)
        self.fingerprint = fingerprint
        self.content: str | None = None
        self.hits = 0
        self.misses = 0

    @property
    def path(self) -> Path | None:
        """The cache file, None when running uncached."""
        return self.cache.path

    def model_key(self) -> str | None:
        """`model`, or `model|fingerprint`; None while the fingerprint is unknown."""
        if self.fingerprint is None:
            return self.model
        if self.content is None:
            self.content = self.fingerprint()
        return None if self.content is None else f"{self.model}|{self.content}"

    def encode(self, sentences: Sequence[str], **kwargs: object) -> np.ndarray:
        """Vectors of `sentences`, shape (len(sentences), d): cached ones from disk, the rest from
        the model (then stored; a bad row it replaces)."""
        model = self.model_key()
        keys = [text_key(model, s) for s in sentences] if model else []
        found, bad = self.lookup(model, keys) if model else ({}, set())
        cached = [found.get(k) for k in keys] if model else [None] * len(sentences)
        missing = [i for i, vector in enumerate(cached) if vector is None]
        self.hits += len(sentences) - len(missing)
        self.misses += len(missing)
        if not sentences:
            return np.zeros((0, 1), dtype=np.float32)
        if not missing:
            return np.stack(cached)  # type: ignore[arg-type]
        fresh = self.run_model(sentences, missing, kwargs)
        out = np.empty((len(sentences), fresh.shape[1]), dtype=np.float32)
        out[missing] = fresh
        # rows cached under this key by a model of another dimension (a name-only key): recompute
        stale = [i for i, vector in enumerate(cached) if vector is not None and vector.shape[0] != fresh.shape[1]]
        if stale:
            out[stale] = self.run_model(sentences, stale, kwargs)
            bad |= {keys[i] for i in stale}
        for i, vector in enumerate(cached):
            if vector is not None and vector.shape[0] == fresh.shape[1]:
                out[i] = vector
        model = model or self.model_key()  # a hub model's folder exists once it has loaded
        if model:
            self.store(model, {text_key(model, sentences[i]): out[i] for i in [*missing, *stale]}, bad)
        return out

    def run_model(self, sentences: Sequence[str], rows: list[int], kwargs: dict[str, object]) -> np.ndarray:
        """The real encoder's vectors of `sentences[rows]`, shape (len(rows), d), float32."""
        return np.asarray(self.encoder.encode([sentences[i] for i in rows], **kwargs), dtype=np.float32)

    def lookup(self, model: str, keys: Sequence[str]) -> tuple[dict[str, np.ndarray], set[str]]:
        """(vectors by key of the keys whose cache row is sound, keys whose row is not: wrong
        dimension for `model`, wrong byte length, or a value that is not finite)."""

        def read(db: sqlite3.Connection) -> tuple[dict[str, np.ndarray], set[str]]:
            found: dict[str, np.ndarray] = {}
            bad: set[str] = set()
            row = db.execute("SELECT dim FROM models WHERE key=?", (model,)).fetchone()
            expected = row[0] if row and type(row[0]) is int else None
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), BATCH):
                chunk = unique[start : start + BATCH]
                marks = ",".join("?" * len(chunk))
                for key, dim, data in db.execute(f"SELECT key, dim, data FROM vectors WHERE key IN ({marks})", chunk):
                    vector = read_vector(dim, data, expected)
                    if vector is None:
                        bad.add(key)
                    else:
                        found[key] = vector
            if bad:
                log.warning("ignoring %d bad cached vectors in %s; recomputing them", len(bad), self.path)
            return found, bad

        return self.cache.run(read, ({}, set()))

    def store(self, model: str, vectors: dict[str, np.ndarray], replace: Collection[str] = ()) -> None:
        """Write `model`'s dimension and the new finite vectors in one transaction (a key already
        there keeps its vector, unless it is in `replace`)."""
        rows = [
            (k, int(v.shape[0]), v.astype(np.float32).tobytes()) for k, v in vectors.items() if np.isfinite(v).all()
        ]
        if not rows:
            return

        def write(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT OR REPLACE INTO models VALUES (?, ?)", (model, rows[0][1]))
            db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)", [r for r in rows if r[0] not in replace])
            db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", [r for r in rows if r[0] in replace])
            db.execute("COMMIT")
            log.info("cached %d embeddings in %s", len(rows), self.path)

        self.cache.run(write, None)


@functools.lru_cache(maxsize=1)
def extractor_digest() -> str:
    """sha256 of the fact extractors' source, so editing them invalidates cached facts by itself."""
    folder = Path(__file__).parent / "facts"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


FACT_TYPES = {  # every `Fact` field and the JSON types it may have (a test checks they match)
    "kind": (str,),
    "value": (str,),
    "text": (str,),
    "start": (int,),
    "end": (int,),
    "slot": (str,),
    "amount": (int, float, type(None)),
    "qualifier": (str,),
    "attributed": (bool,),
    "high": (int, float, type(None)),
}
FACT_KINDS = {kind.value: kind for kind in FactKind}


def facts_to_json(facts: Sequence[tuple[Fact, ...]]) -> str:
    """JSON of a report's facts: a list per sentence of objects with every `Fact` field (the kind
    by its value); raises ValueError for a non-finite amount."""
    payload = [
        [{f.name: getattr(fact, f.name) for f in fields(Fact)} | {"kind": fact.kind.value} for fact in fs]
        for fs in facts
    ]
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def fact_from_dict(item: object) -> Fact | None:
    """The `Fact` of one JSON object, or None unless it has exactly the fields, of the right types
    (a bool is not a number here), a known kind and a finite amount."""
    if not isinstance(item, dict) or item.keys() != FACT_TYPES.keys():
        return None
    for name, types in FACT_TYPES.items():
        value = item[name]
        if type(value) not in types:
            return None
    if item["kind"] not in FACT_KINDS or any(
        item[k] is not None and not math.isfinite(item[k]) for k in ("amount", "high")
    ):
        return None
    amount, high = (None if item[k] is None else float(item[k]) for k in ("amount", "high"))
    return Fact(**(item | {"kind": FACT_KINDS[item["kind"]], "amount": amount, "high": high}))


def facts_from_json(data: object) -> list[tuple[Fact, ...]] | None:
    """A report's facts from `facts_to_json` text; None for anything else (not text, not JSON, or
    not a list of lists of valid facts)."""
    if not isinstance(data, str):
        return None
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    if not isinstance(payload, list) or not all(isinstance(fs, list) for fs in payload):
        return None
    facts = [tuple(fact_from_dict(item) for item in fs) for fs in payload]
    return None if any(f is None for fs in facts for f in fs) else facts  # type: ignore[return-value]


class FactsCache:
    """Each report's facts (before names are matched across reports), keyed by the report's text,
    publication date, the spaCy model and FACTS_VERSION; a second run skips spaCy entirely."""

    def __init__(self, cache_dir: str | Path | None = None) -> None:
        self.cache = cache_file(cache_dir)

    @property
    def path(self) -> Path | None:
        """The cache file, None when running uncached."""
        return self.cache.path

    @staticmethod
    def key(article: Article) -> str:
        from compare.facts.nlp import SPACY_MODEL

        parts = (FACTS_VERSION, extractor_digest(), SPACY_MODEL, str(article.published), article.text)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def get(self, article: Article) -> list[tuple[Fact, ...]] | None:
        """The cached facts of `article`, or None (also for a row that is not valid facts JSON)."""
        row = self.cache.run(
            lambda db: db.execute("SELECT data FROM facts_json WHERE key=?", (self.key(article),)).fetchone(), None
        )
        facts = facts_from_json(row[0]) if row else None
        if row and facts is None:
            log.warning("ignoring a bad cached facts row in %s; reading the facts again", self.path)
        return facts

    def put(self, article: Article, facts: list[tuple[Fact, ...]]) -> None:
        """Store `article`'s facts (not at all if they cannot be written as JSON)."""
        try:
            data = facts_to_json(facts)
        except ValueError as error:
            log.warning("facts of %s not cached: %s", article.id, error)
            return
        self.cache.run(
            lambda db: db.execute("INSERT OR REPLACE INTO facts_json VALUES (?, ?)", (self.key(article), data)), None
        )
