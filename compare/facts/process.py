"""The facts process: where spaCy reads the facts, started at first use and kept (`facts_process`).

This module imports only the standard library, and so does importing the package (`compare`
loads its records at first use), so a front end can start the process before anything heavy:
the dashboard's app.py does, before numpy and the page (spaCy's load there is the first render's
longest wait, issue 16). The work itself lives in `compare.facts.extract`, imported in the process.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import types
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import lru_cache


def start_worker(parent: int) -> None:
    """The process's initializer: `compare.facts.nlp.start_worker` (torch kept out, no teardown),
    imported in the process, not here; and a watchdog that ends the process within a second or two
    of the death of `parent`, the process that started it (a CLI, a batch worker or a server killed
    with kill -9 leaves no facts process behind). The parent's pid comes from the parent: read here,
    after a parent killed while this process was still starting, it would be the adopting one's."""
    from compare.facts.nlp import start_worker as start

    start()
    threading.Thread(target=end_with_parent, args=(parent,), name="parent-watchdog", daemon=True).start()


def end_with_parent(parent: int, every: float = 1.0) -> None:
    """Exit this process as soon as its parent is no longer `parent` (it died: the process was
    handed to another), checking every `every` seconds."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(0)


def warm_up() -> None:
    """Load spaCy's pipeline and dateparser's parsers in the process (`compare.facts.nlp.warm_up`)."""
    from compare.facts.nlp import warm_up as load

    load()


@lru_cache(maxsize=1)
def facts_process() -> ProcessPoolExecutor:
    """The process where spaCy reads the facts, started at first use and kept, so spaCy loads once
    a session. A process, not a thread: spaCy holds Python's GIL for long stretches, which stalls
    the embedding in the calling thread (2,000 x 2,000 sentences: 81 s with a thread, 60 s with a
    process; the seed pair from the CLI: 10.5 s against 7.4 s). torch is kept out of it."""
    import multiprocessing

    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker,
                               initargs=(os.getpid(),))


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """Within the block, `sys.modules["__main__"]` is an empty module, so a process spawned in it
    imports nothing of the parent's main script. spawn re-runs that script in the child (as
    `__mp_main__`) in case the work refers to functions defined there; under Streamlit the
    script is app.py, so the facts process would run the whole dashboard, load torch and the
    sentence model, before reading a fact. The work sent to it lives in `compare`."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def start_facts_process() -> None:
    """Start the facts process, if it is not running, and have it load spaCy and dateparser
    ahead of the first comparison (the dashboard does this as its page starts)."""
    if facts_process.cache_info().currsize:
        return
    try:
        with main_module_hidden():
            facts_process().submit(warm_up)
    except (BrokenProcessPool, RuntimeError):
        facts_process.cache_clear()


def stop_facts_process() -> None:
    """Stop the facts process, if one was started (the CLI does this before it exits)."""
    if facts_process.cache_info().currsize:
        facts_process().shutdown()
        facts_process.cache_clear()
