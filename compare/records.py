"""The small frozen records that flow between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

import numpy as np


class Status(StrEnum):
    """Verdict on one alignment row."""

    AGREE = "agree"
    PARTIAL = "partial"
    CONFLICT = "conflict"
    ONLY_A = "only_a"
    ONLY_B = "only_b"


class FactKind(StrEnum):
    """What a fact is about."""

    DATE = "date"
    PERSON = "person"
    ORG = "org"
    PLACE = "place"
    NUMBER = "number"
    QUOTE = "quote"
    SOURCE = "source"  # a wire or outlet the report credits ("The Associated Press contributed"): export only


class ConflictKind(StrEnum):
    """What kind of difference makes an aligned pair a conflict (all are `conflict` in the CSVs)."""

    CONTRADICTION = "contradiction"  # 7 vs 9 dead
    QUALIFIED = "qualified figure"  # "at least 20" vs 25: compatible, but the figures differ
    DATE = "different date"  # the same event on another day
    TIME = "different time"  # the same event at another time of the day ("6:30 p.m." vs "6:40 p.m.")
    SPEAKER = "different speaker"  # the same words given to someone else
    ROLE = "different person in the role"  # "Treasury Secretary X" vs "Treasury Secretary Y"
    NEGATION = "negation"  # one affirms what the other denies
    EXTENT = "different extent"  # "all of the passengers" vs "most of the passengers"
    STATUS = "different status"  # "the strike is ongoing" vs "the strike has ended"
    LATER_UPDATE = "later update"  # a count or a status that moved between an earlier and a later report


@dataclass(frozen=True, slots=True)
class Article:
    """One report: its body text (front matter, title and date line removed) and metadata.

    `published` is the day the report gives; `published_at` the time of day with it when the report
    gives one (front matter, page metadata or date line), aware when a zone is given, naive when
    not, and always on the day `published` names."""

    id: str
    source: str
    title: str
    published: date | None
    text: str
    url: str = ""
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence; `text == article.text[start:end]`."""

    article_id: str
    index: int
    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact stated in a sentence.

    `value` is canonical (ISO date, fullest name, "3 officials", the speaker of a quote); `text` is
    the words as written, at `start:end` in the sentence. `slot` says what the value is *of*, so
    two facts are comparable only when their slots match: the counted thing for numbers
    ("people"), the quoted words for quotes, the title written before a person's name. `amount`
    and `qualifier` are set for numbers; `attributed` marks the person a sentence reports speaking.
    """

    kind: FactKind
    value: str
    text: str
    start: int
    end: int
    slot: str = ""
    amount: float | None = None
    qualifier: str = ""
    attributed: bool = False  # a person who is the subject of a speech verb ("Bolton has said ...")
    high: float | None = None  # the upper end of a range ("between 6.9 and 7.1": amount 6.9, high 7.1)

    @property
    def label(self) -> str:
        """`kind:value`, as written in the CSV columns."""
        return f"{self.kind.value}:{self.value}"

    @property
    def key(self) -> str:
        """What two facts must share to be the same fact, the one definition of it: quotes by
        their speaker, numbers by amount and what they count, everything else by `label`."""
        if self.kind is FactKind.QUOTE:
            return f"quote:{self.value}"
        if self.kind is FactKind.NUMBER and self.slot:
            return f"number:{self.amount:g}:{self.slot}"
        return self.label


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why an aligned pair conflicts: the kind of difference and the fact on each side (None for
    a negation or an extent, which are about the sentence, not one fact), plus the words that
    differ as written (`a_text`, `b_text`). For a `LATER_UPDATE`, `later` is the report written
    later ("a" or "b") and `days` how many days later. Made into words only by `export` and the
    dashboard."""

    kind: ConflictKind
    a: Fact | None = None
    b: Fact | None = None
    a_text: str = ""
    b_text: str = ""
    later: str = ""
    days: int = 0


