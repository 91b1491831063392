"""What every story page function reads: the story as the tool grouped it and as the reviewer's
claim decisions leave it, the settings, the decisions and the review store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from compare.config import Config
from compare.export.explain import numbered
from compare.records import Article, Claim, Member, Story
from compare.story.claim_review import ClaimDecision
from compare.story.export import member_text


@dataclass(frozen=True, slots=True)
class StoryDesk:
    """One run of a story page: `tool` is the story before review, `story` after the current claim
    decisions (`decisions`, oldest first; `stale` those no longer applying); `reviews` the review
    and note per claim id of `story`; `store` the review database."""

    tool: Story
    story: Story
    config: Config
    reviews: Mapping[int, tuple[str, str]]
    decisions: tuple[ClaimDecision, ...]
    stale: tuple[ClaimDecision, ...]
    store: Path

    @property
    def articles(self) -> tuple[Article, ...]:
        """The reports, in story order."""
        return tuple(side.article for side in self.story.sides)

    def report_name(self, k: int) -> str:
        """Report k as the page names it: its id, and its source when that says more."""
        article = self.articles[k]
        return article.id if article.source in ("", article.id) else f"{article.id} ({article.source})"

    def member_line(self, member: Member) -> str:
        """`fox #3: The Supreme Court ...`, the sentence numbered from 1 (raw text: escape it before Markdown)."""
        return f"{numbered(self.story.ids[member.report] + ' #', member.sentence)}: {member_text(self.story, member)}"

    def claim_label(self, claim: Claim) -> str:
        """A claim in one line for a list: reviewed mark, id, status, reports and its first sentence."""
        mark = "✓" if claim.id in self.reviews else "○"
        reports = ", ".join(self.story.ids[r] for r in claim.reports)
        first = member_text(self.story, claim.members[0])
        return f"{mark} #{claim.id} [{claim.status.value}: {reports}] {first[:70]}"
