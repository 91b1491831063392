"""The one way the project opens its SQLite files (review decisions, caches): autocommit
connections that wait for a busy writer, databases in WAL mode so readers never block writers.
`CheckedFile` is for files that may be thrown away (caches): a damaged or foreign file is set
aside and a fresh one made, and no failure reaches the caller."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
Table = tuple[tuple[str, ...], str]  # (column names, CREATE TABLE IF NOT EXISTS statement)


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


DAMAGED_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def is_damaged(error: sqlite3.Error) -> bool:
    """True when `error` says the file is not a SQLite database or its pages are malformed
    (truncated, overwritten), as opposed to a lock, a read-only file or a full disk."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in DAMAGED_CODES
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


def set_aside(path: Path) -> Path:
    """Rename `path` (and its -wal and -shm files, so a stale log is never replayed into a new
    database) to `<name>.corrupt-<UTC timestamp>`; the new name of `path`."""
    from datetime import UTC, datetime

    target = path.with_name(f"{path.name}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target


def foreign_tables(db: sqlite3.Connection, tables: Mapping[str, Table], legacy: Sequence[str] = ()) -> list[str]:
    """Tables of `db` that are neither in `tables` (with the same columns) nor `legacy`."""
    names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    foreign = []
    for name in names:
        if name.startswith("sqlite_") or name in legacy:
            continue
        columns = tuple(row[0] for row in db.execute("SELECT name FROM pragma_table_info(?)", (name,)))
        if name not in tables or columns != tables[name][0]:
            foreign.append(name)
    return foreign


def open_checked(path: Path, tables: Mapping[str, Table], legacy: Sequence[str] = ()) -> Path | None:
    """`path`, checked and ready: a file there that is not a SQLite database, is damaged where
    its schema lives, or holds foreign tables is set aside first (warning); then the `tables` are
    created and the `legacy` ones dropped. None, with a warning, when the folder or the file
    cannot be made or written (or stays locked): the caller goes on without it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        present: list[str] = []
        if path.exists():
            try:
                with session(path) as db:
                    foreign = foreign_tables(db, tables, legacy)
                    present = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
                problem = f"foreign tables {', '.join(foreign)}" if foreign else ""
            except sqlite3.DatabaseError as error:
                if not is_damaged(error):
                    raise
                problem, present = str(error), []
            if problem:
                log.warning("%s set aside as %s (%s); starting a fresh one", path, set_aside(path), problem)
        create(path, *(schema for _, schema in tables.values()))
        with session(path) as db:
            for name in (n for n in legacy if n in present):
                db.execute(f"DROP TABLE IF EXISTS {name}")
    except (OSError, sqlite3.Error) as error:
        log.warning("cannot use %s (%s); going on without it", path, error)
        return None
    return path


class CheckedFile:
    """A database that may be thrown away, opened with `open_checked` and used through `run`, which
    turns any failure into a default answer instead of an exception. `path` is None when the file
    cannot be used."""

    def __init__(self, path: Path, tables: Mapping[str, Table], legacy: Sequence[str] = ()) -> None:
        self.target, self.tables, self.legacy = path, dict(tables), tuple(legacy)
        self.path = open_checked(path, self.tables, self.legacy)
        self.inode = self.path.stat().st_ino if self.path else None

    def run(self, work: Callable[[sqlite3.Connection], T], default: T) -> T:
        """`work(connection)`, or `default` (with a warning) when there is no usable file or it
        fails. A file found damaged now is set aside (unless another process did already: its
        inode changed) and a fresh one made for the next call."""
        if self.path is None:
            return default
        try:
            with session(self.path) as db:
                return work(db)
        except (OSError, sqlite3.Error) as error:
            if not (isinstance(error, sqlite3.DatabaseError) and is_damaged(error)):
                log.warning("%s not usable (%s); going on without it", self.path, error)
                return default
            try:
                if self.path.stat().st_ino == self.inode:
                    log.warning("%s damaged (%s); set aside as %s", self.path, error, set_aside(self.path))
            except OSError:
                pass  # gone already: another process set it aside
            self.path = open_checked(self.target, self.tables, self.legacy)
            self.inode = self.path.stat().st_ino if self.path else None
            return default
