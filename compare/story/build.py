"""Stories: two or more reports of one event, compared pair by pair and grouped into claims.

    with Session(Config()) as session:
        articles = session.load_story(["a.txt", "b.txt", "https://example.org/c"])
        prepared = session.prepare_story(articles)     # each report split, read, embedded once
        story = session.compare_story(prepared)        # every pair aligned, then the claims

N reports make N(N-1)/2 pairwise comparisons, but the slow work (splitting, spaCy, embedding)
is done once per report (`pipeline.prepare_sides`); each pair then costs its alignment only.
The pairwise comparison of reports i and j inside a story is the comparison of those two
reports on their own (`project` gives the pairs the claims imply between them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

from compare.align.match import match_threshold
from compare.config import Config
from compare.embed.encoders import Encoder, Progress
from compare.facts.extract import FactStore
from compare.judge.classify import classify_pair, one_sided, published_dates
from compare.pipeline import Prepared, compare_prepared, pair_prepared, prepare_sides
from compare.records import Alignment, Article, Comparison, Conflict, Side, Status, Story, Verdict
from compare.story.claims import group_claims, story_links

MAX_REPORTS = 12  # 66 pairs; more is a corpus, for `python -m compare batch`


@dataclass(frozen=True, slots=True)
class PreparedStory:
    """A story's reports prepared once (`sides`) and every pair made comparable (`prepared[k]`
    for `pairs[k] = (i, j)`, i < j)."""

    sides: tuple[Side, ...]
    pairs: tuple[tuple[int, int], ...]
    prepared: tuple[Prepared, ...]
    model: str


def distinct_ids(articles: Sequence[Article]) -> list[Article]:
    """The articles with their ids made distinct: a repeated id gets `-2`, `-3`, ... (the same
    file given twice), so each report has its own column and name in every export."""
    seen: set[str] = set()
    out = []
    for article in articles:
        name, k = article.id, 1
        while name in seen:
            k += 1
            name = f"{article.id}-{k}"
        seen.add(name)
        out.append(article if name == article.id else replace(article, id=name))
    return out


def prepare_story(
    articles: Sequence[Article],
    encoder: Encoder,
    model_name: str,
    progress: Progress | None = None,
    facts_cache: FactStore | None = None,
) -> PreparedStory:
    """Every report prepared once and every pair of them made comparable; raises `ValueError`
    for fewer than two or more than `MAX_REPORTS` reports."""
    if not 2 <= len(articles) <= MAX_REPORTS:
        raise ValueError(f"a story needs 2 to {MAX_REPORTS} reports, got {len(articles)}")
    pairs = tuple(combinations(range(len(articles)), 2))
    found, words = prepare_sides(distinct_ids(articles), encoder, progress, facts_cache, pairs)
    sides = tuple(found)
    prepared = tuple(pair_prepared(sides[i], sides[j], model_name, words[i, j]) for i, j in pairs)
    return PreparedStory(sides, pairs, prepared, model_name)


def compare_story(prepared: PreparedStory, config: Config) -> Story:
    """Every pair compared under `config`, and the claims across all reports (see
    `compare.story.claims`: linked by the aligned pairs, at most `max_partners` sentences of a report
    per claim)."""
    comparisons = tuple(compare_prepared(p, config) for p in prepared.prepared)
    sizes = [len(side.sentences) for side in prepared.sides]
    links = story_links(prepared.pairs, comparisons)
    claims = tuple(group_claims(sizes, links, match_threshold(config), config.max_partners))
    return Story(prepared.sides, prepared.pairs, comparisons, claims, prepared.model)


def projected_pairs(story: Story, i: int, j: int) -> set[tuple[int, int]]:
    """(sentence of report i, sentence of report j) for every two members of one claim."""
    out = set()
    for claim in story.claims:
        out |= {(a, b) for a in claim.sentences_of(i) for b in claim.sentences_of(j)}
    return out


def project(story: Story, i: int, j: int, config: Config) -> Comparison:
    """The comparison of reports i and j (i < j) that the claims imply: a row per pair of their
    sentences in one claim (the pairwise verdict where the pair was aligned, else classified
    like any pair), the other sentences one-sided."""
    base = story.comparison(i, j)
    verdicts: dict[tuple[int | None, int | None], Verdict] = {
        (v.alignment.a, v.alignment.b): v for v in base.verdicts
    }
    a, b = base.a_side, base.b_side
    rows = []
    for pair in sorted(projected_pairs(story, i, j)):
        if pair in verdicts:
            rows.append(verdicts[pair])
            continue
        x, y = pair
        alignment = Alignment(x, y, base.similarity(x, y))
        texts = (a.sentences[x].text, b.sentences[y].text)
        rows.append(classify_pair(alignment, texts, a.facts[x], b.facts[y], config, published_dates(a, b)))
    a_paired = {r.alignment.a for r in rows}
    b_paired = {r.alignment.b for r in rows}
    rows += [one_sided("a", x, a.facts[x]) for x in range(len(a.sentences)) if x not in a_paired]
    rows += [one_sided("b", y, b.facts[y]) for y in range(len(b.sentences)) if y not in b_paired]
    return Comparison(a, b, tuple(rows), base.model)


def pair_comparison(story: Story, i: int, j: int) -> Comparison:
    """The pairwise comparison with report i as A and report j as B (either order)."""
    return story.comparison(i, j) if i < j else swapped(story.comparison(j, i))


def swapped(comparison: Comparison) -> Comparison:
    """`comparison` with A and B exchanged: every row's sentences, one-sided statuses, facts,
    conflicts and differences to check trade sides (a later update's later report too)."""
    flip = {Status.ONLY_A: Status.ONLY_B, Status.ONLY_B: Status.ONLY_A}
    later = {"a": "b", "b": "a", "": ""}

    def turned(c: Conflict) -> Conflict:
        return replace(c, a=c.b, b=c.a, a_text=c.b_text, b_text=c.a_text, later=later[c.later])

    verdicts = []
    for v in comparison.verdicts:
        row = v.alignment
        verdicts.append(
            Verdict(
                Alignment(row.b, row.a, row.similarity, row.score),
                flip.get(v.status, v.status),
                v.shared,
                v.b_only,
                v.a_only,
                tuple(turned(c) for c in v.conflicts),
                v.remarks,
                tuple(turned(c) for c in v.to_check),
                v.conflict_probability,
            )
        )
    return Comparison(comparison.b_side, comparison.a_side, tuple(verdicts), comparison.model)


def story_files(folder: Path) -> list[Path]:
    """The reports of a story folder: those `story.json` lists (`{"reports": [...]}`) if it has
    one, else every .txt, .md, .htm and .html file in it, by name; raises `LoadError` when the
    folder is missing or holds fewer than two."""
    from compare.records import LoadError

    if not folder.is_dir():
        raise LoadError(f"{folder}: not a folder")
    spec = folder / "story.json"
    if spec.is_file():
        try:
            names = json.loads(spec.read_text(encoding="utf-8"))["reports"]
            files = [folder / str(name) for name in names]
        except (ValueError, KeyError, TypeError) as error:
            raise LoadError(f"{spec}: not a story file with a 'reports' list ({error})") from error
    else:
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in STORY_SUFFIXES)
    if len(files) < 2:
        raise LoadError(f"{folder}: a story needs two or more reports (.txt, .md, .html), found {len(files)}")
    return files


STORY_SUFFIXES = (".txt", ".md", ".htm", ".html")
