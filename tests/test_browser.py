"""Real-browser tests: `streamlit run app.py` on 127.0.0.1, Debian's chromium driven by
Playwright. One waits for a seed sentence, checks hostile markup stays text, downloads the
discrepancy CSV and saves a screenshot; one walks a review as a fact-checker would (issue 13);
one adds a third report and downloads the claims CSV (issue 14)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from compare.align.match import match_threshold
from compare.config import Config
from compare.story.export import CLAIM_COLUMNS
from tests.conftest import ROOT, SEED_B, SHARED
from tests.conftest import SEED_A as SEED

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CONTRACT_HEADER = (
    "status,similarity,a_id,a_text,b_id,b_text,shared_facts,a_only_facts,b_only_facts,conflicts,review,note,to_check,"
    "a_source,b_source,wording"
)
SEED_SENTENCE = "North Korea threatened to kill any progress toward denuclearization"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


HOSTILE = """---
title: Hostile report
published: 2018-12-11
---
The Treasury Department sanctioned three North Korean officials <script>window.__xss = 1</script> on Monday.

A caption said <img src=x onerror="window.__xss = 2"> the officials ran the security ministry.

<b>Bold claims</b> about the sanctions were made by officials in Washington.
"""


def serve(articles: Path, tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on the reports in `articles`, with a review store of its own; its address."""
    port = free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "COMPARE_REVIEW_DB": str(tmp_path / "reviews.sqlite"),
        "COMPARE_ARTICLES": str(articles),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("streamlit did not start within 60 s")
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def server(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(SEED, articles / SEED.name)
    (articles / "zz_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    yield from serve(articles, tmp_path)


@pytest.fixture
def seed_server(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in (SEED, SEED_B):
        shutil.copy(path, articles / path.name)
    yield from serve(articles, tmp_path)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")
def test_dashboard_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server)
        page.get_by_text(SEED_SENTENCE).first.wait_for(timeout=240_000)
        # report text is shown as text, never run as markup
        page.get_by_text("<script>window.__xss = 1</script>", exact=False).first.wait_for(timeout=30_000)
        page.get_by_text('<img src=x onerror="window.__xss = 2">', exact=False).first.wait_for(timeout=30_000)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert dialogs == []
        downloaded = download(page, "Discrepancy CSV")
        target = tmp_path / "discrepancies.csv"
        downloaded.save_as(target)
        lines = target.read_text(encoding="utf-8").splitlines()
        assert lines[0] == CONTRACT_HEADER
        assert len(lines) > 5
        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 20_000
        if os.environ.get("COMPARE_SCREENSHOT"):
            shutil.copy(shot, os.environ["COMPARE_SCREENSHOT"])
        browser.close()


WAIT = 120_000  # ms for each step of the walk: the machine is shared, a rerun may wait for a core


def idle(page) -> None:
    """Wait until Streamlit has finished rerunning the page (its "Running..." widget is gone)."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=WAIT)


def download(page, button: str):
    """The download a click on `button` starts, clicked once the page is idle; clicked again
    every 20 s (a click that lands while Streamlit reruns the page is lost), `WAIT` in all."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(WAIT // 20_000):
        try:
            idle(page)
            with page.expect_download(timeout=20_000) as download_info:
                page.get_by_role("button", name=button).click()
            return download_info.value
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"no download from the {button!r} button")


@contextmanager
def opened(articles: Path, tmp_path: Path) -> Iterator:
    """The dashboard on `articles`, served for the block and opened in chromium at 1440 x 900: its page."""
    from playwright.sync_api import sync_playwright

    server = serve(articles, tmp_path)
    url = next(server)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(url)
            yield page
            browser.close()
    finally:
        next(server, None)


def choose_file(page, side: str, name: str) -> None:
    """Report `side` set to the file `name` of the folder, as a user does: its source first."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.get_by_role("radiogroup").nth(ord(side) - ord("A")).get_by_text("From articles/").click()
    for _ in range(WAIT // 10_000):  # a rerun that lands after the click closes the list: open it again
        idle(page)
        page.get_by_placeholder(f"Choose report {side}'s file").click()
        try:
            page.get_by_role("option", name=name).click(timeout=10_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"the file list of report {side} never offered {name}")


def saved(page, words: str) -> None:
    """Wait for the green confirmation of a save."""
    page.get_by_text(re.compile(f"Saved: A[0-9]+ ↔ B[0-9]+ {words}")).first.wait_for(timeout=WAIT)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")
def test_review_walk_in_a_real_browser(seed_server, tmp_path):
    """Choose pair 1, note, confirm; next pair: the form is empty; reject with a note; next: relabel
    as conflict with a note; the discrepancy CSV has the three decisions, its name the two reports
    and the day; the JSON the reports' metadata and the settings."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
        page.goto(seed_server)
        page.get_by_text(SEED_SENTENCE).first.wait_for(timeout=240_000)
        page.get_by_role("tab", name="Review").click()  # drawn when chosen: the click reruns the page
        note = page.get_by_label("Note").first  # the review form's, above the link form's

        expect(note).to_have_value("", timeout=WAIT)
        page.get_by_text("confirm", exact=True).click()
        note.fill("checked against the wire copy")
        note.press("Enter")
        page.get_by_role("button", name=re.compile("Save decision")).click()
        saved(page, "confirmed")
        page.get_by_text(re.compile("1 of [0-9]+ reviewed")).wait_for(timeout=WAIT)

        page.get_by_role("button", name=re.compile("Next")).click()
        expect(note).to_have_value("", timeout=WAIT)  # not the first pair's note
        expect(page.get_by_role("radio", name="confirm")).not_to_be_checked()
        page.get_by_text("reject", exact=True).click()
        note.fill("a different meeting")
        note.press("Enter")
        page.get_by_role("button", name=re.compile("Save decision")).click()
        saved(page, "rejected")

        page.get_by_role("button", name=re.compile("Next")).click()
        expect(note).to_have_value("", timeout=WAIT)
        page.get_by_text("relabel", exact=True).click()
        page.get_by_text("New status").wait_for(timeout=WAIT)
        page.get_by_label("New status").click()
        page.get_by_role("option", name="conflict").click()
        note.fill("the toll differs")
        note.press("Enter")
        page.get_by_role("button", name=re.compile("Save decision")).click()
        saved(page, "relabelled conflict")
        page.get_by_text("Reviewer relabelled this pair conflict").first.wait_for(timeout=WAIT)
        # the pair became a conflict (one more box above the tabs): the reader is still on the review tab
        expect(page.get_by_role("tab", name="Review")).to_have_attribute("aria-selected", "true", timeout=WAIT)
        expect(note).to_be_visible(timeout=WAIT)

        day = date.today().isoformat()
        downloaded = download(page, "Discrepancy CSV")
        name = downloaded.suggested_filename
        assert name.endswith(f"_{day}_discrepancies.csv") and "_vs_" in name
        target = tmp_path / name
        downloaded.save_as(target)
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert ",".join(rows[0]) == CONTRACT_HEADER
        decisions = {(r["review"], r["note"]) for r in rows if r["review"]}
        assert decisions == {
            ("confirmed", "checked against the wire copy"),
            ("rejected", "a different meeting"),
            ("relabelled conflict", "the toll differs"),
        }
        downloaded = download(page, "JSON")
        payload = json.loads(Path(downloaded.path()).read_text(encoding="utf-8"))
        assert payload["a"]["published"] == "2018-12-16" and payload["b"]["published"] == "2018-12-10"
        assert payload["a"]["title"] and payload["b"]["source"]
        assert payload["settings"]["threshold"] == match_threshold(Config()) and payload["model"]
        if os.environ.get("COMPARE_SCREENSHOT"):
            page.get_by_role("tab", name="Side by side").click()
            page.get_by_text(SEED_SENTENCE).first.wait_for(timeout=WAIT)
            page.get_by_text(re.compile(r"reports of one event, aligned claim by claim")).scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            page.screenshot(path=os.environ["COMPARE_SCREENSHOT"], full_page=False)
        browser.close()


STORY = SHARED / "eval" / "stories" / "betting"
STORY_IDS = {"fox", "reuters", "usatoday"}


@pytest.fixture
def story_server(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in sorted(STORY_IDS):
        shutil.copy(STORY / f"{name}.txt", articles / f"{name}.txt")
    yield from serve(articles, tmp_path)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")
def test_story_of_three_reports_in_a_real_browser(story_server, tmp_path):
    """Two reports as today; *Add a report* makes it three (it starts empty: the third file is
    chosen); the coverage matrix
    shows; the claims CSV has the contract's header and rows of all three reports, its name the
    three reports and the day (issue 14)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
        page.goto(story_server)
        page.get_by_text("A covered by B").first.wait_for(timeout=240_000)  # today's two-report page
        page.get_by_role("button", name="Add a report").click()
        page.get_by_text("Report C is empty").first.wait_for(timeout=WAIT)  # never an unrelated file
        choose_file(page, "C", "usatoday.txt")
        page.get_by_role("tab", name="Coverage matrix").wait_for(timeout=240_000)
        page.get_by_text("in all reports").first.wait_for(timeout=WAIT)
        downloaded = download(page, "Claims CSV")
        name = downloaded.suggested_filename
        assert name == f"fox_vs_reuters_vs_usatoday_{date.today().isoformat()}_claims.csv"
        target = tmp_path / name
        downloaded.save_as(target)
        lines = target.read_text(encoding="utf-8").splitlines()
        assert lines[0] == ",".join(CLAIM_COLUMNS)
        rows = list(csv.DictReader(lines))
        assert {r["report"] for r in rows} == STORY_IDS
        assert {r["claim_status"] for r in rows} >= {"all", "one"}
        if os.environ.get("COMPARE_STORY_SCREENSHOT"):
            page.get_by_text(re.compile(r"reports of one event, aligned claim by claim")).scroll_into_view_if_needed()
            page.wait_for_timeout(1000)
            page.screenshot(path=os.environ["COMPARE_STORY_SCREENSHOT"], full_page=False)
        browser.close()


BRIDGE = ROOT / "examples" / "bridge"
UNDATED = (  # two plain reports of one made-up event, no front matter, no date line
    "Police said the gunman opened fire Monday night, killing 7 people.\n\nThe mayor spoke Tuesday.\n",
    "The gunman opened fire on March 6, killing 9 people, police said.\n\nThe mayor spoke Tuesday.\n",
)
SHOTS = os.environ.get("COMPARE_DOCS_SHOTS")  # a folder (docs/) to keep the walk's screenshots in


@pytest.fixture
def bridge_server(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(BRIDGE, articles)
    yield from serve(articles, tmp_path)


def shoot(page, tmp_path: Path, name: str) -> None:
    """A screenshot of the page as it is, kept in `SHOTS` when that is set."""
    idle(page)
    page.wait_for_timeout(500)
    target = Path(SHOTS) / name if SHOTS else tmp_path / name
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 20_000


def fits(page, name: str) -> bool:
    """True when the button's label is shown whole (not cut to "◀ Pr…")."""
    return page.get_by_role("button", name=name).evaluate(
        "b => [b, ...b.querySelectorAll('*')].every(e => e.scrollWidth <= e.clientWidth + 1)"
    )


def chosen_pair(page) -> str:
    """The review list's chosen pair as shown, `A3 ↔ B5`."""
    shown = page.get_by_role("combobox", name="Aligned pair").input_value()
    return re.search(r"A[0-9]+ ↔ B[0-9]+", shown).group(0)


def moved_from(page, before: tuple[str, ...], what: str) -> str:
    """The chosen pair once it is none of `before` (a rerun may take a while); fails after `WAIT`."""
    for _ in range(WAIT // 250):
        if (now := chosen_pair(page)) not in before:
            return now
        page.wait_for_timeout(250)
    raise AssertionError(f"{what} did not move from {before}")


def stepped(page, button: str) -> str:
    """Click *Previous* or *Next* and wait until another pair is chosen; that pair."""
    before = chosen_pair(page)
    page.get_by_role("button", name=button).click()
    return moved_from(page, (before,), button)


def counted(page, n: int) -> None:
    page.get_by_text(re.compile(f"^{n} of [0-9]+ reviewed$")).wait_for(timeout=WAIT)


def review(page, decision: str, words: str) -> None:
    """Choose `decision` on the pair shown and save it; wait for the green confirmation."""
    page.get_by_text(decision, exact=True).click()
    page.get_by_role("button", name=re.compile("Save decision")).click()
    saved(page, words)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")
@pytest.mark.parametrize("width", [1280, 1440])
def test_a_new_users_first_hour_in_a_real_browser(bridge_server, tmp_path, width):
    """Issue 25 as a user walks it, at 1280 and 1440 px (the README's commands on a fresh copy are
    `tests/test_examples.py`'s): the example story's first two reports, the differing words marked;
    the review desk (Previous stops at the first pair; reject and split keep the place and count;
    *Only pairs not yet reviewed* moves on to the next pair not yet reviewed, never back to the first);
    two pasted undated reports (warned, then dated: the Monday vs March 6 difference appears);
    a third report that starts empty, then the coverage matrix named for the outlets, with the
    sentence all three reports carry in one claim. Screenshots go to `COMPARE_DOCS_SHOTS` (docs/)."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
        page.goto(bridge_server)
        page.get_by_text("Rescue crews pulled four people from the river").first.wait_for(timeout=240_000)
        assert page.locator("mark").count() > 0  # the differing words, in both reports
        if width == 1440:
            shoot(page, tmp_path, "walk-side-by-side-1440.png")

        page.get_by_role("tab", name="Review").click()
        counted(page, 0)
        expect(page.get_by_role("button", name="◀ Previous")).to_be_disabled(timeout=WAIT)  # never wraps
        assert fits(page, "◀ Previous") and fits(page, "Next ▶")
        second = stepped(page, "Next ▶")
        review(page, "reject", "rejected")
        counted(page, 1)
        assert chosen_pair(page) == second  # the place is kept: not back to the first pair
        third = stepped(page, "Next ▶")
        review(page, "split", "split")
        counted(page, 2)  # a split pair is counted, not dropped
        assert chosen_pair(page) == third
        page.get_by_text("Only pairs not yet reviewed").click()  # ticked on a reviewed pair: moves on
        fourth = moved_from(page, (second, third), "ticking Only pairs not yet reviewed")
        review(page, "confirm", "confirmed")
        counted(page, 3)
        fifth = moved_from(page, (fourth,), "a save")  # the next pair not yet reviewed, not the one just decided
        assert fifth not in (second, third)
        shoot(page, tmp_path, f"walk-review-{width}.png")

        for side, text in zip("AB", UNDATED, strict=True):  # two undated reports, pasted
            page.get_by_role("radiogroup").nth(ord(side) - ord("A")).get_by_text("Paste").click()
            box = page.get_by_placeholder(f"Paste report {side} here, then press Compare")
            box.fill(text)
            page.get_by_role("button", name="Compare").nth(ord(side) - ord("A")).click()
            page.get_by_text(f"report {side} has no publication date").first.wait_for(timeout=WAIT)  # warned
        assert page.get_by_text("A gives the date as").count() == 0  # Monday cannot be placed yet
        for k, side in enumerate("AB"):  # typed, then the day picked in the calendar, as a user does
            page.get_by_label("Published", exact=True).nth(k).get_by_role("spinbutton").first.click()
            page.keyboard.type("20210310")
            page.get_by_role("grid").get_by_text("10", exact=True).click()
            expect(page.get_by_text(f"report {side} has no publication date")).to_have_count(0, timeout=WAIT)
        page.get_by_text("A gives the date as 2021-03-08, B as 2021-03-06").first.wait_for(timeout=WAIT)
        assert page.get_by_text("has no publication date").count() == 0

        for side in "AB":  # back to the example story's files, and a third report
            page.get_by_role("radiogroup").nth(ord(side) - ord("A")).get_by_text("From articles/").click()
            idle(page)
        page.get_by_role("button", name="Add a report").click()
        page.get_by_text("Report C is empty").first.wait_for(timeout=WAIT)
        choose_file(page, "C", "wire.txt")
        page.get_by_role("tab", name="Coverage matrix").wait_for(timeout=240_000)
        page.get_by_text("in all reports").first.wait_for(timeout=WAIT)
        if width == 1440:
            shoot(page, tmp_path, "walk-coverage-1440.png")
        rows = list(csv.DictReader(download(page, "Claims CSV").path().open(encoding="utf-8")))
        rescue = {r["claim_id"] for r in rows if r["text"].startswith("Rescue crews pulled four people")}
        assert len(rescue) == 1  # one claim, stated by all three reports
        assert {r["report"] for r in rows if r["claim_id"] in rescue} == {"herald", "times", "wire"}
        browser.close()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")
def test_improve_from_my_reviews_in_a_real_browser(tmp_path, seed_comparison, monkeypatch):
    """Issue 27 end to end: a review database with 30 decisions on the seed pair; the Review tab
    ordered least sure first; *Improve from my reviews* refits both models and says what it did."""

    from compare.review.store import ReviewStore
    from tests.test_learn import seed_decisions

    seed_decisions(ReviewStore(tmp_path / "reviews.sqlite"), seed_comparison)
    monkeypatch.setenv("COMPARE_MODELS_DIR", str(tmp_path / "models"))  # the server's refit goes here
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in (SEED, SEED_B):
        shutil.copy(path, articles / path.name)
    with opened(articles, tmp_path) as page:
        page.get_by_text(SEED_SENTENCE).first.wait_for(timeout=240_000)
        page.get_by_role("tab", name="Review").click()
        page.get_by_text("least sure first").click()
        idle(page)
        page.get_by_role("button", name="Improve from my reviews").click()
        page.get_by_text(re.compile("agreement with your decisions, held out by report pair")).first.wait_for(
            timeout=WAIT)
        page.get_by_text(re.compile(r"v1")).first.wait_for(timeout=WAIT)
    assert (tmp_path / "models" / "v1" / "match.json").is_file()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")
def test_shared_wire_copy_in_a_real_browser(tmp_path):
    """Issue 28: three reports, two of them one wire story; the story view says they share wire copy
    and how many claims rest on one source only, lists the reports by publication time with it, and
    the coverage matrix has its *independent* and *first* columns. The screenshot goes to
    `COMPARE_DOCS_SHOTS` (docs/) when that is set."""
    from tests.test_wording import WIRE_STORY

    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text, source, moment in zip(("a_wire", "b_wire", "c_local"), WIRE_STORY,
                                          ("Coast Wire", "Harbour Daily", "Marlow Gazette"),
                                          ("09:15:00Z", "10:40:00Z", "07:30:00Z"), strict=True):
        (articles / f"{name}.txt").write_text(
            f"---\nsource: {source}\npublished: 2026-03-02T{moment}\n---\n{text}", encoding="utf-8"
        )
    with opened(articles, tmp_path) as page:
        page.get_by_text("they share wire copy").first.wait_for(timeout=240_000)  # the two-report page says it
        page.get_by_role("button", name="Add a report").click()
        page.get_by_text("Report C is empty").first.wait_for(timeout=WAIT)
        choose_file(page, "C", "c_local.txt")
        page.get_by_text(re.compile("Coast Wire and Harbour Daily share wire copy")).first.wait_for(timeout=WAIT)
        page.get_by_text(re.compile("rests? on one source only")).first.wait_for(timeout=WAIT)
        page.get_by_text(re.compile("count once for a claim")).first.wait_for(timeout=WAIT)
        page.get_by_text("Time read from the report: 07:30 UTC").first.wait_for(timeout=WAIT)  # item 4: the sidebar
        lines = page.get_by_text(re.compile(r"\(2026-03-02 07:30 UTC\)")).first  # the reports by time, with it
        lines.wait_for(timeout=WAIT)
        text = lines.inner_text()
        assert text.index("Marlow Gazette") < text.index("Coast Wire") < text.index("Harbour Daily"), text
        assert "2026-03-02 09:15 UTC" in text and "2026-03-02 10:40 UTC" in text
        page.get_by_role("tab", name="Coverage matrix").wait_for(timeout=WAIT)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=WAIT)
        page.wait_for_timeout(2000)  # the table draws itself after it is attached
        if SHOTS:
            shoot(page, tmp_path, "story-sources-1440.png")
