"""The ONNX Runtime backend: the same vectors as torch, the model's own pooling, a safe export,
and torch instead whenever it cannot run."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import compare.embed.onnx as onnx_encoder
from compare.embed.encoders import encode_texts, load_onnx, packaged_model_path
from compare.embed.onnx import ModelSpec, OnnxEncoder, OnnxUnavailable, export_onnx, pool, read_spec
from compare.read.load import load_file
from compare.read.split import split_sentences
from tests.conftest import ARTICLES, SHARED

DEV_A = SHARED / "eval" / "dev" / "d01-quake" / "a.txt"


def report_sentences() -> list[str]:
    """Every sentence of the seed reports and of one dev report."""
    paths = [*sorted(ARTICLES.glob("*.txt")), *([DEV_A] if DEV_A.exists() else [])]
    return [s.text for path in paths for s in split_sentences(load_file(path))]


def test_default_backend_is_onnx(encoder):
    assert isinstance(encoder, OnnxEncoder)


def test_onnx_vectors_match_torch_on_the_reports(encoder, torch_encoder):
    if not DEV_A.exists():
        pytest.skip("../shared/eval not found")
    texts = report_sentences()
    onnx, torch = encode_texts(encoder, texts), encode_texts(torch_encoder, texts)
    assert onnx.shape == torch.shape == (len(texts), 384) and len(texts) > 60
    assert float(np.abs(onnx @ onnx.T - torch @ torch.T).max()) < 1e-4


def test_onnx_vectors_do_not_depend_on_how_many_batches_run_at_once(encoder):
    """Batches run one thread each, `onnx_threads()` at once: one at a time (while spaCy works)
    or side by side, the vectors are the same to the last bit, and in the same order."""
    texts = sorted(report_sentences(), key=len, reverse=True)
    before = onnx_encoder.onnx_threads(1)
    try:
        alone = encoder.encode(texts, batch_size=8)
        onnx_encoder.onnx_threads(3)
        side_by_side = encoder.encode(texts, batch_size=8)
    finally:
        onnx_encoder.onnx_threads(before)
    assert len(texts) > 40 and np.array_equal(alone, side_by_side)


def test_onnx_runs_each_batch_on_one_thread(encoder):
    options = encoder.session.get_session_options()
    assert options.intra_op_num_threads == 1 and options.inter_op_num_threads == 1


def test_onnx_truncates_like_torch(encoder, torch_encoder):
    long = " ".join(["The ministry said the talks would resume in Geneva next week."] * 40)  # > 256 tokens
    texts = [long, "The talks resume next week."]
    onnx, torch = encode_texts(encoder, texts), encode_texts(torch_encoder, texts)
    assert float(np.abs(onnx @ onnx.T - torch @ torch.T).max()) < 1e-4


def brute_pool(hidden: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    rows = []
    for states, keep in zip(hidden, mask, strict=True):
        tokens = states[keep.astype(bool)]
        rows.append(
            {
                "cls_token": states[0],
                "max_tokens": tokens.max(axis=0),
                "mean_tokens": tokens.mean(axis=0),
                "mean_sqrt_len_tokens": tokens.sum(axis=0) / np.sqrt(len(tokens)),
            }[mode]
        )
    return np.array(rows)


@pytest.mark.parametrize("mode", onnx_encoder.POOLING_MODES)
def test_pool_equals_a_brute_force_version(mode):
    rng = np.random.default_rng(0)
    hidden = rng.normal(size=(3, 5, 4)).astype(np.float32)
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0]])
    assert np.allclose(pool(hidden, mask, [mode]), brute_pool(hidden, mask, mode), atol=1e-6)


def test_pool_concatenates_modes_in_order():
    hidden = np.arange(12, dtype=np.float32).reshape(1, 3, 4)
    out = pool(hidden, np.array([[1, 1, 0]]), ["cls_token", "mean_tokens"])
    assert out.shape == (1, 8) and np.allclose(out[0, :4], hidden[0, 0]) and np.allclose(out[0, 4:], [2, 3, 4, 5])


def model_folder(tmp: Path, modules: list[str], pooling: dict, settings: dict | None = None) -> Path:
    """A sentence-transformers-like folder with these module types and pooling config."""
    folder = tmp / "model"
    (folder / "1_Pooling").mkdir(parents=True)
    paths = {"Transformer": "", "Pooling": "1_Pooling", "Normalize": "2_Normalize", "Dense": "2_Dense"}
    entries = [{"idx": i, "path": paths[m], "type": f"sentence_transformers.models.{m}"} for i, m in enumerate(modules)]
    (folder / "modules.json").write_text(json.dumps(entries))
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    (folder / "sentence_bert_config.json").write_text(json.dumps(settings or {"max_seq_length": 128}))
    (folder / "tokenizer.json").write_text("{}")
    return folder


@pytest.mark.parametrize(
    ("modules", "pooling", "expected"),
    [
        (["Transformer", "Pooling", "Normalize"], {"pooling_mode_mean_tokens": True}, (("mean_tokens",), True)),
        (["Transformer", "Pooling"], {"pooling_mode_cls_token": True}, (("cls_token",), False)),
        (
            ["Transformer", "Pooling"],
            {"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True},
            (("max_tokens", "mean_tokens"), False),
        ),
        (["Transformer", "Pooling", "Dense"], {"pooling_mode_mean_tokens": True}, "modules"),
        (["Transformer", "Pooling"], {"pooling_mode_weightedmean_tokens": True}, "pooling settings"),
        (["Transformer", "Pooling"], {"pooling_mode_mean_tokens": False}, "no pooling mode"),
    ],
)
def test_read_spec_runs_only_what_it_knows(tmp_path, modules, pooling, expected):
    folder = model_folder(tmp_path, modules, {"word_embedding_dimension": 4, **pooling})
    if isinstance(expected, str):
        with pytest.raises(OnnxUnavailable, match=expected):
            read_spec(folder)
    else:
        spec = read_spec(folder)
        assert (spec.pooling, spec.normalize) == expected and spec.max_seq_length == 128


def test_packaged_model_spec():
    spec = read_spec(Path(packaged_model_path()))
    assert spec == ModelSpec(Path(packaged_model_path()), 256, False, ("mean_tokens",), True)


def test_unsupported_model_falls_back_to_torch(tmp_path, monkeypatch, caplog):
    import compare.embed.encoders as embed

    folder = model_folder(tmp_path, ["Transformer", "Pooling", "Dense"], {"pooling_mode_mean_tokens": True})
    monkeypatch.setattr(embed, "model_folder", lambda name: folder)
    with caplog.at_level(logging.WARNING):
        assert load_onnx("some-model") is None
    assert "ONNX backend unavailable for model 'some-model'" in caplog.text and "using torch" in caplog.text
    monkeypatch.setattr(embed, "model_folder", lambda name: None)  # a hub model not downloaded yet
    assert load_onnx("some-model") is None


def test_broken_export_is_removed_and_torch_used(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPARE_ONNX_DIR", str(tmp_path))
    broken = onnx_encoder.onnx_file("f" * 64)
    broken.write_bytes(b"not a model")
    with pytest.raises(OnnxUnavailable, match="cannot load"):
        onnx_encoder.load_onnx_encoder(Path(packaged_model_path()), "f" * 64)
    assert not broken.exists()  # the next run exports afresh


def test_concurrent_exports_leave_one_whole_file(tmp_path, monkeypatch):
    """Two processes exporting at once: each writes its own temporary file and renames it, so the
    target is always absent or whole, and no temporary file is left."""
    model = b"x" * 100_000

    def slow_write(spec, path):
        with open(path, "wb") as handle:
            for start in range(0, len(model), 10_000):
                handle.write(model[start : start + 10_000])
                handle.flush()
                time.sleep(0.01)
        return np.eye(3, dtype=np.float32)

    class Fake:
        def __init__(self, path, spec):
            assert Path(path).read_bytes() == model

        def encode(self, texts):
            return np.eye(3, dtype=np.float32)

    monkeypatch.setattr(onnx_encoder, "write_onnx", slow_write)
    monkeypatch.setattr(onnx_encoder, "OnnxEncoder", Fake)
    target = tmp_path / "onnx" / "model.onnx"
    seen: list[bytes] = []
    workers = [threading.Thread(target=export_onnx, args=(Path(packaged_model_path()), target)) for _ in range(2)]
    for worker in workers:
        worker.start()
    while any(w.is_alive() for w in workers):
        if target.exists():
            seen.append(target.read_bytes())
        time.sleep(0.005)
    assert target.read_bytes() == model and all(s == model for s in seen)
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.onnx", "model.onnx.sha256"]


def test_export_that_differs_from_torch_is_refused(tmp_path, monkeypatch):
    class Off:
        def __init__(self, path, spec):
            pass

        def encode(self, texts):
            return np.array([[1, 0], [0, 1], [1, 0]], dtype=np.float32)

    monkeypatch.setattr(onnx_encoder, "write_onnx", lambda spec, path: np.eye(3, dtype=np.float32))
    monkeypatch.setattr(onnx_encoder, "OnnxEncoder", Off)
    target = tmp_path / "model.onnx"
    with pytest.raises(OnnxUnavailable, match="differs from torch"):
        export_onnx(Path(packaged_model_path()), target)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_export_folder_means_torch(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COMPARE_ONNX_DIR", str(blocker / "onnx"))
    with pytest.raises(OnnxUnavailable, match="cannot write"):
        onnx_encoder.load_onnx_encoder(Path(packaged_model_path()), "e" * 64)


def test_the_install_step_makes_the_export_the_first_page_needs(tmp_path):
    """`python -m compare.embed.encoders` (run by `make install` and `make run`) leaves the
    exported model where the dashboard's first page looks, so that page never exports (issue 25)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COMPARE_ONNX_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "compare.embed.encoders"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "ONNX backend ready" in done.stdout
    exported = list(tmp_path.glob("*.onnx"))
    assert len(exported) == 1 and exported[0].stat().st_size > 10_000_000
    assert OnnxEncoder(exported[0], read_spec(Path(packaged_model_path()))).encode(["One sentence."]).shape == (1, 384)


