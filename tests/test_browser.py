"""One real-browser test: `streamlit run app.py` on 127.0.0.1, Debian's chromium driven by
Playwright. Waits for a seed sentence, downloads the discrepancy CSV, saves a screenshot."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
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
    "status,similarity,a_id,a_text,b_id,b_text,shared_facts,a_only_facts,b_only_facts,conflicts,review,note"
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


@pytest.fixture
def server(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(SEED, articles / SEED.name)
    (articles / "zz_hostile.txt").write_text(HOSTILE, encoding="utf-8")
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
        with page.expect_download(timeout=60_000) as download_info:
            page.get_by_role("button", name="Discrepancy CSV").click()
        target = tmp_path / "discrepancies.csv"
        download_info.value.save_as(target)
        lines = target.read_text(encoding="utf-8").splitlines()
        assert lines[0] == CONTRACT_HEADER
        assert len(lines) > 5
        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 20_000
        if os.environ.get("COMPARE_SCREENSHOT"):
            shutil.copy(shot, os.environ["COMPARE_SCREENSHOT"])
        browser.close()
