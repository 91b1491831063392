"""Loading reports: front matter, title and date lines, boilerplate, and one-line errors."""

from __future__ import annotations

import os
import sys
import threading
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from compare.read.load import load_file, parse_article, strip_boilerplate
from compare.records import LoadError
from tests.conftest import SEED_A, SEED_B


def test_seed_front_matter_is_read():
    a, b = load_file(SEED_A), load_file(SEED_B)
    assert a.published == date(2018, 12, 16)
    assert b.published == date(2018, 12, 10)
    assert a.title.startswith("North Korea threatens")
    assert a.source and b.source


def test_title_and_date_lines_are_not_body():
    a = load_file(SEED_A)
    assert not a.text.startswith("North Korea threatens")  # the title line
    assert "December 16, 2018" not in a.text  # the date line
    assert a.text.startswith("North Korea threatened to kill any progress")


def test_trailing_boilerplate_dropped():
    a = load_file(SEED_A)
    assert "Update hourly" not in a.text
    assert a.text.rstrip().endswith("established last month.")


@pytest.mark.parametrize(
    ("body", "kept_end"),
    [
        ("A sentence here.\n\nUpdate hourly", "A sentence here."),
        ("A sentence here.\n\nShare this article\n\nAdvertisement", "A sentence here."),
        ("A sentence here.\n\nHe said it was over.", "He said it was over."),
    ],
)
def test_strip_boilerplate(body, kept_end):
    assert strip_boilerplate(body).endswith(kept_end)


def test_no_front_matter_title_and_date_from_text():
    text = "Storm hits coast\n\nMarch 3, 2021\n\nThe storm hit the coast on Monday. Ten people died.\n"
    article = parse_article(text, article_id="x")
    assert article.title == "Storm hits coast"
    assert article.published == date(2021, 3, 3)
    assert article.text.startswith("The storm hit")


