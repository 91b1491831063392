"""The batch manifest: a CSV with a header row `story,report` (other columns allowed) and one row
per report of a story.

`report` is a path relative to the manifest's folder (or absolute), or an http(s) URL. A story
needs two or more rows. The optional columns `source`, `title` and `published` (YYYY-MM-DD, or an
ISO date and time such as 2018-12-16T09:30-05:00), when
not empty, replace what the report itself says; every extra column is carried into the output's
reports table as it is written (`report_column`: renamed `manifest_<name>` when the runner writes a
column of that name itself).

The header row is checked before any work: at most `MAX_COLUMNS` columns, no name twice, and no
two names that would be one column of the reports table (`url` and `manifest_url`).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from compare.read.load import to_when
from compare.records import LoadError

REQUIRED = ("story", "report")
METADATA = ("source", "title", "published")  # columns that replace the report's own metadata
REPORT_COLUMNS = ("story", "report", "article_id", "source", "title", "published", "url", "published_at")  # its own
MAX_COLUMNS = 200  # a header row wider than this is refused: no corpus needs it, and a huge one is slow to carry


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
    `ManifestError` with a one-line reason when the file cannot be read, its header row is not
    usable (`check_header`), a row has more cells than the header, a `story` or `report` cell is
    empty, a story lists a report twice, a `published` is not YYYY-MM-DD (or a date and time), or a story has fewer
    than two reports."""
    path = Path(path)
    stories: dict[str, list[ReportEntry]] = {}
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            check_header(header, path)
            for cells in reader:
                if not cells:  # a blank line, as csv.DictReader skips it
                    continue
                if len(cells) > len(header):  # checked before the row is used: a huge row stops here
                    raise ManifestError(f"{path}:{reader.line_num}: more cells than the header has columns")
                row = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header)}
                story = story_of(row, path, reader.line_num)
                stories.setdefault(story, []).append(entry_of(row, path, reader.line_num))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ManifestError(f"{path}: cannot read the manifest ({error})") from error
    tasks = [StoryTask(story, tuple(entries)) for story, entries in stories.items()]
    for task in tasks:
        check_story(task, path)
    if not tasks:
        raise ManifestError(f"{path}: the manifest lists no reports")
    return tasks


def report_column(name: str) -> str:
    """The reports-table column of the manifest's extra column `name`: `manifest_<name>` when the
    runner writes a column of that name itself (`REPORT_COLUMNS`), else `name`."""
    return f"manifest_{name}" if name in REPORT_COLUMNS else name


def check_header(header: Sequence[str], path: Path) -> None:
    """Raise `ManifestError`, naming the columns, when the header row has more than `MAX_COLUMNS`
    columns, lacks `story` or `report`, repeats a name, or has two extra columns that would be one
    column of the reports table (`url` is written there as `manifest_url`, so `url` beside
    `manifest_url` collides)."""
    if len(header) > MAX_COLUMNS:
        raise ManifestError(
            f"{path}: the header row has {len(header):,} columns; a manifest may have at most {MAX_COLUMNS}"
        )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ManifestError(f"{path}: the header row needs the columns story,report (missing: {', '.join(missing)})")
    repeated = [name for name, count in Counter(header).items() if count > 1]
    if repeated:
        raise ManifestError(f"{path}: the header row has {names(repeated)} more than once (one name per column)")
    written: dict[str, str] = {}
    for name in (n for n in header if n not in REQUIRED):
        column = report_column(name)
        if column in written:
            raise ManifestError(
                f"{path}: the columns {names([written[column], name])} would both be the reports table's column "
                f"{column!r} (the runner writes its own {column.removeprefix('manifest_')!r}); rename one of them"
            )
        written[column] = name


def names(columns: Sequence[str]) -> str:
    """Column names for a message, each quoted (a name with a line break stays on one line)."""
    return " and ".join(repr(c) for c in columns)


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
    extra = tuple((k, (v or "").strip()) for k, v in row.items() if k not in REQUIRED)
    published = dict(extra).get("published", "")
    if published:
        try:
            to_when(published, "published")
        except LoadError:
            raise ManifestError(
                f"{path}:{line}: published {published!r} is not YYYY-MM-DD or an ISO date and time"
            ) from None
    location = report if is_url(report) else str((path.parent / report).resolve())
    return ReportEntry(report, location, extra)


def check_story(task: StoryTask, path: Path) -> None:
    """Raise `ManifestError` unless the story has two or more distinct reports."""
    if len(task.reports) < 2:
        raise ManifestError(f"{path}: story {task.story!r} has {len(task.reports)} report; it needs two or more")
    seen = [r.location for r in task.reports]
    if len(set(seen)) != len(seen):
        raise ManifestError(f"{path}: story {task.story!r} lists a report twice")
