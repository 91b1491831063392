"""Start-up stays light: importing the package, the CLI and the pipeline loads no heavy library;
each is imported only by the stage that uses it."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("streamlit", "pandas", "torch", "spacy", "sentence_transformers", "sklearn", "transformers", "trafilatura")


def test_cli_imports_nothing_heavy():
    code = (
        "import sys, compare, compare.cli, compare.pipeline, compare.export.rows, compare.review.store, "
        "compare.embed.cache, compare.facts.cache; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cold_comparison_with_the_onnx_model_imports_no_torch(encoder):
    """With the ONNX export present (the `encoder` fixture made it), a whole comparison with no
    embedding cache runs without torch, sentence-transformers or transformers, nor scikit-learn
    (about 2 s to import; the alignment's TF-IDF terms are `compare.align.tfidf`)."""
    from compare.embed.onnx import OnnxEncoder
    from tests.conftest import SEED_A, SEED_B

    assert isinstance(encoder, OnnxEncoder)
    code = (
        "import sys; from compare import Config, compare_files; "
        f"c = compare_files({str(SEED_A)!r}, {str(SEED_B)!r}, Config(use_cache=False)); "
        "assert c.verdicts; "
        "print(','.join(m for m in ('torch', 'sentence_transformers', 'transformers', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_dashboard_imports_neither_pandas_nor_altair_before_its_page_needs_them():
    """The first page starts the facts reader and the model before pandas is imported (0.7 s);
    altair is not used at all (the similarity map is a Vega-Lite spec)."""
    code = "import sys, dashboard; print(','.join(m for m in ('pandas', 'altair', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_facts_process_starts_before_anything_heavy():
    """app.py starts the facts process first thing: the package and `compare.facts.process` import
    only the standard library (not even numpy), and the pipeline works with the process started."""
    code = (
        "import sys; from compare.facts.process import start_facts_process, stop_facts_process; "
        "start_facts_process(); "
        "print(','.join(m for m in ('numpy', 'compare.records', 'compare.facts.extract') if m in sys.modules)); "
        "from compare import pipeline; assert pipeline.facts_process().submit(len, 'ab').result(timeout=300) == 2; "
        "stop_facts_process()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    assert out.stdout.strip() == ""


def test_the_dashboards_first_page_imports_no_pandas(encoder):
    """The first run of the page (a fresh process, the seed pair) draws the first tab alone, whose
    side by side view needs no table: pandas (0.5-0.7 s) waits until a reader opens a tab with one
    (issue 16)."""
    from tests.conftest import ROOT

    code = (
        "import sys; from streamlit.testing.v1 import AppTest; "
        f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=300); at.run(); "
        "assert not at.exception and not at.dataframe and any('Seed report 000' in m.value for m in at.markdown); "
        "from compare.pipeline import stop_facts_process; stop_facts_process(); "
        "print(','.join(m for m in ('pandas', 'altair') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
