"""Fetching reports by URL: a saved page served on 127.0.0.1 (no network), private addresses
refused unless allowed, size limits, timeouts and HTTP errors as one-line messages."""

from __future__ import annotations

import http.server
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from datetime import date

import pytest

from compare.config import Config
from compare.pipeline import load_configured
from compare.read.fetch import fetch_url, is_url, url_id
from compare.read.load import load_source
from compare.records import LoadError
from tests.conftest import ROOT

PAGE = (ROOT / "tests" / "fixtures" / "storm.html").read_bytes()
SEEN: list[str] = []  # paths the test server was asked for
PUBLIC = "93.184.216.34"  # a public address, never actually reached: the tests allow loopback only
DRIP_SECONDS = 8  # how long the dripping server keeps going when nothing stops it


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        SEEN.append(self.path)
        if self.path.startswith("/drip"):
            self.drip()
            return
        if self.path == "/host":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(f"<p>Host {self.headers['Host']}</p>".encode())
            return
        if self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://10.1.2.3/x")
            self.end_headers()
            return
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

    def drip(self):
        """A byte every 0.1 s for `DRIP_SECONDS`: of the status line (/drip-headers) or of the body."""
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
        data = head + b"x" * 1000 if self.path == "/drip-headers" else b"x" * 1000
        if self.path != "/drip-headers":
            self.wfile.write(head)
        end = time.monotonic() + DRIP_SECONDS
        try:
            for byte in data:
                if time.monotonic() > end:
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what the test wants

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


def test_redirect_target_is_checked(site, monkeypatch):
    from compare.read import fetch

    monkeypatch.setattr(fetch, "is_public", lambda address: address.is_loopback)  # the test site is "public"
    with pytest.raises(LoadError, match="private or local address 10.1.2.3"):
        fetch_url(f"{site}/to-private", timeout=2, max_bytes=100_000)
    with pytest.raises(LoadError, match="private or local address 10.1.2.3"):
        fetch.check_host("http://10.1.2.3/x", allow_private=False)


def fake_dns(monkeypatch: pytest.MonkeyPatch, name: str, answers: list[str]) -> None:
    """`socket.getaddrinfo` answering `name` with each of `answers` in turn (the last one from then on)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == name:
            host = answers.pop(0) if len(answers) > 1 else answers[0]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Sockets that refuse to connect anywhere but loopback (no network in tests); returns the
    list of addresses connected to."""
    connected: list[str] = []

    class LoopbackSocket(socket.socket):
        def connect(self, address):
            connected.append(address[0])
            if not ipaddress.ip_address(address[0]).is_loopback:
                raise ConnectionRefusedError(111, "Connection refused (tests reach loopback only)")
            super().connect(address)

    monkeypatch.setattr(socket, "socket", LoopbackSocket)
    return connected


def test_dns_rebinding_connects_to_the_checked_address(site, monkeypatch):
    """A name that answers a public address to the check and 127.0.0.1 to the connect."""
    port = site.rsplit(":", 1)[1]
    fake_dns(monkeypatch, "rebind.test", [PUBLIC, "127.0.0.1"])
    connected = loopback_only(monkeypatch)
    with pytest.raises(LoadError, match="cannot fetch"):
        fetch_url(f"http://rebind.test:{port}/rebind", timeout=2, max_bytes=100_000)
    assert connected == [PUBLIC]
    assert "/rebind" not in SEEN


def test_pinned_connection_keeps_the_host_header(site, monkeypatch):
    port = site.rsplit(":", 1)[1]
    fake_dns(monkeypatch, "news.test", ["127.0.0.1"])
    body = fetch_url(f"http://news.test:{port}/host", timeout=2, max_bytes=100_000, allow_private=True)
    assert body == f"<p>Host news.test:{port}</p>".encode()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a certificate")
