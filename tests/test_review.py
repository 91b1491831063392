"""The review store: persistence, staleness, applying decisions, concurrent and killed writers."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from dataclasses import replace

import pytest

from compare import sqlite
from compare.config import Config
from compare.export import rows as export
from compare.records import Comparison, Status
from compare.review.store import (
    MIGRATIONS,
    WAIT_SECONDS,
    Action,
    Decision,
    ReviewStore,
    apply_decisions,
    review_columns,
    split_stale,
)
from compare.sqlite import StoreError
from tests.test_export import handmade


def test_decisions_persist_across_store_instances(tmp_path):
    path = tmp_path / "r.sqlite"
    comparison = handmade()
    ReviewStore(path).save(comparison, Decision(1, 1, Action.CONFIRM, note="matches the wire copy"), Config())
    loaded = ReviewStore(path).load(comparison)
    assert [(d.a_id, d.b_id, d.action, d.note) for d in loaded] == [(1, 1, Action.CONFIRM, "matches the wire copy")]
    assert loaded[0].model == "test" and '"threshold"' in loaded[0].settings
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_same_pair_is_replaced_not_duplicated(tmp_path):
    store, comparison = ReviewStore(tmp_path / "r.sqlite"), handmade()
    store.save(comparison, Decision(0, 0, Action.CONFIRM), Config())
    store.save(comparison, Decision(0, 0, Action.REJECT, note="different counts"), Config())
    assert [(d.action, d.note) for d in store.load(comparison)] == [(Action.REJECT, "different counts")]


def test_changed_report_makes_decisions_stale(tmp_path):
    store, comparison = ReviewStore(tmp_path / "r.sqlite"), handmade()
    store.save(comparison, Decision(1, 1, Action.CONFIRM), Config())
    edited_b = replace(comparison.b, text="an edited body")
    edited = replace(comparison, b_side=replace(comparison.b_side, article=edited_b))
    current, stale = split_stale(edited, store.load(edited))
    assert current == [] and len(stale) == 1


def test_apply_link_split_relabel():
    comparison = handmade()
    decisions = [
        Decision(2, 2, Action.LINK, note="same event"),
        Decision(1, 1, Action.SPLIT),
        Decision(0, 0, Action.RELABEL, label="partial"),
    ]
    applied = apply_decisions(comparison, decisions, Config())
    by_pair = {(v.alignment.a, v.alignment.b): v for v in applied.verdicts}
    assert (2, 2) in by_pair and (2, None) not in by_pair and (None, 2) not in by_pair
    assert (1, 1) not in by_pair and by_pair[(1, None)].status is Status.ONLY_A
    assert by_pair[(None, 1)].status is Status.ONLY_B
    assert by_pair[(0, 0)].status is Status.PARTIAL
    rows = export.alignment_rows(applied, review_columns(decisions))
    linked = next(r for r in rows if r["a_id"] == "2" and r["b_id"] == "2")
    assert (linked["review"], linked["note"]) == ("linked", "same event")
    assert {r["review"] for r in rows if r["a_id"] == "1"} == {"split"}


def write_many(path: str, a_id: int, count: int) -> None:
    store, comparison = ReviewStore(path), handmade()
    for b_id in range(count):
        store.save(comparison, Decision(a_id, b_id, Action.CONFIRM, note=f"{a_id}-{b_id}"), Config())


def test_two_writers_on_different_pairs_keep_everything(tmp_path):
    path = str(tmp_path / "r.sqlite")
    ReviewStore(path)
    spawn = multiprocessing.get_context("spawn")  # fresh processes, no handles inherited from pytest
    workers = [spawn.Process(target=write_many, args=(path, a, 40)) for a in (0, 1)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    notes = {d.note for d in ReviewStore(path).load(handmade())}
    assert notes == {f"{a}-{b}" for a in (0, 1) for b in range(40)}


def write_forever(path: str, progress: str) -> None:
    store, comparison = ReviewStore(path), handmade()
    b_id = 0
    while True:
        store.save(comparison, Decision(0, b_id, Action.CONFIRM, note=str(b_id)), Config())
        with open(progress + ".tmp", "w") as handle:  # written only after the commit returned
            handle.write(str(b_id))
        os.replace(progress + ".tmp", progress)
        b_id += 1


def test_killed_writer_loses_no_committed_decision(tmp_path):
    path, progress = str(tmp_path / "r.sqlite"), str(tmp_path / "progress")
    ReviewStore(path)
    worker = multiprocessing.get_context("spawn").Process(target=write_forever, args=(path, progress))
    worker.start()
    deadline = time.time() + 30
    while time.time() < deadline and (not os.path.exists(progress) or int(open(progress).read() or 0) < 50):
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    worker.join()
    committed = int(open(progress).read())
    notes = {int(d.note) for d in ReviewStore(path).load(handmade())}
    assert set(range(committed + 1)) <= notes


def test_forget_a_decision(tmp_path):
    store, comparison = ReviewStore(tmp_path / "r.sqlite"), handmade()
    store.save(comparison, Decision(0, 0, Action.CONFIRM), Config())
    store.save(comparison, Decision(1, 1, Action.REJECT), Config())
    store.delete(comparison, 0, 0)
    assert [(d.a_id, d.b_id) for d in store.load(comparison)] == [(1, 1)]


def pasted(a_text: str, b_text: str) -> Comparison:
    """The handmade comparison as the dashboard files a pasted pair: ids pasted-A / pasted-B."""
    c = handmade()
    a_side = replace(c.a_side, article=replace(c.a, id="pasted-A", text=a_text))
    b_side = replace(c.b_side, article=replace(c.b, id="pasted-B", text=b_text))
    return replace(c, a_side=a_side, b_side=b_side)


def test_same_ids_different_texts_keep_their_own_decisions(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite")
    storm, vote = pasted("A storm report.", "Another storm report."), pasted("A vote report.", "Another vote report.")
    store.save(storm, Decision(0, 0, Action.CONFIRM, note="storm reviewer"), Config())
    store.save(vote, Decision(0, 0, Action.REJECT, note="vote reviewer"), Config())
    assert [(d.action, d.note) for d in store.load(storm)] == [(Action.CONFIRM, "storm reviewer")]
    assert [(d.action, d.note) for d in store.load(vote)] == [(Action.REJECT, "vote reviewer")]
    assert split_stale(vote, store.load(vote))[1] == []  # not even shown as stale
    store.delete(vote, 0, 0)
    assert [d.note for d in store.load(storm)] == ["storm reviewer"]


def test_edited_report_shows_old_decisions_stale_until_reviewed_again(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite")
    before = pasted("Three people died. Rescuers came.", "Three died on Monday. Help came.")
    after = pasted("Three people died. Rescuers came.", "Four died on Monday. Help came.")
    store.save(before, Decision(0, 0, Action.CONFIRM), Config())
    store.save(before, Decision(1, 1, Action.CONFIRM), Config())
    current, stale = split_stale(after, store.load(after))
    assert current == [] and [(d.a_id, d.b_id) for d in stale] == [(0, 0), (1, 1)]
    store.save(after, Decision(0, 0, Action.REJECT), Config())
    current, stale = split_stale(after, store.load(after))
    assert [(d.a_id, d.action) for d in current] == [(0, Action.REJECT)]
    assert [(d.a_id, d.b_id) for d in stale] == [(1, 1)]  # (0, 0) was reviewed again
    kept = split_stale(before, store.load(before))[0]  # nothing overwritten
    assert [d.action for d in kept] == [Action.CONFIRM, Action.CONFIRM]


OLD_SCHEMA = """
CREATE TABLE decisions (
    a_report TEXT NOT NULL, b_report TEXT NOT NULL, a_id INTEGER NOT NULL, b_id INTEGER NOT NULL,
    action TEXT NOT NULL, label TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
    a_hash TEXT NOT NULL, b_hash TEXT NOT NULL, model TEXT NOT NULL, settings TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (a_report, b_report, a_id, b_id)
)
"""


def test_store_from_the_first_schema_is_migrated(tmp_path):
    from compare.review.store import content_hash

    path = tmp_path / "r.sqlite"
    reviewed, edited = pasted("Old A.", "Old B."), pasted("Old A.", "Edited B.")
    with sqlite3.connect(path) as db:  # a reviews.sqlite written before schema versions
        db.execute(OLD_SCHEMA)
        row = ("pasted-A", "pasted-B", 1, 1, "confirm", "", "kept", content_hash(reviewed.a), content_hash(reviewed.b))
        db.execute("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'test', '{}', 1.0)", row)
    store = ReviewStore(path)
    assert [(d.a_id, d.b_id, d.note) for d in split_stale(reviewed, store.load(reviewed))[0]] == [(1, 1, "kept")]
    assert [d.note for d in split_stale(edited, store.load(edited))[1]] == ["kept"]
    store.save(pasted("New A.", "New B."), Decision(1, 1, Action.REJECT), Config())  # same ids, other texts
    assert [d.note for d in ReviewStore(path).load(reviewed)] == ["kept"]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 2


def test_corrupt_database_is_a_plain_error(tmp_path):
    path = tmp_path / "r.sqlite"
    garbage = bytes(range(256)) * 8
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="not a database") as raised:
        ReviewStore(path)
    assert "\n" not in str(raised.value) and str(path) in str(raised.value)
    assert path.read_bytes() == garbage  # left as it was, for whoever can repair it


def test_locked_database_fails_fast_and_keeps_decisions(tmp_path):
    path = tmp_path / "r.sqlite"
    store, comparison = ReviewStore(path), handmade()
    store.save(comparison, Decision(0, 0, Action.CONFIRM, note="first"), Config())
    store.save(comparison, Decision(1, 1, Action.REJECT, note="second"), Config())
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match="locked by another program"):
            store.save(comparison, Decision(2, 2, Action.LINK, note="third"), Config())
        assert time.monotonic() - started < WAIT_SECONDS + 5
        assert {d.note for d in store.load(comparison)} == {"first", "second"}  # readers are not blocked
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert {d.note for d in ReviewStore(path).load(comparison)} == {"first", "second"}


def connect_read_only(path, wait_seconds=60, durable=False):
    """What `sqlite.connect` gives on a read-only file (root ignores chmod, so SQLite's
    read-only open mode stands in for it)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=wait_seconds, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
    return db


