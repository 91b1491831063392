"""The facts stage: what each sentence states about dates, people, organisations, places, numbers
and quotes, with names made canonical across both reports.

spaCy parses each sentence once; each extractor reads the entities of one sentence's parse, so
fact offsets are relative to the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from compare.facts.across import mentions_across, resolve_names
from compare.facts.dates import date_facts
from compare.facts.names import clean_name, entity_facts, is_surname, name_key, person_keys
from compare.facts.nlp import parse_texts
from compare.facts.numbers import number_facts
from compare.facts.quotes import report_quotes, speaker_names, speech_subjects
from compare.records import Article, Fact, FactKind, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

NAME_KINDS = (FactKind.PERSON, FactKind.ORG, FactKind.PLACE)

__all__ = [
    "extract_facts",
    "canonicalize_facts",
    "extract_pair_facts",
    "extract_report_facts",
    "cached_pair_facts",
    "cached_facts",
]


def extract_facts(article: Article, sentences: list[Sentence], docs: list[Doc] | None = None) -> list[tuple[Fact, ...]]:
    """Facts of each sentence (same order as `sentences`), names as written in this report;
    `docs` are the sentences' parses when the caller has them."""
    docs = docs if docs is not None else parse_texts([s.text for s in sentences])
    people = person_keys(docs)
    found: list[list[Fact]] = []
    last_people: list[str] = []  # whom a "he said" of each sentence refers back to (`antecedent`)
    orgs: list[tuple[int, str]] = []  # (sentence, organisation) of every organisation named
    last = ""
    for doc in docs:
        facts = mark_attributed(entity_facts(doc, people), speech_subjects(doc))
        last_people.append(last)
        last = antecedent(doc, facts) or last
        orgs += [(len(found), f.value) for f in facts if f.kind is FactKind.ORG]
        found.append(facts + date_facts(doc, article.published) + number_facts(doc))
    quotes = report_quotes(docs, last_people, orgs)
    for doc, facts, qs in zip(docs, found, quotes, strict=True):
        facts += speaker_names(doc, qs, [f for f in facts if f.kind in NAME_KINDS])
    return [tuple(sorted(fs + qs, key=lambda f: (f.start, f.kind.value))) for fs, qs in zip(found, quotes, strict=True)]


def antecedent(doc: Doc, facts: Sequence[Fact]) -> str:
    """The person of a sentence that a "he" or "she" in a later one most likely refers to, "" when
    it names nobody: the person its main verb reports speaking ("Pelosi said Trump told her ..."
    is Pelosi), else the subject of its main verb ("Gov. Mike Parson condemned the killing of
    Dorn"; not a passive's: "Smith was sentenced by Judge Mary Jones" is Jones), else the first
    person it reports speaking, else the last person named who is not a modifier after an article
    ("the Floyd protests")."""
    people = []
    for fact in facts:
        if fact.kind is FactKind.PERSON:
            span = doc.char_span(fact.start, fact.end, alignment_mode="expand")
            if span is not None:
                people.append((fact, span))
    main = [(f, span) for f, span in people if is_main_verb(span.root.head)]
    speaking_main = [f.value for f, _ in main if f.attributed]
    subjects = [f.value for f, span in main if span.root.dep_ == "nsubj"]
    speaking = [f.value for f, _ in people if f.attributed][:1]
    named = [f.value for f, span in people if not span.start or doc[span.start - 1].lower_ not in ("the", "a", "an")]
    return (speaking_main or subjects or speaking or named or [""])[-1]


def is_main_verb(token: object) -> bool:
    """True for a sentence's root verb, or a verb joined to it by "and"."""
    return token.dep_ == "ROOT" or token.dep_ == "conj" and token.head.dep_ == "ROOT"  # type: ignore[attr-defined]


def mark_attributed(facts: list[Fact], subjects: list[int]) -> list[Fact]:
    """`facts` with each person whose name holds a speech verb's subject marked `attributed`."""
    return [
        replace(f, attributed=True)
        if f.kind is FactKind.PERSON and any(f.start <= offset < f.end for offset in subjects)
        else f
        for f in facts
    ]


