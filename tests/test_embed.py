"""The packaged model: checksum, offline load, normalised float32 embeddings."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from compare.embed import PACKAGED_SHA256, encode_texts, normalize_rows, packaged_model_path


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
    from compare.embed import load_encoder

    texts = ["The Treasury sanctioned three officials.", "Officials were sanctioned by the Treasury."]
    fp32 = encode_texts(encoder, texts)
    int8 = encode_texts(load_encoder(backend="int8"), texts)
    assert int8.shape == fp32.shape
    assert np.all(np.sum(fp32 * int8, axis=1) > 0.9)  # each vector points the same way


def test_unknown_backend_is_a_model_error():
    import pytest

    from compare.embed import ModelError, load_encoder

    with pytest.raises(ModelError, match="unknown backend 'gpu'"):
        load_encoder(backend="gpu")
