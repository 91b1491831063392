"""The model versions a reviewer's decisions made (`python -m compare learn`), and which one is in use.

Each version is a folder `v1`, `v2`, ... under `models_dir()` holding `match.json` (the match model),
`conflict.json` (the conflict judge) and `meta.json` (when, from how many decisions, the held-out
figures); the file `active` names the version in use. With no active version (the default, and after
`--reset`) the shipped models in `compare/models/` are used. Everything is JSON: nothing in a model
file can run code. A version is written to a temporary folder and renamed into place, and `active`
is replaced whole, so a reader sees an old version or a new one, never half of one.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

SHIPPED = "shipped"
VERSION = re.compile(r"^v(\d+)$")


def models_dir() -> Path:
    """Where versions are kept: `COMPARE_MODELS_DIR`, else `models/` in the user's data folder for
    compare (platformdirs; e.g. ~/.local/share/compare/models)."""
    if os.environ.get("COMPARE_MODELS_DIR"):
        return Path(os.environ["COMPARE_MODELS_DIR"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("compare")) / "models"


def active_version() -> str:
    """The version in use (`v3`), or `SHIPPED` when none is (or the one named is gone)."""
    try:
        name = (models_dir() / "active").read_text(encoding="utf-8").strip()
    except OSError:
        return SHIPPED
    return name if VERSION.match(name) and (models_dir() / name / "meta.json").is_file() else SHIPPED


def active_file(name: str) -> Path | None:
    """The file `name` (`match.json`, `conflict.json`) of the version in use; None for the shipped models."""
    version = active_version()
    return None if version == SHIPPED else models_dir() / version / name


def versions() -> list[tuple[str, dict]]:
    """Every version, oldest first, with its meta.json (an unreadable one as {})."""
    folder = models_dir()
    found = []
    for path in folder.glob("v*") if folder.is_dir() else ():
        if VERSION.match(path.name) and (path / "meta.json").is_file():
            try:
                meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = {}
            found.append((path.name, meta if isinstance(meta, dict) else {}))
    return sorted(found, key=lambda item: int(item[0][1:]))


def write_version(match: dict, conflict: dict, meta: dict) -> str:
    """Write a new version (the next number) and return its name; it is not made active here."""
    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=folder, prefix=".new-"))
    for name, body in (("match.json", match), ("conflict.json", conflict), ("meta.json", meta)):
        (temp / name).write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    while True:
        number = max((int(v[1:]) for v, _ in versions()), default=0) + 1
        try:
            temp.rename(folder / f"v{number}")
        except OSError:  # another process took that number: the next
            continue
        return f"v{number}"


def use(version: str) -> None:
    """Make `version` the one in use (`SHIPPED` for the shipped models); ValueError when there is
    no such version."""
    folder = models_dir()
    if version != SHIPPED and version not in dict(versions()):
        known = ", ".join([SHIPPED, *(v for v, _ in versions())])
        raise ValueError(f"no model version {version!r} (there are: {known})")
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix=".active-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(version + "\n")
    os.replace(name, folder / "active")
