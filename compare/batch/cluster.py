"""The Dask distributed engine of the batch runner: stories are submitted to a cluster (the one
at `address`, or a local cluster started for the run and stopped after it) and their results
gathered as they finish. Each Dask worker process keeps its `Session` across stories
(`batch.worker.worker_session`), so the models load once per worker.

Workers need `compare` and its pinned requirements installed, and must see the manifest's report
paths (a shared folder) or reach its URLs; only results travel back to this process, which writes
every file.

A scheduler is trusted: Dask ships pickled code both ways, so whoever runs the scheduler runs code
here. Before Dask touches an address, `parse_address` checks it (tcp://HOST:PORT, or tls://HOST:PORT
with certificate files) and `probe_scheduler` checks, within one deadline and reading a few KB at
most, that a Dask scheduler answers there.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import struct
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import ssl

    from compare.batch.manifest import StoryTask
    from compare.batch.worker import StoryResult
    from compare.config import Config

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 10.0  # seconds for connect and handshake together (--connect-timeout)
HANDSHAKE_MAX_BYTES = 4096  # a scheduler's handshake is about 60 bytes; a longer first message is refused
HANDSHAKE_MAX_FRAMES = 8
USE = "use tcp://HOST:PORT (or tls://HOST:PORT with --tls-ca-file, --tls-cert, --tls-key)"


class AddressError(ValueError):
    """A scheduler address (or its TLS files, or its timeout) that is refused before connecting."""


class SchedulerError(ConnectionError):
    """No Dask scheduler answered at the address within the deadline (an `OSError`)."""


@dataclass(frozen=True, slots=True)
class SchedulerAddress:
    """A checked scheduler address: `url` as Dask takes it, its parts, the TLS files (tls:// only)
    and the seconds allowed for connect and handshake together."""

    url: str
    scheme: str
    host: str
    port: int
    ca_file: str | None = None
    cert: str | None = None
    key: str | None = None
    connect_timeout: float = CONNECT_TIMEOUT


def parse_address(
    text: str,
    tls_ca_file: str | None = None,
    tls_cert: str | None = None,
    tls_key: str | None = None,
    connect_timeout: float | None = None,
) -> SchedulerAddress:
    """The `SchedulerAddress` of `text`, or `AddressError` (one line) for anything but
    tcp://HOST:PORT, or tls://HOST:PORT with a CA file and a certificate (and key) that exist.
    Nothing is connected to; only the TLS files' existence is looked up."""
    timeout = CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
    if not timeout > 0 or timeout == float("inf"):
        raise AddressError(f"--connect-timeout must be a number of seconds above 0, not {timeout:g}")
    url = text.strip()
    refused = f"--address {text!r}"
    if not url:
        raise AddressError(f"{refused}: {USE}")
    if "://" not in url:
        raise AddressError(f"{refused}: no scheme; {USE}")
    scheme = url.split("://", 1)[0].lower()
    if scheme in ("ws", "wss"):
        raise AddressError(f"{refused}: {scheme}:// is not supported here (its handshake is not checked); {USE}")
    if scheme not in ("tcp", "tls"):
        raise AddressError(f"{refused}: {USE}")
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or ""
    if parts.username is not None or parts.path or parts.query or parts.fragment or any(c.isspace() for c in url):
        raise AddressError(f"{refused}: {USE}")
    if not host:
        raise AddressError(f"{refused}: no host; {USE}")
    if port is None or not 1 <= port <= 65535:
        raise AddressError(f"{refused}: the port must be a number from 1 to 65535; {USE}")
    files = {"--tls-ca-file": tls_ca_file, "--tls-cert": tls_cert, "--tls-key": tls_key}
    given = [flag for flag, path in files.items() if path]
    if scheme == "tcp" and given:
        raise AddressError(f"{', '.join(given)} {'needs' if len(given) == 1 else 'need'} a tls:// address, not {url}")
    if scheme == "tls":
        if not (tls_ca_file and tls_cert):
            raise AddressError(
                f"{refused} needs --tls-ca-file and --tls-cert (and --tls-key unless the key is in the cert file)"
            )
        for flag, path in files.items():
            if path and not os.path.isfile(path):
                raise AddressError(f"{flag} {path!r}: no such file")
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return SchedulerAddress(f"{scheme}://{netloc}", scheme, host, port, tls_ca_file, tls_cert, tls_key, float(timeout))


def security_of(address: SchedulerAddress) -> object | None:
    """The `distributed.security.Security` of a tls:// address (its files; encryption required),
    None for tcp://."""
    if address.scheme != "tls":
        return None
    from distributed.security import Security

    return Security(
        tls_ca_file=address.ca_file,
        tls_client_cert=address.cert,
        tls_client_key=address.key,
        require_encryption=True,
    )


def tls_context(address: SchedulerAddress) -> ssl.SSLContext | None:
    """The client `ssl.SSLContext` Dask builds from a tls:// address's files (None for tcp://);
    `AddressError` when the files are not a usable certificate, key and CA."""
    security = security_of(address)
    if security is None:
        return None
    try:
        return security.get_connection_args("client")["ssl_context"]  # type: ignore[attr-defined]
    except (OSError, ValueError) as error:
        raise AddressError(f"--tls-ca-file, --tls-cert, --tls-key: {error}") from None


def dask_connect_timeout() -> float | None:
    """Dask's own connect timeout in seconds when its configuration (or the environment, e.g.
    DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s) sets one; None otherwise."""
    import dask
    from dask.utils import parse_timedelta

    value = dask.config.get("distributed.comm.timeouts.connect", default=None)
    return None if value is None else parse_timedelta(value, default="seconds")


def probe_scheduler(address: SchedulerAddress) -> None:
    """Return when a Dask scheduler answers at `address` within `address.connect_timeout` seconds
    (connect, TLS and Dask's handshake together); else raise `SchedulerError` with one line. A
    refused connection is retried until the deadline (or Dask's connect timeout, when shorter), as
    Dask does. At most HANDSHAKE_MAX_BYTES are read, and nothing is unpickled: the scheduler's first
    message must be Dask's small msgpack handshake."""
    deadline = address.connect_timeout
    ssl_context = tls_context(address)
    start = time.monotonic()
    sock = connect_socket(address, min(deadline, dask_connect_timeout() or deadline))
    silent = SchedulerError(f"{address.url} did not answer as a Dask scheduler within {deadline:g} s")
    try:
        if ssl_context is not None:
            sock.settimeout(max(0.001, deadline - (time.monotonic() - start)))
            try:
                sock = ssl_context.wrap_socket(sock)
            except TimeoutError:
                raise silent from None
            except OSError as error:
                raise SchedulerError(f"{address.url}: the TLS handshake failed: {error}") from None
        header = receive(sock, 8, start + deadline, address, silent)
        (size,) = struct.unpack("Q", header)
        if not 16 <= size <= HANDSHAKE_MAX_BYTES:
            raise SchedulerError(f"{address.url} is not a Dask scheduler: its first reply is not Dask's handshake")
        body = receive(sock, size, start + deadline, address, silent)
        if not is_handshake(body):
            raise SchedulerError(f"{address.url} is not a Dask scheduler: its first reply is not Dask's handshake")
        try:  # our side of the handshake, so the scheduler sees a client that came and went
            sock.sendall(handshake_message())
        except OSError:
            pass
    finally:
        sock.close()


def connect_socket(address: SchedulerAddress, limit: float) -> socket.socket:
    """A TCP connection to the address, retried (with jittered backoff) while refused until `limit`
    seconds have passed; a host that does not resolve fails at once."""
    start = time.monotonic()
    attempt = 0
    while True:
        left = limit - (time.monotonic() - start)
        if left <= 0:
            raise SchedulerError(f"Timed out trying to connect to {address.url} after {limit:g} s")
        try:
            return socket.create_connection((address.host, address.port), timeout=left)
        except socket.gaierror as error:
            raise SchedulerError(f"{address.url}: cannot resolve {address.host} ({error.strerror})") from None
        except OSError:
            attempt += 1
            backoff = random.uniform(0, 0.01 * 2 ** min(attempt, 6))  # full jitter, as Dask retries
            time.sleep(min(max(0.0, limit - (time.monotonic() - start)), backoff))


def receive(sock: socket.socket, size: int, deadline: float, address: SchedulerAddress, silent: Exception) -> bytes:
    """Exactly `size` bytes from `sock` before `deadline` (a `time.monotonic` time); `silent` when
    the time runs out, `SchedulerError` when the peer closes or fails first."""
    data = bytearray()
    while len(data) < size:
        left = deadline - time.monotonic()
        if left <= 0:
            raise silent
        sock.settimeout(left)
        try:
            chunk = sock.recv(size - len(data))
        except TimeoutError:
            raise silent from None
        except OSError as error:
            raise SchedulerError(f"{address.url} failed before answering as a Dask scheduler: {error}") from None
        if not chunk:
            raise SchedulerError(f"{address.url} closed the connection before answering as a Dask scheduler")
        data += chunk
    return bytes(data)


def is_handshake(body: bytes) -> bool:
    """Whether `body` (a message after its 8-byte length) is Dask's handshake: a few frames whose
    first is a msgpack map with `python` and `pickle-protocol`."""
    import msgpack

    if len(body) < 16:
        return False
    (frames,) = struct.unpack_from("Q", body)
    if not 1 <= frames <= HANDSHAKE_MAX_FRAMES or len(body) < 8 * (1 + frames):
        return False
    lengths = struct.unpack_from(f"{frames}Q", body, 8)
    offset = 8 * (1 + frames)
    if offset + sum(lengths) != len(body):
        return False
    try:
        first = msgpack.unpackb(body[offset : offset + lengths[0]], raw=False, strict_map_key=False)
    except Exception:  # any malformed msgpack: not a handshake
        return False
    return isinstance(first, dict) and "python" in first and "pickle-protocol" in first


def handshake_message() -> bytes:
    """Dask's handshake as a client sends it (compression off): one msgpack frame, framed."""
    import pickle
    import sys

    import msgpack

    frame = msgpack.dumps(
        {"compression": None, "python": tuple(sys.version_info)[:3], "pickle-protocol": pickle.HIGHEST_PROTOCOL},
        use_bin_type=True,
    )
    body = struct.pack("QQ", 1, len(frame)) + frame
    return struct.pack("Q", len(body)) + body


def local_cluster(workers: int) -> object:
    """A Dask cluster on this machine: `workers` processes of one thread each, on 127.0.0.1
    only, no dashboard. Its workers are not daemonic, so each may start the facts process."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )


def local_client(cluster: object) -> object:
    """A Dask `Client` of a local cluster."""
    from distributed import Client

    return Client(cluster)


def connect_client(address: SchedulerAddress) -> object:
    """A Dask `Client` of the scheduler at `address`, after `probe_scheduler` found one there;
    `SchedulerError` (one line) otherwise, or when the client then fails to start."""
    probe_scheduler(address)
    from distributed import Client

    security = security_of(address)
    try:
        return Client(address.url, security=security, timeout=address.connect_timeout)
    except Exception as error:
        from compare.records import one_line

        raise SchedulerError(f"{address.url}: {one_line(error)}") from None


def run_dask(
    tasks: Sequence[StoryTask],
    config: Config,
    prints: dict[str, str],
    workers: int,
    address: str | SchedulerAddress | None,
) -> Iterator[StoryResult]:
    """Results from the Dask cluster at `address` (e.g. tcp://host:8786, checked by
    `parse_address` when given as text, then probed), or from a local cluster of `workers`
    processes when it is None; a story whose task is lost (its worker died and the cluster gave
    up) fails with the reason. `AddressError` or `SchedulerError` before any story runs."""
    from compare.batch.worker import close_sessions, result_of, run_story

    if isinstance(address, str):
        address = parse_address(address)
    cluster = None if address is not None else local_cluster(workers)
    client = connect_client(address) if address is not None else local_client(cluster)
    from distributed import as_completed

    try:
        futures = {
            client.submit(run_story, t, config, prints[t.story], key=f"story-{prints[t.story]}", pure=False): t
            for t in tasks
        }
        for future in as_completed(futures):
            yield result_of(future, futures[future], prints)
            future.release()
    finally:
        if cluster is not None:
            client.run(close_sessions)  # stop each worker's facts process before the cluster
        client.close()
        if cluster is not None:
            cluster.close()
