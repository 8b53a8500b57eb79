"""Packages per second through the hub, end to end over HTTP, with 1, 2 and 4
HTTP workers.

Installs vbdt_document + vbdt_interconnect into a throw-away database of the
project cluster (scripts/lib.sh: socket .pgdata/run, ``$PGPORT``), registers
two hub systems, then for each worker count starts Odoo in multi-process mode
(``--workers=N``, as scripts/serve and the Docker image run it) on 127.0.0.1
and pushes N small edXML packages from one system to the other with the real
signed ``VxpClient`` (operation, timestamp, nonce and body hash signed; one
nonce row and one rate count per request), from ``--clients`` concurrent
client threads (the same load for every worker count):
``sendEdoc`` for each package, then ``getReceivedEdocList`` and, spread over
the threads, ``getEdoc`` + ``updateStatus done`` for each.  Prints one table:
packages/second for sending, receiving and overall, with the 1-minute load
average before and after each configuration (the machine may be shared).
Drops the database and stops the servers at the end.

    .venv/bin/python bench/bench_hub.py [N] [--workers 1,2,4] [--clients 4]
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xmlrpc.client import ServerProxy

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "e2e"), str(ROOT / "addons" / "vbdt_interconnect")]

import edxml  # noqa: E402
from conftest import (  # noqa: E402,F401  # noqa: E402
    DB_USER,
    PGPORT,
    PGSOCK,
    Rpc,
    Server,
    _free_port,
    _odoo_cmd,
    _pg_connect,
)
from vxp import VxpClient  # noqa: E402

SENDER, RECIPIENT = "000.00.00.H97", "000.00.01.H97"
PDF = b"%PDF-1.4\n%bench\n" + b"0" * 2000


def _package(number: int) -> bytes:
    return edxml.build_document(
        edxml.DocumentPackage(
            sender=edxml.Organization(organ_id=SENDER, organ_name="Bench sender"),
            recipients=[edxml.Organization(organ_id=RECIPIENT)],
            code=edxml.Code(code_number=str(number), code_notation="TB-BENCH"),
            promulgation_info=edxml.PromulgationInfo(
                promulgation_date=datetime.date(2026, 1, 2)
            ),
            subject=f"Bench {number}",
            attachments=[
                edxml.Attachment(
                    content_id="1",
                    attachment_name="a.pdf",
                    content=PDF,
                    content_type="application/pdf",
                )
            ],
        )
    )


class WorkerServer(Server):
    """The hub in multi-process mode: ``workers`` HTTP worker processes, no
    cron worker, the long-polling (gevent) port on a free port."""

    def __init__(self, db, port, data_dir, log, workers):
        super().__init__(db, port, data_dir, log)
        self.workers = workers

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                _odoo_cmd(
                    self.db,
                    self.data_dir,
                    f"--http-port={self.port}",
                    f"--gevent-port={_ephemeral_port()}",
                    f"--workers={self.workers}",
                    "--limit-time-real=600",
                ),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=str(ROOT),
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"odoo for {self.db} exited; see {self.log}")
            try:
                ServerProxy(f"{self.url}/xmlrpc/2/common").version()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"odoo for {self.db} did not start; see {self.log}")


def _ephemeral_port() -> int:
    """A free port for the long-polling process, other than the HTTP port
    (``_free_port`` would return that one again before Odoo binds it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _in_threads(clients, items, work):
    """Run ``work(client_index, item)`` for every item, item i on thread
    i % clients; re-raise the first error."""
    with ThreadPoolExecutor(clients) as pool:
        futures = [
            pool.submit(lambda c: [work(c, item) for item in items[c::clients]], c)
            for c in range(clients)
        ]
        for future in futures:
            future.result()


def _run(url, packages, clients):
    """(send seconds, receive seconds, received) for one server."""
    senders = [VxpClient(url, "bench-s", "s" * 32, timeout=120) for _ in range(clients)]
    receivers = [
        VxpClient(url, "bench-r", "r" * 32, timeout=120) for _ in range(clients)
    ]
    try:
        start = time.perf_counter()
        _in_threads(
            clients,
            packages,
            lambda c, package: senders[c].send_edoc(RECIPIENT, package),
        )
        sent = time.perf_counter()
        received = 0

        def collect(c, item):
            receivers[c].get_edoc(item["docId"])
            receivers[c].update_status(item["docId"], "done")

        for _round in range(len(packages)):  # bounded: the list is capped server-side
            waiting = receivers[0].get_received_edoc_list("edoc")
            if not waiting:
                break
            _in_threads(clients, waiting, collect)
            received += len(waiting)
        return sent - start, time.perf_counter() - sent, received
    finally:
        for client in senders + receivers:
            client.close()


def _register_systems(server):
    rpc = Rpc(server)
    agencies = [
        rpc("vbdt.agency", "create", {"name": n, "code": c})
        for n, c in (("Sender", SENDER), ("Recipient", RECIPIENT))
    ]
    rpc(
        "vbdt.hub.system",
        "create",
        [
            # Quotas raised: the benchmark measures throughput, not the 429s.
            {
                "name": name,
                "system_id": f"bench-{key}",
                "secret": key * 32,
                "agency_ids": [(6, 0, [agency])],
                "requests_per_minute": 1_000_000,
            }
            for name, key, agency in (("S", "s", agencies[0]), ("R", "r", agencies[1]))
        ],
    )


def _install(db, data_dir, conn):
    with conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{db}" OWNER {DB_USER} TEMPLATE template0')
    import psycopg2

    with psycopg2.connect(host=PGSOCK, port=PGPORT, user="postgres", dbname=db) as c2:
        c2.autocommit = True
        c2.cursor().execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    subprocess.run(
        _odoo_cmd(
            db,
            data_dir,
            "-i",
            "vbdt_document,vbdt_interconnect",
            "--stop-after-init",
            f"--http-port={_free_port()}",
        ),
        check=True,
        capture_output=True,
        timeout=900,
    )


def main(count: int, workers: list[int], clients: int) -> None:
    # The hub systems' secrets are sealed with the server key; this throw-away
    # database uses the public demo key (scripts/lib.sh use_demo_secrets).
    os.environ.setdefault(
        "VBDT_SECRET_KEY", "vbdt-PUBLIC-demo-key-never-use-in-production"
    )
    db = f"vbdt_e2e_bench_{os.getpid()}"
    data_dir = tempfile.mkdtemp(prefix="vbdt_bench_")
    conn = _pg_connect()
    rows = []
    try:
        _install(db, data_dir, conn)
        packages = [_package(i) for i in range(count)]
        for index, worker_count in enumerate(workers):
            server = WorkerServer(
                db,
                _free_port(),
                data_dir,
                Path(data_dir) / f"server-{worker_count}.log",
                worker_count,
            )
            server.start()
            try:
                if index == 0:
                    _register_systems(server)
                load_before = os.getloadavg()[0]
                send, receive, received = _run(server.url + "/vxp", packages, clients)
                load_after = os.getloadavg()[0]
            finally:
                server.stop()
            rows.append(
                (worker_count, send, receive, received, load_before, load_after)
            )
        size = sum(map(len, packages)) / count
        print(
            f"{count} packages of {size:.0f} bytes through the hub, {clients} client "
            f"threads, {os.cpu_count()} CPU cores, "
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
        )
        print(
            "| HTTP workers | send/s | receive/s | overall/s | load avg start → end |"
        )
        print("|---:|---:|---:|---:|---|")
        for worker_count, send, receive, received, before, after in rows:
            print(
                f"| {worker_count} | {count / send:.1f} | {received / receive:.1f} | "
                f"{received / (send + receive):.1f} | {before:.2f} → {after:.2f} |"
            )
        print("(receive = getReceivedEdocList + getEdoc + updateStatus done)")
    finally:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    main(args.count, [int(w) for w in args.workers.split(",")], args.clients)
