"""Every command the README and docs/ show runs on a fresh copy of the repository (its tracked files
only: no out/ folder, no ../shared beside it), with the reports of examples/, and exits 0."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOCS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "examples" / "README.md")
PLACEHOLDERS = ("tcp://host:",)  # a scheduler address the reader replaces with their own
COMMAND = re.compile(r"^\.venv/bin/python -m compare(?:\s|$)")


def commands(text: str) -> list[str]:
    """The `.venv/bin/python -m compare ...` lines of a Markdown text's code blocks, a line ending in
    a backslash joined with the next, a trailing `# comment` left out."""
    found, block, pending = [], False, ""
    for line in text.splitlines():
        if line.startswith("```"):
            block = not block
            continue
        if not block:
            continue
        line = pending + line.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if COMMAND.match(line):
            found.append(" ".join(re.sub(r"\s+#.*$", "", line).split()))
    return found


def shown_commands() -> list[str]:
    """Every command of the README, docs/ and examples/README.md, in order, once, placeholders left out."""
    out: list[str] = []
    for path in DOCS:
        out += [c for c in commands(path.read_text(encoding="utf-8")) if not any(p in c for p in PLACEHOLDERS)]
    return list(dict.fromkeys(out))


def test_commands_are_read_from_code_blocks():
    text = "x\n```\n.venv/bin/python -m compare a.txt \\\n    b.txt --csv out/x.csv  # two\nmake test\n```\n"
    assert commands(text) == [".venv/bin/python -m compare a.txt b.txt --csv out/x.csv"]
    assert commands(".venv/bin/python -m compare outside.txt a block") == []
    assert len(shown_commands()) >= 6


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory) -> Path:
    """The repository's tracked files, copied (a clone has no out/ and no ../shared beside it)."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    copy = tmp_path_factory.mktemp("clone") / "compare-clone"
    for name in files:
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    return copy


@pytest.mark.parametrize("command", shown_commands())
def test_every_shown_command_runs_on_a_fresh_copy(fresh_copy, command):
    args = command.split()[1:]  # "-m compare ...", run with this interpreter (the copy has no .venv)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(fresh_copy)}
    result = subprocess.run([sys.executable, *args], cwd=fresh_copy, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"{command}\n{result.stderr[-2000:]}"
    for flag in ("--csv", "--discrepancies", "--claims-csv", "--json", "--out"):
        if flag in args:
            assert (fresh_copy / args[args.index(flag) + 1]).exists(), (command, flag)
