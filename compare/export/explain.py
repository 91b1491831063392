"""Plain words for the dashboard and the printable report: what each status means, why a pair got
its status, and the reviewer's part in it.

Pure functions over records; conflicts are put into words only through `compare.export.rows`.
"""

from __future__ import annotations

from collections.abc import Sequence

from compare.align.match import match_threshold
from compare.config import Config
from compare.export.rows import conflicts_text, fact_rows
from compare.facts.credits import credited
from compare.judge.wording import SOME_COPY, WIRE_COPY, shared_copy
from compare.records import Comparison, FactKind, Status, Verdict

STATUS_MEANINGS: dict[Status, str] = {
    Status.AGREE: "the two sentences state the same claim with the same facts",
    Status.PARTIAL: "the same claim, but one side adds a figure or a date, or says it in other words",
    Status.CONFLICT: "the same claim with a different value: another count, date, speaker or name",
    Status.ONLY_A: "a sentence of report A that B does not state",
    Status.ONLY_B: "a sentence of report B that A does not state",
}
STATUS_NAMES: dict[Status, str] = {
    Status.AGREE: "agree",
    Status.PARTIAL: "partial",
    Status.CONFLICT: "conflict",
    Status.ONLY_A: "only in A",
    Status.ONLY_B: "only in B",
}
NUMBERING_NOTE = "sentence numbers count from 1 here; in the CSV files a_id, b_id and the sentence columns count from 0"


def numbered(side: str, index: int | None) -> str:
    """A sentence as people number it, from 1: `A1` is the first sentence of report A (its id in
    the CSVs, which count from 0, is 0); just `side` for no sentence."""
    return side if index is None else f"{side}{index + 1}"


REVIEW_WORDS = {
    "confirm": "confirmed",
    "reject": "rejected",
    "relabel": "relabelled",
    "link": "linked",
    "split": "split",
}


def legend_lines() -> list[str]:
    """One line per status, `name: meaning`, in the order agree, partial, conflict, only in A, only in B."""
    return [f"{STATUS_NAMES[s]}: {STATUS_MEANINGS[s]}" for s in Status]


def facts_words(labels: Sequence[str]) -> str:
    """`kind:value` labels as `value (kind)`, comma-separated; empty for no labels."""
    return ", ".join(f"{value} ({kind})" for kind, _, value in (label.partition(":") for label in labels))


def adds_detail(labels: Sequence[str]) -> bool:
    """Whether any of these one-sided facts is a number or a date (what makes a pair partial)."""
    details = (FactKind.NUMBER.value, FactKind.DATE.value)
    return any(label.partition(":")[0] in details for label in labels)


def why_lines(verdict: Verdict, config: Config) -> list[str]:
    """The evidence behind `verdict`'s status as the tool decided it, one plain sentence a line:
    the match probability against `threshold`, the similarity against `agree_similarity`, the
    shared facts, what each side adds and the conflicts with their kind."""
    alignment = verdict.alignment
    if alignment.a is None or alignment.b is None:
        side, facts = ("A", verdict.a_only) if alignment.b is None else ("B", verdict.b_only)
        other = "B" if side == "A" else "A"
        lines = [f"No sentence of {other} reached the minimum match probability ({match_threshold(config):g}) with it."]
        if facts:
            lines.append(f"Only {side} states: {facts_words(facts)}.")
        return lines
    lines = []
    if alignment.score is not None:
        lines.append(f"Match probability {alignment.score:.2f} (pairs are aligned from {match_threshold(config):g}).")
    similarity = alignment.similarity or 0.0
    reaches = "reaches" if similarity >= config.agree_similarity else "is below"
    lines.append(f"Similarity {similarity:.2f} {reaches} the agreement setting {config.agree_similarity:g}.")
    lines.append(f"Both state: {facts_words(verdict.shared)}." if verdict.shared else "No fact is stated by both.")
    for side, facts in (("A", verdict.a_only), ("B", verdict.b_only)):
        if facts:
            lines.append(f"{side} adds: {facts_words(facts)}.")
    lines.append(status_reason(verdict, similarity >= config.agree_similarity))
    return lines


