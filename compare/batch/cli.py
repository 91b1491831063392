"""Command line of the batch runner:

    python -m compare batch MANIFEST --out DIR [--engine local|serial|dask] [--workers N]
                                    [--address tcp://host:8786 | tls://host:8786 --tls-ca-file F
                                     --tls-cert F [--tls-key F]] [--connect-timeout S] [settings flags]
    python -m compare batch-summary DIR [--top N]

It only parses, calls `compare.batch.run` / `compare.batch.summary` and prints. `batch` exits 0
when every story is ok, 1 when some failed (each is in DIR/run.log and DIR/stories.* with its
reason), 2 with one line on standard error for a bad manifest or arguments.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from compare.batch.cluster import CONNECT_TIMEOUT, AddressError, SchedulerAddress, parse_address, probe_scheduler
from compare.config import add_settings, config_of
from compare.records import one_line


def build_batch_parser() -> argparse.ArgumentParser:
    """The parser of `batch`; the settings flags come from the `SETTINGS` table."""
    parser = argparse.ArgumentParser(
        prog="python -m compare batch",
        description="Compare every story of a manifest (CSV with columns story,report) and write "
        "corpus tables (pairs, claims, facts, reports, stories) as Parquet and CSV.",
    )
    parser.add_argument("manifest", help="CSV with a header row story,report; one row per report of a story")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder (a rerun resumes in it)")
    parser.add_argument(
        "--engine",
        choices=("local", "serial", "dask"),
        default="local",
        help="local: a pool of worker processes on this machine (default); serial: this process; "
        "dask: a Dask distributed cluster (--address, else a local one for the run)",
    )
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N", help="worker processes (default: the machine's cores)"
    )
    parser.add_argument(
        "--address",
        metavar="URL",
        help="the Dask scheduler, tcp://HOST:PORT or tls://HOST:PORT (--engine dask). Connect only to a scheduler "
        "you run or trust: Dask runs pickled code that the scheduler sends. Across machines prefer tls:// with "
        "--tls-ca-file, --tls-cert and --tls-key (see docs/batch.md)",
    )
    parser.add_argument("--tls-ca-file", metavar="PATH", help="CA certificate that signed the scheduler's (tls://)")
    parser.add_argument("--tls-cert", metavar="PATH", help="this client's certificate (tls://)")
    parser.add_argument("--tls-key", metavar="PATH", help="this client's private key, unless in --tls-cert (tls://)")
    parser.add_argument(
        "--connect-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"seconds for reaching the scheduler and its handshake together (default: {CONNECT_TIMEOUT:g})",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each story to standard error")
    add_settings(parser)
    return parser


def scheduler_address(args: argparse.Namespace) -> SchedulerAddress | None:
    """The checked scheduler of --address and its --tls-* and --connect-timeout flags (None without
    --address); `AddressError` for a refused address, or TLS flags with no tls:// address."""
    if args.address is not None:
        return parse_address(args.address, args.tls_ca_file, args.tls_cert, args.tls_key, args.connect_timeout)
    tls = [flag for flag in ("tls_ca_file", "tls_cert", "tls_key") if getattr(args, flag)]
    if tls:
        flags = ", ".join("--" + flag.replace("_", "-") for flag in tls)
        raise AddressError(f"{flags} {'needs' if len(tls) == 1 else 'need'} a tls:// --address")
    return None


def build_summary_parser() -> argparse.ArgumentParser:
    """The parser of `batch-summary`."""
    parser = argparse.ArgumentParser(
        prog="python -m compare batch-summary", description="Corpus-level counts of a batch output folder."
    )
    parser.add_argument("out", metavar="DIR", help="the folder `batch --out` wrote")
    parser.add_argument("--top", type=int, default=10, metavar="N", help="outlets listed (default: 10)")
    return parser


def main(argv: Sequence[str]) -> int:
    """Run `batch` or `batch-summary` (argv[0]); returns the exit code."""
    if argv[0] == "batch-summary":
        return main_summary(argv[1:])
    return main_batch(argv[1:])


def main_batch(argv: Sequence[str]) -> int:
    """`batch`: run the manifest, print one line per failed story and a last line of counts."""
    args = build_batch_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    if args.engine != "dask" and args.address is not None:
        sys.stderr.write("error: --address needs --engine dask\n")
        return 2
    try:
        address = scheduler_address(args)
    except AddressError as error:
        sys.stderr.write(f"error: {one_line(error)}\n")
        return 2
    if args.workers is not None and args.workers < 1:
        sys.stderr.write("error: --workers must be 1 or more\n")
        return 2
    try:  # a scheduler that is not there, silent or not Dask: one line before DIR is touched
        if address is not None:
            probe_scheduler(address)
    except (AddressError, OSError) as error:
        sys.stderr.write(f"error: {one_line(error)}\n")
        return 2
    from compare.batch.manifest import ManifestError
    from compare.batch.run import run_batch

    bar = StoryBar(args.verbose)
    try:
        run = run_batch(
            args.manifest,
            args.out,
            config_of(args),
            engine=args.engine,
            workers=args.workers,
            address=address,
            on_start=bar.start,
            on_result=bar.update,
        )
    except (ManifestError, AddressError, OSError) as error:
        sys.stderr.write(f"error: {one_line(error)}\n")
        return 2
    except KeyboardInterrupt:  # Ctrl-C: the workers are stopped; finished stories are kept
        sys.stderr.write(f"interrupted: stories finished so far are kept in {args.out}; run the same command "
                         "to resume\n")
        return 130
    finally:
        bar.close()
    for story, reason in run.failed:
        sys.stderr.write(f"failed: {story}: {reason}\n")
    sys.stdout.write(
        f"{run.stories} stories: {run.ok} ok now, {run.skipped} done before, {len(run.failed)} failed "
        f"({run.seconds:.1f} s); tables in {run.out}\n"
    )
    return run.exit_code


class StoryBar:
    """A tqdm bar of stories on standard error (rate and time left), when it is a terminal or
    with --verbose."""

    def __init__(self, verbose: bool) -> None:
        self.shown = sys.stderr.isatty() or verbose
        self.bar = None

    def start(self, total: int) -> None:
        if self.shown and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="stories", unit="story", file=sys.stderr, smoothing=0.1)

    def update(self, result: object) -> None:
        if self.bar is not None:
            self.bar.update(1)
            if not getattr(result, "ok", True):
                self.bar.set_postfix_str(f"failed: {getattr(result, 'story', '')}", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def main_summary(argv: Sequence[str]) -> int:
    """`batch-summary`: print the corpus counts of a batch folder; 2 when it holds no tables."""
    args = build_summary_parser().parse_args(argv)
    from compare.batch.summary import summarize, summary_text

    try:
        summary = summarize(args.out)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"error: {one_line(error)}\n")
        return 2
    sys.stdout.write(summary_text(summary, args.top))
    return 0
