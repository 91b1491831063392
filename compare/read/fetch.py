"""Fetch a report from an http(s) URL: with a deadline, a size limit, and no private addresses.

Each hop (the URL, then every redirect) is parsed, its host resolved once and every address
judged; the connection goes to a judged address, so a name that answers a public address to the
check and a local one to the connect (DNS rebinding) cannot reach a newsroom's internal hosts.
Private, loopback, link-local, multicast, reserved and unspecified addresses are refused, also
when embedded in an IPv6 address (IPv4-mapped or -compatible, 6to4, NAT64, Teredo), unless the
caller allows them. The timeout is a deadline for the whole fetch (connects, TLS, headers, body,
redirects), so a server that drips a byte a second cannot hold it. Proxy settings from the
environment are not used: a proxy would resolve the host itself, past the check.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlparse, urlsplit

from compare.records import LoadError

USER_AGENT = "compare/0.1 (news report comparison)"
MAX_REDIRECTS = 10
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
REQUEST_HEADERS = {"User-Agent": USER_AGENT, "Accept": "text/html, text/plain, */*", "Connection": "close"}
DEFAULT_PORTS = {"http": 80, "https": 443}
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local use, not globally reachable
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated; also holds :: and ::1
URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))  # quote only spaces, controls and non-ASCII

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
AddrInfo = tuple  # one `socket.getaddrinfo` row: (family, type, proto, canonname, sockaddr)


@dataclass(frozen=True, slots=True)
class Target:
    """One hop of a fetch: the host as written (for the Host header and TLS SNI), the port and the
    request target ("/path?query", ASCII)."""

    url: str
    scheme: str
    host: str
    port: int
    path: str


def is_url(text: str) -> bool:
    """True for a string that starts like an http(s) URL."""
    return text.strip().lower().startswith(("http://", "https://"))


HOST_FIRST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/\S*)?$")  # "www.example.org/news/1"


def completed_url(text: str) -> str:
    """`text` as an address: as typed when it has a scheme, `https://` before it when it starts
    with a host name ("www.example.org/story" -> "https://www.example.org/story"), else as typed
    (a path, "file:///...", anything else, which `is_url` then refuses)."""
    text = text.strip()
    if "://" in text or not HOST_FIRST.match(text):
        return text
    return "https://" + text


def parse_target(url: str) -> Target:
    """The `Target` of an http(s) URL; raises `LoadError` for any other scheme, a malformed URL
    (bad IPv6 brackets, a port that is not a number in 1..65535) or a user name in the URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise LoadError(f"{url}: not a valid URL ({error})") from None
    if parts.scheme not in DEFAULT_PORTS:
        raise LoadError(f"{url}: only http and https URLs can be fetched")
    if "@" in parts.netloc:
        raise LoadError(f"{url}: user names and passwords in URLs are not supported")
    if not parts.hostname:
        raise LoadError(f"{url}: not a valid URL (no host)")
    if port == 0:
        raise LoadError(f"{url}: not a valid URL (port 0)")
    path = quote(parts.path or "/", safe=URL_SAFE) + (f"?{quote(parts.query, safe=URL_SAFE)}" if parts.query else "")
    return Target(url, parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme], path)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (IPv4-mapped, IPv4-compatible, 6to4, NAT64
    64:ff9b::/96, Teredo client), else None."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64 or address in IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address) -> bool:
    """True for an address on the public internet: globally reachable unicast, judged by the IPv4
    address inside it when it is an IPv6 wrapper of one. False for private, loopback, link-local,
    site-local, multicast, reserved, unspecified and NAT64 local-use addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        if (inner := embedded_ipv4(address)) is not None:
            return is_public(inner)
        if address in NAT64_LOCAL or address.is_site_local:
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_link_local
        or address.is_loopback
        or address.is_private
    )


def resolve_target(target: Target, allow_private: bool) -> list[AddrInfo]:
    """The addresses of `target`'s host (`socket.getaddrinfo` rows), resolved once; raises
    `LoadError` if it does not resolve or, unless `allow_private`, any address is not public."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except socket.gaierror as error:
        raise LoadError(f"{target.url}: cannot resolve {target.host} ({error.strerror})") from None
    except (UnicodeError, ValueError) as error:
        raise LoadError(f"{target.url}: cannot resolve {target.host} ({error})") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not allow_private and not is_public(address):
            raise LoadError(
                f"{target.url}: refusing to fetch from the private or local address {address} "
                "(set allow_private_urls to allow it)"
            )
    return infos


def check_host(url: str, allow_private: bool) -> None:
    """Raise `LoadError` unless `url` is a valid http(s) URL whose host resolves to public
    addresses only (or `allow_private`)."""
    resolve_target(parse_target(url), allow_private)


