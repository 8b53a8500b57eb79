"""scripts/serve's check of the Debian packages the product needs
(``ensure_system_packages`` of scripts/lib.sh): nothing to say when they are
there; the exact apt-get command for a non-root account when one is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MISSING = "vbdt-no-such-package"


def _check(packages: str, user: str | None = None):
    command = ["bash", "-c", f'source "{ROOT}/scripts/lib.sh"; ensure_system_packages']
    if user:
        command = ["runuser", "-u", user, "--", *command]
    env = dict(os.environ, VBDT_SYSTEM_PACKAGES=packages)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def non_root():
    """Run as a non-root account: ourselves, or postgres when we are root."""
    return "postgres" if os.geteuid() == 0 else None


def test_installed_packages_pass_silently(non_root):
    if not shutil.which("dpkg"):
        pytest.fail("these checks are for Debian (dpkg) machines")
    installed = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\n", "bash"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    result = _check(installed, non_root)
    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", "")


def test_missing_package_names_the_exact_command(non_root):
    result = _check(f"bash {MISSING}", non_root)
    assert result.returncode == 0  # serving goes on: only PDF printing needs it
    assert f"missing system packages: {MISSING}." in result.stderr
    assert (
        f"sudo apt-get install -y --no-install-recommends {MISSING}\n" in result.stderr
    )
