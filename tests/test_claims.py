"""The claims stage on hand-made links: how groups grow, where they stop, and that every aligned
pair ends inside one claim."""

from __future__ import annotations

import random

from compare.records import ClaimStatus, Conflict, ConflictKind, Member
from compare.story.claims import Link, group_claims, linkage

A0, A1, B0, B1, B2, B3, C0, C1 = (
    Member(0, 0), Member(0, 1), Member(1, 0), Member(1, 1), Member(1, 2), Member(1, 3), Member(2, 0), Member(2, 1)
)
MIN = 0.325  # a link threshold for these hand-made links (the match model has its own)


def groups(claims):
    """The claims' member sets that span two or more reports."""
    return [set(c.members) for c in claims if len(c.reports) > 1]


def test_a_triangle_is_one_claim_stated_by_all():
    claims = group_claims([1, 1, 1], [Link(A0, B0, 0.9), Link(B0, C0, 0.8), Link(A0, C0, 0.7)], MIN, 3)
    assert len(claims) == 1
    assert set(claims[0].members) == {A0, B0, C0} and claims[0].status is ClaimStatus.ALL


def test_a_strong_chain_closes_but_a_weak_one_stays_two_claims():
    strong = group_claims([1, 1, 1], [Link(A0, B0, 0.9), Link(B0, C0, 0.9)], MIN, 3)
    assert groups(strong) == [{A0, B0, C0}]  # mean link (0.9 + 0) / 2 >= 0.325
    weak = group_claims([2, 1, 2], [Link(A0, B0, 0.5), Link(B0, C0, 0.5), Link(A0, C1, 0.9)], MIN, 3)
    # A0 is aligned elsewhere in C (C1): A0-C0 counts 0, mean 0.25, and B0 links two claims
    assert sorted(map(sorted, groups(weak))) == [[A0, B0], [A0, C1], [B0, C0]]
    assert all(c.status is ClaimStatus.SOME for c in weak if len(c.reports) > 1)


def test_one_claim_of_three_when_the_third_pair_is_one_sided_both_ways():
    """Issue 25, item 5: A~B and A~C, while B and C are one-sided towards each other (neither is
    aligned to the other's report), make one claim A, B, C, not two rows that both hold A."""
    claims = group_claims([1, 1, 1], [Link(A0, B0, 0.5), Link(A0, C0, 0.5)], MIN, 3)
    assert groups(claims) == [{A0, B0, C0}] and claims[0].status is ClaimStatus.ALL


def test_a_long_sentence_touching_two_claims_does_not_merge_them():
    links = [
        Link(A0, B0, 0.9), Link(B0, C0, 0.9), Link(A0, C0, 0.9),  # claim 1 in all three reports
        Link(B1, C1, 0.9),  # claim 2 in B and C
        Link(A0, B1, 0.5),  # A0 also carries claim 2
    ]
    found = groups(group_claims([2, 2, 2], links, MIN, 3))
    assert {A0, B0, C0} in found and {B1, C1} in found
    assert {A0, B1} in found  # the left-over link is a claim of its own: A0 is in two claims
    assert not any({A0, C1} <= g for g in found)  # no pair the alignment did not make


def test_a_claim_keeps_at_most_max_per_report_sentences_of_one_report():
    links = [Link(A0, b, 0.9 - k / 100) for k, b in enumerate([B0, B1, B2, B3])]
    claims = group_claims([1, 4], links, MIN, 3)
    biggest = max(claims, key=lambda c: len(c.members))
    assert len(biggest.sentences_of(1)) == 3
    assert {A0, B3} in groups(claims)  # the fourth still ends inside a claim


def test_unlinked_sentences_are_claims_of_one_report_after_the_shared_ones():
    claims = group_claims([2, 1], [Link(A1, B0, 0.8)], MIN, 3)
    assert [c.members for c in claims] == [(A1, B0), (A0,)]
    assert [c.id for c in claims] == [1, 2]
    assert claims[1].status is ClaimStatus.ONE