def canonicalize_facts(
    a_facts: list[tuple[Fact, ...]],
    b_facts: list[tuple[Fact, ...]],
    texts: tuple[Sequence[str], Sequence[str]] | None = None,
) -> tuple[list[tuple[Fact, ...]], list[tuple[Fact, ...]]]:
    """Both reports' facts with one canonical value per person, organisation and place, and quote
    speakers named the same way as the people and organisations they refer to; given the two
    reports' sentence `texts`, each report also has the organisations and places the other names
    where spaCy missed them (`across.mentions_across`)."""
    people = {name_key(f.value) for fs in [*a_facts, *b_facts] for f in fs if f.kind is FactKind.PERSON}
    a_facts, b_facts = retag_surnames(a_facts, people), retag_surnames(b_facts, people)
    kinds = name_kinds([*a_facts, *b_facts], people)
    a_facts, b_facts = retag_names(a_facts, kinds), retag_names(b_facts, kinds)
    a_names = list(name_items(a_facts))
    b_names = list(name_items(b_facts))
    a_map, b_map = resolve_names(a_names, b_names)
    a_facts, b_facts = rename(a_facts, a_map), rename(b_facts, b_map)
    if texts is None:
        return a_facts, b_facts
    return mentions_across(a_facts, list(texts[0]), b_facts), mentions_across(b_facts, list(texts[1]), a_facts)


def retag_surnames(facts: list[tuple[Fact, ...]], people: set[str]) -> list[tuple[Fact, ...]]:
    """`facts` with one-word organisations that are a known person's surname made persons
    (spaCy often tags "Trump" in "the Trump administration" or "Mnuchin" as an organisation)."""
    return [
        tuple(
            replace(f, kind=FactKind.PERSON)
            if f.kind is FactKind.ORG and is_surname(f.value, name_key(f.value), people)
            else f
            for f in fs
        )
        for fs in facts
    ]


def name_kinds(facts: list[tuple[Fact, ...]], people: set[str]) -> dict[str, FactKind]:
    """One kind for each name key that spaCy tags as more than one kind of name across both
    reports: a person when it is (part of) a person's full name, else a place when it is ever
    tagged a place ("Orsk Mayor Andrei Odintsov" makes "Orsk" a person), else the kind most
    often tagged (the first on a tie)."""
    counts: dict[str, dict[FactKind, int]] = {}
    for fact in (f for fs in facts for f in fs if f.kind in NAME_KINDS):
        tally = counts.setdefault(name_key(fact.value), {})
        tally[fact.kind] = tally.get(fact.kind, 0) + 1
    words = {w for p in people if len(p.split()) > 1 for w in p.split()}
    chosen = {}
    for key, tally in counts.items():
        if len(tally) < 2:
            continue
        if FactKind.PERSON in tally and (key in words or len(key.split()) > 1 and tally[FactKind.PERSON] > 1):
            chosen[key] = FactKind.PERSON
        elif FactKind.PLACE in tally and FactKind.PERSON in tally:
            chosen[key] = FactKind.PLACE
        else:
            chosen[key] = max(tally, key=lambda k: tally[k])
    return chosen


def retag_names(facts: list[tuple[Fact, ...]], kinds: dict[str, FactKind]) -> list[tuple[Fact, ...]]:
    """`facts` with each name given the kind `name_kinds` chose for its key."""
    return [
        tuple(
            replace(f, kind=kinds[name_key(f.value)]) if f.kind in NAME_KINDS and name_key(f.value) in kinds else f
            for f in fs
        )
        for fs in facts
    ]


def name_items(facts: list[tuple[Fact, ...]]) -> list[tuple[FactKind, str]]:
    """(kind, value) of every name fact, quote speakers included (as person or org), in order."""
    items: list[tuple[FactKind, str]] = []
    people = {name_key(f.value) for fs in facts for f in fs if f.kind is FactKind.PERSON}
    for fs in facts:
        for fact in fs:
            if fact.kind in NAME_KINDS:
                items.append((fact.kind, fact.value))
            elif fact.kind is FactKind.QUOTE:
                items.append((speaker_kind(fact.value, people), clean_name(fact.value, FactKind.PERSON)))
    return items


def speaker_kind(speaker: str, people: set[str]) -> FactKind:
    """PERSON when a speaker's name matches a person of the report, else ORG."""
    key = name_key(clean_name(speaker, FactKind.PERSON))
    words = set(key.split())
    return FactKind.PERSON if any(words <= set(p.split()) for p in people) else FactKind.ORG


def rename(facts: list[tuple[Fact, ...]], names: dict[tuple[FactKind, str], str]) -> list[tuple[Fact, ...]]:
    """`facts` with name values (and quote speakers) replaced by their canonical form."""
    people = {name_key(f.value) for fs in facts for f in fs if f.kind is FactKind.PERSON}
    out = []
    for fs in facts:
        renamed = []
        for fact in fs:
            if fact.kind in NAME_KINDS:
                fact = replace(fact, value=names.get((fact.kind, fact.value), fact.value))
            elif fact.kind is FactKind.QUOTE:
                key = (speaker_kind(fact.value, people), clean_name(fact.value, FactKind.PERSON))
                fact = replace(fact, value=names.get(key, key[1]))
            renamed.append(fact)
        out.append(dedupe(renamed))
    return out


