"""Shared wire copy (issue 28): copied or reworded per aligned row, and the share of each report
that is word for word in the other, on hand-made sentences and on the reference pairs."""

from __future__ import annotations

import pytest

from compare.config import Config
from compare.judge.wording import COPIED, REWORDED, is_copied, shared_copy, wording, words
from tests.conftest import SHARED

WIRE = "The Supreme Court on Monday struck down a federal law barring sports gambling in most states."


def test_folding_case_quotes_dashes_and_space():
    assert words("“It’s   OVER” — he said") == words("\"it's over\" - he said")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (WIRE, "In a ruling, " + WIRE.lower(), COPIED),  # the whole sentence inside another
        (WIRE, "Justices on Monday struck down a federal law barring sports gambling, the AP said.", COPIED),  # 8 words
        (WIRE, "A federal ban on sports betting was thrown out by the court on Monday.", REWORDED),
        ("Officials confirmed the toll.", "Officials confirmed the toll on Tuesday.", COPIED),  # 4 of 4 words: 80 %
        ("He said so.", "He said so, officials added later that day.", REWORDED),  # 3 words: too short to tell
    ],
)
def test_copied_or_reworded(a, b, expected):
    assert wording(a, b) == expected and is_copied(b, a) == (expected == COPIED)


def compared(name: str):
    from compare import compare_files

    folder = next((SHARED / "eval" / "dev").glob(f"{name}-*"))
    return compare_files(folder / "a.txt", folder / "b.txt", Config())


@pytest.mark.parametrize(("name", "copy"), [("d05", True), ("d13", True), ("d06", False), ("d08", False)])
def test_wire_copy_in_the_reference_pairs(name, copy):
    """d05 and d13 both run AP copy: more than half of each report is word for word in the other;
    d06 and d08 are written apart: almost none."""
    a, b = shared_copy(compared(name))
    if copy:
        assert a > 0.5 and b > 0.5
    else:
        assert a < 0.05 and b < 0.05
