"""The Dask engine facing a bad scheduler address (issue 26, item 4): a malformed address, an empty
one and tls:// without its files are refused in one line (exit 2) before any connection; a server
that accepts and never answers, or answers with garbage, is one line within the connect deadline,
read with bounded memory; a real scheduler (tcp:// and tls://) passes the check. Every server here
listens on 127.0.0.1 and is started and stopped by its test, each bounded in time."""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from compare.cli import main
from tests.conftest import ROOT

USE = "use tcp://HOST:PORT (or tls://HOST:PORT with --tls-ca-file, --tls-cert, --tls-key)"


def write_manifest(folder: Path) -> Path:
    """A manifest of one story of two small reports, written in `folder`."""
    (folder / "a.txt").write_text("The bridge opened on Monday.\n", encoding="utf-8")
    (folder / "b.txt").write_text("The bridge opened on Tuesday.\n", encoding="utf-8")
    path = folder / "manifest.csv"
    path.write_text("story,report\nbridge,a.txt\nbridge,b.txt\n", encoding="utf-8")
    return path


def batch(tmp_path: Path, *flags: str) -> int:
    """`python -m compare batch` (in this process) of a small manifest on the Dask engine."""
    manifest = write_manifest(tmp_path)
    return main(["batch", str(manifest), "--out", str(tmp_path / "out"), "--engine", "dask", "--no-cache", *flags])


