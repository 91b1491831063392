"""Reviewer decisions on aligned pairs, kept in SQLite, and applied to a `Comparison`.

A decision is about one (A sentence, B sentence) pair of one report pair:
- confirm / reject: the reviewer agrees or disagrees with the tool's row (the row stays, marked);
- relabel: the reviewer sets the status (agree, partial, conflict);
- link: a pair the tool left apart; it becomes a row, classified like any other;
- split: a pair the tool made wrongly; the row goes, its sentences become one-sided if unpaired.

Decisions are filed under both reports' ids *and* content hashes: two comparisons that reuse the
ids (every pasted pair is pasted-A / pasted-B, uploads use the file name) never see or overwrite
each other's decisions. A decision whose report pair has the same ids and the same text on one
side is one made on an earlier text of the other report: it is reported as stale instead of being
applied silently. (When both texts differ nothing ties the decision to these reports, so it is
not shown.) The model and settings are recorded with each decision.
Writes are transactions in WAL mode; one row per pair, so two reviewers of different pairs never
overwrite each other. Each decision carries the version it is (1 for the first on its pair); a
save names the version its reviewer saw (`expected`), and when someone else has saved the pair
since, nothing is written and `ReviewConflict` carries their decision, so no decision is ever
replaced in silence. Every save and every forget is also appended to `decision_history` (who,
when, what, which version), which is never updated in place. Rows this program did not write (a
hand-edited database: an unknown action, text in an id column) are skipped with a warning naming
them. A database that cannot be read or written (corrupt, read-only, locked for longer than
`WAIT_SECONDS`, disk full) raises `StoreError` with one plain line, never an SQLite traceback; a
failed save commits nothing and leaves every earlier decision in place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path

from compare import sqlite
from compare.config import Config
from compare.judge.classify import classify_pair, one_sided, published_dates
from compare.records import Alignment, Article, Comparison, Status, Verdict

log = logging.getLogger(__name__)


def default_path() -> Path:
    """Where decisions are kept: `COMPARE_REVIEW_DB`, else `reviews.sqlite` in the user's data
    folder for compare (platformdirs; e.g. ~/.local/share/compare), the same wherever the
    dashboard is started; absolute."""
    if os.environ.get("COMPARE_REVIEW_DB"):
        return Path(os.environ["COMPARE_REVIEW_DB"]).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir("compare")).resolve() / "reviews.sqlite"


WAIT_SECONDS = 5  # how long a save waits for another writer before it fails with a message
WHAT = "review database"
COLUMNS = """
    a_report TEXT NOT NULL, b_report TEXT NOT NULL, a_id INTEGER NOT NULL, b_id INTEGER NOT NULL,
    action TEXT NOT NULL, label TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
    a_hash TEXT NOT NULL, b_hash TEXT NOT NULL, model TEXT NOT NULL, settings TEXT NOT NULL,
    updated REAL NOT NULL,
