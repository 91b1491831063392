"""The packaged model: checksum, offline load, normalised float32 embeddings."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from compare.embed.encoders import PACKAGED_SHA256, encode_texts, normalize_rows, packaged_model_path


def test_packaged_model_checksum():
    weights = Path(packaged_model_path()) / "model.safetensors"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    assert digest == PACKAGED_SHA256 == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def test_encode_is_normalised_float32(encoder):
    vectors = encode_texts(encoder, ["The Treasury sanctioned three officials.", "Officials were sanctioned."])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > 0.5


def test_encode_empty(encoder):
    assert encode_texts(encoder, []).shape[0] == 0


def test_normalize_rows_keeps_zero_rows():
    out = normalize_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert np.allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_int8_backend_encodes_close_to_fp32(encoder):
    from compare.embed.encoders import load_encoder

    texts = ["The Treasury sanctioned three officials.", "Officials were sanctioned by the Treasury."]
    fp32 = encode_texts(encoder, texts)
    int8 = encode_texts(load_encoder(backend="int8"), texts)
    assert int8.shape == fp32.shape
    assert np.all(np.sum(fp32 * int8, axis=1) > 0.9)  # each vector points the same way


def test_unknown_backend_is_a_model_error():
    import pytest

    from compare.embed.encoders import ModelError, load_encoder

    with pytest.raises(ModelError, match="unknown backend 'gpu'"):
        load_encoder(backend="gpu")


class Recording:
    """A fake encoder whose vector of a text is (len, first char code); records each call's texts."""

    def __init__(self, on_call=None):
        self.calls: list[list[str]] = []
        self.on_call = on_call

    def encode(self, sentences, **kwargs):
        self.calls.append(list(sentences))
        if self.on_call:
            self.on_call()
        return np.array([[len(s), ord(s[0])] for s in sentences], dtype=np.float32)


def test_encode_texts_sorts_by_length_and_keeps_input_order(monkeypatch):
    import compare.embed.encoders as embed

    monkeypatch.setattr(embed, "PROGRESS_CHUNK", 2)
    texts = ["bb", "a", "dddd", "ccc", "eeeee"]
    fake = Recording()
    seen = []
    vectors = encode_texts(fake, texts, progress=lambda done, total: seen.append((done, total)))
    assert fake.calls == [["eeeee", "dddd"], ["ccc", "bb"], ["a"]]  # longest first: batches pad little
    assert np.allclose(vectors, normalize_rows(np.array([[len(t), ord(t[0])] for t in texts], dtype=np.float32)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_encode_texts_leaves_a_core_while_another_stage_works(monkeypatch):
    import torch

    import compare.embed.encoders as embed

    monkeypatch.setattr(embed, "SHARING_CHUNK", 1)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    threads: list[int] = []
    busy = iter([True, True, False])
    try:
        encode_texts(
            Recording(lambda: threads.append(torch.get_num_threads())), ["a", "b", "c"], sharing=lambda: next(busy)
        )
        assert threads == [1, 1, 2]
        assert torch.get_num_threads() == 2  # restored
    finally:
        torch.set_num_threads(before)


def tiny_model_folder(folder: Path) -> Path:
    """A folder laid out like a sentence-transformers model (its contents need not load)."""
    (folder / "1_Pooling").mkdir(parents=True)
    (folder / "onnx").mkdir()
    (folder / "modules.json").write_text('[{"idx": 0, "path": "", "type": "Transformer"}]')
    (folder / "config.json").write_text('{"hidden_size": 4}')
    (folder / "1_Pooling" / "config.json").write_text('{"pooling_mode_mean_tokens": true}')
    (folder / "model.safetensors").write_bytes(bytes(range(256)) * 64)
    (folder / "onnx" / "model.onnx").write_bytes(b"onnx")
    return folder


def test_folder_fingerprint_follows_the_content(tmp_path):
    import shutil

    from compare.embed.encoders import folder_fingerprint

    folder = tiny_model_folder(tmp_path / "model")
    before = folder_fingerprint(folder)
    copy = Path(shutil.copytree(folder, tmp_path / "copy"))
    assert folder_fingerprint(copy) == before  # the content, not the place
    pooling = folder / "1_Pooling" / "config.json"
    original = pooling.read_bytes()
    pooling.write_bytes(original.replace(b"true", b"True"))  # one byte of a config file
    assert folder_fingerprint(folder) != before
    pooling.write_bytes(original)
    assert folder_fingerprint(folder) == before
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-1] + b"\x00")  # the last byte of the weights
    assert folder_fingerprint(folder) != before
    weights.write_bytes(bytes(range(256)) * 64)
    (folder / "config.json").rename(folder / "config2.json")  # a renamed file
    assert folder_fingerprint(folder) != before
    (folder / "config2.json").rename(folder / "config.json")
    (folder / "onnx" / "model.onnx").write_bytes(b"other export")  # not read by the torch backend
    (folder / ".cache").mkdir()
    (folder / ".cache" / "lock").write_text("x")
    assert folder_fingerprint(folder) == before


def test_packaged_model_fingerprint_is_its_folder():
    from compare.config import DEFAULT_MODEL
    from compare.embed.encoders import folder_fingerprint, model_fingerprint, model_folder

    assert model_folder(DEFAULT_MODEL) == Path(packaged_model_path())
    assert model_fingerprint(DEFAULT_MODEL) == folder_fingerprint(Path(packaged_model_path()))
    assert model_fingerprint("no-such-org/no-such-model-xyz") is None  # not downloaded: unknown


def test_encode_texts_runs_one_onnx_batch_fewer_while_another_stage_works(monkeypatch):
    import compare.embed.encoders as embed
    from compare.embed.onnx import onnx_threads

    monkeypatch.setattr(embed, "SHARING_CHUNK", 1)
    before = onnx_threads(2)
    threads: list[int] = []
    busy = iter([True, True, False])
    try:
        encode_texts(Recording(lambda: threads.append(onnx_threads())), ["a", "b", "c"], sharing=lambda: next(busy))
        assert threads == [1, 1, 2]
        assert onnx_threads() == 2  # restored
    finally:
        onnx_threads(before)