@contextmanager
def server(reply: bytes, hold: float = 30.0) -> Iterator[int]:
    """A TCP server on 127.0.0.1 (its port) that accepts, sends `reply` (nothing: a silent server)
    and keeps each connection open until the block ends, or `hold` seconds at most."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()
    started = time.monotonic()

    def serve() -> None:
        connections = []
        while not stop.is_set() and time.monotonic() - started < hold:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connections.append(connection)
            if reply:
                connection.sendall(reply)
        for connection in connections:
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def one_error_line(text: str) -> str:
    """The only line of `text`, which must be an `error: ` line."""
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), text
    return lines[0]


# Refused before any connection


@pytest.mark.parametrize(
    "address, message",
    [
        ("foo", f"--address 'foo': no scheme; {USE}"),
        ("tcp://", f"--address 'tcp://': no host; {USE}"),
        ("tcp://127.0.0.1:abc", f"--address 'tcp://127.0.0.1:abc': the port must be a number from 1 to 65535; {USE}"),
        ("tcp://127.0.0.1:0", f"--address 'tcp://127.0.0.1:0': the port must be a number from 1 to 65535; {USE}"),
        ("tcp://127.0.0.1", f"--address 'tcp://127.0.0.1': the port must be a number from 1 to 65535; {USE}"),
        ("http://x:1", f"--address 'http://x:1': {USE}"),
        ("inproc://x", f"--address 'inproc://x': {USE}"),
        ("ucx://127.0.0.1:1", f"--address 'ucx://127.0.0.1:1': {USE}"),
        ("ws://127.0.0.1:1", f"--address 'ws://127.0.0.1:1': ws:// is not supported here (its handshake is not "
                             f"checked); {USE}"),
        ("tcp://127.0.0.1:1/path", f"--address 'tcp://127.0.0.1:1/path': {USE}"),
    ],
)
def test_a_malformed_address_is_one_line_and_exit_2(tmp_path, capsys, address, message):
    assert batch(tmp_path, "--address", address) == 2
    assert one_error_line(capsys.readouterr().err) == f"error: {message}"
    assert not (tmp_path / "out").exists()  # refused before the run starts


def test_an_empty_address_is_an_error_not_a_local_cluster(tmp_path, capsys):
    assert batch(tmp_path, "--address", "") == 2
    assert one_error_line(capsys.readouterr().err) == f"error: --address '': {USE}"
    assert not (tmp_path / "out").exists()


def test_tls_without_its_files_is_refused(tmp_path, capsys):
    needs = "needs --tls-ca-file and --tls-cert (and --tls-key unless the key is in the cert file)"
    assert batch(tmp_path, "--address", "tls://127.0.0.1:8786") == 2
    assert one_error_line(capsys.readouterr().err) == f"error: --address 'tls://127.0.0.1:8786' {needs}"
    (tmp_path / "ca.pem").write_text("", encoding="utf-8")
    missing = str(tmp_path / "gone.pem")
    assert batch(tmp_path, "--address", "tls://127.0.0.1:8786", "--tls-ca-file", str(tmp_path / "ca.pem"),
                 "--tls-cert", missing) == 2
    assert one_error_line(capsys.readouterr().err) == f"error: --tls-cert {missing!r}: no such file"
    assert batch(tmp_path, "--address", "tcp://127.0.0.1:8786", "--tls-ca-file", str(tmp_path / "ca.pem")) == 2
    assert one_error_line(capsys.readouterr().err) == "error: --tls-ca-file needs a tls:// address, not tcp://127.0.0.1:8786"
    assert not (tmp_path / "out").exists()


# Servers that are not Dask schedulers


def test_a_silent_server_is_one_line_within_the_deadline(tmp_path):
    """The whole command, in its own process: a server that accepts and never answers is one line
    and exit 2 within --connect-timeout (2 s) plus the start-up, where it used to hang 400 s."""
    manifest = write_manifest(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    with server(b"", hold=90) as port:
        started = time.monotonic()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "compare", "batch", str(manifest), "--out", str(tmp_path / "out"),
                 "--engine", "dask", "--address", f"tcp://127.0.0.1:{port}", "--connect-timeout", "2", "--no-cache"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
            )
        except subprocess.TimeoutExpired:
            pytest.fail("the batch hung on a silent server")
        seconds = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    assert one_error_line(done.stderr) == f"error: tcp://127.0.0.1:{port} did not answer as a Dask scheduler within 2 s"
    assert done.stdout == "" and seconds < 20
    assert not (tmp_path / "out").exists()  # checked before the output folder is touched


GARBAGE = {
    "bytes": b"\xff" * 64,
    "64 GiB frame": struct.pack("Q", 64 << 30) + struct.pack("Q", 1) + b"\x00" * 16,
}


@pytest.mark.parametrize("reply", GARBAGE.values(), ids=GARBAGE.keys())
def test_a_garbage_server_is_one_line_quickly_with_bounded_memory(tmp_path, capsys, reply):
    """A server that sends garbage (or a length claiming 64 GiB) and keeps the connection open:
    one line and exit 2 at once, and this process allocates under 2 MB meanwhile (it used to try
    to allocate what the server claimed, then print a traceback)."""
    import dask  # noqa: F401  (imported before measuring, as the command itself has it by then)

    import compare.batch.cluster  # noqa: F401
    import compare.batch.run  # noqa: F401

    manifest = write_manifest(tmp_path)
    with server(reply, hold=20) as port:
        tracemalloc.start()
        started = time.monotonic()
        try:
            code = main(["batch", str(manifest), "--out", str(tmp_path / "out"), "--engine", "dask",
                         "--address", f"tcp://127.0.0.1:{port}", "--no-cache"])
            seconds = time.monotonic() - started
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert line == f"error: tcp://127.0.0.1:{port} is not a Dask scheduler: its first reply is not Dask's handshake"
    assert seconds < 3 and peak < 2 * 1024 * 1024, (seconds, peak)
    assert not (tmp_path / "out").exists()  # checked before the output folder is touched


def test_the_probe_reads_a_short_garbage_reply_until_the_deadline_only():
    """A plausible length (100 bytes) followed by too few: the probe waits for the rest only until
    the deadline, then says so."""
    from compare.batch.cluster import SchedulerError, parse_address, probe_scheduler

    with server(struct.pack("Q", 100) + b"\x01" * 10, hold=20) as port:
        started = time.monotonic()
        with pytest.raises(SchedulerError, match=r"did not answer as a Dask scheduler within 1\.5 s$"):
            probe_scheduler(parse_address(f"tcp://127.0.0.1:{port}", connect_timeout=1.5))
        assert time.monotonic() - started < 5


# Real schedulers pass the check


@contextmanager
def scheduler(security: object | None = None) -> Iterator[str]:
    """A Dask scheduler with no workers, in a thread of this process, on 127.0.0.1 (its address)."""
    distributed = pytest.importorskip("distributed")
    protocol = "tls://" if security is not None else "tcp://"
    cluster = distributed.LocalCluster(
        n_workers=0, processes=False, host="127.0.0.1", dashboard_address=None, security=security, protocol=protocol
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_a_real_scheduler_passes_the_probe():
    from compare.batch.cluster import parse_address, probe_scheduler

    with scheduler() as address:
        started = time.monotonic()
        probe_scheduler(parse_address(address, connect_timeout=5))
        assert time.monotonic() - started < 5


def make_certificate(folder: Path, name: str) -> tuple[str, str]:
    """A self-signed certificate (also its own CA) and its key, made by openssl in `folder`."""
    cert, key = folder / f"{name}.pem", folder / f"{name}-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={name}"],
        check=True, capture_output=True, timeout=30,
    )
    return str(cert), str(key)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make certificates")
def test_a_tls_scheduler_passes_with_its_ca_and_fails_in_one_line_with_another(tmp_path):
    from distributed.security import Security

    from compare.batch.cluster import SchedulerError, connect_client, parse_address, probe_scheduler

    cert, key = make_certificate(tmp_path, "cluster")
    other, other_key = make_certificate(tmp_path, "other")
    security = Security(tls_ca_file=cert, tls_scheduler_cert=cert, tls_scheduler_key=key,
                        tls_client_cert=cert, tls_client_key=key, require_encryption=True)
    with scheduler(security) as address:
        assert address.startswith("tls://127.0.0.1:")
        good = parse_address(address, tls_ca_file=cert, tls_cert=cert, tls_key=key, connect_timeout=5)
        probe_scheduler(good)
        client = connect_client(good)
        client.close()
        wrong_ca = parse_address(address, tls_ca_file=other, tls_cert=cert, tls_key=key, connect_timeout=5)
        with pytest.raises(SchedulerError, match=r"the TLS handshake failed: .*CERTIFICATE_VERIFY_FAILED") as failed:
            probe_scheduler(wrong_ca)
        assert "\n" not in str(failed.value)
        plain = parse_address(address.replace("tls://", "tcp://"), connect_timeout=1)
        with pytest.raises(SchedulerError, match=r"did not answer as a Dask scheduler within 1 s$"):
            probe_scheduler(plain)  # TLS on the other side: no Dask handshake in clear text
