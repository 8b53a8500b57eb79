"""Two real Odoo servers on 127.0.0.1 (province office + district, the
district's also hosting the hub), for the end-to-end exchange tests.

Uses the project-local PostgreSQL cluster of ``scripts/lib.sh`` (socket
``.pgdata/run``, port 54329, role ``vbdt``); skipped when it is not running.
Installs the four addons once into a template database (the province drafts,
approves and signs with vbdt_workflow and vbdt_signature; the district
directs and handles, and verifies the signatures it receives), clones it twice
(``CREATE DATABASE ... TEMPLATE``), and drops everything and stops both
servers at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/18.0"))
PGSOCK = os.environ.get("PGHOST") or str(ROOT / ".pgdata" / "run")
PGPORT = os.environ.get("PGPORT", "54329")
DB_USER = os.environ.get("VBDT_DB_USER", "vbdt")
ADDONS = ",".join(
    name
    for name in (
        "vbdt_document",
        "vbdt_workflow",
        "vbdt_signature",
        "vbdt_interconnect",
    )
    if (ROOT / "addons" / name).is_dir()
)
INSTALL_TIMEOUT = 900
START_TIMEOUT = 120


def _pg_connect():
    import psycopg2

    conn = psycopg2.connect(
        host=PGSOCK, port=PGPORT, user="postgres", dbname="postgres"
    )
    conn.autocommit = True
    return conn


def _addons_path() -> str:
    paths = [ODOO_SRC / "odoo" / "addons", ODOO_SRC / "addons", ROOT / "addons"]
    return ",".join(str(p) for p in paths if p.is_dir())


def _odoo_cmd(db: str, data_dir: str, *args: str) -> list[str]:
    return [
        sys.executable,
        str(ODOO_SRC / "odoo-bin"),
        f"--addons-path={_addons_path()}",
        f"--db_host={PGSOCK}",
        f"--db_port={PGPORT}",
        f"--db_user={DB_USER}",
        f"--data-dir={data_dir}",
        "-d",
        db,
        f"--db-filter=^{db}$",
        "--without-demo=all",
        "--max-cron-threads=0",
        "--http-interface=127.0.0.1",
        *args,
    ]


def _free_port() -> int:
    for port in range(18640, 18700):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18640-18699")


@dataclass
class Server:
    db: str
    port: int
    data_dir: str
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            _odoo_cmd(
                self.db, self.data_dir, f"--http-port={self.port}", "--workers=0"
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=str(ROOT),
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"odoo for {self.db} exited; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common").version()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"odoo for {self.db} did not start; see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


class Rpc:
    """Minimal XML-RPC client logged in as admin."""

    def __init__(self, server: Server):
        self.server = server
        common = xmlrpc.client.ServerProxy(
            f"{server.url}/xmlrpc/2/common", allow_none=True
        )
        self.uid = common.authenticate(server.db, "admin", "admin", {})
        assert self.uid, "admin login failed"

    def __call__(self, model: str, method: str, *args, **kwargs):
        proxy = xmlrpc.client.ServerProxy(
            f"{self.server.url}/xmlrpc/2/object", allow_none=True
        )
        return proxy.execute_kw(
            self.server.db, self.uid, "admin", model, method, list(args), kwargs
        )

    def ref(self, xmlid: str) -> int:
        module, name = xmlid.split(".")
        rows = self(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return rows[0]["res_id"]

    def run_cron(self, xmlid: str) -> None:
        self("ir.cron", "method_direct_trigger", [self.ref(xmlid)])


@pytest.fixture(scope="session")
def servers():
    if not ((ODOO_SRC / "odoo-bin").is_file() and Path(PGSOCK).exists()):
        pytest.skip("Odoo sources or the project PostgreSQL cluster are not available")
    try:
        conn = _pg_connect()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL cluster not reachable: {exc}")
    suffix = os.getpid()
    template, names = (
        f"vbdt_e2e_tpl_{suffix}",
        (f"vbdt_e2e_prov_{suffix}", f"vbdt_e2e_dist_{suffix}"),
    )
    data_dir = tempfile.mkdtemp(prefix="vbdt_e2e_")
    started: list[Server] = []
    try:
        with conn.cursor() as cr:
            cr.execute(
                f'CREATE DATABASE "{template}" OWNER {DB_USER} TEMPLATE template0 '
                "ENCODING 'UTF8'"
            )
        tconn = __import__("psycopg2").connect(
            host=PGSOCK, port=PGPORT, user="postgres", dbname=template
        )
        tconn.autocommit = True
        with tconn.cursor() as cr:
            cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        tconn.close()
        log = Path(data_dir) / "install.log"
        with log.open("wb") as out:
            rc = subprocess.run(
                _odoo_cmd(
                    template,
                    data_dir,
                    "-i",
                    ADDONS,
                    "--stop-after-init",
                    f"--http-port={_free_port()}",
                ),
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=INSTALL_TIMEOUT,
                cwd=str(ROOT),
            ).returncode
        assert rc == 0, log.read_text()[-3000:]
        for name in names:
            with conn.cursor() as cr:
                cr.execute(
                    f'CREATE DATABASE "{name}" OWNER {DB_USER} TEMPLATE "{template}"'
                )
            src = Path(data_dir) / "filestore" / template
            if src.is_dir():
                shutil.copytree(src, Path(data_dir) / "filestore" / name)
        for name in names:
            server = Server(
                name, _free_port(), data_dir, Path(data_dir) / f"{name}.log"
            )
            server.start()
            started.append(server)
        yield tuple(started)
    finally:
        for server in started:
            server.stop()
        with conn.cursor() as cr:
            for name in (*names, template):
                cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()
        shutil.rmtree(data_dir, ignore_errors=True)
