"""Split an article's body into sentences with character offsets and paragraph numbers.

syntok does the segmentation ("Mr.", "U.S.", "Steven T. Mnuchin" and quotes that span sentences
are handled); each sentence is sliced from the original text by token offsets, so
`article.text[s.start:s.end] == s.text` always holds. Paragraphs are blocks separated by blank
lines; a single line break inside a paragraph is also a boundary (a subheading or list item).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compare.records import Article, Sentence

CLAUSE_BREAK = re.compile(r"\s*(?:[,;:]|\s[—–-]\s|—)\s*")
CLAUSE_MIN_WORDS = 4
BLOCK = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
CLOSERS = "\"'”’)]»"


def split_sentences(article: Article) -> list[Sentence]:
    """The article's sentences in order; `index` counts from 0 across the whole article."""
    sentences: list[Sentence] = []
    for paragraph, (block_start, block) in enumerate(iter_paragraphs(article.text)):
        for line_start, line in iter_lines(block):
            for start, end in segment_spans(line):
                begin = block_start + line_start + start
                stop = block_start + line_start + end
                sentences.append(
                    Sentence(
                        article_id=article.id,
                        index=len(sentences),
                        text=article.text[begin:stop],
                        start=begin,
                        end=stop,
                        paragraph=paragraph,
                    )
                )
    return sentences


def iter_paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, block) for each run of non-blank lines."""
    for match in BLOCK.finditer(text):
        if match.group().strip():
            yield match.start(), match.group()


def iter_lines(block: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each non-blank line of a block."""
    offset = 0
    for line in block.split("\n"):
        if line.strip():
            yield offset, line
        offset += len(line) + 1


def segment_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences in one line of text, per syntok."""
    from syntok import segmenter

    spans: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = [t for t in sentence if t.value]
            if not tokens:
                continue
            start = tokens[0].offset
            end = tokens[-1].offset + len(tokens[-1].value)
            spans.append((start, end))
    return merge_orphans(text, spans)


def merge_orphans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans where a piece made only of closing quotes/brackets is joined to the sentence before."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end].strip()
        if merged and piece and all(ch in CLOSERS for ch in piece):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def split_clauses(text: str) -> list[str]:
    """Clause-like pieces of a sentence, cut at commas, semicolons, colons and dashes, with pieces
    under CLAUSE_MIN_WORDS words joined to their neighbour; `[text]` when it does not divide.

    A long news sentence often carries two claims ("X happened, although Y said Z"); matching its
    clauses lets each claim find its partner on the other side.
    """
    pieces = [p.strip(" “”\"'’‘") for p in CLAUSE_BREAK.split(text)]
    clauses: list[str] = []
    for piece in filter(None, pieces):
        if clauses and (len(piece.split()) < CLAUSE_MIN_WORDS or len(clauses[-1].split()) < CLAUSE_MIN_WORDS):
            clauses[-1] = f"{clauses[-1]}, {piece}"
        else:
            clauses.append(piece)
    return clauses or [text]
