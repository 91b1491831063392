"""The facts cache: each report's extracted facts, keyed by its text and date, in the same SQLite
file as the embedding cache (`compare.embed.cache.cache_file`, table `facts_json`).

Facts are stored as JSON of the `Fact` fields, never pickled, so a crafted cache file cannot run
code; the JSON follows a checksum of itself and of the key it was stored for (as the vectors'), so
a row changed on disk or moved to another key is a miss, read again, as is a row that is not
valid facts JSON; warned once per file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from compare.embed.cache import cache_file, digest, warn_once
from compare.records import Article, Fact, FactKind

log = logging.getLogger(__name__)
FACTS_VERSION = "facts-21"  # 21: rows carry a checksum


@functools.lru_cache(maxsize=1)
def extractor_digest() -> str:
    """sha256 of the fact extractors' source, so editing them invalidates cached facts by itself."""
    folder = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


FACT_TYPES = {  # every `Fact` field and the JSON types it may have (a test checks they match)
    "kind": (str,),
    "value": (str,),
    "text": (str,),
    "start": (int,),
    "end": (int,),
    "slot": (str,),
    "amount": (int, float, type(None)),
    "qualifier": (str,),
    "attributed": (bool,),
    "high": (int, float, type(None)),
}
FACT_KINDS = {kind.value: kind for kind in FactKind}


def facts_to_json(facts: Sequence[tuple[Fact, ...]]) -> str:
    """JSON of a report's facts: a list per sentence of objects with every `Fact` field (the kind
    by its value); raises ValueError for a non-finite amount."""
    payload = [
        [{f.name: getattr(fact, f.name) for f in fields(Fact)} | {"kind": fact.kind.value} for fact in fs]
        for fs in facts
    ]
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def fact_from_dict(item: object) -> Fact | None:
    """The `Fact` of one JSON object, or None unless it has exactly the fields, of the right types
    (a bool is not a number here), a known kind and a finite amount."""
    if not isinstance(item, dict) or item.keys() != FACT_TYPES.keys():
        return None
    for name, types in FACT_TYPES.items():
        value = item[name]
        if type(value) not in types:
            return None
    if item["kind"] not in FACT_KINDS or any(
        item[k] is not None and not math.isfinite(item[k]) for k in ("amount", "high")
    ):
        return None
    amount, high = (None if item[k] is None else float(item[k]) for k in ("amount", "high"))
    return Fact(**(item | {"kind": FACT_KINDS[item["kind"]], "amount": amount, "high": high}))


def facts_from_json(data: object) -> list[tuple[Fact, ...]] | None:
    """A report's facts from `facts_to_json` text; None for anything else (not text, not JSON, or
    not a list of lists of valid facts)."""
    if not isinstance(data, str):
        return None
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    if not isinstance(payload, list) or not all(isinstance(fs, list) for fs in payload):
        return None
    facts = [tuple(fact_from_dict(item) for item in fs) for fs in payload]
    return None if any(f is None for fs in facts for f in fs) else facts  # type: ignore[return-value]


class FactsCache:
    """Each report's facts (before names are matched across reports), keyed by the report's text,
    publication date, the spaCy model and FACTS_VERSION; a second run skips spaCy entirely."""

    def __init__(self, cache_dir: str | Path | None = None) -> None:
        self.cache = cache_file(cache_dir)

    @property
    def path(self) -> Path | None:
        """The cache file, None when running uncached."""
        return self.cache.path

    @staticmethod
    def key(article: Article) -> str:
        from compare.facts.nlp import SPACY_MODEL

        parts = (FACTS_VERSION, extractor_digest(), SPACY_MODEL, str(article.published), article.text)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def get(self, article: Article) -> list[tuple[Fact, ...]] | None:
        """The cached facts of `article`, or None (also for a row that is not valid facts JSON)."""
        key = self.key(article)
        row = self.cache.run(lambda db: db.execute("SELECT data FROM facts_json WHERE key=?", (key,)).fetchone(), None)
        facts = facts_from_json(checked(key, row[0])) if row else None
        if row and facts is None:
            warn_once(self.path, "facts", "ignoring cached facts in %s that fail their checks; reading them again",
                      self.path)
        return facts

    def put(self, article: Article, facts: list[tuple[Fact, ...]]) -> None:
        """Store `article`'s facts (not at all if they cannot be written as JSON)."""
        try:
            data = facts_to_json(facts)
        except ValueError as error:
            log.warning("facts of %s not cached: %s", article.id, error)
            return
        key = self.key(article)
        row = digest(key, data.encode()).hex() + "\n" + data
        self.cache.run(lambda db: db.execute("INSERT OR REPLACE INTO facts_json VALUES (?, ?)", (key, row)), None)


def checked(key: str, row: object) -> str | None:
    """The facts JSON of a stored row (`checksum` newline JSON) when its checksum matches the JSON
    and `key`; None otherwise (changed on disk, moved, or not a row this program writes)."""
    if not isinstance(row, str) or "\n" not in row:
        return None
    mark, data = row.split("\n", 1)
    return data if mark == digest(key, data.encode()).hex() else None
