"""Export a `Comparison` as the CSV contracts (alignment, discrepancies, facts) and JSON.

Rows are plain dicts with the contract's columns in order; `write_csv` writes them with the
standard library, so the CLI needs no pandas. Cells that a spreadsheet would run as a formula
are neutralised (OWASP CSV injection advice), line by line inside a cell, and full-width forms of
the formula characters count too; JSON keeps the raw text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from compare.facts.amounts import is_ordinal, slot_family
from compare.facts.credits import credit_facts
from compare.judge.speakers import QUOTE_OVERLAP, quote_overlap
from compare.judge.wording import shared_copy, wording
from compare.records import Article, Comparison, Conflict, ConflictKind, Fact, FactKind, Sentence, Status, Verdict
from compare.versions import active_version

ALIGNMENT_COLUMNS = (
    "status",
    "similarity",
    "a_id",
    "a_text",
    "b_id",
    "b_text",
    "shared_facts",
    "a_only_facts",
    "b_only_facts",
    "conflicts",
    "review",
    "note",
    "to_check",
    "a_source",
    "b_source",
    "wording",  # copied (the two sentences share wire copy word for word) or reworded; empty one-sided
)
FACT_COLUMNS = (
    "kind",
    "value",
    "in_a",
    "in_b",
    "a_mentions",
    "b_mentions",
    "status",
    "conflict_with",
    "a_sentences",  # the sentence numbers (0-based, as a_id) of its mentions, joined by " | "
    "b_sentences",
)
# A spreadsheet runs a cell starting with one of these as a formula; the full-width and small
# forms are folded to "=", "+", "-", "@" by some spreadsheets (Unicode normalisation on import).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\ufe66", "\uff0b", "\uff0d", "\uff20")
NEEDS_QUOTES = (",", '"', "\r", "\n")
STATUS_ORDER = {Status.CONFLICT: 0, Status.PARTIAL: 1, Status.ONLY_A: 2, Status.ONLY_B: 3, Status.AGREE: 4}


def alignment_rows(
    comparison: Comparison, reviews: Mapping[tuple[int | None, int | None], tuple[str, str]] | None = None
) -> list[dict[str, str]]:
    """One row per verdict, in reading order of A (then B's one-sided sentences), with the
    contract's columns; `reviews` maps (a_id, b_id) to (decision, note)."""
    reviews = reviews or {}
    ordered = sorted(comparison.verdicts, key=reading_order)
    return [verdict_row(comparison, v, reviews) for v in ordered]


def pair_key(verdict: Verdict) -> tuple[str, str]:
    """(a_id, b_id) of a verdict as its CSV row writes them ("" for no sentence)."""
    a, b = verdict.alignment.a, verdict.alignment.b
    return ("" if a is None else str(a), "" if b is None else str(b))


def reading_order(verdict: Verdict) -> tuple[float, float]:
    """Sort key: by A's sentence number, one-sided B sentences by B's number after A's."""
    a, b = verdict.alignment.a, verdict.alignment.b
    return (a if a is not None else float("inf"), b if b is not None else -1)


def verdict_row(comparison: Comparison, verdict: Verdict, reviews: Mapping) -> dict[str, str]:
    """The contract row of one verdict."""
    a, b = verdict.alignment.a, verdict.alignment.b
    decision, note = reviews.get((a, b), ("", ""))
    sim = verdict.alignment.similarity
    return {
        "status": verdict.status.value,
        "similarity": "" if sim is None else f"{sim:.3f}",
        "a_id": "" if a is None else str(a),
        "a_text": "" if a is None else comparison.a_sentences[a].text,
        "b_id": "" if b is None else str(b),
        "b_text": "" if b is None else comparison.b_sentences[b].text,
        "shared_facts": "; ".join(verdict.shared),
        "a_only_facts": "; ".join(verdict.a_only),
        "b_only_facts": "; ".join(verdict.b_only),
        "conflicts": conflicts_text(verdict.conflicts),
        "review": decision,
        "note": note,
        "to_check": conflicts_text(verdict.to_check),
        "a_source": comparison.a.source,
        "b_source": comparison.b.source,
        "wording": "" if a is None or b is None else row_wording(comparison, a, b),
    }


def row_wording(comparison: Comparison, a: int, b: int) -> str:
    """`copied` or `reworded`: whether sentences a of A and b of B share wire copy."""
    return wording(comparison.a_sentences[a].text, comparison.b_sentences[b].text)


def discrepancy_rows(rows: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """The alignment rows whose status is not agree, conflicts first, then the partial rows with
    differences to check, the other partial rows, only_a, only_b."""
    kept = [r for r in rows if r["status"] != Status.AGREE.value]
    return sorted(kept, key=lambda r: (STATUS_ORDER[Status(r["status"])], not r.get("to_check")))


@dataclass
class FactRow:
    """A distinct fact across both reports, being gathered."""

    kind: FactKind
    value: str
    a_mentions: list[str] = field(default_factory=list)
    b_mentions: list[str] = field(default_factory=list)
    conflict_with: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)  # a quote's words (folded), every version of them
    events: set[str] = field(default_factory=set)  # a date's event words, of every mention
    a_sentences: list[int] = field(default_factory=list)  # the sentence numbers of its mentions (0-based)
    b_sentences: list[int] = field(default_factory=list)


def fact_rows(comparison: Comparison) -> list[dict[str, str]]:
    """One row per distinct fact across both reports (numbers by amount and what they count, a
    figure written without what it counts ("killed 29") on the one row of that amount that says
    it ("29 firefighters"), if there is just one, never on a rank's ("8th boy"); quotes by speaker
    and words: the same speaker's quotes that share most words are one quote; a date of two events
    whose words differ is two rows), with where it occurs, the words as written and its status."""
    gathered: dict[str, FactRow] = {}
    where: dict[Fact, str] = {}  # each fact's row, so a conflict's facts find theirs
    sides = (("a", with_credits(comparison.a_facts, comparison.a_sentences)),
             ("b", with_credits(comparison.b_facts, comparison.b_sentences)))
    counted: dict[float | None, dict[str, str]] = {}  # amount -> row key -> value, of figures saying what they count
    for fact in (f for _, facts in sides for fs in facts for f in fs
                 if f.kind is FactKind.NUMBER and f.slot and not is_ordinal(f.slot)):  # a rank says no count
        counted.setdefault(fact.amount, {}).setdefault(row_key(fact, gathered, ""), fact.value)
    for side, facts in sides:
        for number, fact in ((n, f) for n, fs in enumerate(facts) for f in fs):
            key, value = row_key(fact, gathered, side), fact.value
            if fact.kind is FactKind.NUMBER and not fact.slot and len(counted.get(fact.amount, {})) == 1:
                key, value = next(iter(counted[fact.amount].items()))
            row = gathered.setdefault(key, FactRow(fact.kind, value))
            where[fact] = key
            if fact.kind is FactKind.QUOTE and fact.slot not in row.quoted:
                row.quoted.append(fact.slot)
            if fact.kind is FactKind.DATE:
                row.events |= set(fact.slot.split())
            mentions = row.a_mentions if side == "a" else row.b_mentions
            if fact.text not in mentions:
                mentions.append(fact.text)
            numbers = row.a_sentences if side == "a" else row.b_sentences
            if number not in numbers:
                numbers.append(number)
    for verdict in comparison.verdicts:
        for conflict in verdict.conflicts:
            mark_conflict(gathered, where, conflict)
    return [fact_row_dict(r) for r in sorted(gathered.values(), key=lambda r: (r.kind.value, r.value))]


def with_credits(facts: Sequence[tuple[Fact, ...]], sentences: Sequence[Sentence]) -> list[tuple[Fact, ...]]:
    """Each sentence's facts and the outlets it credits (`compare.facts.credits`: kind `source`,
    for the facts CSV only)."""
    return [(*fs, *credit_facts(s.text)) for fs, s in zip(facts, sentences, strict=True)]


def row_key(fact: Fact, gathered: dict[str, FactRow], side: str) -> str:
    """The key of the facts-CSV row `fact` belongs to: `Fact.key`; for a number its
    amount and slot family (`amounts.slot_family`: "$2,340" and "$2,340 per patient" are one row);
    for a quote also which of its speaker's quotes it is (the first gathered one it shares most
    words with, else a new one); for a date, which event of that day (the first row of the date
    that report `side` already gives, or whose event words it shares, or either names no event;
    else a new row: "Thursday" of the emergency declared and "Thursday" of the hospital evacuated
    are two facts)."""
    key = fact.key
    if fact.kind is FactKind.NUMBER and fact.slot:
        return f"number:{fact.amount:g}:{slot_family(fact.slot)}"
    if fact.kind is FactKind.DATE:
        n = 0
        words = set(fact.slot.split())
        while f"{key}#{n}" in gathered:
            row = gathered[f"{key}#{n}"]
            own = row.a_mentions if side == "a" else row.b_mentions
            if own or words & row.events or not words or not row.events:
                break
            n += 1
        return f"{key}#{n}"
    if fact.kind is not FactKind.QUOTE:
        return key
    n = 0
    while f"{key}#{n}" in gathered:
        if any(quote_overlap(fact.slot, words) >= QUOTE_OVERLAP for words in gathered[f"{key}#{n}"].quoted):
            break
        n += 1
    return f"{key}#{n}"


def mark_conflict(gathered: dict[str, FactRow], where: dict[Fact, str], conflict: Conflict) -> None:
    """Record on both facts' rows that they conflict (conflicts about a fact, not a sentence)."""
    if conflict.a is None or conflict.b is None:
        return
    a_row, b_row = gathered.get(where.get(conflict.a, "")), gathered.get(where.get(conflict.b, ""))
    if a_row is None or b_row is None or a_row is b_row:
        return
    if b_row.value not in a_row.conflict_with:
        a_row.conflict_with.append(b_row.value)
    if a_row.value not in b_row.conflict_with:
        b_row.conflict_with.append(a_row.value)


FACT_PHRASES = {  # how a sentence gives a fact of each kind: "A reports 12 people, B 15 people"
    FactKind.NUMBER: ("reports", ""),
    FactKind.DATE: ("gives the date as", "as "),
    FactKind.PERSON: ("names", ""),
    FactKind.ORG: ("names", ""),
    FactKind.PLACE: ("places it in", "in "),
    FactKind.QUOTE: ("attributes the words to", "to "),
}


def conflict_text(conflict: Conflict, a_label: str = "A", b_label: str = "B") -> str:
    """One conflict (or difference to check) as a clause a reader can quote, then its kind:
    `A reports 12 people, B 15 people (contradiction)`, `A gives the date as 2021-03-08, B as
    2021-03-06 (different date)`, `A attributes the words to X, B to Y (different speaker)`; for
    a negation, an extent or a status, what each sentence says (`A denies it, B affirms it
    (negation)`); a later update says which report is later (`(later update: B, 1 day later)`).
    `a_label` and `b_label` name the reports (a story's report ids)."""
    a, b = conflict.a, conflict.b
    if a is not None and b is not None:
        verb, again = FACT_PHRASES[a.kind]
        if conflict.kind is ConflictKind.TIME:
            verb, again = "gives the time as", "as "
        words = f"{a_label} {verb} {a.value}, {b_label} {again}{b.value}"
    elif conflict.kind is ConflictKind.NEGATION:
        words = f"{a_label} {conflict.a_text} it, {b_label} {conflict.b_text} it"
    else:
        words = f"{a_label} says \u201c{conflict.a_text}\u201d, {b_label} \u201c{conflict.b_text}\u201d"
    suffix = conflict.kind.value
    if conflict.later:
        days = f"{conflict.days} day{'s' if conflict.days != 1 else ''}"
        suffix = f"{conflict.kind.value}: {a_label if conflict.later == 'a' else b_label}, {days} later"
    return f"{words} ({suffix})"


def conflicts_text(conflicts: Sequence[Conflict], a_label: str = "A", b_label: str = "B") -> str:
    """The `conflicts` column: each conflict in words, repeats left out, joined by `; `."""
    return "; ".join(dict.fromkeys(conflict_text(c, a_label, b_label) for c in conflicts))


def fact_row_dict(row: FactRow) -> dict[str, str]:
    """The facts-CSV row of a gathered fact."""
    in_a, in_b = bool(row.a_mentions), bool(row.b_mentions)
    if row.conflict_with:
        status = "conflict"
    else:
        status = "shared" if in_a and in_b else "only_a" if in_a else "only_b"
    return {
        "kind": row.kind.value,
        "value": row.value,
        "in_a": str(in_a).lower(),
        "in_b": str(in_b).lower(),
        "a_mentions": " | ".join(row.a_mentions),
        "b_mentions": " | ".join(row.b_mentions),
        "status": status,
        "conflict_with": " | ".join(row.conflict_with),
        "a_sentences": " | ".join(map(str, row.a_sentences)),
        "b_sentences": " | ".join(map(str, row.b_sentences)),
    }


def neutralise(cell: str) -> str:
    """A cell that a spreadsheet will show as text: each line of it (the first, and any after a
    line break: CR, LF or another `str.splitlines` boundary) that starts with a formula character
    gets a `'`, so no line of the file starts a formula even for a reader that splits on CR."""
    lines = cell.splitlines(keepends=True)
    return "".join("'" + line if line.startswith(FORMULA_START) else line for line in lines)


def quote_cell(cell: str) -> str:
    """`cell` as a CSV field: in double quotes (inner quotes doubled) when it holds a comma, a
    quote, CR or LF; as is otherwise. The csv module's QUOTE_MINIMAL does not quote a bare CR
    when the line terminator is LF, so a CR in a note would end the row for many readers."""
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in NEEDS_QUOTES) else cell


