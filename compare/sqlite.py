"""The one way the project opens its SQLite files (review decisions, caches): autocommit
connections that wait for a busy writer, databases in WAL mode so readers never block writers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def connect(path: Path, wait_seconds: int = 60, durable: bool = False) -> sqlite3.Connection:
    """A connection to `path` that waits up to `wait_seconds` for a lock; `durable` syncs each
    commit to disk (synchronous=FULL), for data a person typed."""
    db = sqlite3.connect(path, timeout=wait_seconds, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout={wait_seconds * 1000}")
    if durable:
        db.execute("PRAGMA synchronous=FULL")
    return db


@contextmanager
def session(path: Path, wait_seconds: int = 60, durable: bool = False) -> Iterator[sqlite3.Connection]:
    """`connect`, closed again when the block ends (no handle outlives its use, so none leaks
    into a forked process)."""
    db = connect(path, wait_seconds, durable)
    try:
        yield db
    finally:
        db.close()


def create(path: Path, *schemas: str) -> None:
    """Make `path`'s folder, switch the database to WAL mode and create the `schemas`' tables."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with session(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        for schema in schemas:
            db.execute(schema)
