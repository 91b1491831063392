"""The README and docs/ hold together: relative links and images point at files (and headings) that
exist, every `make TARGET` they name is in the Makefile, the README stays a short front door, and
docs/index.md lists every page. Each helper is also run on a small bad example, so each check can fail."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_MAX_LINES = 250

FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_SRC = re.compile(r"<(?:img|a)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.IGNORECASE)
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
MAKE = re.compile(r"(?<![\w./-])make((?:\s+[A-Za-z_][A-Za-z0-9_]*=\S*)*)\s+([A-Za-z0-9][A-Za-z0-9_.-]*)")
MAKE_RULE = re.compile(r"^([A-Za-z0-9_.-]+(?:[ \t]+[A-Za-z0-9_.-]+)*)[ \t]*::?(?!=)")


def markdown_files(root: Path = ROOT) -> list[Path]:
    """README.md and every docs/*.md."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def split_code(text: str) -> tuple[str, list[str]]:
    """(the text with fenced blocks and code spans blanked, the code: each block and span)."""
    prose, code, block, fenced = [], [], [], False
    for line in text.splitlines():
        if FENCE.match(line):
            if fenced:
                code.append("\n".join(block))
                block = []
            fenced = not fenced
            prose.append("")
            continue
        if fenced:
            block.append(line)
            prose.append("")
            continue
        code.extend(match.group(2) for match in CODE_SPAN.finditer(line))
        prose.append(CODE_SPAN.sub(lambda match: " " * len(match.group(0)), line))
    if block:
        code.append("\n".join(block))
    return "\n".join(prose), code


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: links become their text, then lower case, punctuation dropped,
    spaces become hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors of a Markdown file's headings (repeats get -1, -2, ... as on GitHub)."""
    prose, _ = split_code(text)
    seen: Counter[str] = Counter()
    found = set()
    for line in prose.splitlines():
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        found.add(f"{base}-{seen[base]}" if seen[base] else base)
        seen[base] += 1
    return found


def link_targets(text: str) -> list[str]:
    """Every link and image target outside code, Markdown or HTML."""
    prose, _ = split_code(text)
    return [m.group(1) for m in LINK.finditer(prose)] + [m.group(1) for m in HTML_SRC.finditer(prose)]


def broken_links(md: Path) -> list[str]:
    """The relative links of one Markdown file that point at no file, or at no heading of the file."""
    text = md.read_text(encoding="utf-8")
    broken = []
    for target in link_targets(text):
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
            continue  # http:, https:, mailto: ...
        path_part, _, anchor = target.partition("#")
        path = (md.parent / path_part).resolve() if path_part else md
        if not path.exists():
            broken.append(f"{md.name}: {target} (no such file)")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path.read_text(encoding="utf-8")):
            broken.append(f"{md.name}: {target} (no such heading)")
    return broken


def make_targets(makefile: str) -> set[str]:
    """The targets a Makefile defines (rule lines and .PHONY)."""
    targets = set()
    for line in makefile.splitlines():
        if line.startswith(("\t", "#")):
            continue
        match = MAKE_RULE.match(line)
        if match:
            targets.update(match.group(1).split())
        if line.startswith(".PHONY:"):
            targets.update(line.partition(":")[2].split())
    return {target for target in targets if not target.startswith(".")}


def named_make_targets(text: str) -> set[str]:
    """Every TARGET of `make TARGET` in a Markdown text's code spans and blocks (not in their comments)."""
    _, code = split_code(text)
    commands = [re.sub(r"(^|\s)#.*$", "", line) for snippet in code for line in snippet.splitlines()]
    return {match.group(2) for line in commands for match in MAKE.finditer(line)}


def readme_problems(text: str) -> list[str]:
    """What keeps a README from being the short front door."""
    problems = []
    lines = len(text.splitlines())
    if lines > README_MAX_LINES:
        problems.append(f"{lines} lines, over {README_MAX_LINES}")
    for command in ("make run", "make test"):
        if command not in text:
            problems.append(f"does not name {command}")
    return problems


def unlisted_docs(docs: Path) -> list[str]:
    """The docs/*.md pages that docs/index.md does not link to."""
    index = docs / "index.md"
    linked = {(docs / target.partition("#")[0]).resolve() for target in link_targets(index.read_text(encoding="utf-8"))}
    return [page.name for page in sorted(docs.glob("*.md")) if page != index and page.resolve() not in linked]


# The real files


def test_relative_links_and_images_point_at_files_and_headings():
    files = markdown_files()
    assert len(files) > 1 and all(md.exists() for md in files)
    assert [problem for md in files for problem in broken_links(md)] == []


def test_every_make_target_named_is_in_the_makefile():
    defined = make_targets((ROOT / "Makefile").read_text(encoding="utf-8"))
    assert {"run", "test", "eval", "train", "bench"} <= defined
    named = {
        (md.name, target) for md in markdown_files() for target in named_make_targets(md.read_text(encoding="utf-8"))
    }
    assert {target for _, target in named} >= {"run", "test"}
    assert sorted((name, target) for name, target in named if target not in defined) == []


def test_readme_is_a_short_front_door():
    assert readme_problems((ROOT / "README.md").read_text(encoding="utf-8")) == []


def test_every_doc_is_listed_in_the_index():
    assert unlisted_docs(ROOT / "docs") == []


# The helpers on small examples, good and bad


def test_slug_is_githubs():
    assert slug("Dependencies, and why") == "dependencies-and-why"
    assert slug("A corpus: the batch runner") == "a-corpus-the-batch-runner"
    assert slug("The ONNX backend (the default)") == "the-onnx-backend-the-default"
    assert slug("`make eval` and [the docs](docs/index.md)") == "make-eval-and-the-docs"
    assert anchors("# Notes\n\n## Notes\n```\n# not a heading\n```\n") == {"notes", "notes-1"}


def test_broken_links_are_found(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "picture.png").write_bytes(b"")
    (tmp_path / "docs" / "other.md").write_text("# Other page\n\n## A part\n", encoding="utf-8")
    page = tmp_path / "docs" / "page.md"
    page.write_text(
        "# Page\n\n![ok](picture.png) ![bad](docs/picture.png) [ok](other.md#a-part) [bad](other.md#no-part)\n"
        "[ok](#page) [bad](#nowhere) [missing](gone.md) [web](https://example.com/x.md)\n"
        "`[in code](nowhere.md)`\n```\n[in a block](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "page.md: docs/picture.png (no such file)",
        "page.md: other.md#no-part (no such heading)",
        "page.md: #nowhere (no such heading)",
        "page.md: gone.md (no such file)",
    ]
    (tmp_path / "README.md").write_text("![shot](docs/picture.png) [page](docs/page.md#page)\n", encoding="utf-8")
    assert broken_links(tmp_path / "README.md") == []


def test_make_targets_are_read_from_the_makefile_and_the_docs():
    makefile = (
        ".PHONY: run test\nPY := python\n$(STAMP): requirements.txt\n\ttouch $(STAMP)\n"
        "run: $(STAMP)\n\t$(PY) -m streamlit run app.py\ntest lint: $(STAMP)\n\tmake other\n"
    )
    assert make_targets(makefile) == {"run", "test", "lint"}
    text = (
        "Run `make run`, then `make BENCH_RUNS=3 bench`.\n\n```\nmake test   # and make it so\n```\n"
        "To make sure, cmake build (prose and other tools do not count).\n"
    )
    assert named_make_targets(text) == {"run", "bench", "test"}
    assert named_make_targets(text) - make_targets(makefile) == {"bench"}


def test_readme_problems_are_found():
    assert readme_problems("# x\n\n`make run` and `make test`\n") == []
    assert readme_problems("line\n" * (README_MAX_LINES + 1) + "make run, make test\n") == [
        f"{README_MAX_LINES + 2} lines, over {README_MAX_LINES}"
    ]
    assert readme_problems("# x\n\n`make run`\n") == ["does not name make test"]


def test_unlisted_docs_are_found(tmp_path):
    for name in ("index.md", "listed.md", "forgotten.md"):
        (tmp_path / name).write_text(f"# {name}\n", encoding="utf-8")
    (tmp_path / "index.md").write_text("- [Listed](listed.md#listed): what it holds\n", encoding="utf-8")
    assert unlisted_docs(tmp_path) == ["forgotten.md"]