def test_read_only_database_is_a_plain_error(tmp_path, monkeypatch):
    store, comparison = ReviewStore(tmp_path / "r.sqlite"), handmade()
    store.save(comparison, Decision(0, 0, Action.CONFIRM, note="first"), Config())
    monkeypatch.setattr(sqlite, "connect", connect_read_only)
    assert [d.note for d in store.load(comparison)] == ["first"]
    with pytest.raises(StoreError, match="read-only"):
        store.save(comparison, Decision(1, 1, Action.REJECT), Config())
    monkeypatch.undo()
    assert [d.note for d in store.load(comparison)] == ["first"]


def test_full_disk_is_a_plain_error(tmp_path, monkeypatch):
    store, comparison = ReviewStore(tmp_path / "r.sqlite"), handmade()
    store.save(comparison, Decision(0, 0, Action.CONFIRM, note="first"), Config())
    real_connect = sqlite.connect

    def connect_full(path, wait_seconds=60, durable=False):  # the file may not grow by a page
        db = real_connect(path, wait_seconds, durable)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count={pages}")
        return db

    monkeypatch.setattr(sqlite, "connect", connect_full)
    with pytest.raises(StoreError, match="disk is full"):
        store.save(comparison, Decision(1, 1, Action.REJECT, note="x" * 100_000), Config())
    monkeypatch.undo()
    assert [d.note for d in store.load(comparison)] == ["first"]


