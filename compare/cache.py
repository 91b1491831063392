"""On-disk caches for the slow stages, shared safely between processes: sentence embeddings
(keyed by model and text) and a report's extracted facts (keyed by its text and date).

`CachedEncoder` wraps an encoder *loader*: the model is loaded only when a text is missing from
the cache, so comparing the same reports again skips loading the model at all. Vectors live in
one SQLite file per cache folder (WAL mode; concurrent writers wait for each other, and a text
written twice keeps its first vector).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from compare import sqlite
from compare.embed import Encoder, LazyEncoder
from compare.records import Article, Fact

log = logging.getLogger(__name__)
SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, data BLOB NOT NULL)"
FACTS_SCHEMA = "CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, data BLOB NOT NULL)"
FACTS_VERSION = "facts-2"
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


class CachedEncoder:
    """An `Encoder` that reads vectors from disk and loads and runs the real one only for misses."""

    def __init__(self, model: str, load: Callable[[], Encoder], cache_dir: str | Path | None = None) -> None:
        self.model = model
        self.encoder = LazyEncoder(load)
        self.path = Path(cache_dir or default_cache_dir()) / "embeddings.sqlite"
        sqlite.create(self.path, SCHEMA)
        self.hits = 0
        self.misses = 0

    def encode(self, sentences: Sequence[str], **kwargs: object) -> np.ndarray:
        """Vectors of `sentences`, shape (len(sentences), d): cached ones from disk, the rest from
        the model (then stored)."""
        keys = [text_key(self.model, s) for s in sentences]
        found = self.lookup(keys)
        missing = [i for i, k in enumerate(keys) if k not in found]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = np.asarray(self.encoder.encode([sentences[i] for i in missing], **kwargs), dtype=np.float32)
            self.store({keys[i]: fresh[row] for row, i in enumerate(missing)})
            found.update({keys[i]: fresh[row] for row, i in enumerate(missing)})
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def lookup(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors of the keys that are in the cache."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        with sqlite.session(self.path) as db:
            for start in range(0, len(unique), BATCH):
                chunk = unique[start : start + BATCH]
                marks = ",".join("?" * len(chunk))
                for key, dim, data in db.execute(f"SELECT key, dim, data FROM vectors WHERE key IN ({marks})", chunk):
                    found[key] = np.frombuffer(data, dtype=np.float32, count=dim).copy()
        return found

    def store(self, vectors: dict[str, np.ndarray]) -> None:
        """Write new vectors in one transaction (a key already there keeps its vector)."""
        rows = [(k, int(v.shape[0]), v.astype(np.float32).tobytes()) for k, v in vectors.items()]
        with sqlite.session(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)", rows)
            db.execute("COMMIT")
        log.info("cached %d embeddings in %s", len(rows), self.path)


@functools.lru_cache(maxsize=1)
def extractor_digest() -> str:
    """sha256 of the fact extractors' source, so editing them invalidates cached facts by itself."""
    folder = Path(__file__).parent / "facts"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


class FactsCache:
    """Each report's facts (before names are matched across reports), keyed by the report's text,
    publication date, the spaCy model and FACTS_VERSION; a second run skips spaCy entirely."""

    def __init__(self, cache_dir: str | Path | None = None) -> None:
        self.path = Path(cache_dir or default_cache_dir()) / "embeddings.sqlite"
        sqlite.create(self.path, FACTS_SCHEMA)

    @staticmethod
    def key(article: Article) -> str:
        from compare.facts.nlp import SPACY_MODEL

        parts = (FACTS_VERSION, extractor_digest(), SPACY_MODEL, str(article.published), article.text)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def get(self, article: Article) -> list[tuple[Fact, ...]] | None:
        """The cached facts of `article`, or None."""
        with sqlite.session(self.path) as db:
            row = db.execute("SELECT data FROM facts WHERE key=?", (self.key(article),)).fetchone()
        return pickle.loads(row[0]) if row else None  # noqa: S301 - our own cache file

    def put(self, article: Article, facts: list[tuple[Fact, ...]]) -> None:
        """Store `article`'s facts."""
        with sqlite.session(self.path) as db:
            db.execute("INSERT OR REPLACE INTO facts VALUES (?, ?)", (self.key(article), pickle.dumps(facts)))
