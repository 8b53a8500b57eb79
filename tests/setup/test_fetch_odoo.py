"""scripts/lib.sh fetches Odoo 18.0 when ``$ODOO_SRC`` holds none.

No network: a tiny fake "odoo" git repository (``odoo-bin`` and
``odoo/release.py`` saying 18.0) in a temporary folder plays the official
repository, through ``VBDT_ODOO_GIT``; ``VBDT_ODOO_DIR`` sends the clone to a
temporary folder instead of the project's ``.odoo/18.0``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "scripts" / "lib.sh"


def _git(cwd, *args):
    return subprocess.run(
        ["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _commit_release(repo: Path, version: str, message: str) -> str:
    (repo / "odoo").mkdir(exist_ok=True)
    (repo / "odoo-bin").write_text("#!/usr/bin/env python3\nprint('fake odoo')\n")
    (repo / "odoo" / "release.py").write_text(
        f"version_info = ({version}, 0, 'final', 0, '')\n"
    )
    (repo / "LOG").write_text(message)
    _git(repo, "add", "-A")
    _git(
        repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message
    )
    return _git(repo, "rev-parse", "HEAD")


@pytest.fixture
def mirror(tmp_path):
    """A repository whose branch 18.0 has two commits (both Odoo 18) and
    whose branch 17.0 is Odoo 17."""
    repo = tmp_path / "odoo-mirror"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "18.0")
    first = _commit_release(repo, "18", "first 18.0 commit")
    second = _commit_release(repo, "18", "second 18.0 commit")
    _git(repo, "checkout", "-q", "-b", "17.0")
    _commit_release(repo, "17", "an Odoo 17")
    _git(repo, "checkout", "-q", "18.0")
    return {"url": f"file://{repo}", "first": first, "second": second}


def _run_lib(tmp_path, env_extra, command='require_odoo; echo "ODOO_SRC=$ODOO_SRC"'):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ODOO_SRC", "VBDT_ODOO"))
    }
    env.update(VBDT_ODOO_DIR=str(tmp_path / "fetched" / "18.0"), **env_extra)
    return subprocess.run(
        ["bash", "-c", f'source "{LIB}"; {command}'],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_fetches_a_shallow_clone_when_odoo_src_is_empty(tmp_path, mirror):
    empty = tmp_path / "no-odoo-here"
    empty.mkdir()
    result = _run_lib(
        tmp_path, {"ODOO_SRC": str(empty), "VBDT_ODOO_GIT": mirror["url"]}
    )
    assert result.returncode == 0, result.stderr
    dest = tmp_path / "fetched" / "18.0"
    assert f"ODOO_SRC={dest}" in result.stdout
    # It says what it does: where from, which ref, where to.
    said = f"Fetching Odoo 18.0 Community ({mirror['url']}, 18.0; shallow clone)"
    assert f"{said} into {dest}" in result.stdout
    assert (dest / "odoo-bin").is_file()
    assert _git(dest, "rev-parse", "HEAD") == mirror["second"]
    assert _git(dest, "rev-list", "--count", "HEAD") == "1"  # shallow: one commit only
    assert not list(dest.parent.glob("18.0.partial.*"))  # no half tree left behind

    # Second run: the fetched tree is used as it is, nothing fetched again.
    again = _run_lib(
        tmp_path, {"ODOO_SRC": str(empty), "VBDT_ODOO_GIT": "file:///nonexistent"}
    )
    assert again.returncode == 0, again.stderr
    assert "Fetching" not in again.stdout and f"ODOO_SRC={dest}" in again.stdout


def test_pinned_commit(tmp_path, mirror):
    result = _run_lib(
        tmp_path,
        {
            "ODOO_SRC": str(tmp_path / "missing"),
            "VBDT_ODOO_GIT": mirror["url"],
            "VBDT_ODOO_REF": mirror["first"],
        },
    )
    assert result.returncode == 0, result.stderr
    assert _git(tmp_path / "fetched" / "18.0", "rev-parse", "HEAD") == mirror["first"]


def test_a_ref_that_is_not_odoo_18_is_refused(tmp_path, mirror):
    result = _run_lib(
        tmp_path,
        {
            "ODOO_SRC": str(tmp_path / "missing"),
            "VBDT_ODOO_GIT": mirror["url"],
            "VBDT_ODOO_REF": "17.0",
        },
    )
    assert result.returncode != 0
    assert "is not Odoo 18.0" in result.stderr
    assert not (tmp_path / "fetched" / "18.0").exists()
    assert not list((tmp_path / "fetched").glob("18.0.partial.*"))


def test_unreachable_mirror_fails_clearly(tmp_path):
    result = _run_lib(
        tmp_path,
        {
            "ODOO_SRC": str(tmp_path / "missing"),
            "VBDT_ODOO_GIT": f"file://{tmp_path}/no-such-repo",
        },
    )
    assert result.returncode != 0
    assert "Fetching Odoo failed" in result.stderr and "VBDT_ODOO_GIT" in result.stderr
    assert not (tmp_path / "fetched" / "18.0").exists()


def test_existing_checkout_is_kept(tmp_path, mirror):
    checkout = tmp_path / "my-odoo"
    _git(tmp_path, "clone", "-q", "-b", "18.0", mirror["url"], str(checkout))
    result = _run_lib(
        tmp_path, {"ODOO_SRC": str(checkout), "VBDT_ODOO_GIT": "file:///nonexistent"}
    )
    assert result.returncode == 0, result.stderr
    assert f"ODOO_SRC={checkout}" in result.stdout and "Fetching" not in result.stdout
    assert not (tmp_path / "fetched").exists()


def test_existing_checkout_of_another_version_is_not_overwritten(tmp_path, mirror):
    checkout = tmp_path / "odoo17"
    _git(tmp_path, "clone", "-q", "-b", "17.0", mirror["url"], str(checkout))
    result = _run_lib(
        tmp_path, {"ODOO_SRC": str(checkout), "VBDT_ODOO_GIT": mirror["url"]}
    )
    assert result.returncode != 0
    assert "not 18.0" in result.stderr
    assert "version_info = (17" in (checkout / "odoo" / "release.py").read_text()
    assert not (tmp_path / "fetched").exists()