def status_reason(verdict: Verdict, similar: bool) -> str:
    """The one sentence saying which rule gave an aligned pair its status."""
    sure = "" if verdict.conflict_probability is None else f" (the judge is {verdict.conflict_probability:.0%} sure)"
    if verdict.conflicts:
        return f"Conflict because the facts differ{sure}: {conflicts_text(verdict.conflicts)}."
    if verdict.to_check:
        return (f"Partial, with a difference to check: the judge is not sure enough to call it a conflict"
                f"{sure}: {conflicts_text(verdict.to_check)}.")
    detail = adds_detail(verdict.a_only) or adds_detail(verdict.b_only)
    if detail and similar:
        return "Partial because one side adds a figure or a date the other does not state."
    if detail:
        return "Partial: one side adds a figure or a date, and the wording is not similar enough to agree."
    if not similar:
        return "Partial because the wording is not similar enough to count as agreement."
    return "Agree: similar enough, no conflicting facts and no figure or date on one side only."


def probability_note(verdict: Verdict) -> str:
    """" (p 0.62)": the judge's probability that an aligned pair conflicts, or "" when it gave none
    (nothing differs)."""
    p = verdict.conflict_probability
    return "" if p is None else f" (p {p:.2f})"


def review_line(action: str, label: str, note: str, tool_status: Status | None) -> str:
    """The reviewer's decision in words ("Reviewer relabelled this pair conflict (the tool said
    partial). Note: ..."); `tool_status` is the status before the decision."""
    if action == "relabel":
        said = f" (the tool said {STATUS_NAMES[tool_status]})" if tool_status else ""
        text = f"Reviewer relabelled this pair {label}{said}."
    elif action in ("reject", "split"):
        text = f"Reviewer {REVIEW_WORDS[action]} this pair: its sentences are no longer aligned."
    else:
        text = f"Reviewer {REVIEW_WORDS.get(action, action)} this pair."
    return f"{text} Note: {note}" if note else text


STORY_KINDS = ("number", "date", "person", "org", "place")  # what a reader quotes first


def quotable(row: dict[str, str]) -> bool:
    """A fact value a reader can quote alone: not a bare figure such as `24`, which says nothing
    without what it counts."""
    return not (row["kind"] == "number" and not any(ch.isalpha() for ch in row["value"]))


def copy_line(comparison: Comparison) -> str | None:
    """`62 % of A's sentences are word for word in B, 57 % of B's in A: they share wire copy`, when
    at least `SOME_COPY` of either report is, and beside it the outlets each credits (`A credits
    Associated Press`); None when there is neither."""
    a, b = shared_copy(comparison)
    parts = []
    if max(a, b) >= SOME_COPY:
        line = f"{a:.0%} of A's sentences are word for word in B, {b:.0%} of B's in A"
        parts.append(line + (": they share wire copy, one source rather than two" if max(a, b) >= WIRE_COPY else ""))
    for side, sentences in (("A", comparison.a_sentences), ("B", comparison.b_sentences)):
        if outlets := credited([s.text for s in sentences]):
            parts.append(f"{side} credits {and_join(outlets)}")
    return "; ".join(parts) or None


def story_values(rows: Sequence[dict[str, str]], status: str, count: int) -> list[str]:
    """Up to `count` quotable fact values of the facts-CSV `rows` with `status`, figures and dates first."""
    chosen = [r for r in rows if r["status"] == status and r["kind"] in STORY_KINDS and quotable(r)]
    chosen.sort(key=lambda r: STORY_KINDS.index(r["kind"]))
    return [r["value"] for r in chosen[:count]]


def and_join(values: Sequence[str]) -> str:
    """`x`, `x and y`, `x, y and z`."""
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


def story_line(comparison: Comparison) -> str:
    """One sentence a reader can quote: the facts both reports give, where they differ (the first
    conflicts in words) and what each alone reports."""
    rows = fact_rows(comparison)
    parts = []
    if shared := story_values(rows, "shared", 3):
        parts.append(f"Both report {and_join(shared)}")
    differ = list(dict.fromkeys(conflicts_text(v.conflicts) for v in comparison.verdicts if v.conflicts))
    if differ:
        parts.append(f"they differ: {'; '.join(differ[:2])}")
    for side, status in (("A", "only_a"), ("B", "only_b")):
        if alone := story_values(rows, status, 2):
            parts.append(f"{side} alone reports {and_join(alone)}")
    if not parts:
        return "The two reports share no facts the tool can read."
    line = "; ".join(parts)
    return line[0].upper() + line[1:] + "."
