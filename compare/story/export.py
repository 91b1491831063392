"""Export a `Story` (two or more reports grouped into claims): the claims CSV in long form, the
coverage matrix (claims x reports) and JSON. The pairwise CSVs of any two of its reports are
`compare.export.rows`'s, of `story.comparison(i, j)`.

Rows are plain dicts; `export.rows.write_csv` writes them (formula-like cells neutralised).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from compare.export.explain import numbered
from compare.export.rows import alignment_rows, article_meta, conflicts_text
from compare.facts.credits import credited
from compare.records import Claim, ClaimConflict, Member, Story
from compare.story.sources import copy_pairs, first_reports, independent_reports, one_source_claims
from compare.versions import active_version

CLAIM_COLUMNS = (
    "claim_id",
    "report",
    "sentence_id",
    "text",
    "claim_status",
    "n_reports",
    "conflicts",
    "review",
    "note",
    "independent_reports",  # the claim's reports, those that share wire copy for it counted once
    "first_reports",  # the report(s) that stated it first (`sources.first_reports`); empty for a claim of one report
)
COVERAGE_FIRST = ("claim_id", "claim_status", "n_reports")  # then a column per report, then COVERAGE_LAST
COVERAGE_LAST = ("conflicts", "text", "review", "note", "independent_reports", "first_reports")
Reviews = Mapping[int, tuple[str, str]]  # claim id -> (decision, note)


def claim_conflict_text(story: Story, conflict: ClaimConflict, for_people: bool = False) -> str:
    """A conflict between two members of a claim in words, naming their reports and sentences:
    `fox #3` by the report id and the sentence id (from 0, as the CSVs), or with `for_people` as
    the dashboard names them, `Fox News #4` (`outlet_names`, sentences from 1: `explain.numbered`)."""
    names = outlet_names(story) if for_people else story.ids
    a, b = (
        numbered(f"{names[m.report]} #", m.sentence) if for_people else f"{names[m.report]} #{m.sentence}"
        for m in (conflict.a, conflict.b)
    )
    return conflicts_text(conflict.conflicts, a, b)


def outlet_names(story: Story) -> tuple[str, ...]:
    """A name per report for columns and lists, in story order: its source (the outlet) when it
    has one, else its id; a name two reports share gets the id after it, so names stay distinct."""
    names = [side.article.source or side.article.id for side in story.sides]
    return tuple(
        f"{name} ({side.article.id})" if names.count(name) > 1 and name != side.article.id else name
        for name, side in zip(names, story.sides, strict=True)
    )


def member_text(story: Story, member: Member) -> str:
    """The sentence `member` as written."""
    return story.sides[member.report].sentences[member.sentence].text


def claim_rows(story: Story, reviews: Reviews | None = None) -> list[dict[str, str]]:
    """One row per (claim, sentence) with `CLAIM_COLUMNS`, claims in story order (most reports
    first), a claim's sentences in report order; `conflicts` on a row are the conflicts its
    sentence takes part in; `reviews` maps a claim id to (decision, note)."""
    reviews = reviews or {}
    rows = []
    for claim in story.claims:
        decision, note = reviews.get(claim.id, ("", ""))
        independent, first = str(independent_reports(story, claim)), first_ids(story, claim)
        for member in claim.members:
            mine = [c for c in claim.conflicts if member in (c.a, c.b)]
            rows.append({
                "claim_id": str(claim.id),
                "report": story.ids[member.report],
                "sentence_id": str(member.sentence),
                "text": member_text(story, member),
                "claim_status": claim.status.value,
                "n_reports": str(len(claim.reports)),
                "conflicts": "; ".join(claim_conflict_text(story, c) for c in mine),
                "review": decision,
                "note": note,
                "independent_reports": independent,
                "first_reports": first,
            })
    return rows


def first_ids(story: Story, claim: Claim) -> str:
    """The ids of the reports that stated `claim` first, `; `-joined (`sources.first_reports`);
    empty for a claim only one report states or when none of its reports is dated."""
    return "; ".join(story.ids[r] for r in first_reports(story, claim))


def coverage_columns(story: Story) -> tuple[str, ...]:
    """The coverage matrix's columns: `COVERAGE_FIRST`, a column per report id, `COVERAGE_LAST`."""
    return (*COVERAGE_FIRST, *story.ids, *COVERAGE_LAST)


def coverage_rows(story: Story, reviews: Reviews | None = None) -> list[dict[str, str]]:
    """The coverage matrix, one row per claim (most reports first): per report the numbers of
    the sentences that state the claim (`; `-joined, empty when the report does not), the
    claim's conflicts, its first sentence as written, and the review decision and note on it
    (`reviews`: claim id -> (decision, note))."""
    reviews = reviews or {}
    rows = []
    for claim in story.claims:
        row = {
            "claim_id": str(claim.id),
            "claim_status": claim.status.value,
            "n_reports": str(len(claim.reports)),
        }
        for k, report in enumerate(story.ids):
            row[report] = "; ".join(str(s) for s in claim.sentences_of(k))
        row["conflicts"] = "; ".join(claim_conflict_text(story, c) for c in claim.conflicts)
        row["text"] = member_text(story, claim.members[0])
        row["review"], row["note"] = reviews.get(claim.id, ("", ""))
        row["independent_reports"] = str(independent_reports(story, claim))
        row["first_reports"] = first_ids(story, claim)
        rows.append(row)
    return rows


