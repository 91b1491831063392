"""Fetch a report from an http(s) URL: with a timeout, a size limit, and no private addresses.

Private, loopback, link-local and reserved addresses are refused (also after a redirect) unless
the caller allows them, so a shared dashboard cannot be used to read a newsroom's internal hosts.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlparse

from compare.load import LoadError

USER_AGENT = "compare/0.1 (news report comparison)"


def is_url(text: str) -> bool:
    """True for a string that starts like an http(s) URL."""
    return text.strip().lower().startswith(("http://", "https://"))


def check_host(url: str, allow_private: bool) -> None:
    """Raise `LoadError` unless `url` is http(s) and its host resolves to public addresses only."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"{url}: only http and https URLs can be fetched")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as error:
        raise LoadError(f"{url}: cannot resolve {parts.hostname} ({error.strerror})") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise LoadError(
                f"{url}: refusing to fetch from the private or local address {address} "
                "(set allow_private_urls to allow it)"
            )


class CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to hosts that pass `check_host`."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201 - urllib's signature
        check_host(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(url: str, *, timeout: float, max_bytes: int, allow_private: bool = False) -> bytes:
    """The body of `url` (at most `max_bytes`); raises `LoadError` with a one-line reason."""
    check_host(url, allow_private)
    opener = urllib.request.build_opener(CheckedRedirects(allow_private))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise LoadError(f"{url}: the page is {int(length):,} bytes, over the limit of {max_bytes:,}")
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise LoadError(f"{url}: the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise LoadError(f"{url}: cannot fetch ({reason})") from None
    if len(body) > max_bytes:
        raise LoadError(f"{url}: the page is over the limit of {max_bytes:,} bytes")
    return body


def url_id(url: str) -> str:
    """A short id for a report fetched from `url`: the last part of its path, else the host."""
    parts = urlparse(url)
    tail = [p for p in parts.path.split("/") if p]
    return (tail[-1] if tail else parts.hostname or "page").rsplit(".", 1)[0][:60]
