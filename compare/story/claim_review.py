"""Reviewer decisions on the claims of a story, kept in the review database beside the pair
decisions, and applied to a `Story`.

A decision is about one claim as the reviewer saw it (its sentences):
- confirm: the sentences state one claim (it stays, marked);
- reject: they do not: each becomes a claim of its own report (unless another claim holds it);
- split: some of its sentences (`part`) are a claim of their own, the others stay together;
- move: one sentence (`part`) leaves the claim for another claim (`target`, as its sentences) or
  for a claim of its own (`target` empty).

Sentences are filed by their report's content hash and their number, so a decision follows the
reports' texts, not their ids or positions in the story, and a story's decisions are kept under
the set of its reports' hashes. Decisions apply oldest first, each to the claim that has exactly
its sentences after the earlier ones; a decision whose claim is no longer there (other settings
grouped the sentences otherwise, a report's text changed) is returned as stale, not applied.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path

from compare import sqlite
from compare.config import Config
from compare.records import Claim, Member, Story
from compare.review.store import WHAT, ReviewStore, bad_row, content_hash
from compare.story.claims import numbered_claims, story_links


class ClaimAction(StrEnum):
    """What a reviewer decided about a claim."""

    CONFIRM = "confirm"
    REJECT = "reject"
    SPLIT = "split"
    MOVE = "move"


REVIEW_WORDS = {
    ClaimAction.CONFIRM: "confirmed",
    ClaimAction.REJECT: "rejected",
    ClaimAction.SPLIT: "split",
    ClaimAction.MOVE: "moved",
}


@dataclass(frozen=True, slots=True)
class ClaimDecision:
    """One decision on the claim whose sentences are `members`; `part` is what a split takes out
    or the one sentence a move takes, `target` the claim a sentence moves to (empty: its own)."""

    action: ClaimAction
    members: tuple[Member, ...]
    part: tuple[Member, ...] = ()
    target: tuple[Member, ...] = ()
    note: str = ""


def story_key(story: Story) -> str:
    """The story's reports as the database files it: their content hashes, sorted."""
    return ",".join(sorted(content_hash(side.article) for side in story.sides))


def report_hashes(story: Story) -> list[tuple[str, int]]:
    """Each report's (content hash, how many earlier reports have the same text): one text given
    twice is two reports, told apart by their order."""
    hashes = [content_hash(side.article) for side in story.sides]
    return [(h, hashes[:k].count(h)) for k, h in enumerate(hashes)]


def encode_members(story: Story, members: tuple[Member, ...]) -> str:
    """`members` as JSON [[report hash, sentence], ...], with a third item, the repeat number of
    `report_hashes`, for a report whose text an earlier one has too."""
    out = []
    for m in members:
        digest, repeat = report_hashes(story)[m.report]
        out.append([digest, m.sentence, repeat] if repeat else [digest, m.sentence])
    return json.dumps(out)


def decode_members(story: Story, text: object) -> tuple[Member, ...] | None:
    """The members JSON of `encode_members` in this story, or None when a sentence is not in it
    or the text is not that JSON (bad JSON, a wrong shape: a hand-edited database)."""
    where = {key: k for k, key in enumerate(report_hashes(story))}
    try:
        items = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    out = []
    for item in items:
        if not (isinstance(item, list) and 2 <= len(item) <= 3 and isinstance(item[0], str)):
            return None
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in item[1:]):
            return None
        digest, sentence, *repeat = item
        k = where.get((digest, repeat[0] if repeat else 0))
        if k is None or not 0 <= sentence < len(story.sides[k].sentences):
            return None
        out.append(Member(k, int(sentence)))
    return tuple(sorted(out))


