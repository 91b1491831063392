"""The ONNX Runtime backend: a sentence-transformers model (Transformer, Pooling, optional
Normalize) run by `onnxruntime` and the model's own fast tokenizer (`tokenizers`), so that
encoding imports neither torch nor sentence-transformers.

The transformer is exported once to ONNX (fp32, the same vectors) with torch, into
`onnx_dir()` under the model folder's content fingerprint; the export is written to a temporary
file, checked against torch on a few sentences, and renamed into place, so two processes
exporting at once both end with a whole file. The sha256 of the checked file is kept beside it
and compared at every load (about 0.1 s), so an export changed on disk is removed and made
again, never used. Nothing is loaded at import.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
EXPORT_VERSION = "onnx-1"  # part of the file name: a change to the export makes a new file
OPSET = 17
POOLING_MODES = ("cls_token", "max_tokens", "mean_tokens", "mean_sqrt_len_tokens")  # sentence-transformers' order
PROBE = ("The Treasury sanctioned three officials on Monday.", "Officials said 12 people were killed.", "Yes.")
MAX_EXPORT_DIFFERENCE = 1e-4
CORES = os.cpu_count() or 1
_threads = [CORES]  # batches every OnnxEncoder of this process runs at once (see `onnx_threads`)


def onnx_threads(count: int | None = None) -> int:
    """Set how many batches the `OnnxEncoder`s of this process run at once, each on one thread
    (when `count` is given); returns the count in force before. Like torch's thread count, it is
    one setting for the process: `encode_texts` lowers it while the spaCy process works."""
    before = _threads[0]
    if count is not None:
        _threads[0] = max(1, count)
    return before


class OnnxUnavailable(RuntimeError):
    """The ONNX backend cannot run this model here (the message says why); use torch instead."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """What a sentence-transformers folder says about running it: the transformer's folder, the
    longest input in tokens, lower-casing, pooling modes (in `POOLING_MODES` order) and whether
    the output is L2-normalised."""

    transformer: Path
    max_seq_length: int
    lower_case: bool
    pooling: tuple[str, ...]
    normalize: bool


def read_json(path: Path) -> dict:
    """The JSON object in `path`, {} when the file is missing."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def read_spec(folder: Path) -> ModelSpec:
    """The `ModelSpec` of a sentence-transformers model folder; raises `OnnxUnavailable` for a
    layout this backend does not run (modules other than Transformer, Pooling, Normalize, or a
    pooling mode it does not know)."""
    modules_file = folder / "modules.json"
    if not modules_file.is_file():
        raise OnnxUnavailable("no modules.json")
    modules = json.loads(modules_file.read_text(encoding="utf-8"))
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise OnnxUnavailable(f"modules {kinds} (only Transformer, Pooling and Normalize are run)")
    transformer = folder / modules[0].get("path", "")
    settings = read_json(transformer / "sentence_bert_config.json")
    pooling_config = read_json(folder / modules[1].get("path", "") / "config.json")
    known = {f"pooling_mode_{mode}" for mode in POOLING_MODES} | {"word_embedding_dimension", "include_prompt"}
    if unknown := sorted(k for k, v in pooling_config.items() if k not in known and v not in (False, None)):
        raise OnnxUnavailable(f"pooling settings {unknown}")
    pooling = tuple(mode for mode in POOLING_MODES if pooling_config.get(f"pooling_mode_{mode}"))
    if not pooling or not (transformer / "tokenizer.json").is_file():
        raise OnnxUnavailable("no pooling mode" if not pooling else "no fast tokenizer (tokenizer.json)")
    tokenizer_config = read_json(transformer / "tokenizer_config.json")
    longest = settings.get("max_seq_length") or tokenizer_config.get("model_max_length") or 512
    return ModelSpec(
        transformer=transformer,
        max_seq_length=int(min(longest, 10**6)),
        lower_case=bool(settings.get("do_lower_case", False)),
        pooling=pooling,
        normalize=len(kinds) == 3,
    )


def onnx_dir() -> Path:
    """Where exported models are kept: `COMPARE_ONNX_DIR`, else `onnx/` in the cache folder
    (`compare.embed.cache.default_cache_dir`). `--no-cache` turns off the embedding cache, not this."""
    if os.environ.get("COMPARE_ONNX_DIR"):
        return Path(os.environ["COMPARE_ONNX_DIR"])
    from compare.config import default_cache_dir

    return default_cache_dir() / "onnx"


def onnx_file(fingerprint: str) -> Path:
    """The exported model of a model folder with content `fingerprint` (`folder_fingerprint`)."""
    return onnx_dir() / f"{fingerprint}-{EXPORT_VERSION}.onnx"


