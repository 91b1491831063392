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
overwrite each other. A database that cannot be read or written (corrupt, read-only, locked for
longer than `WAIT_SECONDS`, disk full) raises `StoreError` with one plain line, never an SQLite
traceback; a failed save commits nothing and leaves every earlier decision in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path

from compare import sqlite
from compare.config import Config
from compare.judge.classify import classify_pair, one_sided, published_dates
from compare.records import Alignment, Article, Comparison, Status, Verdict


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
)


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

    def save(self, comparison: Comparison, decision: Decision, config: Config) -> Decision:
        """Store `decision` for this report pair (replacing an earlier one on the same pair)."""
        stamped = replace(
            decision,
            a_hash=content_hash(comparison.a),
            b_hash=content_hash(comparison.b),
            model=comparison.model,
            settings=json.dumps(asdict(config), sort_keys=True),
        )
        with sqlite.plain_errors(WHAT, self.path), self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    comparison.a.id,
                    comparison.b.id,
                    stamped.a_id,
                    stamped.b_id,
                    stamped.action.value,
                    stamped.label,
                    stamped.note,
                    stamped.a_hash,
                    stamped.b_hash,
                    stamped.model,
                    stamped.settings,
                    time.time(),
                ),
            )
            db.execute("COMMIT")
        return stamped

    def delete(self, comparison: Comparison, a_id: int, b_id: int) -> None:
        """Forget the decision on one pair of these reports as they are now."""
        with sqlite.plain_errors(WHAT, self.path), self.connect() as db:
            db.execute(
                "DELETE FROM decisions WHERE a_report=? AND a_hash=? AND b_report=? AND b_hash=? AND a_id=? AND b_id=?",
                (*report_key(comparison.a), *report_key(comparison.b), a_id, b_id),
            )

    def load(self, comparison: Comparison) -> list[Decision]:
        """The decisions on this report pair, oldest first: those made on these texts, and those
        made on an earlier text of one of them (same ids, the other text unchanged)."""
        (a_report, a_hash), (b_report, b_hash) = report_key(comparison.a), report_key(comparison.b)
        with sqlite.plain_errors(WHAT, self.path), self.connect() as db:
            rows = db.execute(
                "SELECT a_id, b_id, action, label, note, a_hash, b_hash, model, settings FROM decisions "
                "WHERE a_report=? AND b_report=? AND (a_hash=? OR b_hash=?) ORDER BY updated",
                (a_report, b_report, a_hash, b_hash),
            ).fetchall()
        return [Decision(r[0], r[1], Action(r[2]), *r[3:]) for r in rows]


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
