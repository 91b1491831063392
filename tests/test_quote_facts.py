"""Quote facts: which words are quoted (quote marks read by their context, quotes that run over
paragraphs) and who is credited with them (speech verbs, a speaker introduced by a colon)."""

from __future__ import annotations

import pytest

from compare.facts.extract import extract_pair_facts
from compare.facts.quotes import quote_spans
from compare.read.split import split_sentences
from compare.records import Article, FactKind
from tests.test_facts import SUNDAY


def speakers_of(text: str) -> list[str]:
    """The speaker of each quote fact of a one-report `text`, in order."""
    article = Article("x", "x", "", SUNDAY, text)
    other = Article("y", "y", "", SUNDAY, "Nothing here.")
    facts, _ = extract_pair_facts(article, split_sentences(article), other, split_sentences(other))
    return [f.value for fs in facts for f in fs if f.kind is FactKind.QUOTE]


@pytest.mark.parametrize(
    ("text", "inside", "expected"),
    [
        ('"We won," he said.', False, (["We won,"], False)),
        # a paragraph's quote left open and opened again in the next: the new mark opens, not closes
        ('"The deal took a year to reach.', True, (["The deal took a year to reach."], True)),
        ('"We knew it would," Lee added. "It always does', False, (["We knew it would,", "It always does"], True)),
        # spaces inside the marks: the one after a space opens, the one after a word closes
        ('talks took a " turn for the worse ." today', False, (["turn for the worse ."], False)),
        # a curly opening mark closed by a straight one
        ('“We are here to stay," she said.', False, (["We are here to stay,"], False)),
        # a mark between two spaces opens and closes in turn
        ('He said " yes " twice.', False, (["yes"], False)),
    ],
)
def test_quote_marks_read_by_context(text, inside, expected):
    spans, open_at_end = quote_spans(text, inside)
    assert ([words for _, _, words in spans], open_at_end) == expected


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (  # a quote that runs over two paragraphs does not turn the next quotes inside out
            '"We are glad the strike is over," said Ann Lee, the union\'s president. "This deal is a big step '
            "for all of our members\n\n"
            '"We have always wanted a fair deal for the plant," Lee added.\n\n'
            "Tom Park, a lawyer for the workers, said the deal was fair.\n\n"
            '"It is fair to everyone who walked out," Park said.',
            ["Ann Lee", "Ann Lee", "Ann Lee", "Tom Park"],
        ),
        (  # "countered" is a speech verb, and the quote it opens goes on in the next sentence
            'In a statement, Mayor Ann Lee countered: "The city will not pay for the damage. '
            'The owners knew the risk when they built there."',
            ["Ann Lee", "Ann Lee"],
        ),
        ('"Sales fell for the third month in a row," the Daily Ledger reports.', ["Daily Ledger"]),
        ('"Just stay inside until the police arrive," Ann Lee texted her son.', ["Ann Lee"]),
        (  # a sentence ending with a colon names the speaker of the quote paragraph after it
            "Fire Chief Ann Lee told reporters what went wrong:\n\n"
            '"The wind turned on us in the afternoon and the crews had no way out."',
            ["Ann Lee"],
        ),
        (  # ... but only a named one
            'Here is the full statement:\n\n"We are saddened by the loss of our colleagues and we thank the crews."',
            [],
        ),
        (  # a sentence without a colon still ends the run of quotes
            '"We are saddened by the loss," Ann Lee said.\n\n'
            "The crews were sent home.\n\n"
            '"We thank everyone who helped the families."',
            ["Ann Lee"],
        ),
    ],
)
def test_quote_speakers(text, speakers):
    assert speakers_of(text) == speakers
