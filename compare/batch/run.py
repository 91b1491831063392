"""The corpus batch runner: every story of a manifest compared, each story's result kept as a part
file, then one table per kind assembled for the whole corpus.

    run = run_batch("corpus.csv", "out/", Config(), engine="local", workers=2)
    run.exit_code   # 0 all stories ok, 1 some failed

Engines: `serial` (this process), `local` (a pool of worker processes on this machine, the
default) and `dask` (Dask distributed: a cluster at `address`, or a local one started for the run).
Every engine runs `batch.worker.run_story`; this module only hands out stories and writes.

Restartable: a story's part (`DIR/parts/*.json`) is written under a temporary name and renamed
into place, so a part file is whole or absent; a later run skips the stories whose part is there,
ok, and made from the same manifest rows and settings, and runs the rest again (failed ones too).
The tables are written from the parts at the end of every run, each also renamed into place; a
table that cannot be written does not stop the others (`TableError` names it after they are).
The local pool's workers end with the batch process, even when it is killed (`start_pool_worker`),
and Ctrl-C stops them at once; the parts written so far are kept for the next run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import as_completed
from contextlib import closing
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compare.batch.manifest import REPORT_COLUMNS, StoryTask, read_manifest, report_column
from compare.batch.worker import (
    CONFLICT_COLUMNS,
    STATUS_COLUMNS,
    StoryResult,
    result_of,
    run_story,
    start_pool_worker,
)
from compare.config import Config
from compare.export.rows import ALIGNMENT_COLUMNS, FACT_COLUMNS
from compare.records import ConflictKind, one_line
from compare.story.export import CLAIM_COLUMNS

if TYPE_CHECKING:
    from compare.batch.cluster import SchedulerAddress

log = logging.getLogger(__name__)
ENGINES = ("local", "serial", "dask")
PAIR_FRONT = ("story", "a_report", "b_report")
CLAIM_COUNTS = ("claims", "claims_by_all", "claims_by_some", "claims_by_one")  # stories of 3+ reports
FIRST_KINDS = (  # the kinds whose columns the stories table had first; later kinds go at its end
    ConflictKind.CONTRADICTION, ConflictKind.QUALIFIED, ConflictKind.DATE, ConflictKind.SPEAKER, ConflictKind.ROLE,
    ConflictKind.NEGATION, ConflictKind.EXTENT, ConflictKind.STATUS,
)
STORY_COLUMNS = (
    "story",
    "status",
    "error",
    "reports",
    "report_list",
    "pairs",
    "sentences",
    *STATUS_COLUMNS,
    *(CONFLICT_COLUMNS[k] for k in FIRST_KINDS),
    "coverage",
    "coverage_by_report",
    *CLAIM_COUNTS,
    "seconds",
    "worker",
    *(column for k, column in CONFLICT_COLUMNS.items() if k not in FIRST_KINDS),
    "to_check_rows",  # pair rows with differences to check (not called conflicts)
    "shared_copy",  # the largest share of one report's sentences word for word in another (wire copy)
)
TABLE_COLUMNS = {
    "pairs": (*PAIR_FRONT, *ALIGNMENT_COLUMNS),
    "claims": ("story", *CLAIM_COLUMNS),
    "facts": (*PAIR_FRONT, *FACT_COLUMNS),
    "reports": REPORT_COLUMNS,
    "stories": STORY_COLUMNS,
}
NUMBER_COLUMNS = {"reports", "pairs", "sentences", *STATUS_COLUMNS, *CONFLICT_COLUMNS.values(), *CLAIM_COUNTS,
                  "to_check_rows"}
FLOAT_COLUMNS = {"coverage", "seconds", "shared_copy"}
ROWS_UNCHANGED = ("use_cache", "fetch_timeout")
STOP_SECONDS = 10.0  # how long stopped pool workers get to end before they are killed


class TableError(OSError):
    """Some output tables could not be written (the others were); the message names them."""


@dataclass(frozen=True, slots=True)
class BatchRun:
    """What a batch run did: stories in the manifest, skipped as already done, run now and ok,
    failed (story, reason), and the output folder."""

    out: Path
    stories: int
    skipped: int
    ok: int
    failed: tuple[tuple[str, str], ...]
    seconds: float

    @property
    def exit_code(self) -> int:
        """0 when every story is ok, 1 when some failed."""
        return 1 if self.failed else 0


def settings_key(config: Config) -> str:
    """The settings that may change a story's rows, as text (part of its fingerprint): all but
    the cache switch and the fetch timeout."""
    settings = {k: v for k, v in asdict(config).items() if k not in ROWS_UNCHANGED}
    return json.dumps(settings, sort_keys=True, default=str)


def part_path(out: Path, story: str) -> Path:
    """The part file of `story`: its id made safe for a file name, plus a hash of the id."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", story)[:60]
    return out / "parts" / f"{safe}-{hashlib.sha256(story.encode()).hexdigest()[:10]}.json"


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Run `write` on a temporary name beside `path`, then rename it into place (whole or absent)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def save_part(out: Path, result: StoryResult) -> None:
    """Write a story's result as its part file (JSON)."""
    text = json.dumps(asdict(result), ensure_ascii=False)
    write_atomic(part_path(out, result.story), lambda p: p.write_text(text, encoding="utf-8"))