def pool(hidden: np.ndarray, mask: np.ndarray, modes: Sequence[str]) -> np.ndarray:
    """Sentence vectors, shape (n, d * len(modes)), from token states `hidden` (n, t, d) and the
    attention `mask` (n, t): each mode as sentence-transformers' Pooling computes it, concatenated."""
    weights = mask[..., None].astype(np.float32)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    parts = []
    for mode in modes:
        if mode == "cls_token":
            parts.append(hidden[:, 0])
        elif mode == "max_tokens":
            parts.append(np.where(weights > 0, hidden, -1e9).max(axis=1))
        elif mode == "mean_tokens":
            parts.append((hidden * weights).sum(axis=1) / counts)
        else:  # mean_sqrt_len_tokens
            parts.append((hidden * weights).sum(axis=1) / np.sqrt(counts))
    return np.concatenate(parts, axis=1).astype(np.float32)


class OnnxEncoder:
    """An `Encoder` running an exported transformer with onnxruntime: tokenise (truncated to the
    model's `max_seq_length`, padded to the longest in each batch), run, pool, normalise.

    Each batch runs on one thread, and `onnx_threads()` batches run at once (onnxruntime
    releases the GIL): so the share of the cores it takes can change between batches, which
    onnxruntime's own thread pool, fixed when the session is made, cannot. A batch's vectors do
    not depend on the thread count (`tests/test_onnx_encoder.py`)."""

    def __init__(self, path: Path, spec: ModelSpec) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.spec = spec
        self.tokenizer = Tokenizer.from_file(str(spec.transformer / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=spec.max_seq_length)
        pad = read_json(spec.transformer / "tokenizer_config.json").get("pad_token") or "[PAD]"
        pad = pad.get("content", "[PAD]") if isinstance(pad, dict) else pad
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id(pad) or 0, pad_token=pad)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only
        # idle threads sleep instead of spinning: the cores are shared with the spaCy process (and
        # other programs); interleaved on a busy machine, 28-51 vs 23-38 sentences/s with spinning
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.intra_op_num_threads = 1  # the batches run in parallel instead (see the class)
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]

    def encode(self, sentences: Sequence[str], batch_size: int = 32, **kwargs: object) -> np.ndarray:
        """Vectors of `sentences`, shape (len(sentences), d), float32, L2-normalised when the
        model has a Normalize module. Other sentence-transformers arguments are accepted and
        ignored (the output is always a numpy array)."""
        if not sentences:
            return np.zeros((0, 1), dtype=np.float32)
        texts = [s.lower() for s in sentences] if self.spec.lower_case else list(sentences)
        batches = [texts[i : i + batch_size] for i in range(0, len(texts), batch_size)]
        threads = min(onnx_threads(), len(batches))
        if threads > 1:
            with ThreadPoolExecutor(threads) as pool:
                parts = list(pool.map(self.encode_batch, batches))
        else:
            parts = [self.encode_batch(batch) for batch in batches]
        vectors = np.concatenate(parts)
        if self.spec.normalize:
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.clip(norms, 1e-12, None)
        return vectors.astype(np.float32)

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """Pooled (not normalised) vectors of one batch, shape (len(texts), d)."""
        feed = token_arrays(self.tokenizer.encode_batch(texts))
        hidden = self.session.run(None, {name: feed[name] for name in self.inputs})[0]
        return pool(hidden, feed["attention_mask"], self.spec.pooling)


def token_arrays(encodings: Sequence[object]) -> dict[str, np.ndarray]:
    """input_ids, attention_mask and token_type_ids of tokenised texts, each (n, t) int64."""
    return {
        "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),  # type: ignore[attr-defined]
        "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),  # type: ignore[attr-defined]
        "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),  # type: ignore[attr-defined]
    }


