"""Fetching reports by URL: a saved page served on 127.0.0.1 (no network), private addresses
refused unless allowed, size limits, timeouts and HTTP errors as one-line messages."""

from __future__ import annotations

import http.server
import threading
import time
from datetime import date

import pytest

from compare.config import Config
from compare.fetch import fetch_url, is_url, url_id
from compare.load import LoadError, load_source
from compare.pipeline import load_configured
from tests.conftest import ROOT

PAGE = (ROOT / "tests" / "fixtures" / "storm.html").read_bytes()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/missing":
            self.send_error(404, "Not Found")
            return
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        try:
            self.wfile.write(PAGE)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test): nothing to serve

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_saved_page_fetched_and_extracted(site):
    article = load_source(f"{site}/news/storm-hits-coast.html", allow_private_urls=True)
    assert article.id == "storm-hits-coast"
    assert article.url.endswith("/news/storm-hits-coast.html")
    assert article.published == date(2021, 3, 3)
    assert article.text.startswith("The storm hit the coast")
    assert "Copyright" not in article.text


def test_loopback_refused_by_default(site):
    with pytest.raises(LoadError, match="private or local address 127.0.0.1"):
        load_configured(f"{site}/page.html", Config())


@pytest.mark.parametrize(
    "host", ["http://10.0.0.8/a", "http://192.168.1.1/a", "http://169.254.169.254/latest", "http://[::1]/a"]
)
def test_private_addresses_refused(host):
    with pytest.raises(LoadError, match="private or local address"):
        fetch_url(host, timeout=1, max_bytes=1000)


def test_redirect_target_is_checked():
    from compare.fetch import CheckedRedirects

    with pytest.raises(LoadError, match="private or local address"):
        CheckedRedirects(allow_private=False).redirect_request(None, None, 302, "Found", {}, "http://10.1.2.3/x")


def test_size_limit_and_errors(site):
    with pytest.raises(LoadError, match="over the limit of 100"):
        fetch_url(f"{site}/big", timeout=2, max_bytes=100, allow_private=True)
    with pytest.raises(LoadError, match="404"):
        fetch_url(f"{site}/missing", timeout=2, max_bytes=10_000, allow_private=True)
    with pytest.raises(LoadError, match="cannot fetch"):
        fetch_url(f"{site}/slow", timeout=0.5, max_bytes=10_000, allow_private=True)
    with pytest.raises(LoadError, match="only http and https"):
        fetch_url("ftp://example.org/x", timeout=1, max_bytes=10)


def test_url_helpers():
    assert is_url("https://example.org/a") and not is_url("articles/a.txt")
    assert url_id("https://example.org/world/2018/storm-hits.html") == "storm-hits"
    assert url_id("https://example.org/") == "example"