@dataclass(frozen=True, slots=True)
class Alignment:
    """A row of the comparison: sentence indices in A and B (None for one-sided) and cosine similarity."""

    a: int | None
    b: int | None
    similarity: float | None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The classified alignment: status plus the fact-level evidence behind it."""

    alignment: Alignment
    status: Status
    shared: tuple[str, ...] = ()
    a_only: tuple[str, ...] = ()
    b_only: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    remarks: tuple[str, ...] = ()  # differences that are not conflicts (a figure and its rounding)
    to_check: tuple[Conflict, ...] = ()  # differences the judge does not call conflicts: for a person to check
    conflict_probability: float | None = None  # the judge's P(conflict), None when nothing differs


@dataclass(frozen=True, slots=True)
class Side:
    """One report as the pipeline knows it: the article, its sentences, each sentence's facts, the
    sentence vectors (n, d) L2-normalised float32, and its clauses (owner sentence index per
    clause (k,), ascending, and clause vectors (k, d)), empty when not embedded."""

    article: Article
    sentences: tuple[Sentence, ...]
    facts: tuple[tuple[Fact, ...], ...]
    vectors: np.ndarray
    clause_owners: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    clause_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    @property
    def texts(self) -> list[str]:
        """The sentences' texts, in order."""
        return [s.text for s in self.sentences]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything known about two reports after the pipeline ran: the two sides and a verdict per
    alignment row."""

    a_side: Side
    b_side: Side
    verdicts: tuple[Verdict, ...]
    model: str

    @property
    def a(self) -> Article:
        return self.a_side.article

    @property
    def b(self) -> Article:
        return self.b_side.article

    @property
    def a_sentences(self) -> tuple[Sentence, ...]:
        return self.a_side.sentences

    @property
    def b_sentences(self) -> tuple[Sentence, ...]:
        return self.b_side.sentences

    @property
    def a_facts(self) -> tuple[tuple[Fact, ...], ...]:
        return self.a_side.facts

    @property
    def b_facts(self) -> tuple[tuple[Fact, ...], ...]:
        return self.b_side.facts

    @property
    def a_vectors(self) -> np.ndarray:
        return self.a_side.vectors

    @property
    def b_vectors(self) -> np.ndarray:
        return self.b_side.vectors

    def similarity(self, i: int, j: int) -> float:
        """Cosine similarity of A's sentence i and B's sentence j."""
        return float(self.a_vectors[i] @ self.b_vectors[j])

    def similarity_block(self, rows: slice, cols: slice) -> np.ndarray:
        """Cosine similarities of A's sentences `rows` and B's sentences `cols` (a window, so the
        whole n x m matrix of long reports is never built); float32."""
        return (self.a_vectors[rows] @ self.b_vectors[cols].T).astype(np.float32)


class ClaimStatus(StrEnum):
    """How many of a story's reports state a claim."""

    ALL = "all"  # every report
    SOME = "some"  # two or more, not all
    ONE = "one"  # a single report


@dataclass(frozen=True, slots=True, order=True)
class Member:
    """A sentence of a story: report `report` (its position in the story), sentence `sentence`."""

    report: int
    sentence: int


@dataclass(frozen=True, slots=True)
class ClaimConflict:
    """Two members of one claim whose pairwise verdict is a conflict, and why."""

    a: Member
    b: Member
    conflicts: tuple[Conflict, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim of a story: the sentences that state it (at most a few per report), sorted, out of
    a story of `n_story` reports, and the conflicts between any two of them."""

    id: int
    members: tuple[Member, ...]
    n_story: int
    conflicts: tuple[ClaimConflict, ...] = ()

    @property
    def reports(self) -> tuple[int, ...]:
        """The reports that state the claim, in story order."""
        return tuple(sorted({m.report for m in self.members}))

    @property
    def status(self) -> ClaimStatus:
        """Stated by all the story's reports, by some, or by one."""
        n = len(self.reports)
        return ClaimStatus.ONE if n == 1 else ClaimStatus.ALL if n == self.n_story else ClaimStatus.SOME

    def sentences_of(self, report: int) -> tuple[int, ...]:
        """The sentence numbers of `report` in the claim."""
        return tuple(m.sentence for m in self.members if m.report == report)

    @property
    def differing(self) -> tuple[int, ...]:
        """The reports whose value differs from the others': those in conflict with more than
        half of the other reports that state the claim (the odd one out of three is the only
        one); when no report is, there is no majority (two reports, two against two, or two in
        conflict while a third is silent on it) and every report in a conflict is."""
        against: dict[int, set[int]] = {}
        for conflict in self.conflicts:
            x, y = conflict.a.report, conflict.b.report
            against.setdefault(x, set()).add(y)
            against.setdefault(y, set()).add(x)
        others = len(self.reports) - 1
        odd = [r for r, them in against.items() if len(them) > others / 2]
        return tuple(sorted(odd or against))


@dataclass(frozen=True, slots=True)
class Story:
    """Two or more reports of one event: a side per report, the pairwise comparison of every pair
    (`pairs[k] = (i, j)`, i < j, compared as `comparisons[k]`) and the claims across all reports,
    sorted by how many reports state them."""

    sides: tuple[Side, ...]
    pairs: tuple[tuple[int, int], ...]
    comparisons: tuple[Comparison, ...]
    claims: tuple[Claim, ...]
    model: str

    @property
    def ids(self) -> tuple[str, ...]:
        """The reports' ids, in story order (distinct)."""
        return tuple(side.article.id for side in self.sides)

    def comparison(self, i: int, j: int) -> Comparison:
        """The pairwise comparison of reports i and j (i < j: report i is A)."""
        return self.comparisons[self.pairs.index((i, j))]


class LoadError(ValueError):
    """A report that cannot be read; the message is one line, fit for a user."""


def one_line(error: BaseException) -> str:
    """The first line of an error's message (OSError: 'strerror: filename')."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
