"""Command line: `python -m compare A B [C ...] [--csv PATH] [--discrepancies PATH] [--facts-csv PATH]
[--claims-csv PATH] [--coverage-csv PATH] [--pair A_ID,B_ID] [--json PATH] [--threshold X]
[--model NAME_OR_PATH]`, and `python -m compare story FOLDER [...]` for the reports in a folder;
`python -m compare batch MANIFEST --out DIR` and `batch-summary DIR` go to `compare.batch.cli`;
`python -m compare learn` to `compare.quality.reviews`.

Two reports are compared as a pair; three or more as a story (claims across the reports), where
the pairwise files (`--csv`, `--discrepancies`, `--facts-csv`) are of the pair `--pair` names.

It only parses, calls the pipeline and writes; every setting of `Config` is also a flag.
Exit 0 on success, 2 with one line on standard error on bad input.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from compare.config import Config, add_settings, config_of
from compare.embed.encoders import Progress
from compare.records import Article, Comparison, LoadError, Status, Story, one_line

log = logging.getLogger("compare")
SUMMARY_ONE_SIDED = 3
LONG_WORK = 1000  # texts to embed before a progress bar is worth showing


def build_parser(story: bool = False) -> argparse.ArgumentParser:
    """The argument parser (of `story FOLDER` when `story`); the settings flags come from the
    `SETTINGS` table."""
    parser = argparse.ArgumentParser(
        prog="python -m compare story" if story else "python -m compare",
        description="Compare news reports of one event: what they share, what each adds, where they differ.",
    )
    if story:
        parser.add_argument(
            "folder", help="a folder of reports: those its story.json lists, else every .txt / .md / .html file in it"
        )
    else:
        parser.add_argument(
            "reports",
            nargs="+",
            metavar="REPORT",
            help="two or more reports: .txt / .md files (optional YAML front matter), .html pages or http(s) URLs; "
            "the first two are A and B",
        )
    parser.add_argument("--csv", metavar="PATH", help="write the alignment CSV (every sentence of both reports)")
    parser.add_argument(
        "--discrepancies", metavar="PATH", help="write the discrepancy CSV (rows not in agreement, conflicts first)"
    )
    parser.add_argument(
        "--review-order",
        choices=("reading", "uncertain"),
        default="reading",
        help="the discrepancy CSV's order: reading (conflicts first, the default) or uncertain (the rows the match "
        "model or the conflict judge is least sure of first: the decisions that teach `python -m compare learn` most)",
    )
    parser.add_argument("--facts-csv", metavar="PATH", help="write the facts CSV (one row per distinct fact)")
    parser.add_argument(
        "--claims-csv", metavar="PATH", help="write the claims CSV: one row per (claim, report sentence), long form"
    )
    parser.add_argument(
        "--coverage-csv", metavar="PATH", help="write the coverage matrix: one row per claim, a column per report"
    )
    parser.add_argument(
        "--pair",
        metavar="A_ID,B_ID",
        help="with three or more reports: the two report ids (as the summary shows them) that --csv, "
        "--discrepancies and --facts-csv are of (default: the first two)",
    )
    parser.add_argument("--json", metavar="PATH", help="write everything as JSON")
    parser.add_argument(
        "--excel", action="store_true", help="write the CSV files with a UTF-8 byte order mark, for Excel"
    )
    parser.add_argument(
        "--published",
        metavar="DATE[,DATE...]",
        help="each report's publication date (YYYY-MM-DD, or with a time: 2018-12-16T09:30-05:00), in the order "
        "of the reports; a blank keeps the report's own: relative dates such as 'Monday' are placed against it, "
        "and a story's reports are ordered by it",
    )
    parser.add_argument(
        "--source", metavar="NAME[,NAME...]", help="each report's outlet, in the order of the reports; a blank keeps "
        "the report's own"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to standard error")
    add_settings(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code. `batch ...` and `batch-summary ...` are the batch
    runner's commands (`compare.batch.cli`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "learn":
        from compare.quality import reviews

        return reviews.main(argv[1:])
    if argv and argv[0] in ("batch", "batch-summary"):
        from compare.batch import cli as batch_cli

        return batch_cli.main(argv)
    in_story = bool(argv) and argv[0] == "story"
    parser = build_parser(story=in_story)
    args = parser.parse_args(argv[1:] if in_story else argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    config = config_of(args)
    from compare.embed.encoders import ModelError

    try:
        from compare.session import Session

        sources = story_sources(args)
        as_story = len(sources) > 2 or bool(args.claims_csv or args.coverage_csv or args.pair)
        with Session(config) as session, terminal_progress(args.verbose) as progress:
            if as_story:
                articles = given(session.load_story(sources), args.published, args.source)
                story = session.compare_story(session.prepare_story(articles, progress))
                comparison = chosen_pair(story, args.pair)
            else:
                a, b = given(session.load_pair(*sources), args.published, args.source)
                comparison = session.compare(session.prepare(a, b, progress))
        write_outputs(comparison, args, config)
        if as_story:
            write_story_outputs(story, args, config)
    except (LoadError, ModelError, OSError, ValueError) as error:
        sys.stderr.write(f"error: {one_line(error)}\n")
        return 2
    from compare.pipeline import comparison_warnings

    for warning in comparison_warnings(comparison):
        sys.stderr.write(f"warning: {warning}\n")
    sys.stdout.write(story_summary(story) if as_story and len(story.sides) > 2 else summary(comparison))
    return 0


def given(articles: Sequence[Article], published: str | None, sources: str | None) -> list[Article]:
    """`articles` with the publication dates and outlets given on the command line (comma-separated,
    in report order, a blank keeping the report's own; a date may carry a time, `2018-12-16T09:30-05:00`);
    raises `ValueError` with one line for a date that is neither or more values than reports."""
    from compare.read.load import to_when

    out = list(articles)
    for k, value in enumerate(listed("--source", sources, len(out))):
        out[k] = replace(out[k], source=value) if value else out[k]
    for k, value in enumerate(listed("--published", published, len(out))):
        try:
            day, moment = to_when(value, "--published")
        except LoadError:
            raise ValueError(f"--published: {value!r} is not a date (YYYY-MM-DD) or an ISO date and time "
                             "(YYYY-MM-DDTHH:MM, a zone such as -05:00 or Z after it)") from None
        out[k] = replace(out[k], published=day, published_at=moment) if value else out[k]
    return out


def listed(flag: str, text: str | None, reports: int) -> list[str]:
    """The comma-separated values of `flag`, stripped; raises `ValueError` for more than `reports`."""
    values = [v.strip() for v in text.split(",")] if text else []
    if len(values) > reports:
        raise ValueError(f"{flag}: {len(values)} values for {reports} reports")
    return values


def story_sources(args: argparse.Namespace) -> list[str]:
    """The reports to compare: the positional ones, or a story folder's; raises `ValueError`
    for fewer than two."""
    if getattr(args, "folder", None) is not None:
        from pathlib import Path

        from compare.story.build import story_files

        return [str(p) for p in story_files(Path(args.folder))]
    if len(args.reports) < 2:
        raise ValueError("give two or more reports (files or URLs), or `story FOLDER`")
    return list(args.reports)


def chosen_pair(story: Story, spec: str | None) -> Comparison:
    """The pairwise comparison `--pair` names (default: the first two reports)."""
    from compare.story.build import pair_comparison
    from compare.story.export import pair_index

    i, j = pair_index(story, spec) if spec else (0, 1)
    return pair_comparison(story, i, j)


@contextmanager
def terminal_progress(verbose: bool) -> Iterator[Progress | None]:
    """A tqdm bar on standard error for the embedding of long reports (or with --verbose), shown
    only when standard error is a terminal."""
    if not (sys.stderr.isatty() or verbose):
        yield None
        return
    from tqdm import tqdm

    bar: tqdm | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            if total < LONG_WORK and not verbose:
                return
            bar = tqdm(total=total, desc="embedding", unit="text", file=sys.stderr)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


def write_outputs(comparison: Comparison, args: argparse.Namespace, config: Config | None = None) -> None:
    """Write each file the user asked for."""
    from compare.export import rows as export

    rows = export.alignment_rows(comparison)
    if args.csv:
        export.write_csv(args.csv, rows, export.ALIGNMENT_COLUMNS, excel=args.excel)
    if args.discrepancies:
        discrepancies = export.discrepancy_rows(rows)
        if getattr(args, "review_order", "reading") == "uncertain":
            from compare.review.order import uncertain_first

            ordered = uncertain_first(comparison.verdicts, config or Config())
            rank = {export.pair_key(v): k for k, v in enumerate(ordered)}
            discrepancies.sort(key=lambda r: rank[(r["a_id"], r["b_id"])])
        export.write_csv(args.discrepancies, discrepancies, export.ALIGNMENT_COLUMNS, excel=args.excel)
    if args.facts_csv:
        export.write_csv(args.facts_csv, export.fact_rows(comparison), export.FACT_COLUMNS, excel=args.excel)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as handle:
            handle.write(export.comparison_json(comparison, rows))


def write_story_outputs(story: Story, args: argparse.Namespace, config: Config) -> None:
    """Write the claims CSV, the coverage matrix and (for three or more reports) the story JSON."""
    from dataclasses import asdict

    from compare.export import rows as export
    from compare.story import export as story_export

    if args.claims_csv:
        export.write_csv(args.claims_csv, story_export.claim_rows(story), story_export.CLAIM_COLUMNS, excel=args.excel)
    if args.coverage_csv:
        columns = story_export.coverage_columns(story)
        export.write_csv(args.coverage_csv, story_export.coverage_rows(story), columns, excel=args.excel)
    if args.json and len(story.sides) > 2:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as handle:
            handle.write(story_export.story_json(story, asdict(config)))


def story_summary(story: Story) -> str:
    """A short terminal summary of a story: each report, the claims per status, the claims all
    reports state, the conflicts, and how many claims only each report states."""
    from compare.export.rows import published_words
    from compare.story.export import claim_conflict_text, claim_counts, member_text, only_in, sources_line

    lines = []
    for side in story.sides:
        a = side.article
        lines.append(f"{a.id}: {a.source} ({published_words(a)}), {len(side.sentences)} sentences")
    counts = claim_counts(story)
    lines.append(f"claims: {len(story.claims)} (stated by all {counts['all']}, by some {counts['some']}, "
                 f"by one {counts['one']})")
    for claim in [c for c in story.claims if c.status.value == "all"][:SUMMARY_ONE_SIDED]:
        lines.append(f"all state (claim {claim.id}): {clip(member_text(story, claim.members[0]))}")
    for claim in story.claims:
        for conflict in claim.conflicts:
            lines.append(f"conflict (claim {claim.id}): {claim_conflict_text(story, conflict)}")
    for k, report in enumerate(story.ids):
        lines.append(f"only in {report}: {len(only_in(story, k))} claims")
    if copied := sources_line(story):
        lines.append(f"sources: {copied}")
    return "\n".join(lines) + "\n"


def summary(comparison: Comparison) -> str:
    """A short terminal summary: counts per status, the conflicts (with the judge's probability),
    the differences to check, the biggest one-sided details."""
    from compare.export import explain
    from compare.export import rows as export
    from compare.export.explain import numbered
    from compare.export.rows import published_words, status_counts

    a, b = comparison.a, comparison.b
    lines = [
        f"A: {a.source} ({published_words(a)}), {len(comparison.a_sentences)} sentences",
        f"B: {b.source} ({published_words(b)}), {len(comparison.b_sentences)} sentences",
        "rows: " + ", ".join(f"{k} {v}" for k, v in status_counts(comparison).items()),
    ]
    if copied := explain.copy_line(comparison):
        lines.append(f"wording: {copied}")
    conflicts = [v for v in comparison.verdicts if v.status is Status.CONFLICT]
    for verdict in conflicts:
        lines.append(f"conflict{explain.probability_note(verdict)}: {export.conflicts_text(verdict.conflicts)}")
        a_id, b_id = verdict.alignment.a, verdict.alignment.b
        lines.append(f"  {numbered('A', a_id)}: {clip(comparison.a_sentences[a_id].text)}")  # type: ignore[index]
        lines.append(f"  {numbered('B', b_id)}: {clip(comparison.b_sentences[b_id].text)}")  # type: ignore[index]
    checks = [v for v in comparison.verdicts if v.to_check]
    if checks:
        lines.append(f"differences to check ({len(checks)}; not asserted as conflicts):")
    for verdict in checks:
        lines.append(f"  {numbered('A', verdict.alignment.a)} / {numbered('B', verdict.alignment.b)}"
                     f"{explain.probability_note(verdict)}: "
                     f"{clip(export.conflicts_text(verdict.to_check), 96)}")
    for verdict in (v for v in comparison.verdicts if v.remarks):
        lines.append(
            f"differing figures ({numbered('A', verdict.alignment.a)} / {numbered('B', verdict.alignment.b)}): "
            f"{'; '.join(verdict.remarks)}"
        )
    for status, sentences, label in (
        (Status.ONLY_A, comparison.a_sentences, "only in A"),
        (Status.ONLY_B, comparison.b_sentences, "only in B"),
    ):
        one_sided = [v for v in comparison.verdicts if v.status is status]
        one_sided.sort(key=lambda v: -len(v.a_only if status is Status.ONLY_A else v.b_only))
        for verdict in one_sided[:SUMMARY_ONE_SIDED]:
            index = verdict.alignment.a if status is Status.ONLY_A else verdict.alignment.b
            facts = verdict.a_only if status is Status.ONLY_A else verdict.b_only
            lines.append(f"{label}: {clip(sentences[index].text)}  [{'; '.join(facts[:4])}]")
    return "\n".join(lines) + "\n"


def clip(text: str, width: int = 110) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
