"""Sentence splitting: abbreviations, initials, quotes, offsets and paragraphs."""

from __future__ import annotations

import pytest

from compare.read.load import load_file
from compare.read.split import split_sentences
from compare.records import Article
from tests.conftest import SEED_A, SEED_B


def sentences_of(text: str) -> list[str]:
    return [s.text for s in split_sentences(Article("t", "t", "", None, text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Kim met Mr. Trump. They talked.", ["Mr. Kim met Mr. Trump.", "They talked."]),
        (
            "The U.S. imposed sanctions. Seoul agreed.",
            ["The U.S. imposed sanctions.", "Seoul agreed."],
        ),
        (
            "Treasury Secretary Steven T. Mnuchin said so. Others disagreed.",
            ["Treasury Secretary Steven T. Mnuchin said so.", "Others disagreed."],
        ),
        (
            "“Many people have asked,” Mr. Trump tweeted. “I always reply by saying we are in no hurry.”",
            ["“Many people have asked,” Mr. Trump tweeted.", "“I always reply by saying we are in no hurry.”"],
        ),
        (
            "He said: “We are ready. We will not wait.” Then he left.",
            ["He said: “We are ready.", "We will not wait.”", "Then he left."],
        ),
    ],
)
def test_split_rules(text, expected):
    assert sentences_of(text) == expected


def test_offsets_slice_the_original_text():
    for path in (SEED_A, SEED_B):
        article = load_file(path)
        for sentence in split_sentences(article):
            assert article.text[sentence.start : sentence.end] == sentence.text


def test_paragraph_numbers_and_indices():
    article = load_file(SEED_A)
    sentences = split_sentences(article)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    jong = next(s for s in sentences if s.text.startswith("Mr. Jong"))
    choe = next(s for s in sentences if s.text.startswith("Mr. Choe"))
    assert jong.paragraph == choe.paragraph  # one paragraph, two sentences
    assert sentences[0].paragraph == 0


def test_seed_sentence_counts():
    assert len(split_sentences(load_file(SEED_A))) == 17
    assert len(split_sentences(load_file(SEED_B))) == 28
