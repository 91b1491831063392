"""The work of one story of a batch, in whichever process runs it (the caller's, a local pool
worker, a Dask worker): load its reports, compare every pair of them, and return the rows of
each output table.

Each process keeps one `Session` per configuration for all the stories it is given (the model and
spaCy load once per process), and remembers the reports it has read, their sentence vectors and
their facts, so a report that appears in several stories is read and embedded once per process
(and once overall with the on-disk cache, `Config.use_cache`).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

from compare.batch.manifest import ReportEntry, StoryTask, report_column
from compare.config import Config
from compare.embed.encoders import Encoder
from compare.judge.wording import shared_copy
from compare.read.load import to_when
from compare.records import Article, Comparison, ConflictKind, Fact, Side, Status, Story

log = logging.getLogger(__name__)
REMEMBERED_TEXTS = 200_000  # sentence vectors kept per process (about 300 MB at d = 384)
REMEMBERED_REPORTS = 1_000
CONFLICT_COLUMNS = {kind: "conflicts_" + kind.value.replace(" ", "_") for kind in ConflictKind}
STATUS_COLUMNS = tuple(s.value for s in Status)
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass(frozen=True, slots=True)
class StoryResult:
    """One story's output: ok or the reason it failed, and its rows of each table (plain dicts,
    cells as the CSV contracts write them; the story row has numbers)."""

    story: str
    fingerprint: str
    ok: bool
    error: str
    seconds: float
    worker: str
    reports: tuple[dict[str, str], ...] = ()
    pairs: tuple[dict[str, str], ...] = ()
    facts: tuple[dict[str, str], ...] = ()
    claims: tuple[dict[str, str], ...] = ()
    summary: tuple[tuple[str, Any], ...] = ()  # the stories-table row, (column, value) in order


class MemoEncoder:
    """An `Encoder` that remembers the vectors of the last `size` texts it encoded, so a report
    seen in an earlier story of this process is not embedded again."""

    def __init__(self, inner: Encoder, size: int = REMEMBERED_TEXTS) -> None:
        self.inner = inner
        self.size = size
        self.vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.encoded = 0  # texts sent to `inner`

    def encode(self, sentences: Sequence[str], **kwargs: object) -> np.ndarray:
        """Vectors of `sentences`, shape (len(sentences), d): remembered ones as they were, the
        others from the inner encoder."""
        missing = list(dict.fromkeys(s for s in sentences if s not in self.vectors))
        if missing:
            fresh = np.asarray(self.inner.encode(missing, **kwargs), dtype=np.float32)
            self.encoded += len(missing)
            self.vectors.update(zip(missing, fresh, strict=True))
        for text in sentences:
            self.vectors.move_to_end(text)
        found = [self.vectors[s] for s in sentences]
        while len(self.vectors) > self.size:
            self.vectors.popitem(last=False)
        return np.stack(found) if found else np.zeros((0, 1), dtype=np.float32)


class MemoFacts:
    """A `FactStore` that remembers each report's facts in this process in front of `inner` (the
    on-disk `FactsCache`, or None). Pickled (to the facts process) it is `inner` alone, so the
    memory is neither copied there nor filled there: `remember` fills it from prepared sides."""

    def __init__(self, inner: Any = None) -> None:
        self.inner = inner
        self.facts: OrderedDict[tuple[str, date | None], list[tuple[Fact, ...]]] = OrderedDict()

    def __getstate__(self) -> dict[str, Any]:
        return {"inner": self.inner}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.inner = state["inner"]
        self.facts = OrderedDict()

    def get(self, article: Article) -> list[tuple[Fact, ...]] | None:
        """The report's facts, from memory, else from `inner`."""
        key = (article.text, article.published)
        if key in self.facts:
            return self.facts[key]
        return self.inner.get(article) if self.inner is not None else None

    def put(self, article: Article, facts: list[tuple[Fact, ...]]) -> None:
        """Remember the report's facts and store them in `inner`."""
        self.remember(article, facts)
        if self.inner is not None:
            self.inner.put(article, facts)

    def remember(self, article: Article, facts: list[tuple[Fact, ...]]) -> None:
        """Keep the report's facts in memory (the last `REMEMBERED_REPORTS` reports)."""
        self.facts[(article.text, article.published)] = facts
        self.facts.move_to_end((article.text, article.published))
        while len(self.facts) > REMEMBERED_REPORTS:
            self.facts.popitem(last=False)

    def remember_sides(self, sides: Sequence[Side]) -> None:
        """Keep the facts of a story's prepared sides, under the keys `get` will be asked (each
        report dated as the facts stage dated it: `facts.anchored`)."""
        from compare.facts.extract import anchored

        for article, side in zip(anchored([s.article for s in sides]), sides, strict=True):
            self.remember(article, list(side.facts))


