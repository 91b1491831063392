"""The claims stage: sentences of two or more reports grouped into claims, from the pairwise
alignments of every pair of reports.

An aligned pair is a `Link` between two sentences of two reports, weighted by the match model's
probability. Groups grow by average linkage: two groups merge when their sentences are linked on
average strongly enough. A pair of sentences the alignment left apart counts as 0 when one of
the two is aligned to a sentence of the other's report (the alignment placed it elsewhere), and
is left out of the mean when neither is (their pairwise comparison left both one-sided: it says
nothing against them). So A~B and A~C for one claim, B and C one-sided towards each other, make
one claim of three (issue 25: not A with B and A with C as two rows), while a long sentence of A
that touches two claims (A~B1 for one, A~B2 for the other, each with its own partners) does not
pull the two claims into one. Two groups merge when that mean reaches the least probability an
aligned pair must have (the `threshold` setting): a merged claim is backed as strongly as a
single pair. A group keeps at most a few sentences per report (`max_partners`). Every link ends
inside one group: a link left between two groups (the long sentence carrying both claims) is a
claim of its own two sentences, so those sentences are members of two claims. Every sentence no
link reaches is a claim of its own report.

Measured on the two annotated three-report stories (`make eval`), this keeps the pairs the
claims imply between two reports within 0.02 pair F1 of their pairwise alignment (as before the
one-sided pairs were left out of the mean: the same figures, +0.001 on one pair, and one more
claim all three Pensacola reports state); a looser merge (half that mean) or joining the long
sentence to the other claim lost up to 0.10.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from compare.records import Claim, ClaimConflict, Comparison, Conflict, Member, Status


@dataclass(frozen=True, slots=True)
class Link:
    """An aligned pair of sentences of two reports, its weight (the match probability) and the
    conflicts the pairwise verdict found."""

    a: Member
    b: Member
    weight: float
    conflicts: tuple[Conflict, ...] = ()


def story_links(pairs: Sequence[tuple[int, int]], comparisons: Sequence[Comparison]) -> list[Link]:
    """A `Link` per aligned row (agree, partial, conflict) of every pairwise comparison; the
    weight is the row's match probability (its similarity when it has none)."""
    links = []
    for (i, j), comparison in zip(pairs, comparisons, strict=True):
        for verdict in comparison.verdicts:
            row = verdict.alignment
            if row.a is None or row.b is None:
                continue
            weight = row.score if row.score is not None else (row.similarity or 0.0)
            conflicts = verdict.conflicts if verdict.status is Status.CONFLICT else ()
            links.append(Link(Member(i, row.a), Member(j, row.b), float(weight), conflicts))
    return links


def group_claims(sizes: Sequence[int], links: Sequence[Link], min_link: float, max_per_report: int) -> list[Claim]:
    """The claims of a story whose report k has `sizes[k]` sentences: groups of linked sentences
    (average linkage >= `min_link`, the least weight of an aligned pair; at most `max_per_report`
    sentences of one report per group), the claims of left-over links, then one claim per
    sentence in no group. Sorted by the number of reports (most first), then by first member; ids from 1."""
    groups = merge_groups(links, min_link, max_per_report)
    attach_leftovers(groups, links)
    members = [tuple(sorted(g)) for g in groups if len({m.report for m in g}) > 1]
    grouped = {m for g in members for m in g}
    members += [(Member(r, s),) for r, n in enumerate(sizes) for s in range(n) if Member(r, s) not in grouped]
    return numbered_claims(members, links, len(sizes))