def write_csv(path: str | Path, rows: Sequence[dict[str, str]], columns: Sequence[str], excel: bool = False) -> None:
    """Write `rows` as UTF-8 CSV with exactly `columns` as header, formula-like cells neutralised;
    the folder it goes in is made when missing (`out/` on a fresh clone). `excel` starts the file
    with a byte order mark, so Excel reads it as UTF-8 (curly quotes and accents intact)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig" if excel else "utf-8") as handle:
        handle.write(csv_text(rows, columns))


def csv_text(rows: Sequence[dict[str, str]], columns: Sequence[str]) -> str:
    """The CSV text of `rows` (header `columns`, one line per row ended by LF), formula-like cells
    neutralised, header cells too (a batch's reports table is headed by the manifest's own column
    names); Python's `csv.reader` reads back the neutralised cells, one record per row."""
    lines = [",".join(quote_cell(neutralise(c)) for c in columns)]
    lines += [",".join(quote_cell(neutralise(str(row.get(c, "")))) for c in columns) for row in rows]
    return "".join(line + "\n" for line in lines)


def comparison_json(
    comparison: Comparison, rows: Sequence[dict[str, str]] | None = None, settings: Mapping[str, object] | None = None
) -> str:
    """JSON with both reports' metadata, the model, the version of the match model and conflict
    judge in use (`compare.versions`), the alignment rows and the facts rows (raw text), and the
    `settings` the comparison was made with when given (key `settings`, last)."""

    remarks = [
        {"a_id": v.alignment.a, "b_id": v.alignment.b, "remarks": list(v.remarks)}
        for v in comparison.verdicts
        if v.remarks
    ]
    payload = {
        "remarks": remarks,
        "a": article_meta(comparison.a),
        "b": article_meta(comparison.b),
        "model": comparison.model,
        "model_version": active_version(),  # the match model and judge in use: "shipped", or a reviewer's refit
        # share of each report's sentences that are word for word in the other (wire copy)
        "shared_copy": dict(zip("ab", (round(x, 3) for x in shared_copy(comparison)), strict=True)),
        "alignment": list(rows) if rows is not None else alignment_rows(comparison),
        "facts": fact_rows(comparison),
    }
    if settings is not None:
        payload["settings"] = dict(settings)
    return json.dumps(payload, ensure_ascii=False, indent=1)


