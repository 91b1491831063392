"""The texts the review store keeps of the reports decisions were made on, and the decisions that
can teach the models (`python -m compare learn`, `compare.quality.reviews`)."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import date

from compare import sqlite
from compare.records import Article
from compare.review.store import WHAT, Decision, ReviewStore, read_decision


@dataclass(frozen=True, slots=True)
class ReviewedPair:
    """A report pair as the review store keeps it, with the reviewer's decisions on it."""

    a: Article
    b: Article
    decisions: tuple[Decision, ...]


def reviewed_pairs(store: ReviewStore, model: str) -> list[ReviewedPair]:
    """Every report pair with decisions that can teach the models (`python -m compare learn`):
    made with the sentence model `model`, on texts the store keeps, and not stale: decisions on a
    text one report had before it was edited (a newer decision on the same report ids has the other
    text the same) are left out, as the review store leaves them (`split_stale`); two pairs that
    only share ids (every pasted pair is pasted-A / pasted-B) both teach. Oldest pair first."""
    with sqlite.plain_errors(WHAT, store.path), store.connect() as db:
        rows = db.execute(
            "SELECT a_report, a_hash, b_report, b_hash, MAX(updated) FROM decisions WHERE model=? "
            "GROUP BY a_report, a_hash, b_report, b_hash",
            (model,),
        ).fetchall()
        current: list[tuple[str, str, str, str]] = []  # the texts decided on that no later edit replaced
        newest_first = sorted(rows, key=lambda r: -float(r[4]) if isinstance(r[4], int | float) else 0.0)
        for a_report, a_hash, b_report, b_hash, _ in newest_first:
            edited = any(  # a newer decision on the same reports with one text the same: this text is older
                (a_report, b_report) == (x, y) and (a_hash == p or b_hash == q) for x, p, y, q in current
            )
            if not edited:
                current.append((a_report, a_hash, b_report, b_hash))
        out = []
        for a_report, a_hash, b_report, b_hash in reversed(current):
            a, b = (stored_report(db, h) for h in (a_hash, b_hash))
            if a is None or b is None:
                continue  # made before the texts were kept
            found = db.execute(
                "SELECT a_id, b_id, action, label, note, a_hash, b_hash, model, settings, version, reviewer "
                "FROM decisions WHERE a_report=? AND a_hash=? AND b_report=? AND b_hash=? AND model=? "
                "ORDER BY updated",
                (a_report, a_hash, b_report, b_hash, model),
            ).fetchall()
            decisions = [d for d in map(read_decision, found) if d is not None]
            if decisions:
                out.append(ReviewedPair(a, b, tuple(decisions)))
    return out


def stored_report(db: sqlite3.Connection, digest: str) -> Article | None:
    """The report whose text has content hash `digest`, as the store keeps it (None when it
    does not, or the row is not one this program writes)."""
    row = db.execute("SELECT id, source, title, published, text FROM reports WHERE hash=?", (digest,)).fetchone()
    if row is None or not all(isinstance(v, str) for v in row):
        return None
    report_id, source, title, published, text = row
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
        return None  # changed since it was stored
    try:
        day = date.fromisoformat(published) if published else None
    except ValueError:
        day = None
    return Article(report_id, source, title, day, text)