def numbered_claims(groups: Sequence[Sequence[Member]], links: Sequence[Link], n_story: int) -> list[Claim]:
    """Claims of `groups` (each a claim's sentences), sorted by the number of reports (most
    first) then by first sentence, ids from 1, each with the conflicts of the `links` inside it."""
    ordered = sorted((tuple(sorted(g)) for g in groups), key=lambda g: (-len({m.report for m in g}), g[0]))
    where: dict[Member, set[int]] = defaultdict(set)  # member -> positions of the claims holding it
    for k, group in enumerate(ordered):
        for m in group:
            where[m].add(k)
    conflicts: dict[int, list[ClaimConflict]] = defaultdict(list)
    for link in (x for x in links if x.conflicts):
        for k in where[link.a] & where[link.b]:
            conflicts[k].append(ClaimConflict(link.a, link.b, link.conflicts))
    return [Claim(k + 1, group, n_story, tuple(conflicts[k])) for k, group in enumerate(ordered)]


def merge_groups(links: Sequence[Link], min_linkage: float, max_per_report: int) -> list[set[Member]]:
    """Groups of the linked sentences by greedy average linkage: the pair of groups with the
    highest mean link weight over their telling sentence pairs (`linkage`) merges first, while
    that mean is >= `min_linkage` and no report would have more than `max_per_report` sentences in it."""
    group_of: dict[Member, int] = {}
    groups: dict[int, set[Member]] = {}
    reaches: dict[Member, set[int]] = defaultdict(set)  # member -> the reports it is aligned with
    for link in links:
        reaches[link.a].add(link.b.report)
        reaches[link.b].add(link.a.report)
        for m in (link.a, link.b):
            if m not in group_of:
                group_of[m] = len(groups)
                groups[group_of[m]] = {m}
    weight: dict[int, dict[int, float]] = defaultdict(dict)  # group -> neighbour group -> summed weight
    for link in links:
        x, y = group_of[link.a], group_of[link.b]
        weight[x][y] = weight[x].get(y, 0.0) + link.weight
        weight[y][x] = weight[x][y]

    def mean(x: int, y: int) -> float:
        return linkage(weight[x][y], groups[x], groups[y], reaches)

    counts = {g: Counter(m.report for m in ms) for g, ms in groups.items()}
    heap = [(-mean(x, y), x, y) for x in weight for y in weight[x] if x < y]
    heapq.heapify(heap)
    while heap:
        score, x, y = heapq.heappop(heap)
        if x not in groups or y not in groups or y not in weight[x]:
            continue
        if -score != mean(x, y):
            continue  # a stale entry: the pair was pushed again with its new linkage
        if -score < min_linkage:
            break
        joined = counts[x] + counts[y]
        if max(joined.values()) > max_per_report:
            continue
        groups[x] |= groups.pop(y)
        counts[x] = joined
        del counts[y]
        for z, w in weight.pop(y).items():
            del weight[z][y]
            if z != x:
                weight[x][z] = weight[x].get(z, 0.0) + w
                weight[z][x] = weight[x][z]
        for z in weight[x]:
            heapq.heappush(heap, (-mean(x, z), min(x, z), max(x, z)))
    return list(groups.values())


def linkage(weight: float, x: Collection[Member], y: Collection[Member], reaches: Mapping[Member, set[int]]) -> float:
    """Mean link weight `weight` between groups `x` and `y` over their telling pairs: two
    sentences of different reports (one report's are never linked), at least one of them aligned
    with a sentence of the other's report (`reaches`: member -> those reports), so that a pair the
    alignment left both one-sided towards each other says nothing either way."""
    telling = sum(
        1
        for p in x
        for q in y
        if p.report != q.report and (q.report in reaches.get(p, ()) or p.report in reaches.get(q, ()))
    )
    return weight / telling if telling else 0.0


def attach_leftovers(groups: list[set[Member]], links: Sequence[Link]) -> None:
    """Make every link end inside one group: a link between two groups (a sentence that carries
    both claims, or a pair the groups' other sentences do not back) becomes a claim of its own
    two sentences, so no claim gains a pair of sentences the alignment did not make."""
    where: dict[Member, set[int]] = defaultdict(set)  # member -> the groups holding it
    for k, group in enumerate(groups):
        for m in group:
            where[m].add(k)
    for link in links:
        if not where[link.a] & where[link.b]:
            for m in (link.a, link.b):
                where[m].add(len(groups))
            groups.append({link.a, link.b})