"""
# Schema versions (PRAGMA user_version); step i turns version i into i + 1. A store made before
# versions existed has version 0 and the version-1 table, which `IF NOT EXISTS` keeps.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: decisions keyed by the report ids only
    (f"CREATE TABLE IF NOT EXISTS decisions ({COLUMNS} PRIMARY KEY (a_report, b_report, a_id, b_id))",),
    # 2: keyed by ids and content hashes. Version-1 rows already carry both hashes, so they are
    # copied as they are: each stays with the texts it was made on (current while both texts are
    # unchanged, stale once one changes), and nothing is lost.
    (
        f"CREATE TABLE decisions_v2 ({COLUMNS} PRIMARY KEY (a_report, a_hash, b_report, b_hash, a_id, b_id))",
        "INSERT INTO decisions_v2 SELECT * FROM decisions",
        "DROP TABLE decisions",
        "ALTER TABLE decisions_v2 RENAME TO decisions",
    ),
    # 3: decisions on the claims of a story (`compare.story.claim_review`), appended in order
    (
        "CREATE TABLE IF NOT EXISTS claim_decisions (seq INTEGER PRIMARY KEY AUTOINCREMENT, story TEXT NOT NULL, "
        "action TEXT NOT NULL, members TEXT NOT NULL, part TEXT NOT NULL DEFAULT '[]', "
        "target TEXT NOT NULL DEFAULT '[]', note TEXT NOT NULL DEFAULT '', model TEXT NOT NULL, "
        "settings TEXT NOT NULL, updated REAL NOT NULL)",
        "CREATE INDEX IF NOT EXISTS claim_decisions_story ON claim_decisions (story, seq)",
    ),
    # 4: versions and reviewers on decisions, and the append-only history of every save and
    # forget; each decision already kept becomes version 1, its first history entry ("migrated")
    (
        "ALTER TABLE decisions ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE decisions ADD COLUMN reviewer TEXT NOT NULL DEFAULT ''",
        "CREATE TABLE IF NOT EXISTS decision_history (seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL, "
        "a_report TEXT NOT NULL, a_hash TEXT NOT NULL, b_report TEXT NOT NULL, b_hash TEXT NOT NULL, "
        "a_id INTEGER NOT NULL, b_id INTEGER NOT NULL, version INTEGER NOT NULL, action TEXT NOT NULL, "
        "label TEXT NOT NULL, note TEXT NOT NULL, reviewer TEXT NOT NULL, model TEXT NOT NULL, "
        "settings TEXT NOT NULL, at REAL NOT NULL)",
        "INSERT INTO decision_history (event, a_report, a_hash, b_report, b_hash, a_id, b_id, version, action, "
        "label, note, reviewer, model, settings, at) SELECT 'migrated', a_report, a_hash, b_report, b_hash, a_id, "
        "b_id, 1, action, label, note, '', model, settings, updated FROM decisions",
        "CREATE INDEX IF NOT EXISTS decision_history_pair ON decision_history (a_report, b_report, a_id, b_id, seq)",
    ),
    # 5: the texts of the reports decisions are made on, so the decisions can teach the models
    # (`python -m compare learn`); filled from now on, by every save
    (
        "CREATE TABLE IF NOT EXISTS reports (hash TEXT PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL, "
        "title TEXT NOT NULL, published TEXT NOT NULL, text TEXT NOT NULL)",
    ),
)
EVENTS = ("save", "forget", "migrated")


class Action(StrEnum):
    """What a reviewer decided about a pair."""

    CONFIRM = "confirm"
    REJECT = "reject"
    RELABEL = "relabel"
    LINK = "link"
    SPLIT = "split"


@dataclass(frozen=True, slots=True)
class Decision:
    """One reviewer decision on the pair (a_id, b_id)."""

    a_id: int
    b_id: int
    action: Action
    label: str = ""  # the new status, for relabel
    note: str = ""
    a_hash: str = ""
    b_hash: str = ""
    model: str = ""
    settings: str = ""
    version: int = 0  # 1 for the first decision saved on its pair, then 2, ...; 0 before it is saved
    reviewer: str = ""  # who saved it (the dashboard's reviewer name), "" when not given


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One entry of a pair's history: a save (the decision as saved, its version) or a forget
    (the decision forgotten), who made it and when (seconds since the epoch)."""

    event: str
    decision: Decision
    at: float


class ReviewConflict(Exception):  # noqa: N818 - a conflict between two reviewers, not a program error
    """A save refused because someone else saved the pair since its reviewer saw it: `theirs`
    is the decision now in the store (None when they forgot it)."""

    def __init__(self, theirs: Decision | None, expected: int) -> None:
        super().__init__(f"the pair was changed since version {expected}")
        self.theirs = theirs
        self.expected = expected


def content_hash(article: Article) -> str:
    """sha256 of a report's body text: decisions are tied to the text they were made on."""
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def report_key(article: Article) -> tuple[str, str]:
    """(id, content hash): what a report is filed under in the store."""
    return article.id, content_hash(article)


