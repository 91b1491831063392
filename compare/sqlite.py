"""The one way the project opens its SQLite files (review decisions, caches): autocommit
connections that wait for a busy writer, databases in WAL mode so readers never block writers,
schema versions in `PRAGMA user_version`, and SQLite's errors turned into one plain line.
`CheckedFile` is for files that may be thrown away (caches): a damaged or foreign file is set
aside and a fresh one made, and no failure reaches the caller."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
Table = tuple[tuple[str, ...], str]  # (column names, CREATE TABLE IF NOT EXISTS statement)

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


def create(path: Path, *schemas: str, wait_seconds: float = 60) -> None:
    """Make `path`'s folder, switch the database to WAL mode and create the `schemas`' tables. Two
    processes creating one new file at once can get "database is locked" at once from the switch
    to WAL, where SQLite does not wait on its busy handler: tried again until `wait_seconds`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            with session(path, wait_seconds) as db:
                db.execute("PRAGMA journal_mode=WAL")
                for schema in schemas:
                    db.execute(schema)
            return
        except sqlite3.OperationalError as error:
            if not is_locked(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def is_locked(error: sqlite3.Error) -> bool:
    """True when `error` says another connection holds the lock (SQLITE_BUSY or SQLITE_LOCKED)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error).lower()


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
