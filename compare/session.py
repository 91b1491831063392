"""One session for every front end: the CLI, the dashboard and the benchmark assemble the
pipeline the same way through it, so they cannot drift.

    with Session(Config()) as session:
        a, b = session.load_pair("articles/a.txt", "https://example.org/b")
        prepared = session.prepare(a, b)              # the slow part: facts, embeddings
        comparison = session.compare(prepared)        # milliseconds, for any settings
        other = session.compare(prepared, replace(session.config, threshold=0.5))

The session loads the encoder (behind the embedding cache when `use_cache`, on the first sentence
not cached) and starts the facts process once, for every comparison made through it; `close`
stops the facts process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from compare.config import Config
from compare.embed.encoders import Encoder, Progress
from compare.pipeline import (
    Prepared,
    compare_prepared,
    configured_encoder,
    load_configured,
    prepare,
    stop_facts_process,
)
from compare.records import Article, Comparison, Story

if TYPE_CHECKING:
    from compare.story.build import PreparedStory


class Session:
    """The slow parts of a comparison, set up once: the configured encoder (or `encoder`), the
    facts cache and the facts process. `config` gives the model, backend, cache and fetch
    limits; `compare` takes other alignment settings per call."""

    def __init__(self, config: Config | None = None, encoder: Encoder | None = None) -> None:
        self.config = config or Config()
        self.encoder = encoder or configured_encoder(self.config)
        self.facts_cache = None
        if self.config.use_cache:
            from compare.facts.cache import FactsCache

            self.facts_cache = FactsCache()

    def load(self, source: str | Path) -> Article:
        """The report at a path or http(s) URL, with the session's size, time and address limits."""
        return load_configured(source, self.config)

    def load_pair(self, source_a: str | Path, source_b: str | Path) -> tuple[Article, Article]:
        """Reports A and B; B's id gets `-b` when both have the same id (the same file twice)."""
        return distinct(self.load(source_a), self.load(source_b))

    def prepare(self, a: Article, b: Article, progress: Progress | None = None) -> Prepared:
        """Both reports split, their facts read (cached) and their sentences embedded (cached);
        `progress(done, total)` hears how the embedding goes."""
        return prepare(a, b, self.encoder, self.config.model, progress, self.facts_cache)

    def compare(self, prepared: Prepared, config: Config | None = None) -> Comparison:
        """The comparison of prepared reports under `config` (default: the session's)."""
        return compare_prepared(prepared, config or self.config)

    def load_story(self, sources: Sequence[str | Path]) -> list[Article]:
        """The reports of a story, ids made distinct (`story.build.distinct_ids`)."""
        from compare.story.build import distinct_ids

        return distinct_ids([self.load(source) for source in sources])

    def prepare_story(self, articles: Sequence[Article], progress: Progress | None = None) -> PreparedStory:
        """Every report split, read and embedded once, and every pair made comparable."""
        from compare.story.build import prepare_story

        return prepare_story(articles, self.encoder, self.config.model, progress, self.facts_cache)

    def compare_story(self, prepared: PreparedStory, config: Config | None = None) -> Story:
        """Every pair compared and the claims across the reports, under `config` (default: the session's)."""
        from compare.story.build import compare_story

        return compare_story(prepared, config or self.config)

    def close(self) -> None:
        """Stop the facts process, if this or an earlier session started one."""
        stop_facts_process()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def distinct(a: Article, b: Article) -> tuple[Article, Article]:
    """(a, b) with B's id made different from A's (`<id>-b`) when they are the same."""
    if a.id == b.id:
        b = replace(b, id=f"{b.id}-b")
    return a, b


def compare_story_files(
    sources: Sequence[str | Path], config: Config | None = None, encoder: Encoder | None = None
) -> Story:
    """The story of two or more reports (files .txt / .md / .html, or http(s) URLs); raises
    `LoadError` or `ModelError` with a one-line message on bad input, `ValueError` for fewer
    than two or more than `story.build.MAX_REPORTS` reports."""
    with Session(config or Config(), encoder) as session:
        return session.compare_story(session.prepare_story(session.load_story(sources)))