class ReviewStore:
    """Decisions in an SQLite file; each call opens its own connection (safe across sessions).
    Every method raises `StoreError` (one plain line) when the database cannot be used."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = default_path() if path is None else Path(path)
        with sqlite.plain_errors(WHAT, self.path):
            sqlite.migrate(self.path, MIGRATIONS, wait_seconds=WAIT_SECONDS)

    def connect(self) -> AbstractContextManager[sqlite3.Connection]:
        """A connection (closed after its block) that waits up to `WAIT_SECONDS` for a busy
        writer and syncs every committed decision to disk."""
        return sqlite.session(self.path, wait_seconds=WAIT_SECONDS, durable=True)

    def save(
        self, comparison: Comparison, decision: Decision, config: Config, expected: int | None = None
    ) -> Decision:
        """Store `decision` for this report pair as the pair's next version, and append it to the
        history; the decision as stored. `expected` is the version its reviewer saw (0: none):
        when the pair is at another version now, nothing is written and `ReviewConflict` says
        whose decision is there. None saves whatever is there (a script, or "keep mine")."""
        stamped = replace(
            decision,
            a_hash=content_hash(comparison.a),
            b_hash=content_hash(comparison.b),
            model=comparison.model,
            settings=json.dumps(asdict(config), sort_keys=True),
        )
        keys = (comparison.a.id, stamped.a_hash, comparison.b.id, stamped.b_hash, stamped.a_id, stamped.b_id)
        with sqlite.plain_errors(WHAT, self.path), self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            now = self.current_row(db, keys)
            version = now.version if now else 0
            if expected is not None and version != expected:
                db.execute("ROLLBACK")
                raise ReviewConflict(now, expected)
            stamped = replace(stamped, version=version + 1)
            when = time.time()
            db.execute(
                "INSERT OR REPLACE INTO decisions (a_report, a_hash, b_report, b_hash, a_id, b_id, action, label, "
                "note, model, settings, updated, version, reviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*keys, *self.fields(stamped), when, stamped.version, stamped.reviewer),
            )
            self.append(db, "save", keys, stamped, when)
            for article in (comparison.a, comparison.b):  # the texts the decision was made on (for learning)
                db.execute(
                    "INSERT OR IGNORE INTO reports VALUES (?, ?, ?, ?, ?, ?)",
                    (content_hash(article), article.id, article.source, article.title,
                     article.published.isoformat() if article.published else "", article.text),
                )
            db.execute("COMMIT")
        return stamped

    def delete(self, comparison: Comparison, a_id: int, b_id: int, reviewer: str = "") -> None:
        """Forget the decision on one pair of these reports as they are now (the forget is
        appended to the history, with `reviewer`)."""
        keys = (*report_key(comparison.a), *report_key(comparison.b), a_id, b_id)
        with sqlite.plain_errors(WHAT, self.path), self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            now = self.current_row(db, keys)
            if now is not None:
                db.execute(
                    "DELETE FROM decisions WHERE a_report=? AND a_hash=? AND b_report=? AND b_hash=? AND a_id=? "
                    "AND b_id=?",
                    keys,
                )
                self.append(db, "forget", keys, replace(now, reviewer=reviewer), time.time())
            db.execute("COMMIT")

    @staticmethod
    def fields(d: Decision) -> tuple[object, ...]:
        """The columns a decision and its history entry share: action, label, note, model, settings."""
        return (d.action.value, d.label, d.note, d.model, d.settings)

    @staticmethod
    def current_row(db: sqlite3.Connection, keys: tuple[object, ...]) -> Decision | None:
        """The decision stored on the pair `keys` (a_report, a_hash, b_report, b_hash, a_id, b_id), if any."""
        row = db.execute(
            "SELECT a_id, b_id, action, label, note, a_hash, b_hash, model, settings, version, reviewer "
            "FROM decisions WHERE a_report=? AND a_hash=? AND b_report=? AND b_hash=? AND a_id=? AND b_id=?",
            keys,
        ).fetchone()
        return None if row is None else read_decision(row)

    @staticmethod
    def append(db: sqlite3.Connection, event: str, keys: tuple[object, ...], d: Decision, when: float) -> None:
        """Append one history entry (never updated in place)."""
        db.execute(
            "INSERT INTO decision_history (event, a_report, a_hash, b_report, b_hash, a_id, b_id, version, action, "
            "label, note, reviewer, model, settings, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event, *keys, d.version, d.action.value, d.label, d.note, d.reviewer, d.model, d.settings, when),
        )

    def history(self, comparison: Comparison) -> list[HistoryEntry]:
        """Every save and forget on this report pair as it is now (both texts), oldest first;
        rows this program did not write (a hand-edited database) are skipped with one warning."""
        (a_report, a_hash), (b_report, b_hash) = report_key(comparison.a), report_key(comparison.b)
        with sqlite.plain_errors(WHAT, self.path), self.connect() as db:
            rows = db.execute(
                "SELECT event, a_id, b_id, action, label, note, a_hash, b_hash, model, settings, version, reviewer, at "
                "FROM decision_history WHERE a_report=? AND a_hash=? AND b_report=? AND b_hash=? ORDER BY seq",
                (a_report, a_hash, b_report, b_hash),
            ).fetchall()
        entries = []
        for row in rows:
            decision = read_decision(row[1:12])
            if decision is None or row[0] not in EVENTS or not isinstance(row[12], int | float):
                bad_row(self.path, "decision_history", row)
                continue
            entries.append(HistoryEntry(row[0], decision, float(row[12])))
        return entries

    def load(self, comparison: Comparison) -> list[Decision]:
        """The decisions on this report pair, oldest first: those made on these texts, and those
        made on an earlier text of one of them (same ids, the other text unchanged)."""
        (a_report, a_hash), (b_report, b_hash) = report_key(comparison.a), report_key(comparison.b)
        with sqlite.plain_errors(WHAT, self.path), self.connect() as db:
            rows = db.execute(
                "SELECT a_id, b_id, action, label, note, a_hash, b_hash, model, settings, version, reviewer "
                "FROM decisions WHERE a_report=? AND b_report=? AND (a_hash=? OR b_hash=?) ORDER BY updated",
                (a_report, b_report, a_hash, b_hash),
            ).fetchall()
        decisions = []
        for row in rows:
            decision = read_decision(row)
            if decision is None:
                bad_row(self.path, "decisions", row)
            else:
                decisions.append(decision)
        return decisions


def read_decision(row: Sequence[object]) -> Decision | None:
    """A `Decision` from a stored row (a_id, b_id, action, label, note, a_hash, b_hash, model,
    settings, version, reviewer), or None when the row is not one this program writes: ids that
    are not whole numbers, an unknown action, text fields that are not text (a hand-edited database)."""
    a_id, b_id, action, *texts, version, reviewer = row
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in (a_id, b_id, version)):
        return None
    if action not in {a.value for a in Action} or not all(isinstance(t, str) for t in (*texts, reviewer)):
        return None
    return Decision(a_id, b_id, Action(action), *texts, version=version, reviewer=reviewer)  # type: ignore[arg-type]


WARNED: set[tuple[str, str, str]] = set()  # (file, table, row) already warned about in this process


def bad_row(path: Path, table: str, row: Sequence[object]) -> None:
    """Warn, once per row and process, that a stored row is skipped (naming the file, the table
    and the row)."""
    shown = ", ".join(repr(v)[:40] for v in row)
    if (str(path), table, shown) not in WARNED:
        WARNED.add((str(path), table, shown))
        log.warning("%s: skipped a %s row this program did not write: (%s)", path, table, shown)


def split_stale(comparison: Comparison, decisions: list[Decision]) -> tuple[list[Decision], list[Decision]]:
    """(decisions made on the reports as they are now, decisions made on an earlier text of a pair
    not reviewed again since: a pair decided on the current texts supersedes its stale decision)."""
    a_hash, b_hash = content_hash(comparison.a), content_hash(comparison.b)
    current = [d for d in decisions if d.a_hash == a_hash and d.b_hash == b_hash]
    reviewed = {(d.a_id, d.b_id) for d in current}
    stale = [d for d in decisions if d not in current and (d.a_id, d.b_id) not in reviewed]
    return current, stale


def apply_decisions(comparison: Comparison, decisions: list[Decision], config: Config) -> Comparison:
    """`comparison` with the reviewer's decisions applied (call with current decisions only)."""
    verdicts = {(v.alignment.a, v.alignment.b): v for v in comparison.verdicts}
    for d in decisions:
        if not (0 <= d.a_id < len(comparison.a_sentences) and 0 <= d.b_id < len(comparison.b_sentences)):
            continue
        key = (d.a_id, d.b_id)
        if d.action is Action.LINK and key not in verdicts:
            similarity = round(comparison.similarity(d.a_id, d.b_id), 6)
            texts = (comparison.a_sentences[d.a_id].text, comparison.b_sentences[d.b_id].text)
            verdicts[key] = classify_pair(
                Alignment(d.a_id, d.b_id, similarity),
                texts,
                comparison.a_facts[d.a_id],
                comparison.b_facts[d.b_id],
                config,
                published_dates(comparison.a_side, comparison.b_side),
            )
        elif d.action in (Action.SPLIT, Action.REJECT):  # no longer aligned: one-sided, or with another partner
            verdicts.pop(key, None)
        elif d.action is Action.RELABEL and key in verdicts and d.label in {s.value for s in Status}:
            verdicts[key] = replace(verdicts[key], status=Status(d.label))
    return replace(comparison, verdicts=tuple(fill_one_sided(comparison, list(verdicts.values()))))