class ClaimReviewStore:
    """Claim decisions in the review database (`compare.review.store.ReviewStore`'s file, table
    `claim_decisions`); every method raises `StoreError` (one plain line) when it cannot be used."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.reviews = ReviewStore(path)  # creates and migrates the file
        self.path = self.reviews.path

    def save(self, story: Story, decision: ClaimDecision, config: Config) -> None:
        """Append `decision` to this story's decisions."""
        row = (
            story_key(story),
            decision.action.value,
            encode_members(story, tuple(sorted(decision.members))),
            encode_members(story, tuple(sorted(decision.part))),
            encode_members(story, tuple(sorted(decision.target))),
            decision.note,
            story.model,
            json.dumps(asdict(config), sort_keys=True),
            time.time(),
        )
        with sqlite.plain_errors(WHAT, self.path), self.reviews.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO claim_decisions (story, action, members, part, target, note, model, settings, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            db.execute("COMMIT")

    def load(self, story: Story) -> list[ClaimDecision]:
        """This story's decisions, oldest first (those naming a sentence not in it left out, and
        rows this program did not write skipped with a warning)."""
        with sqlite.plain_errors(WHAT, self.path), self.reviews.connect() as db:
            rows = db.execute(
                "SELECT action, members, part, target, note FROM claim_decisions WHERE story=? ORDER BY seq",
                (story_key(story),),
            ).fetchall()
        out = []
        for row in rows:
            action, members, part, target, note = row
            if action not in {a.value for a in ClaimAction} or not isinstance(note, str):
                bad_row(self.path, "claim_decisions", row)  # not a row this program writes
                continue
            decoded = [decode_members(story, x) for x in (members, part, target)]
            if None not in decoded:
                out.append(ClaimDecision(ClaimAction(action), *decoded, note))  # type: ignore[arg-type]
        return out

    def clear(self, story: Story) -> None:
        """Forget every claim decision on this story."""
        with sqlite.plain_errors(WHAT, self.path), self.reviews.connect() as db:
            db.execute("DELETE FROM claim_decisions WHERE story=?", (story_key(story),))


Reviews = dict[int, tuple[str, str]]  # claim id -> (review, note), as the exports take them


def apply_claim_decisions(story: Story, decisions: list[ClaimDecision]) -> tuple[Story, Reviews, list[ClaimDecision]]:
    """(the story with its claims as the decisions leave them, renumbered and sorted as
    `compare.story.claims` sorts them; the review and note per claim id; the decisions not applied
    because their claim is no longer there)."""
    groups: list[frozenset[Member]] = [frozenset(c.members) for c in story.claims]
    marks: dict[frozenset[Member], tuple[str, str]] = {}
    stale = []
    for d in decisions:
        claim = frozenset(d.members)
        if claim not in groups or not set(d.part) <= claim:
            stale.append(d)
            continue
        words = (REVIEW_WORDS[d.action], d.note)
        if d.action is ClaimAction.CONFIRM:
            marks[claim] = words
            continue
        groups.remove(claim)
        if d.action is ClaimAction.REJECT:
            made = [frozenset({m}) for m in sorted(claim)]
        elif d.action is ClaimAction.SPLIT:
            made = [frozenset(d.part), claim - frozenset(d.part)]
        else:
            target = frozenset(d.target)
            if target and target not in groups:
                stale.append(d)
                groups.append(claim)
                continue
            if target:
                groups.remove(target)
            made = [claim - frozenset(d.part), target | frozenset(d.part)]
        for group in (g for g in made if g):
            groups.append(group)
            marks[group] = words
    groups = without_covered_singletons(groups)
    claims, reviews = renumbered(story, groups, marks)
    return replace(story, claims=tuple(claims)), reviews, stale


def without_covered_singletons(groups: list[frozenset[Member]]) -> list[frozenset[Member]]:
    """`groups` without one-sentence groups whose sentence another group holds, repeats dropped."""
    held = {m for g in groups if len(g) > 1 for m in g}
    kept = [g for g in groups if len(g) > 1 or next(iter(g)) not in held]
    return list(dict.fromkeys(kept))


def renumbered(
    story: Story, groups: list[frozenset[Member]], marks: dict[frozenset[Member], tuple[str, str]]
) -> tuple[list[Claim], Reviews]:
    """Claims of `groups` sorted by reports (most first) then first sentence, ids from 1, with
    the conflicts of the story's links inside each, and the reviews by new id."""
    claims = numbered_claims(groups, story_links(story.pairs, story.comparisons), len(story.sides))
    reviews = {c.id: marks[frozenset(c.members)] for c in claims if frozenset(c.members) in marks}
    return claims, reviews
