"""The on-disk embedding cache, shared safely between processes: sentence embeddings keyed by the
model's name and content, and the text. The facts cache (`compare.facts.cache`) keeps its table
in the same file (`cache_file`).

`CachedEncoder` wraps an encoder *loader*: the model is loaded only when a text is missing from
the cache, so comparing the same reports again skips loading the model at all. Vectors live in
one SQLite file per cache folder (WAL mode; concurrent writers wait for each other, and a text
written twice keeps its first vector).

The cache never stops a comparison and never returns a vector it did not store: each row holds
the vector's bytes and a checksum of them and of the key it was stored for (`DIGEST_BYTES` of
BLAKE2b), so bytes changed on disk (a bad disk, a bad copy) or a row moved to another key are a
miss, recomputed and replaced, as is a row of the wrong length or with a value that is not
finite; rows written before checksums are misses too (replaced silently, once). A file that is
not a database of these tables is set aside (`*.corrupt-<timestamp>`) and a fresh one made, and a
folder that cannot be written means running uncached; each with a warning, given once per file.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import numpy as np

from compare import sqlite
from compare.config import default_cache_dir
from compare.embed.encoders import Encoder, LazyEncoder

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
BATCH = 500  # keys per SELECT, under SQLite's variable limit
DIGEST_BYTES = 16  # the checksum after each stored vector
WARNED: set[tuple[str, str]] = set()  # (file, what) already warned about in this process


def digest(key: str, payload: bytes) -> bytes:
    """The checksum of a cache row: BLAKE2b of the key it is stored for and its bytes."""
    return hashlib.blake2b(key.encode() + b"\0" + payload, digest_size=DIGEST_BYTES).digest()


def warn_once(path: object, what: str, message: str, *args: object) -> None:
    """Log `message` as a warning the first time `what` happens to the file at `path` in this process."""
    if (str(path), what) not in WARNED:
        WARNED.add((str(path), what))
        log.warning(message, *args)


def text_key(model: str, text: str) -> str:
    """The cache key of a text under a model: sha256 of both."""
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


def cache_file(folder: str | Path | None) -> sqlite.CheckedFile:
    """The checked cache database of `folder` (default: `default_cache_dir()`)."""
    return sqlite.CheckedFile(Path(folder or default_cache_dir()) / FILENAME, TABLES, LEGACY_TABLES)


def vector_row(key: str, vector: np.ndarray) -> bytes:
    """What a vector is stored as under `key`: its float32 bytes, then their checksum."""
    payload = vector.astype(np.float32).tobytes()
    return payload + digest(key, payload)


def read_vector(key: str, dim: object, data: object, expected: int | None) -> np.ndarray | None:
    """The float32 vector, shape (expected,), of the cache row stored under `key`; None unless the
    row's `dim` is the model's (`expected`), `data` holds exactly that many float32 values and
    their checksum, the checksum matches the bytes and `key`, and every value is finite."""
    if expected is None or type(dim) is not int or dim != expected:
        return None
    if not isinstance(data, bytes) or len(data) != 4 * expected + DIGEST_BYTES:
        return None
    payload = data[: 4 * expected]
    if digest(key, payload) != data[4 * expected :]:
        return None
    vector = np.frombuffer(payload, dtype=np.float32).copy()
    return vector if np.isfinite(vector).all() else None


class CachedEncoder:
    """An `Encoder` that reads vectors from disk and loads and runs the real one only for misses.

    Keys hold `model` and, when `fingerprint` is given, what it returns for the model's content
    (see `compare.embed.encoders.model_fingerprint`): computed once, at the first `encode`, so two model
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
            old = 0  # rows written before checksums: replaced without a warning
            row = db.execute("SELECT dim FROM models WHERE key=?", (model,)).fetchone()
            expected = row[0] if row and type(row[0]) is int else None
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), BATCH):
                chunk = unique[start : start + BATCH]
                marks = ",".join("?" * len(chunk))
                for key, dim, data in db.execute(f"SELECT key, dim, data FROM vectors WHERE key IN ({marks})", chunk):
                    vector = read_vector(key, dim, data, expected)
                    if vector is None:
                        bad.add(key)
                        old += isinstance(data, bytes) and expected is not None and len(data) == 4 * expected
                    else:
                        found[key] = vector
            if len(bad) > old:
                warn_once(
                    self.path, "vectors", "ignoring %d cached vectors in %s that fail their checks (changed on "
                    "disk, or not a vector); recomputing them", len(bad) - old, self.path,
                )
            return found, bad

        return self.cache.run(read, ({}, set()))

    def store(self, model: str, vectors: dict[str, np.ndarray], replace: Collection[str] = ()) -> None:
        """Write `model`'s dimension and the new finite vectors in one transaction (a key already
        there keeps its vector, unless it is in `replace`)."""
        rows = [(k, int(v.shape[0]), vector_row(k, v)) for k, v in vectors.items() if np.isfinite(v).all()]
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
