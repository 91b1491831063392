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
    made with the sentence model `model`, on texts the store keeps, and on the latest texts
    of their report ids (decisions on an earlier text of the same reports are stale); oldest
    report pair first."""
    with sqlite.plain_errors(WHAT, store.path), store.connect() as db:
        rows = db.execute(
            "SELECT a_report, a_hash, b_report, b_hash, MAX(updated) FROM decisions WHERE model=? "
            "GROUP BY a_report, a_hash, b_report, b_hash ORDER BY MAX(updated)",
            (model,),
        ).fetchall()
        latest: dict[tuple[str, str], tuple[str, str, float]] = {}  # ids -> the newest texts decided on
        for a_report, a_hash, b_report, b_hash, updated in rows:
            if isinstance(updated, int | float):
                latest[(a_report, b_report)] = (a_hash, b_hash, float(updated))
        out = []
        for (a_report, b_report), (a_hash, b_hash, _) in sorted(latest.items(), key=lambda item: item[1][2]):
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

