"""Shared fixtures: the real packaged model and the seed reports in `articles/`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
# the ONNX export of the model (made once, with torch) is kept across tests and test runs, unlike
# the embedding cache, which each test gets afresh (review_db below)
os.environ.setdefault("COMPARE_ONNX_DIR", str(ROOT / ".pytest_cache" / "onnx"))
# model versions a reviewer made (`compare.versions`) in a folder of the tests' own, empty: the shipped models
os.environ["COMPARE_MODELS_DIR"] = tempfile.mkdtemp(prefix="compare-models-")
ARTICLES = ROOT / "articles"
SEED_A = ARTICLES / "000_54a59e14602e937a.txt"  # published 2018-12-16
SEED_B = ARTICLES / "003_d6f58a359228a0fb.txt"  # published 2018-12-10
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def encoder():
    """The default model with the default backend (ONNX Runtime), loaded once per test run."""
    from compare.embed.encoders import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def torch_encoder():
    """The default model run by sentence-transformers (torch), loaded once per test run."""
    from compare.embed.encoders import load_encoder

    return load_encoder(backend="torch")


@pytest.fixture(scope="session")
def seed_comparison(encoder):
    """The comparison of the two seed reports with default settings."""
    from compare import Config, compare_files

    return compare_files(SEED_A, SEED_B, Config(), encoder)


@pytest.fixture(autouse=True)
def review_db(tmp_path, monkeypatch):
    """Each test reviews into its own SQLite file, never the user's `.compare/`."""
    path = tmp_path / "reviews.sqlite"
    monkeypatch.setenv("COMPARE_REVIEW_DB", str(path))
    monkeypatch.setenv("COMPARE_CACHE_DIR", str(tmp_path / "cache"))  # and caches into its own folder
    return path
