"""Load a report from a file or pasted text into an `Article`.

Accepted: `.txt` / `.md` with optional YAML front matter (`title`, `source`, `published`, `url`).
Without front matter, the first short line is the title and a date line near the top is the
publication date; both are metadata, not claims, and are removed from the body. A time of day
given with the date (`published: 2018-12-16T09:30:00-05:00`, a page's `article:published_time`,
"December 16, 2018, 9:30 a.m. EST") is kept as `Article.published_at`. Trailing web
boilerplate ("Update hourly", "Share this article") is dropped.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import replace
from datetime import date, datetime, time, timezone
from pathlib import Path

from compare.records import Article, LoadError

log = logging.getLogger(__name__)

TITLE_MAX_WORDS = 20
DATE_LINE_MAX_WORDS = 8
DATE_LINE_SEARCH = 4  # lines from the top that may hold the date line
BOILERPLATE_MAX_WORDS = 6
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ""}
HTML_SUFFIXES = {".html", ".htm"}
HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article)", re.IGNORECASE)

MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
TIME_OF_DAY = (  # 9:30, 09:30:15, 9:30 a.m., 9 p.m., then a zone: EST, ET, UTC, GMT+1, +01:00, Z
    r"(?:\d{1,2}(?::\d{2}){1,2}(?:\s*[ap]\.?\s?m\b\.?)?|\d{1,2}\s*[ap]\.?\s?m\b\.?)"
    r"(?:\s*\(?(?-i:[A-Z]{1,4}T|UTC|GMT|Z)\)?(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|\s*[+-]\d{2}:?\d{2})?"
)
LINE_DATE = (
    rf"(?:(?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{MONTHS})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
DATE_LINE = re.compile(  # a date, a time after it ("Dec. 16, 2018, 9:30 a.m. EST") or before it ("10:42 AM ET, Sun")
    rf"^(?:(?:published|updated|posted|date)\s*:?\s*)?(?:(?P<before>{TIME_OF_DAY})[\s,]+)?"
    rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+|(?:mon|tue|wed|thu|fri|sat|sun)\.?,?\s+)?"
    rf"(?P<date>{LINE_DATE})"
    rf"(?:[\s,/|]+(?:at\s+)?(?P<after>{TIME_OF_DAY})(?![\w:]).*|[\s,]+\d{{1,2}}:\d{{2}}.*)?$",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?\"'”’)\]:…]\s*$")


BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
BINARY_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"\x1f\x8b", b"Rar!")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BINARY_CONTROL_SHARE = 0.15  # real binaries run far higher; stray NULs in text far lower
MAX_BYTES_PER_CHAR = 4  # UTF-8, UTF-16 surrogate pairs, UTF-32 and GB18030 take at most 4 bytes a character
SINGLE_BYTE_WESTERN = {"cp1252", "cp1250", "cp1257", "latin_1", "iso8859_15", "iso8859_2", "windows-1252", "mac_roman"}


def load_file(path: str | Path, *, max_chars: int = 2_000_000) -> Article:
    """The `Article` in a .txt / .md file; raises `LoadError` with a one-line reason."""
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if path.is_dir():
        raise LoadError(f"{path}: is a directory, not a report")
    if path.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise LoadError(f"{path}: unsupported file type {path.suffix!r} (use .txt, .md or .html)")
    text = decode_bytes(read_regular_file(path, max_chars * MAX_BYTES_PER_CHAR, max_chars), str(path))
    return parse_any(text, article_id=path.stem, max_chars=max_chars, origin=str(path))


def read_regular_file(path: Path, max_bytes: int, max_chars: int) -> bytes:
    """The bytes of `path`, which must be a regular file (after symlinks) of at most `max_bytes`;
    raises `LoadError` otherwise. A device (/dev/zero), FIFO or socket is never read: the file is
    opened without blocking and checked before any read, and at most `max_bytes` + 1 bytes are read."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise LoadError(f"{path}: not a regular file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise LoadError(f"{path}: cannot read ({error.strerror})") from None
    with open(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced after the first check
            raise LoadError(f"{path}: not a regular file")
        raw = file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise LoadError(f"{path}: the file has over {max_bytes:,} bytes, so over the limit of {max_chars:,} characters")
    return raw


def load_source(
    source: str | Path,
    *,
    max_chars: int = 2_000_000,
    fetch_timeout: float = 15.0,
    max_download_bytes: int = 5_000_000,
    allow_private_urls: bool = False,
) -> Article:
    """The `Article` at a file path or an http(s) URL; raises `LoadError` with a one-line reason."""
    from compare.read.fetch import fetch_url, is_url, url_id

    if not is_url(str(source)):
        return load_file(source, max_chars=max_chars)
    url = str(source).strip()
    raw = fetch_url(url, timeout=fetch_timeout, max_bytes=max_download_bytes, allow_private=allow_private_urls)
    article = parse_any(decode_bytes(raw, url), article_id=url_id(url), max_chars=max_chars, origin=url)
    return replace(article, url=article.url or url)


def parse_any(text: str, *, article_id: str, max_chars: int = 2_000_000, origin: str = "") -> Article:
    """`parse_html` for text that is an HTML page, else `parse_article`."""
    if HTML_START.match(text[:1000].lstrip("\ufeff")):
        return parse_html(text, article_id=article_id, max_chars=max_chars, origin=origin)
    return parse_article(text, article_id=article_id, source=article_id, max_chars=max_chars, origin=origin)


PAGE_DATE = {  # htmldate's settings as trafilatura sets them, with the time and zone of the page's metadata kept
    "original_date": True,
    "extensive_search": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


def parse_html(html: str, *, article_id: str, max_chars: int = 2_000_000, origin: str = "") -> Article:
    """The article in a web page, via trafilatura: main text only (no navigation, captions,
    scripts or footers), with the page's title, date and site name as metadata."""
    import trafilatura

    origin = origin or article_id
    if len(html) > max_chars:
        raise LoadError(f"{origin}: the page has {len(html):,} characters, over the limit of {max_chars:,}")
    body = trafilatura.extract(
        html, include_comments=False, include_tables=False, include_images=False, favor_precision=True
    )
    if not body or not body.strip():
        raise LoadError(f"{origin}: no article text found in the HTML page")
    meta = trafilatura.extract_metadata(html, date_config=PAGE_DATE)
    title = (meta.title if meta else "") or ""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # the headline is the title, not a claim
    published, published_at = to_when(meta.date, origin) if meta and meta.date else (None, None)
    return parse_article(
        "\n\n".join(lines),
        article_id=article_id,
        source=(meta.sitename if meta else "") or article_id,
        title=title,
        published=published,
        published_at=published_at,
        max_chars=max_chars,
        origin=origin,
    )


def decode_bytes(raw: bytes, origin: str) -> str:
    """Text of a report's bytes: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else the
    encoding charset-normalizer detects (Western single-byte text is read as cp1252). NUL and other
    control characters are removed. Raises `LoadError` for empty or binary content."""
    if not raw.strip():
        raise LoadError(f"{origin}: the report is empty")
    if raw.startswith(BINARY_MAGIC):
        raise LoadError(f"{origin}: not a text file (binary content)")
    text = decode_known(raw)
    if text is None:
        import charset_normalizer

        best = charset_normalizer.from_bytes(raw).best()
        if best is None:
            raise LoadError(f"{origin}: not a text file (binary content or unknown encoding)")
        text = decode_single_byte(raw) if best.encoding in SINGLE_BYTE_WESTERN else str(best)
    controls = len(CONTROL.findall(text))
    if controls > BINARY_CONTROL_SHARE * len(text):
        raise LoadError(f"{origin}: not a text file (binary content)")
    text = CONTROL.sub("", text)
    if not text.strip():
        raise LoadError(f"{origin}: the report is empty")
    return text


def decode_known(raw: bytes) -> str | None:
    """`raw` decoded by its BOM or as UTF-8; None when neither applies."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_single_byte(raw: bytes) -> str:
    """`raw` as cp1252 (Windows Western, a superset of printable latin-1), latin-1 where cp1252 has gaps."""
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def parse_article(
    text: str,
    *,
    article_id: str,
    source: str = "",
    title: str = "",
    published: date | None = None,
    published_at: datetime | None = None,
    max_chars: int = 2_000_000,
    origin: str = "",
) -> Article:
    """An `Article` from raw report text; explicit `title`/`published`/`published_at` win over what
    the text says (a `published_at` on another day than an explicit `published` is dropped)."""
    origin = origin or article_id
    if len(text) > max_chars:
        raise LoadError(f"{origin}: the report has {len(text):,} characters, over the limit of {max_chars:,}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = split_front_matter(text, origin)
    body = body.strip("\n")
    found_title, found_date, found_time, body = take_title_and_date(body, has_title=bool(meta.get("title") or title))
    body = strip_boilerplate(body)
    if not body.strip():
        raise LoadError(f"{origin}: the report has no text besides its title")
    if published is None:
        published, published_at = to_when(meta.get("published") or meta.get("date"), origin)
    if published is None:
        published, published_at = found_date, found_time
    return Article(
        id=article_id,
        source=str(meta.get("source") or source or article_id),
        title=str(title or meta.get("title") or found_title),
        published=published,
        text=body,
        url=str(meta.get("url") or ""),
        published_at=published_at if published_at and published_at.date() == published else None,
    )


def split_front_matter(text: str, origin: str) -> tuple[dict, str]:
    """(metadata, body) of a text with optional YAML front matter between `---` lines."""
    if not text.lstrip("\ufeff").startswith("---"):
        return {}, text
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(text.lstrip("\ufeff"))
    except yaml.YAMLError as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise LoadError(f"{origin}: malformed front matter ({first})") from None
    if not isinstance(post.metadata, dict):
        raise LoadError(f"{origin}: front matter is not a key: value mapping")
    return dict(post.metadata), post.content


def to_when(value: object, origin: str) -> tuple[date | None, datetime | None]:
    """(day, time) from a front-matter or page value: a date, a datetime, YYYY-MM-DD, or an ISO
    date and time ("2018-12-16T09:30:00-05:00", "2018-12-16 09:30", "...Z"); the time is None
    when none is given, or when it is exactly midnight (what pages and YAML write for a bare day)."""
    if value in (None, ""):
        return None, None
    if isinstance(value, datetime):
        return value.date(), with_time(value)
    if isinstance(value, date):
        return value, None
    text = str(value).strip()
    try:
        if len(text) <= 10:
            return date.fromisoformat(text), None
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise LoadError(f"{origin}: published date {value!r} is not YYYY-MM-DD or an ISO date and time") from None
    return moment.date(), with_time(moment)


def with_time(moment: datetime) -> datetime | None:
    """`moment`, or None when its time is midnight with no seconds: a bare day written as a time."""
    return None if moment.timetz().replace(tzinfo=None) == time(0) else moment


def parse_date_line(line: str) -> date | None:
    """The date on a line that is only a date ("December 16, 2018"), else None."""
    found = read_date_line(line)
    return found[0] if found else None


def read_date_line(line: str) -> tuple[date, datetime | None] | None:
    """(date, time of day) on a line that is only a date, maybe with a time ("December 16, 2018,
    9:30 a.m. EST", "10:42 AM ET, Sun December 16, 2018"); the time None when the line has none;
    None when the line is not a date line."""
    line = line.strip()
    match = DATE_LINE.match(line)
    if not match:
        return None
    if (plain := plain_date(line)) is not None:
        return plain, None
    import dateparser

    parsed = dateparser.parse(
        re.sub(r"^(published|updated|posted|date)\s*:?\s*", "", line, flags=re.I), languages=["en"]
    )
    if parsed is None and match["after"]:  # a tail dateparser cannot read ("/ Updated 2 hours ago")
        parsed = dateparser.parse(f"{match['date']} {match['after']}", languages=["en"])
    if parsed is None:
        return None
    if not (match["before"] or match["after"]):
        return parsed.date(), None  # no time on the line: dateparser's midnight is not one
    offset = parsed.utcoffset()  # dateparser's zone ("EST") as a fixed offset
    return parsed.date(), parsed if offset is None else parsed.replace(tzinfo=timezone(offset))


PLAIN_DATE = re.compile(
    rf"^(?:(?:published|updated|posted|date)\s*:?\s*)?(?:(?P<weekday>mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:(?P<month>{MONTHS})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTHS})\.?,?\s+(?P<year2>\d{{4}})|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))$",
    re.IGNORECASE,
)
WEEKDAYS = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")


def plain_date(line: str) -> date | None:
    """The date of a date line without a time ("Sunday, December 16, 2018", "16 Dec. 2018",
    "2018-12-16"), read without dateparser (whose first call costs about a second of regex
    building); None when the line has a time, a weekday that is not the date's, or an impossible
    date, which are left to dateparser. `tests/test_load.py` checks it against dateparser."""
    match = PLAIN_DATE.match(line)
    if match is None:
        return None
    try:
        if match["iso"]:
            found = date.fromisoformat(match["iso"])
        else:
            month = (match["month"] or match["month2"]).lower()[:3]
            number = ("jan feb mar apr may jun jul aug sep oct nov dec".split()).index(month) + 1
            found = date(int(match["year"] or match["year2"]), number, int(match["day"] or match["day2"]))
    except ValueError:
        return None
    if not 1900 <= found.year <= 2100:
        return None
    if match["weekday"] and WEEKDAYS.index(match["weekday"].lower()) != found.weekday():
        return None
    return found


def take_title_and_date(body: str, *, has_title: bool) -> tuple[str, date | None, datetime | None, str]:
    """(title, publication date, its time or None, rest of body): a first short line without final
    punctuation is the title, and a date-only line among the first few lines is the date."""
    lines = body.split("\n")
    title = ""
    found: tuple[date, datetime | None] | None = None
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and is_heading(lines[first]):
        title = lines[first].strip()
        lines[first] = ""
    nonblank = [i for i, line in enumerate(lines) if line.strip()][:DATE_LINE_SEARCH]
    for i in nonblank:
        words = [w for w in lines[i].split() if any(c.isalnum() for c in w)]  # a "/" or "|" is not a word
        if len(words) <= DATE_LINE_MAX_WORDS and (parsed := read_date_line(lines[i])):
            found = parsed
            lines[i] = ""
            break
    if has_title and title:
        log.debug("front matter title wins over first line %r", title)
    return title, *(found or (None, None)), "\n".join(lines).strip("\n")


def is_heading(line: str) -> bool:
    """True for a short line that does not end like a sentence (a title or subheading)."""
    words = line.split()
    return 0 < len(words) <= TITLE_MAX_WORDS and not SENTENCE_END.search(line)


def strip_boilerplate(body: str) -> str:
    """The body without trailing short unpunctuated paragraphs ("Update hourly", "Advertisement")."""
    paragraphs = re.split(r"\n\s*\n", body.rstrip())
    while len(paragraphs) > 1:
        last = paragraphs[-1].strip()
        if len(last.split()) <= BOILERPLATE_MAX_WORDS and not SENTENCE_END.search(last):
            log.info("dropped trailing boilerplate %r", last)
            paragraphs.pop()
        else:
            break
    return "\n\n".join(paragraphs)