class Deadline:
    """The end of a fetch: `left()` seconds remain, and when the time is up a timer shuts down the
    socket being read, which wakes any read blocked in it (socket timeouts alone are per operation)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = threading.Event()
        self.lock = threading.Lock()
        self.sock: socket.socket | None = None
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True
        self.timer.start()

    def left(self) -> float:
        """Seconds left; raises `TimeoutError` when none are."""
        left = self.end - time.monotonic()
        if left <= 0 or self.expired.is_set():
            raise TimeoutError(f"timed out after {self.seconds:g} s")
        return left

    def passed(self) -> bool:
        """True once the time is up."""
        return self.expired.is_set() or time.monotonic() >= self.end

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` down when the time is up (at once if it is already)."""
        with self.lock:
            self.sock = sock
            if self.expired.is_set():
                shut_down(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired.set()
            if self.sock is not None:
                shut_down(self.sock)

    def cancel(self) -> None:
        self.timer.cancel()


def shut_down(sock: socket.socket) -> None:
    """Shut a socket down for reading and writing (the OS call, also for a TLS socket)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # not connected yet, or closed already


def tls_context() -> ssl.SSLContext:
    """The TLS settings for https: the system's certificate authorities, host names checked."""
    return ssl.create_default_context()


def open_socket(infos: list[AddrInfo], deadline: Deadline) -> socket.socket:
    """A TCP socket connected to the first of `infos`' addresses that answers (never resolving
    again), watched by `deadline`."""
    error: OSError = OSError("no address to connect to")
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        deadline.watch(sock)
        try:
            sock.settimeout(deadline.left())
            sock.connect(sockaddr)
            return sock
        except OSError as failed:
            sock.close()
            error = failed
    raise error


class PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to addresses resolved and judged beforehand; the Host header and the
    TLS server name (SNI and certificate check) are the host of the URL."""

    def __init__(self, target: Target, infos: list[AddrInfo], deadline: Deadline) -> None:
        super().__init__(target.host, target.port, timeout=deadline.left())
        self.default_port = DEFAULT_PORTS[target.scheme]  # the Host header leaves out a default port
        self.infos, self.deadline = infos, deadline
        self.tls = tls_context() if target.scheme == "https" else None

    def connect(self) -> None:
        sock = open_socket(self.infos, self.deadline)
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
            self.deadline.watch(sock)
            sock.settimeout(self.deadline.left())
            sock.do_handshake()
        self.sock = sock


def fetch_url(url: str, *, timeout: float, max_bytes: int, allow_private: bool = False) -> bytes:
    """The body of `url` (at most `max_bytes`), following up to `MAX_REDIRECTS` redirects, all
    within `timeout` seconds; raises `LoadError` with a one-line reason."""
    deadline = Deadline(timeout)
    try:
        for _ in range(MAX_REDIRECTS + 1):
            target = parse_target(url.strip())
            answer = fetch_once(target, resolve_target(target, allow_private), deadline, max_bytes)
            if isinstance(answer, bytes):
                return answer
            url = urljoin(target.url, answer)
        raise LoadError(f"{url}: more than {MAX_REDIRECTS} redirects")
    except LoadError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        reason = f"timed out after {timeout:g} s" if deadline.passed() else reason_of(error)
        raise LoadError(f"{url}: cannot fetch ({reason})") from None
    finally:
        deadline.cancel()


def fetch_once(target: Target, infos: list[AddrInfo], deadline: Deadline, max_bytes: int) -> bytes | str:
    """The body of one GET (bytes), or the Location of a redirect (str); raises `LoadError` for
    an HTTP error status or a page over `max_bytes`."""
    connection = PinnedConnection(target, infos, deadline)
    try:
        connection.request("GET", target.path, headers=REQUEST_HEADERS)
        response = connection.getresponse()
        if response.status in REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise LoadError(f"{target.url}: the server answered {response.status} without a Location")
            return location
        if not 200 <= response.status < 300:
            raise LoadError(f"{target.url}: the server answered {response.status} {response.reason}")
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise LoadError(f"{target.url}: the page is {int(length):,} bytes, over the limit of {max_bytes:,}")
        body = read_body(response, connection, deadline, max_bytes)
        if len(body) > max_bytes:
            raise LoadError(f"{target.url}: the page is over the limit of {max_bytes:,} bytes")
        return body
    finally:
        connection.close()


def read_body(
    response: http.client.HTTPResponse, connection: PinnedConnection, deadline: Deadline, max_bytes: int
) -> bytes:
    """The response body, at most `max_bytes` + 1 bytes, read one socket read at a time (so each
    wait is bounded by the time left); raises `TimeoutError` when the deadline passes."""
    parts: list[bytes] = []
    size = 0
    while size <= max_bytes:
        if connection.sock is not None:
            connection.sock.settimeout(deadline.left())
        part = response.read1(min(CHUNK, max_bytes + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    deadline.left()  # a read cut short by the deadline's shutdown looks like the end of the body
    return b"".join(parts)


def reason_of(error: BaseException) -> str:
    """An error's reason on one line: its message, else its type name."""
    text = re.sub(r"\s+", " ", str(error)).strip()
    return text or type(error).__name__


def url_id(url: str) -> str:
    """A short id for a report fetched from `url`: the last part of its path, else the host."""
    parts = urlparse(url)
    tail = [p for p in parts.path.split("/") if p]
    return (tail[-1] if tail else parts.hostname or "page").rsplit(".", 1)[0][:60]