def sqlite_error(kind: type[sqlite3.Error], message: str, code: int | None) -> sqlite3.Error:
    error = kind(message)
    if code is not None:
        error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (sqlite_error(sqlite3.OperationalError, "database is locked", sqlite3.SQLITE_BUSY), "locked by another"),
        (sqlite_error(sqlite3.OperationalError, "database table is locked", sqlite3.SQLITE_LOCKED), "locked by"),
        (sqlite_error(sqlite3.OperationalError, "attempt to write a readonly database", 8), "read-only"),
        (sqlite_error(sqlite3.OperationalError, "disk I/O error", 778), "I/O error"),  # SQLITE_IOERR_WRITE
        (sqlite_error(sqlite3.DatabaseError, "database disk image is malformed", 11), "corrupt"),
        (sqlite_error(sqlite3.DatabaseError, "file is not a database", 26), "not a database"),
        (sqlite_error(sqlite3.OperationalError, "database or disk is full", 13), "disk is full"),
        (sqlite_error(sqlite3.OperationalError, "unable to open database file", 14), "cannot be opened"),
        (sqlite_error(sqlite3.ProgrammingError, "Cannot operate on a closed database.\nmore", None), "closed database"),
        (PermissionError(13, "Permission denied"), "Permission denied"),
    ],
)
def test_sqlite_errors_are_explained_in_one_line(error, reason):
    assert reason in sqlite.explain(error) and "\n" not in sqlite.explain(error)