_SESSIONS: dict[Config, Any] = {}
_ARTICLES: OrderedDict[tuple[Config, str], Article] = OrderedDict()
_LOCK = threading.Lock()  # a Dask worker with several threads runs one story at a time


def worker_session(config: Config) -> Any:
    """This process's `Session` for `config`, made at the first story (encoder and facts behind
    the in-memory memories above); `close_sessions` runs when the process exits."""
    session = _SESSIONS.get(config)
    if session is None:
        from multiprocessing.util import Finalize

        from compare.pipeline import configured_encoder
        from compare.session import Session

        session = Session(config, MemoEncoder(configured_encoder(config)))
        session.facts_cache = MemoFacts(session.facts_cache)
        if not _SESSIONS:
            # a pool worker's exit joins its child processes before it runs atexit hooks: stop the
            # facts process first, or the worker waits for it for ever
            Finalize(None, close_sessions, exitpriority=100)
        _SESSIONS[config] = session
    return session


def close_sessions() -> None:
    """Close this process's sessions (their facts process stops) and forget what they read."""
    for session in _SESSIONS.values():
        session.close()
    _SESSIONS.clear()
    _ARTICLES.clear()


def load_report(session: Any, entry: ReportEntry) -> Article:
    """The manifest row's report, read once per process, with the row's `source`, `title` and
    `published` in place of the report's own when they are given."""
    key = (session.config, entry.location)
    article = _ARTICLES.get(key)
    if article is None:
        article = session.load(entry.location)
        _ARTICLES[key] = article
        while len(_ARTICLES) > REMEMBERED_REPORTS:
            _ARTICLES.popitem(last=False)
    changes: dict[str, Any] = {k: entry.get(k) for k in ("source", "title") if entry.get(k)}
    if entry.get("published"):
        changes["published"], changes["published_at"] = to_when(entry.get("published"), entry.report)
    return replace(article, **changes) if changes else article


def start_pool_worker(parent: int) -> None:
    """The local pool's initializer: this worker (and the facts process it starts) ends within
    about a second when `parent`, the batch process, is gone, even killed with SIGKILL. On Linux
    the kernel sends SIGTERM when the parent dies (`prctl(PR_SET_PDEATHSIG)`; strictly, when the
    parent's thread that started this worker ends, which in the batch is the one that waits for the
    results); a watchdog thread that checks `os.getppid()` every second does the same, and is all
    there is where prctl is not. SIGTERM (from either, or from the pool stopping its workers) ends this worker's
    own child processes, then the worker. Ctrl-C is left to the parent, which stops the pool: the
    worker, and the facts process it starts (an ignored SIGINT is inherited), ignore SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, end_worker)
    set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        end_worker()
    threading.Thread(target=watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send `signum` to this process when its parent dies (`prctl` through libc);
    whether that was done (False off Linux, or when libc has no prctl)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0


def watch_parent(parent: int, every: float = 1.0) -> None:
    """End this worker as soon as its parent process is no longer `parent` (checked every `every` s)."""
    while os.getppid() == parent:
        time.sleep(every)
    end_worker()


def end_worker(signum: int | None = None, frame: object = None) -> None:
    """End this process's child processes (its facts process) with SIGKILL, then this process at
    once, without the interpreter's teardown (which would wait for those children)."""
    import multiprocessing

    try:
        children = multiprocessing.active_children()
    except Exception:  # noqa: BLE001 - the list may be changing in the interrupted thread; end anyway
        children = []
    for child in children:
        try:
            child.kill()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(1)


def worker_name() -> str:
    """host:pid of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_story(task: StoryTask, config: Config, fingerprint: str = "") -> StoryResult:
    """The result of one story: its reports prepared once, every pair compared (i < j, manifest
    order) and, for three or more reports, the claims. Any error (a report that cannot be read
    or fetched, a model error, a bug) fails this story only: the result says why, and the caller
    goes on with the others."""
    start = time.perf_counter()
    try:
        with _LOCK:
            from compare.story.build import distinct_ids

            session = worker_session(config)
            articles = distinct_ids([load_report(session, entry) for entry in task.reports])
            prepared = session.prepare_story(articles)
            session.facts_cache.remember_sides(prepared.sides)
            story = session.compare_story(prepared)
    except Exception as error:  # noqa: BLE001 - one story's failure must not stop the corpus
        log.debug("story %s failed", task.story, exc_info=True)
        reason = f"{type(error).__name__}: {first_line(error)}"
        return StoryResult(task.story, fingerprint, False, reason, time.perf_counter() - start, worker_name())
    rows = story_rows(task, story)
    return StoryResult(
        task.story, fingerprint, True, "", time.perf_counter() - start, worker_name(), *rows  # type: ignore[arg-type]
    )


def first_line(error: BaseException) -> str:
    """The first line of an error's message (`records.one_line`)."""
    from compare.records import one_line

    return one_line(error)