def read_part(out: Path, task: StoryTask, fingerprint: str) -> StoryResult | None:
    """The story's saved result, or None when there is none, it is not valid, or it was made
    from other manifest rows or settings."""
    try:
        data = json.loads(part_path(out, task.story).read_text(encoding="utf-8"))
        data = {f.name: data[f.name] for f in fields(StoryResult)}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data["story"] != task.story or data["fingerprint"] != fingerprint:
        return None
    data["summary"] = tuple(tuple(item) for item in data["summary"])
    for name in ("reports", "pairs", "facts", "claims"):
        data[name] = tuple(data[name])
    return StoryResult(**data)


def run_batch(
    manifest: str | Path,
    out: str | Path,
    config: Config | None = None,
    engine: str = "local",
    workers: int | None = None,
    address: str | SchedulerAddress | None = None,
    on_result: Callable[[StoryResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BatchRun:
    """Compare every story of `manifest` not already done in `out`, write its part, then write
    the corpus tables and append to `out/run.log`; raises `ManifestError` for a bad manifest.
    `on_start(n)` hears how many stories are to run, `on_result` each result as it comes."""
    config = config or Config()
    out = Path(out)
    started = datetime.now()
    tasks = read_manifest(manifest)
    settings = settings_key(config)
    prints = {t.story: t.fingerprint(settings) for t in tasks}
    done = {t.story for t in tasks if (p := read_part(out, t, prints[t.story])) is not None and p.ok}
    pending = [t for t in tasks if t.story not in done]
    workers = workers or os.cpu_count() or 1
    log_line(out, f"start: {len(tasks)} stories, {len(done)} done before, {len(pending)} to run; engine {engine}")
    if on_start:
        on_start(len(pending))
    ok, failed = 0, []
    try:
        with closing(run_engine(engine, pending, config, prints, workers, address)) as results:
            for result in results:  # leaving this loop early stops the engine (its workers) at once
                result = keep_result(out, result)
                if result.ok:
                    ok += 1
                else:
                    failed.append((result.story, result.error))
                if on_result:
                    on_result(result)
    except KeyboardInterrupt:
        log_line(out, f"interrupted: {ok} ok, {len(failed)} failed before; run again to resume")
        raise
    except Exception as error:
        log_line(out, f"stopped: {type(error).__name__}: {one_line(error)}")
        write_tables(out, tasks, prints)  # what is done is written; the error still reaches the caller
        raise
    unwritten = write_tables(out, tasks, prints)
    seconds = (datetime.now() - started).total_seconds()
    log_line(out, f"end: {ok} ok, {len(failed)} failed, {len(done)} skipped, {seconds:.1f} s")
    if unwritten:
        raise TableError(f"{out}: cannot write {'; '.join(unwritten)} (the other tables are written)")
    return BatchRun(out, len(tasks), len(done), ok, tuple(failed), seconds)


def keep_result(out: Path, result: StoryResult) -> StoryResult:
    """Save a story's result as its part and log it; the result, failed with the reason when its
    part cannot be written (the story runs again next time)."""
    try:
        save_part(out, result)
    except OSError as error:
        result = replace(result, ok=False, error=f"cannot save its result: {one_line(error)}")
    if result.ok:
        log_line(out, f"ok {result.story} ({result.seconds:.1f} s, {result.worker})")
    else:
        log_line(out, f"error {result.story}: {result.error}")
    return result


def log_line(out: Path, message: str) -> None:
    """Append a timestamped line to `out/run.log` (and log it)."""
    out.mkdir(parents=True, exist_ok=True)
    log.info("%s", message)
    with open(out / "run.log", "a", encoding="utf-8") as handle:
        handle.write(f"{datetime.now().isoformat(timespec='seconds')} {message}\n")


def run_engine(
    engine: str,
    tasks: Sequence[StoryTask],
    config: Config,
    prints: dict[str, str],
    workers: int,
    address: str | SchedulerAddress | None,
) -> Generator[StoryResult, None, None]:
    """Each task's result, in the order they finish, from the chosen engine (closing the
    generator stops the engine)."""
    if not tasks:
        return (result for result in ())
    if engine == "serial":
        return (run_story(t, config, prints[t.story]) for t in tasks)
    if engine == "local":
        return run_local(tasks, config, prints, workers)
    if engine == "dask":
        from compare.batch.cluster import run_dask

        return run_dask(tasks, config, prints, workers, address)
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


def run_local(
    tasks: Sequence[StoryTask], config: Config, prints: dict[str, str], workers: int
) -> Generator[StoryResult, None, None]:
    """Results from a pool of `workers` spawned processes on this machine, each keeping its
    session for all the stories it gets. A worker that dies fails the stories it had; a worker
    whose batch process is gone ends (`start_pool_worker`). When the results stop being taken
    (Ctrl-C, an error, the caller closing this generator), the stories not started are cancelled
    and the workers stopped at once (`stop_pool`), instead of waiting for every story to run."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from compare.pipeline import main_module_hidden

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=context,
        initializer=start_pool_worker,
        initargs=(os.getpid(),),
    )
    try:
        with main_module_hidden():  # the workers import compare, not the caller's script
            futures = {pool.submit(run_story, t, config, prints[t.story]): t for t in tasks}
        for future in as_completed(futures):
            yield result_of(future, futures[future], prints)
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def stop_pool(pool: Any, wait: float = STOP_SECONDS) -> None:
    """Cancel the pool's stories not started and stop its workers now: SIGTERM (each ends its facts
    process, then itself), SIGKILL for any still there after `wait` seconds."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public list before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + wait
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)


def write_tables(out: Path, tasks: Sequence[StoryTask], prints: dict[str, str]) -> list[str]:
    """Write `out/<table>.parquet` and `.csv` for every table, from the parts of the manifest's
    stories (in manifest order; a story without a part is in the stories table as not run).
    A file that cannot be written does not stop the others: the result lists each such file
    with the reason (empty when all are written)."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_COLUMNS}
    extra: dict[str, None] = {}  # the manifest's extra columns, in order of first appearance
    for task in tasks:
        part = read_part(out, task, prints[task.story])
        if part is None:
            rows["stories"].append({"story": task.story, "status": "not run"})
            continue
        for name in ("pairs", "facts", "claims", "reports"):
            rows[name] += getattr(part, name)
        status = {"status": "ok" if part.ok else "error", "error": part.error}
        rows["stories"].append({"story": part.story, **status, **dict(part.summary)} | timing(part))
        for entry in task.reports:
            extra.update((k, None) for k, _ in entry.extra)
    columns = dict(TABLE_COLUMNS)
    columns["reports"] = (*REPORT_COLUMNS, *(report_column(k) for k in extra))
    unwritten = []
    for name, table in rows.items():
        for suffix in ("csv", "parquet"):
            try:
                write_table(out, name, table, columns[name], suffix)
            except Exception as error:  # noqa: BLE001 - one table's failure must not lose the others
                log.debug("writing %s.%s failed", name, suffix, exc_info=True)
                unwritten.append(f"{name}.{suffix} ({type(error).__name__}: {one_line(error)})")
    return unwritten


def timing(part: StoryResult) -> dict[str, Any]:
    """The seconds and worker columns of a story's row."""
    return {"seconds": round(part.seconds, 2), "worker": part.worker}


def write_table(out: Path, name: str, rows: list[dict[str, Any]], columns: Sequence[str], suffix: str) -> None:
    """`out/<name>.csv` (suffix "csv": the export module's CSV, formula-like cells and header
    cells neutralised) or `out/<name>.parquet` (suffix "parquet": text columns as strings, counts
    as nullable integers)."""
    if suffix == "csv":
        from compare.export.rows import csv_text

        text = csv_text([{c: "" if r.get(c) is None else r.get(c) for c in columns} for r in rows], columns)
        write_atomic(out / f"{name}.csv", lambda p: p.write_text(text, encoding="utf-8"))
        return
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(columns))
    for column in columns:
        kind = "Int64" if column in NUMBER_COLUMNS else "Float64" if column in FLOAT_COLUMNS else "string"
        frame[column] = frame[column].astype(kind)
    write_atomic(out / f"{name}.parquet", lambda p: frame.to_parquet(p, index=False, engine="pyarrow"))
