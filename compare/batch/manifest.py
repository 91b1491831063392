"""The batch manifest: a CSV with a header row `story,report` (other columns allowed) and one row
per report of a story.

`report` is a path relative to the manifest's folder (or absolute), or an http(s) URL. A story
needs two or more rows. The optional columns `source`, `title` and `published` (YYYY-MM-DD), when
not empty, replace what the report itself says; every extra column is carried into the output's
reports table as it is written.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REQUIRED = ("story", "report")
METADATA = ("source", "title", "published")  # columns that replace the report's own metadata


class ManifestError(ValueError):
    """The manifest cannot be used (missing file or columns, a story of one report, ...)."""


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One manifest row: the report as written, where it is read from, and the other columns."""

    report: str
    location: str  # an absolute path, or the URL
    extra: tuple[tuple[str, str], ...] = ()

    def get(self, column: str) -> str:
        """The value of an extra column, "" when absent."""
        return dict(self.extra).get(column, "")


@dataclass(frozen=True, slots=True)
class StoryTask:
    """One story of the manifest: its id and its reports in manifest order."""

    story: str
    reports: tuple[ReportEntry, ...]

    def fingerprint(self, settings: str = "") -> str:
        """sha256 of the story's rows and `settings`: a part file made from other rows or other
        settings is not this story's result."""
        rows = [[r.report, r.location, list(r.extra)] for r in self.reports]
        return hashlib.sha256(json.dumps([self.story, rows, settings]).encode()).hexdigest()


def is_url(report: str) -> bool:
    """Whether a manifest `report` cell is an http(s) address."""
    return report.lower().startswith(("http://", "https://"))


def read_manifest(path: str | Path) -> list[StoryTask]:
    """The stories of the manifest at `path`, in order of first appearance; raises
    `ManifestError` with a one-line reason when the file cannot be read, lacks the `story` or
    `report` column, has an empty cell in either, lists a report twice in a story, has a
    `published` that is not YYYY-MM-DD, or has a story with fewer than two reports."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = list(reader.fieldnames or [])
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ManifestError(f"{path}: cannot read the manifest ({error})") from error
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ManifestError(f"{path}: the header row needs the columns story,report (missing: {', '.join(missing)})")
    stories: dict[str, list[ReportEntry]] = {}
    for line, row in enumerate(rows, start=2):
        stories.setdefault(story_of(row, path, line), []).append(entry_of(row, path, line))
    tasks = [StoryTask(story, tuple(entries)) for story, entries in stories.items()]
    for task in tasks:
        check_story(task, path)
    if not tasks:
        raise ManifestError(f"{path}: the manifest lists no reports")
    return tasks


def story_of(row: dict[str, str | None], path: Path, line: int) -> str:
    """The row's story id; raises `ManifestError` when it is empty."""
    story = (row.get("story") or "").strip()
    if not story:
        raise ManifestError(f"{path}:{line}: empty story")
    return story


def entry_of(row: dict[str, str | None], path: Path, line: int) -> ReportEntry:
    """The `ReportEntry` of one manifest row (line number `line`, for errors)."""
    report = (row.get("report") or "").strip()
    if not report:
        raise ManifestError(f"{path}:{line}: empty report")
    if None in row:  # csv puts cells beyond the header under None
        raise ManifestError(f"{path}:{line}: more cells than the header has columns")
    extra = tuple((k, (v or "").strip()) for k, v in row.items() if k not in REQUIRED)
    published = dict(extra).get("published", "")
    if published:
        try:
            date.fromisoformat(published)
        except ValueError as error:
            raise ManifestError(f"{path}:{line}: published {published!r} is not YYYY-MM-DD") from error
    location = report if is_url(report) else str((path.parent / report).resolve())
    return ReportEntry(report, location, extra)


def check_story(task: StoryTask, path: Path) -> None:
    """Raise `ManifestError` unless the story has two or more distinct reports."""
    if len(task.reports) < 2:
        raise ManifestError(f"{path}: story {task.story!r} has {len(task.reports)} report; it needs two or more")
    seen = [r.location for r in task.reports]
    if len(set(seen)) != len(seen):
        raise ManifestError(f"{path}: story {task.story!r} lists a report twice")