def export_onnx(folder: Path, target: Path) -> Path:
    """Export the transformer of the sentence-transformers model in `folder` to ONNX at `target`
    (fp32, dynamic batch and length), with torch; returns `target`. The file is written next to
    `target` under a temporary name, checked against torch on `PROBE` (cosine similarities within
    `MAX_EXPORT_DIFFERENCE`) and renamed into place. Raises `OnnxUnavailable` on any failure."""
    log.info("exporting the model in %s to ONNX, once (takes torch, about 15 s): %s", folder, target)
    spec = read_spec(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
    os.close(handle)
    temp = Path(temp_name)
    try:
        reference = write_onnx(spec, temp)
        exported = OnnxEncoder(temp, spec).encode(list(PROBE))
        difference = float(np.abs(exported @ exported.T - reference @ reference.T).max())
        if difference > MAX_EXPORT_DIFFERENCE:
            raise OnnxUnavailable(f"the export differs from torch by {difference:.1e} in cosine similarity")
        os.chmod(temp, 0o644)  # mkstemp makes it private; the cache folder decides who reads it
        write_digest(target, temp)
        os.replace(temp, target)
    except OnnxUnavailable:
        raise
    except Exception as error:  # noqa: BLE001 - any exporter failure means: run with torch
        raise OnnxUnavailable(f"export failed: {type(error).__name__}: {error}") from error
    finally:
        temp.unlink(missing_ok=True)
    return target


def write_onnx(spec: ModelSpec, path: Path) -> np.ndarray:
    """Write the ONNX graph of `spec`'s transformer (last hidden state) to `path`; returns the
    torch vectors of `PROBE`, shape (len(PROBE), d), pooled and normalised as `spec` says."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(spec.transformer)).eval()

    accepted = inspect.signature(model.forward).parameters
    names = [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in accepted]

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(names, inputs, strict=True))).last_hidden_state

    reference = torch_probe(spec, model, names)  # before the export, which leaves the model changed
    example = tuple(torch.ones(2, 8, dtype=torch.long) for _ in names)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the exporter's deprecation and tracer notes
        torch.onnx.export(
            LastHidden(),
            example,
            str(path),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
            opset_version=OPSET,
            dynamo=False,
        )
    return reference


def torch_probe(spec: ModelSpec, model: object, names: Sequence[str]) -> np.ndarray:
    """`PROBE` encoded by the torch `model` with `spec`'s tokenizer, pooling and normalisation."""
    import torch
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(spec.transformer / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=spec.max_seq_length)
    tokenizer.enable_padding()
    texts = [t.lower() for t in PROBE] if spec.lower_case else list(PROBE)
    encodings = tokenizer.encode_batch(texts)
    feed = token_arrays(encodings)
    with torch.no_grad():
        inputs = {name: torch.from_numpy(feed[name]) for name in names}
        hidden = model(**inputs).last_hidden_state.numpy()  # type: ignore[operator]
    mask = feed["attention_mask"]
    vectors = pool(hidden, mask, spec.pooling)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def digest_file(target: Path) -> Path:
    """Where the export at `target` keeps the sha256 of its bytes, taken when it was checked."""
    return target.with_name(target.name + ".sha256")


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (about 0.1 s for the default model's 90 MB)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_digest(target: Path, source: Path) -> None:
    """Keep the sha256 of `source` (the checked export, before it is renamed to `target`) beside
    `target`, written whole."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".sha256.tmp")
    with os.fdopen(handle, "w") as out:
        out.write(file_digest(source) + "\n")
    os.chmod(name, 0o644)
    os.replace(name, digest_file(target))


def verified(path: Path) -> bool:
    """True when the export at `path` has the bytes it had when it was checked, so a file changed
    on disk (a bad disk, a bad copy, a hand edit) is never used; an export made before digests
    were kept gets its digest now."""
    if not digest_file(path).is_file():
        write_digest(path, path)
        return True
    try:
        kept = digest_file(path).read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return False
    return kept == file_digest(path)


def load_onnx_encoder(folder: Path, fingerprint: str) -> OnnxEncoder:
    """The ONNX encoder of the model in `folder` (content `fingerprint`), exporting it first when
    `onnx_file(fingerprint)` does not exist yet; raises `OnnxUnavailable` when it cannot run."""
    if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("tokenizers") is None:
        raise OnnxUnavailable("onnxruntime or tokenizers is not installed")
    spec = read_spec(folder)
    path = onnx_file(fingerprint)
    if not path.is_file():
        try:
            export_onnx(folder, path)
        except OSError as error:
            raise OnnxUnavailable(f"cannot write {path.parent}: {error}") from error
    try:
        sound = verified(path)
        encoder = OnnxEncoder(path, spec)
    except Exception as error:  # noqa: BLE001 - a broken file: set it aside for a fresh export, run with torch
        path.unlink(missing_ok=True)
        digest_file(path).unlink(missing_ok=True)
        raise OnnxUnavailable(f"cannot load {path} (removed): {type(error).__name__}: {error}") from error
    if not sound:
        path.unlink(missing_ok=True)
        digest_file(path).unlink(missing_ok=True)
        raise OnnxUnavailable(f"{path} changed on disk since it was checked (removed: made again on the next run)")
    return encoder
