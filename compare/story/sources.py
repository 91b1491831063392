"""Corroboration that counts (issue 28): reports that share wire copy for a claim are one source.

Who stated a claim first: of the reports stating it, those published on the earliest day
(`first_reports`; a report carries a day, not a time, so reports of one day tie).

Within a claim, two reports are joined when a sentence of one and a sentence of the other, both
stating the claim, are copied (`compare.judge.wording.is_copied`); the claim's independent reports
are the groups so joined. Across a story, two reports share wire copy when at least `WIRE_COPY` of
either one's sentences is word for word in the other (their pairwise `shared_copy`).
"""

from __future__ import annotations

from compare.judge.wording import WIRE_COPY, is_copied, shared_copy
from compare.records import Claim, Story


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
    """The reports that stated `claim` first: of those stating it, the ones published on the
    earliest day (several on one day: all of them; reports carry a day, not a time); () when none
    of them is dated."""
    dated = [(story.sides[r].article.published, r) for r in claim.reports if story.sides[r].article.published]
    if not dated:
        return ()
    first = min(day for day, _ in dated)
    return tuple(r for day, r in dated if day == first)
