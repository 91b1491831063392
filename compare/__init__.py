"""compare: align two news reports of one event claim by claim, and show where they agree,
conflict, and what each adds.

    from compare import Config, compare_files, compare_story_files
    comparison = compare_files("articles/a.txt", "articles/b.txt", Config())
    story = compare_story_files(["a.txt", "b.txt", "c.txt"])   # claims across three reports

Importing the package loads no model, nor numpy: the records come from `compare.records` at
first use, so a front end can start the facts process (`compare.facts.process`) before anything
heavy is imported.
"""

from typing import TYPE_CHECKING

from compare.config import Config

if TYPE_CHECKING:
    from compare.records import (
        Alignment,
        Article,
        Claim,
        ClaimStatus,
        Comparison,
        Fact,
        FactKind,
        Sentence,
        Status,
        Story,
        Verdict,
    )

RECORDS = frozenset(  # from compare.records, at first use
    "Alignment Article Claim ClaimStatus Comparison Fact FactKind Sentence Status Story Verdict".split()
)

__all__ = [
    "Alignment",
    "Article",
    "Claim",
    "ClaimStatus",
    "Comparison",
    "Config",
    "Fact",
    "FactKind",
    "Sentence",
    "Status",
    "Story",
    "Verdict",
    "compare_articles",
    "compare_files",
    "compare_story_files",
]


def compare_files(path_a, path_b, config=None, encoder=None):  # noqa: ANN001, ANN201 - see pipeline
    """The comparison of two report files; see `compare.pipeline.compare_files`."""
    from compare.pipeline import compare_files as run

    return run(path_a, path_b, config, encoder)


def compare_articles(a, b, config, encoder=None):  # noqa: ANN001, ANN201 - see pipeline
    """The comparison of two loaded articles; see `compare.pipeline.compare_articles`."""
    from compare.pipeline import compare_articles as run

    return run(a, b, config, encoder)


def compare_story_files(sources, config=None, encoder=None):  # noqa: ANN001, ANN201 - see session
    """The story of two or more report files or URLs; see `compare.session.compare_story_files`."""
    from compare.session import compare_story_files as run

    return run(sources, config, encoder)


def __getattr__(name: str) -> object:
    """The record `name` of `compare.records` (`from compare import Article`), imported at first use."""
    if name in RECORDS:
        from compare import records

        return getattr(records, name)
    raise AttributeError(f"module 'compare' has no attribute {name!r}")
