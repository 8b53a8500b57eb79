"""Packages per second through the hub, end to end over HTTP.

Installs vbdt_document + vbdt_interconnect into a throw-away database of the
project cluster (scripts/lib.sh: socket .pgdata/run, port 54329), starts one
Odoo server on 127.0.0.1 hosting the hub, registers two systems and pushes N
small edXML packages from one to the other with the real ``VxpClient``:
``sendEdoc`` for each, then ``getReceivedEdocList`` → ``getEdoc`` →
``updateStatus done`` for each.  Prints packages/second for both halves and
overall, then drops the database and stops the server.

    .venv/bin/python bench/bench_hub.py [N]      (default 1000)
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def main(count: int) -> None:
    db = f"vbdt_e2e_bench_{os.getpid()}"
    data_dir = tempfile.mkdtemp(prefix="vbdt_bench_")
    conn = _pg_connect()
    server = None
    try:
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{db}" OWNER {DB_USER} TEMPLATE template0')
        import psycopg2

        with psycopg2.connect(
            host=PGSOCK, port=PGPORT, user="postgres", dbname=db
        ) as c2:
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
        server = Server(db, _free_port(), data_dir, Path(data_dir) / "server.log")
        server.start()
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
                    "name": "S",
                    "system_id": "bench-s",
                    "secret": "s" * 32,
                    "agency_ids": [(6, 0, [agencies[0]])],
                    "requests_per_minute": 1_000_000,
                },
                {
                    "name": "R",
                    "system_id": "bench-r",
                    "secret": "r" * 32,
                    "agency_ids": [(6, 0, [agencies[1]])],
                    "requests_per_minute": 1_000_000,
                },
            ],
        )
        url = server.url + "/vxp"
        packages = [_package(i) for i in range(count)]
        with (
            VxpClient(url, "bench-s", "s" * 32, timeout=60) as sender,
            VxpClient(url, "bench-r", "r" * 32, timeout=60) as recipient,
        ):
            start = time.perf_counter()
            for package in packages:
                sender.send_edoc(RECIPIENT, package)
            sent = time.perf_counter()
            received = 0
            for _round in range(count):  # bounded: the list is capped server-side
                waiting = recipient.get_received_edoc_list("edoc")
                if not waiting:
                    break
                for item in waiting:
                    recipient.get_edoc(item["docId"])
                    recipient.update_status(item["docId"], "done")
                    received += 1
            done = time.perf_counter()
        size = sum(map(len, packages)) / count
        print(f"{count} packages of {size:.0f} bytes through the hub (one Odoo worker)")
        print(f"  send:    {count / (sent - start):8.1f} packages/s")
        print(
            f"  receive: {received / (done - sent):8.1f} packages/s "
            "(list + getEdoc + updateStatus)"
        )
        print(f"  overall: {received / (done - start):8.1f} packages/s end to end")
    finally:
        if server:
            server.stop()
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
