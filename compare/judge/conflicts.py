"""The conflict rules: when two aligned sentences state incompatible or differing values of one fact.

A false conflict costs more than a missed one (a fact-checker misled twice stops trusting the
tool), so every rule asks for evidence that the two values are values *of the same thing*:
- figures: the same counted thing (`Fact.slot`), no figure on the other side that matches it
  (equal, a rounding or unit conversion of it, the same range, or the sum of the other side's figures: 65
  passengers and 6 crew are 71 people), and the same thing measured: for counts the same nearest
  predicate in the figure's clause (killed vs died, not died vs working), for units a name in
  common ("Hang Seng"). A figure that a qualifier or a range makes compatible ("at least 20"
  vs 25, "between 6.9 and 7.1" vs 7.1) is still a conflict, of kind `QUALIFIED`, as the
  references ask;
- dates: one day-level date each, of the same event (their event words overlap);
- speakers: the same quoted words given to two people both named in their sentence;
- roles: two different people with the same title, neither named on the other side;
- negation: the two sentences say the same words but for a negation;
- extent: "all (of the) N" against "most / some (of the) N";
- status: the same words but for a status and its opposite ("ongoing" vs "ended").
Each rule family has its module (`figures`, `when`, `speakers`, `negation`); each rule returns
`Conflict` records, and words are made from them in `compare.export` and the dashboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from compare.judge.figures import number_conflicts
from compare.judge.negation import extent_conflict, negation_conflict, status_conflict
from compare.judge.speakers import role_conflicts, speaker_conflicts
from compare.judge.when import date_conflicts
from compare.records import Conflict, Fact


def find_conflicts(
    a_text: str,
    a_facts: Sequence[Fact],
    b_text: str,
    b_facts: Sequence[Fact],
    published: tuple[date | None, date | None] = (None, None),
) -> list[Conflict]:
    """Every conflict between two aligned sentences and their facts, by the rules above;
    `published` is the publication date of each report, when known."""
    found = [
        *number_conflicts(a_text, a_facts, b_text, b_facts, published),
        *date_conflicts(a_facts, b_facts),
        *speaker_conflicts(a_text, a_facts, b_text, b_facts),
        *role_conflicts(a_facts, b_facts),
    ]
    sentence_level = (
        negation_conflict(a_text, b_text),
        extent_conflict(a_text, b_text),
        status_conflict(a_text, b_text),
    )
    found += [c for c in sentence_level if c is not None]
    return found
