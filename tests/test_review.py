"""The review store: persistence, staleness, applying decisions, concurrent and killed writers."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from dataclasses import replace

from compare import export
from compare.config import Config
from compare.records import Status
from compare.review import Action, Decision, ReviewStore, apply_decisions, review_columns, split_stale
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
    edited = replace(comparison, b=replace(comparison.b, text="an edited body"))
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