def dedupe(facts: list[Fact]) -> tuple[Fact, ...]:
    """Facts with repeats of the same kind and value in one sentence dropped (first kept, marked
    `attributed` if any repeat was)."""
    kept: dict[tuple[FactKind, str, str], Fact] = {}
    for fact in facts:
        key = (fact.kind, fact.value, fact.slot if fact.kind is FactKind.QUOTE else "")
        if key not in kept:
            kept[key] = fact
        elif fact.attributed and not kept[key].attributed:
            kept[key] = replace(kept[key], attributed=True)
    return tuple(kept.values())


def extract_pair_facts(
    a: Article,
    a_sentences: list[Sentence],
    b: Article,
    b_sentences: list[Sentence],
    cache: FactStore | None = None,
    found: list[list[tuple[Fact, ...]] | None] | None = None,
) -> tuple[list[tuple[Fact, ...]], list[tuple[Fact, ...]]]:
    """Canonical facts per sentence for both reports (see `extract_report_facts` for `cache` and
    `found`), names made canonical across the two."""
    a_facts, b_facts = extract_report_facts([(a, a_sentences), (b, b_sentences)], cache, found)
    return canonicalize_facts(a_facts, b_facts, ([s.text for s in a_sentences], [s.text for s in b_sentences]))


Report = tuple[Article, list[Sentence]]


def extract_report_facts(
    reports: Sequence[Report],
    cache: FactStore | None = None,
    found: Sequence[list[tuple[Fact, ...]] | None] | None = None,
) -> list[list[tuple[Fact, ...]]]:
    """Facts per sentence of each report, names as written in that report (make two reports'
    names canonical across both with `canonicalize_facts`). `cache` (get/put by article) skips
    spaCy for reports it has seen, and `found` is `cached_facts` when the caller has read it
    already. All reports' sentences are parsed in one batch, each distinct text once (an updated
    report repeats most of the first). A report without a publication date has its relative
    dates ("Monday", "December 12") resolved against the first dated report's (see `anchored`)."""
    articles = anchored([article for article, _ in reports])
    reports = [(article, sentences) for article, (_, sentences) in zip(articles, reports, strict=True)]
    found = list(found) if found is not None else cached_facts(reports, cache)
    missing = [s.text for (_, sentences), facts in zip(reports, found, strict=True) if facts is None for s in sentences]
    docs = iter(parse_texts(missing) if missing else [])  # a warm cache does not load spaCy
    for k, (article, sentences) in enumerate(reports):
        if found[k] is None:
            found[k] = extract_facts(article, sentences, [next(docs) for _ in sentences])
            if cache is not None:
                cache.put(article, found[k])
    return found


class FactStore(Protocol):
    """Where extracted facts may be kept between runs (see `compare.facts.cache.FactsCache`)."""

    def get(self, article: Article) -> list[tuple[Fact, ...]] | None: ...

    def put(self, article: Article, facts: list[tuple[Fact, ...]]) -> None: ...


def cached_pair_facts(
    a: Article, a_sentences: list[Sentence], b: Article, b_sentences: list[Sentence], cache: FactStore | None = None
) -> list[list[tuple[Fact, ...]] | None]:
    """[A's facts, B's facts] as `cache` holds them (None for a report it does not hold)."""
    return cached_facts([(a, a_sentences), (b, b_sentences)], cache)


def cached_facts(reports: Sequence[Report], cache: FactStore | None = None) -> list[list[tuple[Fact, ...]] | None]:
    """Each report's facts as `cache` holds them (None for a report it does not hold)."""
    articles = anchored([article for article, _ in reports])
    return [cached(article, sentences, cache) for article, (_, sentences) in zip(articles, reports, strict=True)]


def anchored(articles: Sequence[Article]) -> list[Article]:
    """The reports, those without a publication date given the first dated report's: reports of
    one event appear within days of each other, so a weekday or a yearless date is better
    resolved against another report's date than not at all."""
    anchor = next((a.published for a in articles if a.published is not None), None)
    return [replace(a, published=anchor) if a.published is None and anchor is not None else a for a in articles]


def cached(article: Article, sentences: list[Sentence], cache: FactStore | None) -> list[tuple[Fact, ...]] | None:
    """The article's facts from `cache`, if it holds them for these sentences."""
    found = cache.get(article) if cache is not None else None
    return found if found is not None and len(found) == len(sentences) else None