def test_explicit_metadata_wins():
    text = "---\ntitle: From YAML\npublished: 2020-01-02\n---\nBody sentence one. Body two.\n"
    article = parse_article(text, article_id="x", published=date(2021, 5, 6))
    assert article.title == "From YAML"
    assert article.published == date(2021, 5, 6)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (bytes(range(256)) * 8, "not a text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not a text file"),
        (b"---\ntitle: [unclosed\n---\nText here.\n", "malformed front matter"),
        (b"---\npublished: yesterday-ish\n---\nText here.\n", "not YYYY-MM-DD"),
        (b"---\ntitle: Only a title\n---\n", "no text"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(LoadError) as error:
        load_file(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_directory_and_suffix(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_file(tmp_path / "nope.txt")
    with pytest.raises(LoadError, match="directory"):
        load_file(tmp_path)
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(LoadError, match="unsupported"):
        load_file(pdf)


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Word. " * 100)
    with pytest.raises(LoadError, match="over the limit of 50"):
        load_file(path, max_chars=50)


@contextmanager
def address_space_capped(extra: int) -> Iterator[None]:
    """This process may grow by at most `extra` bytes meanwhile, so code that reads without end
    fails with MemoryError instead of taking the machine's memory."""
    import resource

    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = current + extra if hard == resource.RLIM_INFINITY else min(current + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/zero and /proc are Linux's")
def test_device_behind_a_txt_symlink_is_refused(tmp_path):
    link = tmp_path / "x.txt"
    link.symlink_to("/dev/zero")
    with address_space_capped(512 * 2**20), pytest.raises(LoadError) as error:
        load_file(link)
    assert str(error.value) == f"{link}: not a regular file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    errors: list[str] = []

    def load() -> None:
        try:
            load_file(fifo)
        except LoadError as error:
            errors.append(str(error))

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(5)
    try:
        assert not thread.is_alive(), "load_file blocked on a FIFO"
        assert errors == [f"{fifo}: not a regular file"]
    finally:
        if thread.is_alive():  # open a writer and close it: the blocked reader sees the end
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            thread.join(5)


def test_big_file_is_read_no_further_than_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1_000_000)  # 5 MB
    tracemalloc.start()
    try:
        with pytest.raises(LoadError, match="over the limit of 1,000"):
            load_file(path, max_chars=1000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # at most 4,001 bytes read, not the 5 MB


def test_utf8_bom_accepted(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffThe mayor spoke on Friday. She left.".encode())
    assert load_file(path).text.startswith("The mayor")


def test_html_page_keeps_only_the_article(tmp_path):
    from tests.conftest import ROOT

    article = load_file(ROOT / "tests" / "fixtures" / "storm.html")
    assert article.title == "Storm hits coast"
    assert article.published == date(2021, 3, 3)
    assert article.published_at == datetime(2021, 3, 3, 10, 0, tzinfo=UTC)  # article:published_time
    assert article.source == "Daily News"
    assert article.text.startswith("The storm hit the coast on Monday")
    assert "fishermen" in article.text
    for junk in ("Home", "cookies", "Waves crash", "trackArticleView", "Most read", "Copyright", "analytics"):
        assert junk not in article.text, junk


def test_html_without_article_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>Home</nav></body></html>")
    with pytest.raises(LoadError, match="no article text|no text besides"):
        load_file(path)


TEXT = "Café owners in Zürich said “no” on Monday. The mayor’s office declined to comment."


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        (TEXT.encode("utf-8"), TEXT),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT),
        (TEXT.encode("utf-16"), TEXT),  # with its BOM
        (TEXT.encode("cp1252"), TEXT),
        (
            "Café owners in Zürich said no on Monday. The office declined.".encode("latin-1"),
            "Café owners in Zürich said no on Monday. The office declined.",
        ),
    ],
)
def test_encodings_are_detected(tmp_path, encoded, expected):
    path = tmp_path / "report.txt"
    path.write_bytes(encoded)
    assert load_file(path).text == expected


def test_nul_and_control_characters_removed(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"The mayor\x00 resigned on Monday.\x07 Her deputy took over.\x1b")
    assert load_file(path).text == "The mayor resigned on Monday. Her deputy took over."


def date_lines() -> list[str]:
    """Date lines of every form `DATE_LINE` takes, with right and wrong weekdays, impossible days
    and years far off, some with a time."""
    import random

    months = "January February March April May June July August September October November December".split()
    months += "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
    rng = random.Random(16)
    lines = []
    for _ in range(600):
        m, d = rng.choice(months), rng.choice([1, 2, 9, 10, 15, 28, 29, 30, 31, 32])
        y = rng.choice([2018, 2020, 2024, 1999, 1900, 2100, 1899, 2101, 1000])
        dot = rng.choice(["", "."])
        day = date(y, 1 + [x[:3] for x in months[:12]].index(m[:3]), 1).strftime("%A, ")
        form = rng.choice([f"{m}{dot} {d}, {y}", f"{m}{dot} {d} {y}", f"{d} {m}{dot} {y}", f"{y}-{d % 13:02d}-{d:02d}"])
        weekday = rng.choice(["", "", day, "Sunday ", "monday, "])
        time = rng.choice(["", "", "", ", 10:30", " 9:05 a.m. EST"])
        lines.append(rng.choice(["", "Published: ", "updated ", "Date: "]) + weekday + form + time)
    return [*lines, "Sunday, December 16, 2018", "16 Dec 2018", "Date: 2018-12-16"]


def test_date_lines_read_without_dateparser_are_read_as_dateparser_reads_them():
    import re

    import dateparser

    from compare.read.load import DATE_LINE, parse_date_line, plain_date

    quick = 0
    for line in date_lines():
        if not DATE_LINE.match(line):
            continue
        text = re.sub(r"^(published|updated|posted|date)\s*:?\s*", "", line, flags=re.I)
        parsed = dateparser.parse(text, languages=["en"])
        expected = parsed.date() if parsed else None
        assert parse_date_line(line) == expected, line
        if plain_date(line) is not None:
            quick += 1
            assert plain_date(line) == expected, line
    assert quick > 50  # the common forms do not need dateparser
    assert plain_date("Sunday, December 16, 2018") == date(2018, 12, 16)
    assert plain_date("Monday, December 16, 2018") is None  # a wrong weekday: dateparser decides
    assert plain_date("December 16, 2018, 10:30") is None  # a time: dateparser decides


EST = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("December 16, 2018, 9:30 a.m. EST", datetime(2018, 12, 16, 9, 30, tzinfo=EST)),
        ("Dec. 16, 2018 at 9:30 p.m. ET", datetime(2018, 12, 16, 21, 30, tzinfo=EST)),
        ("Updated 10:42 AM ET, Sun December 16, 2018", datetime(2018, 12, 16, 10, 42, tzinfo=EST)),
        ("Published: Sunday, December 16, 2018, 09:30 UTC", datetime(2018, 12, 16, 9, 30, tzinfo=UTC)),
        ("16 December 2018 14:05 +01:00", datetime(2018, 12, 16, 14, 5, tzinfo=timezone(timedelta(hours=1)))),
        ("2018-12-16 14:05", datetime(2018, 12, 16, 14, 5)),  # no zone: naive
        ("Dec 16, 2018 / 9:30 AM / Updated 2h ago", datetime(2018, 12, 16, 9, 30)),
        ("December 16, 2018", None),  # a day, no time
    ],
)
def test_a_date_line_gives_its_time_of_day(line, expected):
    """Item 4 of issue 28: the time on a date line, with its zone when it names one; the line is
    metadata, not a sentence of the body."""
    article = parse_article(f"Storm hits coast\n\n{line}\n\nThe storm hit the coast.", article_id="x")
    assert article.published == date(2018, 12, 16)
    assert article.published_at == expected
    if expected is not None and expected.tzinfo is not None:
        assert article.published_at.utcoffset() == expected.utcoffset()
    assert article.text == "The storm hit the coast."


@pytest.mark.parametrize(
    ("value", "day", "moment"),
    [
        ("2018-12-16T09:30:00-05:00", date(2018, 12, 16), datetime(2018, 12, 16, 9, 30, tzinfo=EST)),
        ("2018-12-16T14:30:00Z", date(2018, 12, 16), datetime(2018, 12, 16, 14, 30, tzinfo=UTC)),
        ("'2018-12-16 09:30'", date(2018, 12, 16), datetime(2018, 12, 16, 9, 30)),
        ("2018-12-16", date(2018, 12, 16), None),
        ("2018-12-16T00:00:00Z", date(2018, 12, 16), None),  # midnight: a bare day written as a time
    ],
)
def test_front_matter_published_may_carry_a_time(value, day, moment):
    article = parse_article(f"---\npublished: {value}\n---\nThe storm hit the coast.", article_id="x")
    assert (article.published, article.published_at) == (day, moment)


def test_a_given_day_keeps_the_time_only_on_that_day():
    text = "---\npublished: 2018-12-16T09:30:00Z\n---\nThe storm hit the coast."
    moment = datetime(2018, 12, 16, 9, 30, tzinfo=UTC)
    assert parse_article(text, article_id="x", published=date(2018, 12, 17)).published_at is None
    assert parse_article(text, article_id="x", published=date(2018, 12, 16), published_at=moment).published_at == moment
    with pytest.raises(LoadError, match="is not YYYY-MM-DD or an ISO date and time"):
        parse_article("---\npublished: Sunday at nine\n---\nText.", article_id="x")
