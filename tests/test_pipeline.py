"""Where spaCy reads the facts: a process of its own, kept between comparisons, with the same
facts as reading them here; and what happens when that process cannot run (the seed reports,
the real models)."""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor

from compare import pipeline
from compare.read.load import load_file
from tests.conftest import SEED_A, SEED_B


def prepared_facts(encoder):
    prepared = pipeline.prepare(load_file(SEED_A), load_file(SEED_B), encoder, "test")
    return prepared.a_side.facts, prepared.b_side.facts


def test_facts_come_from_the_process_kept_between_comparisons(encoder, seed_comparison, monkeypatch):
    from compare.facts import extract as facts

    here = []
    monkeypatch.setattr(facts, "extract_facts", lambda *args: here.append(args))  # this process must not parse
    pipeline.stop_facts_process()
    assert prepared_facts(encoder) == (seed_comparison.a_facts, seed_comparison.b_facts)
    worker = pipeline.facts_process()
    assert prepared_facts(encoder) == (seed_comparison.a_facts, seed_comparison.b_facts)
    assert pipeline.facts_process() is worker and here == []
    pipeline.stop_facts_process()
    assert pipeline.facts_process.cache_info().currsize == 0


def test_a_facts_process_started_ahead_is_the_one_that_reads(encoder, seed_comparison):
    """The dashboard starts the facts process (spaCy and dateparser loading) as its page starts."""
    pipeline.stop_facts_process()
    pipeline.start_facts_process()
    worker = pipeline.facts_process()
    pipeline.start_facts_process()  # running already: nothing changes
    assert pipeline.facts_process() is worker
    assert prepared_facts(encoder) == (seed_comparison.a_facts, seed_comparison.b_facts)
    assert pipeline.facts_process() is worker
    pipeline.stop_facts_process()
    assert pipeline.facts_process.cache_info().currsize == 0


def test_a_facts_process_that_fails_leaves_the_work_to_this_one(encoder, seed_comparison, monkeypatch, caplog):
    def broken():
        return ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=sys.exit, initargs=(3,)
        )

    monkeypatch.setattr(pipeline, "facts_process", broken)
    broken.cache_clear = lambda: None
    assert prepared_facts(encoder) == (seed_comparison.a_facts, seed_comparison.b_facts)
    assert "facts process failed" in caplog.text


def test_cached_facts_start_no_process(encoder, tmp_path, monkeypatch):
    from compare.facts.cache import FactsCache

    a, b = load_file(SEED_A), load_file(SEED_B)
    store = FactsCache(tmp_path)
    first = pipeline.prepare(a, b, encoder, "test", facts_cache=store)
    monkeypatch.setattr(pipeline, "facts_process", lambda: (_ for _ in ()).throw(AssertionError("started")))
    assert pipeline.prepare(a, b, encoder, "test", facts_cache=store).a_side.facts == first.a_side.facts


def test_the_facts_process_keeps_torch_out_without_breaking_scipy():
    import subprocess

    code = (
        "import sys\n"
        "from compare.facts.nlp import without_torch, parse_texts\n"
        "without_torch()\n"
        "assert parse_texts(['Steven Mnuchin spoke.'])[0].ents\n"
        "import scipy.stats, sklearn.feature_extraction.text\n"  # they look for torch in sys.modules
        "assert 'torch' not in sys.modules\n"
        "try:\n    import torch\nexcept ImportError:\n    print('blocked')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "blocked"


def test_the_facts_process_does_not_run_the_parents_main_script(tmp_path, monkeypatch):
    """Under Streamlit `__main__` is app.py; a spawned child would run it again (the dashboard,
    torch, the model) before reading a fact (issue 13, item 2)."""
    import types

    from compare.records import Article

    marker = tmp_path / "ran"
    script = tmp_path / "app.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('the main script ran in the child')\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    pipeline.stop_facts_process()
    article = Article("a", "A", "", None, "Steven Mnuchin spoke in Seoul on Monday.")
    sentences = pipeline.split_checked(article)
    try:
        reading = pipeline.submit_facts(([(article, sentences), (article, sentences)], None), [None, None])
        a_facts, _ = reading.result(timeout=300)
    finally:
        pipeline.stop_facts_process()
    assert any(f.value == "Steven Mnuchin" for f in a_facts[0])
    assert not marker.exists()
    assert sys.modules["__main__"] is main
