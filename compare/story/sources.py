"""Corroboration that counts (issue 28): reports that share wire copy for a claim are one source.

Who stated a claim first (`first_reports`), and the story's reports in publication order
(`publication_order`), from each report's day and, where it gives one, its time of day
(`Article.published_at`): times with a zone are compared as instants, across days too; otherwise
the earliest day comes first, and within that day times break the tie when every report of the
day has one and all are with a zone or all without (times without a zone are taken to be in one
zone). Reports that cannot be told apart tie: all of them are first.

Within a claim, two reports are joined when a sentence of one and a sentence of the other, both
stating the claim, are copied (`compare.judge.wording.is_copied`); the claim's independent reports
are the groups so joined. Across a story, two reports share wire copy when at least `WIRE_COPY` of
either one's sentences is word for word in the other (their pairwise `shared_copy`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from compare.judge.wording import WIRE_COPY, is_copied, shared_copy
from compare.records import Article, Claim, Story


def independent_reports(story: Story, claim: Claim) -> int:
    """How many independent sources state `claim`: its reports, those that share copy for it counted once."""
    group = {r: r for r in claim.reports}

    def root(r: int) -> int:
        while group[r] != r:
            r = group[r]
        return r

    members = claim.members
    text = {m: story.sides[m.report].sentences[m.sentence].text for m in members}
    for x, m in enumerate(members):
        for n in members[x + 1 :]:
            if m.report != n.report and root(m.report) != root(n.report) and is_copied(text[m], text[n]):
                group[root(m.report)] = root(n.report)
    return len({root(r) for r in claim.reports})


def copy_pairs(story: Story) -> list[tuple[int, int, float, float]]:
    """(i, j, share of i's sentences word for word in j, share of j's in i) for every pair of
    reports that share wire copy, in story order."""
    out = []
    for (i, j), comparison in zip(story.pairs, story.comparisons, strict=True):
        a, b = shared_copy(comparison)
        if max(a, b) >= WIRE_COPY:
            out.append((i, j, a, b))
    return out


def one_source_claims(story: Story) -> int:
    """Claims stated by two or more reports that all share copy for it: they rest on one source."""
    return sum(1 for c in story.claims if len(c.reports) > 1 and independent_reports(story, c) == 1)


def first_reports(story: Story, claim: Claim) -> tuple[int, ...]:
    """The reports that stated `claim` first (`first_published` of those stating it); () when none
    of them is dated, or when only one report states it (nobody to be first against)."""
    if len(claim.reports) < 2:
        return ()
    return first_published([side.article for side in story.sides], claim.reports)


def first_published(articles: Sequence[Article], among: Iterable[int]) -> tuple[int, ...]:
    """Of the reports `among` (indices into `articles`), those published first, in the order
    given; several when they cannot be told apart (see the module's rule); () when none is dated."""
    dated = [r for r in among if articles[r].published is not None]
    if not dated:
        return ()
    times = [articles[r].published_at for r in dated]
    if all(t is not None and t.utcoffset() is not None for t in times):
        return earliest(dated, times)
    day = min(articles[r].published for r in dated)
    dated = [r for r in dated if articles[r].published == day]
    times = [articles[r].published_at for r in dated]
    if all(t is not None for t in times) and len({t.utcoffset() is None for t in times}) == 1:
        return earliest(dated, times)
    return tuple(dated)


def earliest(reports: list[int], times: list[datetime]) -> tuple[int, ...]:
    """The reports whose time is the smallest of `times` (one per report, all comparable)."""
    first = min(times)
    return tuple(r for r, t in zip(reports, times, strict=True) if t == first)


def publication_order(articles: Sequence[Article]) -> list[int]:
    """Indices of `articles` in publication order: the first published, then the first of the rest,
    and so on; reports that tie keep their order; undated reports last, in their order."""
    rest = list(range(len(articles)))
    order: list[int] = []
    while first := first_published(articles, rest):
        order += first
        rest = [r for r in rest if r not in first]
    return order + rest
