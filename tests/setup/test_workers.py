"""Odoo in multi-process mode, as ``scripts/serve`` runs it (``server_args``
of scripts/lib.sh), survives a slow request and restarts with the project's
interpreter.

The server is started on 127.0.0.1 with two HTTP workers and a short
``limit_time_real``; a client opens a request and then trickles its body one
byte a second (as a slow upload from anyone, without logging in, would).
Only the worker holding that request is killed: the server answers other
requests meanwhile and afterwards. Then a SIGHUP makes Odoo re-execute itself
(by the bare name "python"): with the virtualenv first on PATH it comes back.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT_TIME_REAL = 3
VERSION_INFO = "/web/webclient/version_info"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _version_info(port: int, timeout: float = 5) -> dict:
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{VERSION_INFO}",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)["result"]


def _wait_until_up(port: int, server, deadline: float = 120) -> dict:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert server.poll() is None, "the server stopped"
        try:
            return _version_info(port, timeout=2)
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer on port {port} within {deadline} s")


@pytest.fixture
def server(tmp_path):
    http_port, gevent_port = _free_port(), _free_port()
    log = tmp_path / "odoo.log"
    env = {k: v for k, v in os.environ.items() if k != "VBDT_WORKERS"}
    env.update(
        VBDT_WORKERS="2",
        VBDT_CRON_WORKERS="0",
        VBDT_GEVENT_PORT=str(gevent_port),
        VBDT_LIMIT_TIME_REAL=str(LIMIT_TIME_REAL),
        # A PATH without the virtualenv, as in a plain shell: odoo_bin
        # must put it first for the re-execution to work.
        PATH="/usr/local/bin:/usr/bin:/bin",
    )
    script = (
        f'source "{ROOT}/scripts/lib.sh"; require_odoo; '
        f"odoo_bin $(server_args) --http-port={http_port} --http-interface=127.0.0.1 "
        f'--data-dir="{tmp_path}/data" --log-level=info --logfile="{log}"'
    )
    process = subprocess.Popen(
        ["bash", "-c", f"exec 2>&1; {script}"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(http_port, process)
        yield {"port": http_port, "process": process, "log": log}
    finally:
        _stop(process)


def _stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass  # already gone
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _slow_request(port: int, seconds: int) -> float:
    """Open a request and trickle its body; return after how many seconds the
    server closed the connection (or ``seconds`` if it never did)."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            (
                f"POST {VERSION_INFO} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
            ).encode()
        )
        sock.settimeout(1)
        while time.monotonic() - start < seconds:
            try:
                sock.sendall(b" ")
                if sock.recv(1024) == b"":
                    break
            except TimeoutError:
                continue  # nothing to read yet: the worker still waits for the body
            except OSError:
                break  # reset: the worker was killed
    return time.monotonic() - start


def test_slow_request_kills_only_its_worker(server):
    port, log = server["port"], server["log"]

    held = {}
    slow = threading.Thread(target=lambda: held.update(seconds=_slow_request(port, 30)))
    slow.start()
    time.sleep(1)
    # While one worker is held, the other answers.
    assert _version_info(port)["server_serie"] == "18.0"
    slow.join(timeout=60)
    assert not slow.is_alive()
    # The held worker was killed at limit_time_real, not after the client's 30 s.
    assert held["seconds"] < LIMIT_TIME_REAL + 8, held
    text = log.read_text()
    assert "WorkerHTTP" in text and f"timeout after {LIMIT_TIME_REAL}s" in text, text[
        -2000:
    ]
    # The server (same master process) still answers, several times in a row.
    assert server["process"].poll() is None
    for _i in range(5):
        assert _version_info(port)["server_serie"] == "18.0"


def test_restart_uses_the_project_interpreter(server):
    """SIGHUP: Odoo re-executes itself by the bare name "python", which
    odoo_bin's PATH resolves to the project's virtualenv."""
    port, process = server["port"], server["process"]
    venv_bin = subprocess.run(
        ["bash", "-c", f'source "{ROOT}/scripts/lib.sh"; echo "$VENV/bin"'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    assert len(children) == 1, children  # bash runs odoo-bin's master as its only child
    master = int(children[0])
    os.kill(master, signal.SIGHUP)
    time.sleep(2)
    assert _wait_until_up(port, process, deadline=90)["server_serie"] == "18.0"
    # Same process, re-executed: by the bare name, found first on PATH.
    cmdline = Path(f"/proc/{master}/cmdline").read_bytes().split(b"\0")
    assert cmdline[0] == b"python", cmdline[:2]
    environ = Path(f"/proc/{master}/environ").read_bytes().split(b"\0")
    path = next(v for v in environ if v.startswith(b"PATH=")).decode()[len("PATH=") :]
    assert path.split(":")[0] == venv_bin


def test_docker_configuration_runs_the_same_workers_and_limits():
    """docker/odoo.conf says what scripts/serve does on a 2-core machine."""
    import configparser

    conf = configparser.ConfigParser()
    conf.read(ROOT / "docker" / "odoo.conf")
    options = conf["options"]
    args = subprocess.run(
        [
            "bash",
            "-c",
            f'nproc() {{ echo 2; }}; source "{ROOT}/scripts/lib.sh"; server_args',
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    served = dict(arg[2:].split("=", 1) for arg in args)
    for name, value in served.items():
        assert options[name.replace("-", "_")] == value, name
    assert served["workers"] == "5"