def test_a_conflicting_link_is_a_conflict_of_its_claim():
    conflict = Conflict(ConflictKind.CONTRADICTION, a_text="7", b_text="9")
    claims = group_claims([1, 1, 1], [Link(A0, B0, 0.9, (conflict,)), Link(B0, C0, 0.9), Link(A0, C0, 0.9)], MIN, 3)
    assert [(c.a, c.b, c.conflicts) for c in claims[0].conflicts] == [(A0, B0, (conflict,))]


def test_linkage_counts_only_telling_pairs_of_different_reports():
    # {A0, B0} against {B1}: only A0-B1 can be linked (B0 and B1 are one report)
    assert linkage(0.6, {A0, B0}, {B1}, {A0: {1}, B1: {0}}) == 0.6
    # {A0, B0} against {C0}: A0-C0 linked; B0-C0 tells only when one of them is aligned to the other's report
    assert linkage(0.6, {A0, B0}, {C0}, {A0: {1, 2}, B0: {0}, C0: {0}}) == 0.6
    assert linkage(0.6, {A0, B0}, {C0}, {A0: {1, 2}, B0: {0, 2}, C0: {0}}) == 0.3


def test_random_stories_keep_every_link_inside_one_claim():
    rng = random.Random(7)
    for _ in range(200):
        sizes = [rng.randint(1, 6) for _ in range(rng.randint(2, 5))]
        links = []
        for r in range(len(sizes)):
            for q in range(r + 1, len(sizes)):
                for _ in range(rng.randint(0, 6)):
                    links.append(Link(Member(r, rng.randrange(sizes[r])), Member(q, rng.randrange(sizes[q])),
                                      rng.uniform(MIN, 1.0)))
        claims = group_claims(sizes, links, MIN, 2)
        members = [set(c.members) for c in claims]
        assert all(any({x.a, x.b} <= m for m in members) for x in links)
        assert {m for c in claims for m in c.members} == {Member(r, s) for r, n in enumerate(sizes) for s in range(n)}
        linked = {m for x in links for m in (x.a, x.b)}
        for claim in claims:
            if len(claim.members) == 1:
                assert claim.members[0] not in linked  # a linked sentence is never left on its own
        assert [c.id for c in claims] == list(range(1, len(claims) + 1))
        spans = [len(c.reports) for c in claims]
        assert spans == sorted(spans, reverse=True)


def test_the_odd_one_out_is_the_report_that_differs_from_the_majority():
    """⚠ in the coverage matrix (issue 25, item 5): the report whose value differs from the others'
    alone; every report in a conflict when there is no majority."""
    seven_nine = (Conflict(ConflictKind.CONTRADICTION, a_text="7", b_text="9"),)
    triangle = [Link(A0, B0, 0.9, seven_nine), Link(B0, C0, 0.9, seven_nine), Link(A0, C0, 0.9)]
    assert group_claims([1, 1, 1], triangle, MIN, 3)[0].differing == (1,)  # B says 9, A and C say 7
    pair = group_claims([1, 1], [Link(A0, B0, 0.9, seven_nine)], MIN, 3)
    assert pair[0].differing == (0, 1)  # two reports: no majority
    all_differ = [Link(A0, B0, 0.9, seven_nine), Link(B0, C0, 0.9, seven_nine), Link(A0, C0, 0.9, seven_nine)]
    assert group_claims([1, 1, 1], all_differ, MIN, 3)[0].differing == (0, 1, 2)
    one_pair = [Link(A0, B0, 0.9, seven_nine), Link(B0, C0, 0.9), Link(A0, C0, 0.9)]
    assert group_claims([1, 1, 1], one_pair, MIN, 3)[0].differing == (0, 1)  # C is silent on it: no majority
    agreed = group_claims([1, 1, 1], [Link(A0, B0, 0.9), Link(B0, C0, 0.9), Link(A0, C0, 0.9)], MIN, 3)
    assert agreed[0].differing == ()
