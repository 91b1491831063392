"""Command line: `python -m compare A B [--csv PATH] [--discrepancies PATH] [--facts-csv PATH]
[--json PATH] [--threshold X] [--model NAME_OR_PATH]`.

It only parses, calls the pipeline and writes; every setting of `Config` is also a flag.
Exit 0 on success, 2 with one line on standard error on bad input.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields

from compare.config import SETTINGS, Config
from compare.embed import Progress
from compare.records import Comparison, Status

log = logging.getLogger("compare")
SUMMARY_ONE_SIDED = 3
LONG_WORK = 1000  # texts to embed before a progress bar is worth showing


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; the settings flags come from the `SETTINGS` table."""
    parser = argparse.ArgumentParser(
        prog="python -m compare",
        description="Compare two news reports of one event: what they share, what each adds, where they differ.",
    )
    parser.add_argument(
        "a", help="report A: a .txt / .md file (optional YAML front matter), an .html page or an http(s) URL"
    )
    parser.add_argument("b", help="report B, likewise")
    parser.add_argument("--csv", metavar="PATH", help="write the alignment CSV (every sentence of both reports)")
    parser.add_argument(
        "--discrepancies", metavar="PATH", help="write the discrepancy CSV (rows not in agreement, conflicts first)"
    )
    parser.add_argument("--facts-csv", metavar="PATH", help="write the facts CSV (one row per distinct fact)")
    parser.add_argument("--json", metavar="PATH", help="write everything as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to standard error")
    add_settings(parser)
    return parser


def add_settings(parser: argparse.ArgumentParser) -> None:
    """Add a flag per setting of the `SETTINGS` table to `parser` (dest: the setting's name)."""
    types = {f.name: f.type for f in fields(Config)}
    for name, default, help_text in SETTINGS:
        if name == "use_cache":
            parser.add_argument(
                "--no-cache", dest=name, action="store_false", default=default, help=f"turn off: {help_text}"
            )
            continue
        if str(types[name]) == "bool":
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                action=argparse.BooleanOptionalAction,
                default=default,
                dest=name,
                help=f"{help_text} (default: {'on' if default else 'off'})",
            )
            continue
        kind = {"float": float, "int": int}.get(str(types[name]), str)
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            type=kind,
            default=default,
            dest=name,
            metavar="X" if kind is not str else "NAME_OR_PATH",
            help=f"{help_text} (default: {default})",
        )


def config_of(args: argparse.Namespace) -> Config:
    """The `Config` of parsed settings flags."""
    return Config(**{name: getattr(args, name) for name, _, _ in SETTINGS})


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code. `batch ...` and `batch-summary ...` are the batch
    runner's commands (`compare.batch_cli`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("batch", "batch-summary"):
        from compare import batch_cli

        return batch_cli.main(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    config = config_of(args)
    from compare.embed import ModelError
    from compare.load import LoadError

    try:
        from compare.session import Session

        with Session(config) as session, terminal_progress(args.verbose) as progress:
            a, b = session.load_pair(args.a, args.b)
            comparison = session.compare(session.prepare(a, b, progress))
        write_outputs(comparison, args)
    except (LoadError, ModelError, OSError) as error:
        sys.stderr.write(f"error: {one_line(error)}\n")
        return 2
    from compare.pipeline import comparison_warnings

    for warning in comparison_warnings(comparison):
        sys.stderr.write(f"warning: {warning}\n")
    sys.stdout.write(summary(comparison))
    return 0


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


def one_line(error: BaseException) -> str:
    """The first line of an error's message (OSError: 'strerror: filename')."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def write_outputs(comparison: Comparison, args: argparse.Namespace) -> None:
    """Write each file the user asked for."""
    from compare import export

    rows = export.alignment_rows(comparison)
    if args.csv:
        export.write_csv(args.csv, rows, export.ALIGNMENT_COLUMNS)
    if args.discrepancies:
        export.write_csv(args.discrepancies, export.discrepancy_rows(rows), export.ALIGNMENT_COLUMNS)
    if args.facts_csv:
        export.write_csv(args.facts_csv, export.fact_rows(comparison), export.FACT_COLUMNS)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            handle.write(export.comparison_json(comparison, rows))


def summary(comparison: Comparison) -> str:
    """A short terminal summary: counts per status, the conflicts, the biggest one-sided details."""
    from compare import export
    from compare.export import status_counts

    a, b = comparison.a, comparison.b
    lines = [
        f"A: {a.source} ({a.published or 'undated'}), {len(comparison.a_sentences)} sentences",
        f"B: {b.source} ({b.published or 'undated'}), {len(comparison.b_sentences)} sentences",
        "rows: " + ", ".join(f"{k} {v}" for k, v in status_counts(comparison).items()),
    ]
    conflicts = [v for v in comparison.verdicts if v.status is Status.CONFLICT]
    for verdict in conflicts:
        lines.append(f"conflict: {export.conflicts_text(verdict.conflicts)}")
        lines.append(f"  A{verdict.alignment.a}: {clip(comparison.a_sentences[verdict.alignment.a].text)}")
        lines.append(f"  B{verdict.alignment.b}: {clip(comparison.b_sentences[verdict.alignment.b].text)}")
    for verdict in (v for v in comparison.verdicts if v.remarks):
        lines.append(
            f"differing figures (A{verdict.alignment.a} / B{verdict.alignment.b}): {'; '.join(verdict.remarks)}"
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
