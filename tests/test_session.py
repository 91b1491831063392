"""One session for every front end (`compare.session`): the same comparison as the pipeline's
entry point, settings per call, the same file twice kept apart, the facts process stopped."""

from __future__ import annotations

from dataclasses import replace

from compare import pipeline
from compare.config import Config
from compare.session import Session
from tests.conftest import SEED_A, SEED_B


def test_session_prepares_once_and_compares_under_any_settings(encoder, seed_comparison, tmp_path, monkeypatch):
    monkeypatch.setenv("COMPARE_CACHE_DIR", str(tmp_path / "cache"))
    with Session(Config(), encoder) as session:
        a, b = session.load_pair(SEED_A, SEED_B)
        prepared = session.prepare(a, b)
        comparison = session.compare(prepared)
        assert comparison.verdicts == seed_comparison.verdicts
        strict = session.compare(prepared, replace(session.config, threshold=1.0))
        assert all(v.alignment.a is None or v.alignment.b is None for v in strict.verdicts)
        same_a, same_b = session.load_pair(SEED_A, SEED_A)
        assert (same_a.id, same_b.id) == (a.id, f"{a.id}-b") and same_b.url == same_a.url
    assert pipeline.facts_process.cache_info().currsize == 0  # closed with the block