def article_meta(article: Article) -> dict[str, str]:
    """A report's metadata as JSON: id, source, title, published (ISO day, or empty), url and
    published_at (ISO date and time, with its zone when the report gives one; empty without a time)."""
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "published": article.published.isoformat() if article.published else "",
        "url": article.url,
        "published_at": article.published_at.isoformat(timespec="minutes") if article.published_at else "",
    }


def published_words(article: Article) -> str:
    """When a report was published, as people read it: `2018-12-16`, `2018-12-16 09:30 UTC-05:00`,
    `2018-12-16 09:30` (a time without a zone), or `undated`."""
    if article.published is None:
        return "undated"
    if article.published_at is None:
        return article.published.isoformat()
    return f"{article.published.isoformat()} {time_words(article.published_at)}"


def time_words(moment: datetime) -> str:
    """A time of day as people read it: `09:30 UTC-05:00`, `09:30 UTC`, `09:30` (no zone given)."""
    offset = moment.utcoffset()
    if offset is None:
        return f"{moment:%H:%M}"
    zone = f"{moment:%z}"
    return f"{moment:%H:%M} UTC" + ("" if not offset else f"{zone[:3]}:{zone[3:5]}")


def status_counts(comparison: Comparison) -> dict[str, int]:
    """Number of alignment rows per status, every status present."""
    counts = {s.value: 0 for s in Status}
    for verdict in comparison.verdicts:
        counts[verdict.status.value] += 1
    return counts
