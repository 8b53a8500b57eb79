"""The project's PostgreSQL cluster starts for root in a folder the
``postgres`` user cannot enter, and for a non-root account in its own
private folder.

Each test copies ``scripts/lib.sh`` into a fresh project folder of mode 700,
starts the cluster there with ``ensure_pg`` on a free port, queries it, and
stops and removes it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IS_ROOT = os.geteuid() == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _project(parent: Path) -> Path:
    """A minimal project: scripts/lib.sh, in a folder of mode 700."""
    project = parent / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "lib.sh", project / "scripts" / "lib.sh")
    parent.chmod(0o700)
    project.chmod(0o700)
    return project


def _env(port: int) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PG", "VBDT_PG")) and k != "VBDT_DB_USER"
    }
    env["VBDT_PGPORT"] = str(port)
    return env


QUERY = (
    'echo "PGDIR=$PGDIR"; ensure_pg; '
    'psql -U postgres -d postgres -tAc "SHOW data_directory"; '
    "psql -U postgres -d postgres -tAc "
    "\"SELECT rolname FROM pg_roles WHERE rolname = 'vbdt'\""
)
STOP = '"$(pg_bin)/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true'


def _run(project: Path, port: int, script: str, user: str | None = None):
    command = ["bash", "-c", f'source "{project}/scripts/lib.sh"; {script}']
    if user:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(
        command, env=_env(port), capture_output=True, text=True, timeout=300
    )


def test_root_in_a_folder_postgres_cannot_enter(tmp_path):
    if not IS_ROOT:
        # Not root: the cluster stays in the project, as below.
        project = _project(tmp_path)
        result = _run(project, _free_port(), 'echo "PGDIR=$PGDIR"')
        assert result.stdout.strip() == f"PGDIR={project}/.pgdata"
        return
    project = _project(tmp_path)
    denied = subprocess.run(
        ["runuser", "-u", "postgres", "--", "test", "-x", str(project)]
    )
    assert denied.returncode != 0, "the test folder must be closed to postgres"
    digest = hashlib.sha256(str(project).encode()).hexdigest()[:16]
    pgdir = Path("/var/lib/vbdt") / digest / "pgdata"
    port = _free_port()
    try:
        result = _run(project, port, QUERY)
        assert result.returncode == 0, result.stdout + result.stderr
        lines = result.stdout.strip().splitlines()
        assert lines[0] == f"PGDIR={pgdir}"
        # It says where the cluster went, and why.
        assert f"The postgres user cannot enter {project}" in result.stdout
        assert f"cluster is in {pgdir}" in result.stdout
        assert lines[-2:] == [f"{pgdir}/data", "vbdt"]
        assert not (project / ".pgdata").exists()
    finally:
        _run(project, port, STOP)
        shutil.rmtree(pgdir.parent, ignore_errors=True)


def test_non_root_account_in_its_private_folder(tmp_path):
    if IS_ROOT:
        # A non-root account: postgres, in a folder of its own (mode 700).
        parent = Path(tempfile.mkdtemp(prefix="vbdt-pg-"))
        shutil.chown(parent, "postgres")
        user = "postgres"
    else:
        parent, user = tmp_path, None
    project = _project(parent)
    if user:
        for path in (project, project / "scripts", project / "scripts" / "lib.sh"):
            shutil.chown(path, user)
    port = _free_port()
    try:
        result = _run(project, port, QUERY, user=user)
        assert result.returncode == 0, result.stdout + result.stderr
        lines = result.stdout.strip().splitlines()
        assert lines[0] == f"PGDIR={project}/.pgdata"
        assert lines[-2:] == [f"{project}/.pgdata/data", "vbdt"]
    finally:
        _run(project, port, STOP, user=user)
        if IS_ROOT:
            shutil.rmtree(parent, ignore_errors=True)