def test_https_sends_the_host_name_for_sni_and_checks_it(tmp_path, monkeypatch):
    from compare.read import fetch

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=news.test",
         "-addext", "subjectAltName=DNS:news.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    names: list[str | None] = []
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    server_tls.sni_callback = lambda sock, name, context: names.append(name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = server_tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        fake_dns(monkeypatch, "news.test", ["127.0.0.1"])
        monkeypatch.setattr(fetch, "tls_context", lambda: ssl.create_default_context(cafile=str(cert)))
        url = f"https://news.test:{server.server_address[1]}/host"
        body = fetch_url(url, timeout=5, max_bytes=100_000, allow_private=True)
        assert body.startswith(b"<p>Host news.test:")
        assert names == ["news.test"]
        fake_dns(monkeypatch, "other.test", ["127.0.0.1"])  # the certificate does not name it
        with pytest.raises(LoadError, match="cannot fetch"):
            fetch_url(url.replace("news.test", "other.test"), timeout=5, max_bytes=100_000, allow_private=True)
    finally:
        server.shutdown()


ADDRESSES = [
    ("93.184.216.34", True),
    ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("64:ff9b::5db8:d822", True),  # NAT64 of a public address
    ("2002:5db8:d822::1", True),  # 6to4 of a public address
    ("::ffff:93.184.216.34", True),
    ("224.0.0.1", False),  # multicast
    ("239.255.255.250", False),
    ("ff02::1", False),
    ("ff0e::1", False),  # global-scope multicast
    ("255.255.255.255", False),
    ("240.0.0.1", False),  # reserved
    ("0.0.0.0", False),  # unspecified
    ("::", False),
    ("100.64.0.1", False),  # carrier-grade NAT
    ("169.254.169.254", False),  # link-local (cloud metadata)
    ("fe80::1", False),
    ("fec0::1", False),  # site-local
    ("fc00::1", False),  # unique local
    ("127.0.0.1", False),
    ("::1", False),
    ("10.0.0.1", False),
    ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
    ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
    ("64:ff9b:1::5db8:d822", False),  # NAT64 local-use prefix
    ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
    ("2002:a00:1::", False),  # 6to4 of 10.0.0.1
    ("::ffff:127.0.0.1", False),  # IPv4-mapped
    ("::127.0.0.1", False),  # IPv4-compatible
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, client 127.0.0.1
    ("2001:db8::1", False),  # documentation
]


@pytest.mark.parametrize(("address", "public"), ADDRESSES)
def test_address_judgement(address, public):
    from compare.read.fetch import is_public

    assert is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    "url", ["http://[64:ff9b::7f00:1]/a", "http://[2002:7f00:1::]/a", "http://224.0.0.1/a", "http://[::ffff:7f00:1]/a"]
)
def test_embedded_and_multicast_addresses_refused(url):
    with pytest.raises(LoadError, match="private or local address"):
        fetch_url(url, timeout=1, max_bytes=1000)


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_timeout_is_a_deadline_for_the_whole_fetch(site, path):
    start = time.monotonic()
    with pytest.raises(LoadError, match="timed out after 1 s"):
        fetch_url(f"{site}{path}", timeout=1, max_bytes=1_000_000, allow_private=True)
    assert time.monotonic() - start < 3


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1", "not a valid URL (Invalid IPv6 URL)"),
        ("http://example.com:99999/", "not a valid URL (Port out of range"),
        ("http://example.com:abc/", "not a valid URL (Port could not be cast"),
        ("http://user@127.0.0.1@example.com/", "user names and passwords in URLs are not supported"),
        ("http://user:pw@example.com/", "user names and passwords"),
        ("http://example.com:0/", "not a valid URL (port 0)"),
        ("http:///path", "no host"),
    ],
)
def test_malformed_urls_give_one_line_errors(url, message):
    for load in (
        lambda: fetch_url(url, timeout=1, max_bytes=1000),
        lambda: load_source(url, fetch_timeout=1),
    ):
        with pytest.raises(LoadError) as error:
            load()
        assert message in str(error.value)
        assert "\n" not in str(error.value)


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


@pytest.mark.parametrize(
    ("typed", "opened"),
    [
        ("www.example.org/news/story-1", "https://www.example.org/news/story-1"),
        ("example.org", "https://example.org"),
        ("  apnews.com/article/x  ", "https://apnews.com/article/x"),
        ("news.example.org:8443/a", "https://news.example.org:8443/a"),
        ("http://example.org/a", "http://example.org/a"),  # a scheme is kept
        ("/etc/passwd", "/etc/passwd"),  # a path stays a path, which is_url refuses
        ("file:///etc/passwd", "file:///etc/passwd"),
        ("notes", "notes"),  # no host name: left as typed, and refused
    ],
)
def test_an_address_without_its_scheme_is_completed_with_https(typed, opened):
    from compare.read.fetch import completed_url

    assert completed_url(typed) == opened
