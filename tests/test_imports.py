"""Start-up stays light: importing the package, the CLI and the pipeline loads no heavy library;
each is imported only by the stage that uses it."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("streamlit", "pandas", "torch", "spacy", "sentence_transformers", "sklearn", "transformers", "trafilatura")


def test_cli_imports_nothing_heavy():
    code = (
        "import sys, compare, compare.cli, compare.pipeline, compare.export, compare.review, compare.cache; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