def story_rows(task: StoryTask, story: Story) -> tuple[tuple[dict[str, str], ...], ...]:
    """(reports, pairs, facts, claims, summary) rows of a compared story; reports are named as
    the manifest writes them (`report`, `a_report`, `b_report`), claims only for three or more."""
    from compare.export import rows as export
    from compare.story import export as story_export

    names = [entry.report for entry in task.reports]
    pairs = [(i, j, c) for (i, j), c in zip(story.pairs, story.comparisons, strict=True)]
    pair_rows, fact_rows = [], []
    for i, j, comparison in pairs:
        front = {"story": task.story, "a_report": names[i], "b_report": names[j]}
        pair_rows += [front | row for row in export.alignment_rows(comparison)]
        fact_rows += [front | row for row in export.fact_rows(comparison)]
    claims = []
    if len(story.sides) > 2:
        by_id = dict(zip(story.ids, names, strict=True))
        claims = [{"story": task.story} | r | {"report": by_id[r["report"]]} for r in story_export.claim_rows(story)]
    articles = [side.article for side in story.sides]
    reports = tuple(report_row(task.story, e, a) for e, a in zip(task.reports, articles, strict=True))
    counts = story_export.claim_counts(story) if len(story.sides) > 2 else None
    claim_counts = {"claims": len(story.claims) if counts else None} | {
        f"claims_by_{k}": counts[k] if counts else None for k in ("all", "some", "one")
    }
    summary = tuple((summary_row(task, articles, pairs) | claim_counts).items())
    return reports, tuple(pair_rows), tuple(fact_rows), tuple(claims), summary  # type: ignore[return-value]


def report_row(story: str, entry: ReportEntry, article: Article) -> dict[str, str]:
    """The reports-table row of one manifest row: what was read, then the manifest's extra columns."""
    row = {
        "story": story,
        "report": entry.report,
        "article_id": article.id,
        "source": article.source,
        "title": article.title,
        "published": article.published.isoformat() if article.published else "",
        "url": article.url,
        "published_at": article.published_at.isoformat(timespec="minutes") if article.published_at else "",
    }
    return row | {report_column(k): v for k, v in entry.extra}


def summary_row(
    task: StoryTask, articles: Sequence[Article], pairs: Sequence[tuple[int, int, Comparison]]
) -> dict[str, Any]:
    """The stories-table row: reports, pairs, rows per status, conflicts per kind and rows with
    differences to check over all pairs, and coverage: per report, the share of its sentences that
    some other report of the story also states (aligned with a sentence of it in any status), and
    their mean; and the largest share of a report's sentences word for word in another (`shared_copy`)."""
    counts = dict.fromkeys(STATUS_COLUMNS, 0) | dict.fromkeys(CONFLICT_COLUMNS.values(), 0) | {"to_check_rows": 0}
    covered: list[set[int]] = [set() for _ in articles]
    sentences = [0] * len(articles)
    for i, j, comparison in pairs:
        sentences[i], sentences[j] = len(comparison.a_sentences), len(comparison.b_sentences)
        for verdict in comparison.verdicts:
            counts[verdict.status.value] += 1
            for kind in {c.kind for c in verdict.conflicts}:
                counts[CONFLICT_COLUMNS[kind]] += 1
            counts["to_check_rows"] += bool(verdict.to_check)
            if verdict.alignment.a is not None and verdict.alignment.b is not None:
                covered[i].add(verdict.alignment.a)
                covered[j].add(verdict.alignment.b)
    shares = [len(c) / n if n else 0.0 for c, n in zip(covered, sentences, strict=True)]
    return {
        "reports": len(articles),
        "report_list": " | ".join(entry.report for entry in task.reports),
        "pairs": len(pairs),
        "sentences": sum(sentences),
        **counts,
        "coverage": round(sum(shares) / len(shares), 3) if shares else 0.0,
        "coverage_by_report": " | ".join(
            f"{entry.report}={share:.3f}" for entry, share in zip(task.reports, shares, strict=True)
        ),
        "shared_copy": round(max((max(shared_copy(c)) for _, _, c in pairs), default=0.0), 3),
    }


def result_of(future: Any, task: StoryTask, prints: dict[str, str]) -> StoryResult:
    """The future's result, or a failed result saying why it has none (the worker died)."""
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 - a lost worker fails its story, not the batch
        reason = f"{type(error).__name__}: {str(error).strip() or 'the worker process stopped'}"
        return StoryResult(task.story, prints[task.story], False, reason.splitlines()[0], 0.0, "")