def claim_json(story: Story, claim: Claim) -> dict[str, object]:
    """A claim as JSON: id, status, reports, its sentences and its conflicts."""
    return {
        "id": claim.id,
        "status": claim.status.value,
        "reports": [story.ids[r] for r in claim.reports],
        "independent_reports": independent_reports(story, claim),
        "first_reports": [story.ids[r] for r in first_reports(story, claim)],
        "sentences": [
            {"report": story.ids[m.report], "sentence_id": m.sentence, "text": member_text(story, m)}
            for m in claim.members
        ],
        "conflicts": [
            {
                "a_report": story.ids[c.a.report],
                "a_sentence": c.a.sentence,
                "b_report": story.ids[c.b.report],
                "b_sentence": c.b.sentence,
                "kinds": [x.kind.value for x in c.conflicts],
                "text": claim_conflict_text(story, c),
            }
            for c in claim.conflicts
        ],
    }


def story_json(story: Story, settings: Mapping[str, object] | None = None, reviews: Reviews | None = None) -> str:
    """JSON with every report's metadata, the model, the claims, and each pair's alignment rows
    (raw text), and the `settings` when given (key `settings`, last)."""

    reviews = reviews or {}
    claims = []
    for claim in story.claims:
        item = claim_json(story, claim)
        decision, note = reviews.get(claim.id, ("", ""))
        claims.append({**item, "review": decision, "note": note})
    payload: dict[str, object] = {
        "reports": [{**article_meta(side.article), "sentences": str(len(side.sentences))} for side in story.sides],
        "model": story.model,
        "model_version": active_version(),  # the match model and judge in use (`compare.versions`)
        "claims": claims,
        "pairs": [
            {"a": story.ids[i], "b": story.ids[j], "alignment": alignment_rows(comparison)}
            for (i, j), comparison in zip(story.pairs, story.comparisons, strict=True)
        ],
    }
    if settings is not None:
        payload["settings"] = dict(settings)
    return json.dumps(payload, ensure_ascii=False, indent=1)


def sources_line(story: Story, names: Sequence[str] | None = None) -> str | None:
    """`fox and reuters share wire copy (62% and 57% of their sentences word for word); 4 claims
    stated by several reports rest on one source only; fox credits Associated Press` (`names`: the
    reports as the reader knows them, default their ids); None when no reports share copy and none
    credits an outlet."""
    names = list(names or story.ids)
    pairs = copy_pairs(story)
    credits = [f"{names[k]} credits {', '.join(outlets)}" for k, side in enumerate(story.sides)
               if (outlets := credited([s.text for s in side.sentences]))]
    if not pairs:
        return "; ".join(credits) or None
    shared = "; ".join(f"{names[i]} and {names[j]} share wire copy ({a:.0%} and {b:.0%} of their sentences word "
                       "for word)" for i, j, a, b in pairs)
    alone = one_source_claims(story)
    claims = f"{alone} claim{'' if alone == 1 else 's'} stated by several reports"
    claims += " rests" if alone == 1 else " rest"
    return "; ".join([f"{shared}; {claims} on one source only", *credits])


def claim_counts(story: Story) -> dict[str, int]:
    """Claims per status (all, some, one), every status present."""
    from compare.records import ClaimStatus

    counts = {s.value: 0 for s in ClaimStatus}
    for claim in story.claims:
        counts[claim.status.value] += 1
    return counts


def only_in(story: Story, report: int) -> list[Claim]:
    """The claims only `report` states, in story order."""
    return [c for c in story.claims if c.reports == (report,)]


def pair_index(story: Story, spec: str) -> tuple[int, int]:
    """The (i, j) of `--pair A_ID,B_ID` (two report ids of the story, in story order or not:
    the first named is A); raises `ValueError` naming the ids it knows."""
    names = [x.strip() for x in spec.split(",")]
    if len(names) != 2 or not all(n in story.ids for n in names) or names[0] == names[1]:
        raise ValueError(f"--pair needs two different report ids of the story, A_ID,B_ID; ids: {', '.join(story.ids)}")
    return story.ids.index(names[0]), story.ids.index(names[1])


def pairs_of(ids: Sequence[str]) -> list[str]:
    """`A,B` for every pair of report ids, in story order (for messages)."""
    return [f"{ids[i]},{ids[j]}" for i in range(len(ids)) for j in range(i + 1, len(ids))]
