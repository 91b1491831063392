"""Where spaCy reads the facts: a thread for short reports, a process of its own for long ones,
with the same facts either way (the seed reports, the real models)."""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from compare import pipeline
from compare.load import load_file
from tests.conftest import SEED_A, SEED_B


def prepared_facts(encoder):
    prepared = pipeline.prepare(load_file(SEED_A), load_file(SEED_B), encoder, "test")
    return prepared.a_facts, prepared.b_facts


def test_short_reports_use_a_thread_long_ones_a_process():
    with pipeline.facts_worker(pipeline.PROCESS_MIN_SENTENCES - 1) as pool:
        assert isinstance(pool, ThreadPoolExecutor)
    with pipeline.facts_worker(pipeline.PROCESS_MIN_SENTENCES) as pool:
        assert isinstance(pool, ProcessPoolExecutor)
        assert pool.submit(sum, [1, 2]).result() == 3


def test_facts_from_the_process_equal_those_from_the_thread(encoder, seed_comparison, monkeypatch):
    used = []
    make = pipeline.facts_worker
    monkeypatch.setattr(pipeline, "PROCESS_MIN_SENTENCES", 1)
    monkeypatch.setattr(pipeline, "facts_worker", lambda n: used.append(make(n)) or used[-1])
    assert prepared_facts(encoder) == (seed_comparison.a_facts, seed_comparison.b_facts)
    assert isinstance(used[0], ProcessPoolExecutor)


def test_a_facts_process_that_cannot_start_falls_back_to_this_one(encoder, seed_comparison, monkeypatch, caplog):
    def broken(_count):
        return ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=sys.exit, initargs=(3,)
        )

    monkeypatch.setattr(pipeline, "facts_worker", broken)
    assert prepared_facts(encoder) == (seed_comparison.a_facts, seed_comparison.b_facts)
    assert "facts process failed" in caplog.text