def test_an_export_changed_on_disk_is_never_used(tmp_path, monkeypatch):
    """Issue 26, item 2, for the other cache the project keeps: an exported model whose bytes
    changed since it was checked (8 bytes in the middle of its weights) is removed (made again on
    the next run) and this run uses torch, never the changed file."""
    import shutil

    from compare.embed.encoders import folder_fingerprint

    folder = Path(packaged_model_path())
    fingerprint = folder_fingerprint(folder)
    monkeypatch.setenv("COMPARE_ONNX_DIR", str(tmp_path / "first"))
    good = onnx_encoder.onnx_file(fingerprint)
    onnx_encoder.load_onnx_encoder(folder, fingerprint)  # exported, checked, its digest kept
    assert onnx_encoder.digest_file(good).is_file()
    monkeypatch.setenv("COMPARE_ONNX_DIR", str(tmp_path / "second"))
    copy = onnx_encoder.onnx_file(fingerprint)
    copy.parent.mkdir()
    shutil.copy(good, copy)
    shutil.copy(onnx_encoder.digest_file(good), onnx_encoder.digest_file(copy))
    onnx_encoder.load_onnx_encoder(folder, fingerprint)  # a whole copy is used
    data = bytearray(copy.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 8] = b"\x7f" * 8
    copy.write_bytes(bytes(data))
    with pytest.raises(OnnxUnavailable, match="changed on disk"):
        onnx_encoder.load_onnx_encoder(folder, fingerprint)
    assert not copy.exists() and not onnx_encoder.digest_file(copy).exists()