def fill_one_sided(comparison: Comparison, verdicts: list[Verdict]) -> list[Verdict]:
    """`verdicts` where one-sided rows match the pairs: a sentence in a pair has no one-sided row,
    and a sentence in no row gets one."""
    paired_a = {v.alignment.a for v in verdicts if v.alignment.a is not None and v.alignment.b is not None}
    paired_b = {v.alignment.b for v in verdicts if v.alignment.a is not None and v.alignment.b is not None}
    kept = [
        v
        for v in verdicts
        if not (v.alignment.b is None and v.alignment.a in paired_a)
        and not (v.alignment.a is None and v.alignment.b in paired_b)
    ]
    present_a = {v.alignment.a for v in kept}
    present_b = {v.alignment.b for v in kept}
    kept += [one_sided("a", i, facts) for i, facts in enumerate(comparison.a_facts) if i not in present_a]
    kept += [one_sided("b", j, facts) for j, facts in enumerate(comparison.b_facts) if j not in present_b]
    return kept


def review_columns(decisions: list[Decision]) -> dict[tuple[int | None, int | None], tuple[str, str]]:
    """(a_id, b_id) -> (review, note) for the export's `review` and `note` columns."""
    columns: dict[tuple[int | None, int | None], tuple[str, str]] = {}
    for d in decisions:
        text = {
            Action.CONFIRM: "confirmed",
            Action.REJECT: "rejected",
            Action.RELABEL: f"relabelled {d.label}",
            Action.LINK: "linked",
            Action.SPLIT: "split",
        }[d.action]
        columns[(d.a_id, d.b_id)] = (text, d.note)
        if d.action in (Action.SPLIT, Action.REJECT):  # the note goes with the one-sided rows left behind
            columns.setdefault((d.a_id, None), (text, d.note))
            columns.setdefault((None, d.b_id), (text, d.note))
    return columns


HISTORY_COLUMNS = ("a_id", "b_id", "version", "event", "action", "label", "note", "reviewer", "at", "model")


def history_rows(entries: list[HistoryEntry]) -> list[dict[str, str]]:
    """The `review_history` export: one row per save or forget (`HISTORY_COLUMNS`), oldest first;
    ids 0-based as in every CSV, `at` in UTC (ISO 8601)."""
    from datetime import UTC, datetime

    return [
        {
            "a_id": str(e.decision.a_id),
            "b_id": str(e.decision.b_id),
            "version": str(e.decision.version),
            "event": e.event,
            "action": e.decision.action.value,
            "label": e.decision.label,
            "note": e.decision.note,
            "reviewer": e.decision.reviewer,
            "at": datetime.fromtimestamp(e.at, UTC).isoformat(timespec="seconds"),
            "model": e.decision.model,
        }
        for e in entries
    ]
