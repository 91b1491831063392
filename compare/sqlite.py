"""The one way the project opens its SQLite files (review decisions, caches): autocommit
connections that wait for a busy writer, databases in WAL mode so readers never block writers,
schema versions in `PRAGMA user_version`, and SQLite's errors turned into one plain line."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

BUSY = "the database is locked by another program; try again in a moment"
PLAIN_REASONS = {
    sqlite3.SQLITE_BUSY: BUSY,
    sqlite3.SQLITE_LOCKED: BUSY,
    sqlite3.SQLITE_READONLY: "the database is read-only, so nothing can be saved",
    sqlite3.SQLITE_IOERR: "the disk could not be read or written (I/O error)",
    sqlite3.SQLITE_CORRUPT: "the file is damaged (a corrupt database)",
    sqlite3.SQLITE_NOTADB: "the file is not a database (corrupt, or another kind of file)",
    sqlite3.SQLITE_FULL: "the disk is full, so nothing can be saved",
    sqlite3.SQLITE_CANTOPEN: "the database file cannot be opened",
    sqlite3.SQLITE_PERM: "no permission to use the database",
}


class StoreError(RuntimeError):
    """A database that cannot be read or written; the message is one line, fit for a user."""


def connect(path: Path, wait_seconds: float = 60, durable: bool = False) -> sqlite3.Connection:
    """A connection to `path` that waits up to `wait_seconds` for a lock; `durable` syncs each
    commit to disk (synchronous=FULL), for data a person typed."""
    db = sqlite3.connect(path, timeout=wait_seconds, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
    if durable:
        db.execute("PRAGMA synchronous=FULL")
    return db


@contextmanager
def session(path: Path, wait_seconds: float = 60, durable: bool = False) -> Iterator[sqlite3.Connection]:
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


def migrate(path: Path, steps: Sequence[Sequence[str]], wait_seconds: float = 60) -> int:
    """Bring the database at `path` to schema version `len(steps)`: step i (a list of statements)
    turns version i into version i + 1, each step in its own transaction with `PRAGMA user_version`
    recording where the database is. Returns the version found before migrating."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with session(path, wait_seconds) as db:
        db.execute("PRAGMA journal_mode=WAL")
        found = version = db.execute("PRAGMA user_version").fetchone()[0]
        while version < len(steps):
            db.execute("BEGIN IMMEDIATE")
            version = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have moved on
            if version < len(steps):
                for statement in steps[version]:
                    db.execute(statement)
                version += 1
                db.execute(f"PRAGMA user_version={version}")
                log.info("%s: schema version %d", path, version)
            db.execute("COMMIT")
    return found


def explain(error: sqlite3.Error | OSError) -> str:
    """A plain one-line reason for an SQLite or file-system error."""
    if isinstance(error, OSError):
        return f"the database file cannot be created or opened ({error.strerror or error})"
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in PLAIN_REASONS:
        return PLAIN_REASONS[code & 0xFF]
    first = str(error).strip().splitlines()
    return f"database error ({first[0] if first else type(error).__name__})"


@contextmanager
def plain_errors(what: str, path: Path) -> Iterator[None]:
    """Run the block, turning an SQLite or file-system error into `StoreError("{what} {path}: reason")`."""
    try:
        yield
    except (sqlite3.Error, OSError) as error:
        log.warning("%s %s: %r", what, path, error)
        raise StoreError(f"{what} {path}: {explain(error)}") from error