def test_default_store_is_in_the_user_data_folder(tmp_path, monkeypatch):
    """Started from any folder, the dashboard finds the same store: COMPARE_REVIEW_DB if set,
    else the user's data folder (platformdirs); always an absolute path."""
    from compare.review.store import default_path

    monkeypatch.delenv("COMPARE_REVIEW_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert default_path() == tmp_path / "data" / "compare" / "reviews.sqlite"
    assert ReviewStore().path == default_path()
    monkeypatch.setenv("COMPARE_REVIEW_DB", "relative/reviews.sqlite")
    assert default_path() == tmp_path / "relative" / "reviews.sqlite"


def test_a_rejected_pair_is_no_longer_aligned_and_the_counts_and_exports_follow():
    """Reject does what it says: the pair's row goes, its sentences become one-sided (each keeps
    any other partner), the status counts change, and the decision and note stay on those rows."""
    comparison = handmade()
    before = export.status_counts(comparison)
    applied = apply_decisions(comparison, [Decision(1, 1, Action.REJECT, note="different acts")], Config())
    pairs = {(v.alignment.a, v.alignment.b): v.status for v in applied.verdicts}
    assert (1, 1) not in pairs and pairs[(1, None)] is Status.ONLY_A and pairs[(None, 1)] is Status.ONLY_B
    after = export.status_counts(applied)
    assert after["agree"] == before["agree"] - 1
    assert (after["only_a"], after["only_b"]) == (before["only_a"] + 1, before["only_b"] + 1)
    rows = export.alignment_rows(applied, review_columns([Decision(1, 1, Action.REJECT, note="different acts")]))
    assert [(r["a_id"], r["b_id"], r["review"], r["note"]) for r in rows if r["review"]] == [
        ("1", "", "rejected", "different acts"), ("", "1", "rejected", "different acts")]
    confirmed = apply_decisions(comparison, [Decision(1, 1, Action.CONFIRM)], Config())
    assert export.status_counts(confirmed) == before


def test_a_save_over_a_decision_saved_since_is_refused_and_kept_in_the_history(tmp_path):
    """Issue 26, item 1: two reviewers open the same pair (version 0); the first save wins, the
    second is refused with theirs, nothing is overwritten; "keep mine" saves over their version;
    every save and forget is in the history, in order, with who made it."""
    from compare.review.store import ReviewConflict, history_rows

    path, comparison = tmp_path / "r.sqlite", handmade()
    first = ReviewStore(path).save(comparison, Decision(1, 1, Action.CONFIRM, reviewer="Ana"), Config(), expected=0)
    assert first.version == 1
    with pytest.raises(ReviewConflict) as refused:
        ReviewStore(path).save(comparison, Decision(1, 1, Action.REJECT, note="no", reviewer="Ben"), Config(), 0)
    assert refused.value.theirs.action is Action.CONFIRM and refused.value.theirs.reviewer == "Ana"
    assert [(d.action, d.reviewer) for d in ReviewStore(path).load(comparison)] == [(Action.CONFIRM, "Ana")]
    mine = ReviewStore(path).save(comparison, Decision(1, 1, Action.REJECT, reviewer="Ben"), Config(), expected=1)
    assert mine.version == 2
    ReviewStore(path).delete(comparison, 1, 1, reviewer="Ana")
    history = ReviewStore(path).history(comparison)
    assert [(e.event, e.decision.action.value, e.decision.reviewer, e.decision.version) for e in history] == [
        ("save", "confirm", "Ana", 1), ("save", "reject", "Ben", 2), ("forget", "reject", "Ana", 2)
    ]
    rows = history_rows(history)
    assert rows[1]["reviewer"] == "Ben" and rows[1]["at"].endswith("+00:00") and rows[0]["a_id"] == "1"
    with pytest.raises(ReviewConflict):  # forgotten since: a save that saw version 2 is refused too
        ReviewStore(path).save(comparison, Decision(1, 1, Action.CONFIRM), Config(), expected=2)


def test_decisions_of_an_older_database_become_version_1_with_a_history(tmp_path):
    from compare.review.store import content_hash

    path = tmp_path / "r.sqlite"
    reviewed = pasted("Old A.", "Old B.")
    with sqlite3.connect(path) as db:
        db.execute(OLD_SCHEMA)
        row = ("pasted-A", "pasted-B", 1, 1, "confirm", "", "kept", content_hash(reviewed.a), content_hash(reviewed.b))
        db.execute("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'test', '{}', 1.0)", row)
    store = ReviewStore(path)
    assert [(d.note, d.version) for d in store.load(reviewed)] == [("kept", 1)]
    assert [(e.event, e.decision.note) for e in store.history(reviewed)] == [("migrated", "kept")]
    assert store.save(reviewed, Decision(1, 1, Action.REJECT), Config(), expected=1).version == 2


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "approve"), ("a_id", "one"), ("note", b"\x00\xff"), ("version", "two")],
)
def test_a_hand_edited_decision_row_is_skipped_with_a_warning(tmp_path, caplog, column, value):
    """Issue 26, item 3: a row this program did not write never crashes a reader; the good rows stay."""
    path, comparison = tmp_path / "r.sqlite", handmade()
    store = ReviewStore(path)
    store.save(comparison, Decision(0, 0, Action.CONFIRM), Config())
    store.save(comparison, Decision(1, 1, Action.REJECT), Config())
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE decisions SET {column}=? WHERE a_id=1 OR {column}=?", (value, value))
        db.execute(f"UPDATE decision_history SET {column}=? WHERE action='reject'", (value,))
    with caplog.at_level("WARNING"):
        assert [(d.a_id, d.action) for d in store.load(comparison)] == [(0, Action.CONFIRM)]
        assert [e.decision.a_id for e in store.history(comparison)] == [0]
    assert "skipped a decisions row this program did not write" in caplog.text
