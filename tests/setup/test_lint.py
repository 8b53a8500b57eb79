"""scripts/lint applies OCA's 18.0 ruff configuration, fails on findings,
and ``--fix`` formats and fixes."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "scripts" / "lint"

UNTIDY = "import sys\nimport os\nprint( os.sep,sys.argv )\n"


def _lint(*args):
    return subprocess.run(
        [str(LINT), *args], capture_output=True, text=True, timeout=300
    )


def test_findings_fail_and_are_counted(tmp_path):
    module = tmp_path / "untidy.py"
    module.write_text(UNTIDY)
    result = _lint(str(module))
    assert result.returncode == 1
    assert "I001" in result.stdout  # OCA's isort sections, not ruff's defaults
    assert "lint: 1 file(s) to reformat, 1 ruff finding(s)" in result.stdout
    assert module.read_text() == UNTIDY  # checking changes nothing


def test_fix_formats_and_sorts(tmp_path):
    module = tmp_path / "untidy.py"
    module.write_text(UNTIDY)
    result = _lint("--fix", str(module))
    assert result.returncode == 0, result.stdout + result.stderr
    assert module.read_text() == "import os\nimport sys\n\nprint(os.sep, sys.argv)\n"
    assert "lint: 0 file(s) to reformat, 0 ruff finding(s)" in result.stdout


def test_clean_file_passes_unchanged(tmp_path):
    tidy = "import os\nimport sys\n\nprint(os.sep, sys.argv)\n"
    module = tmp_path / "tidy.py"
    module.write_text(tidy)
    result = _lint(str(module))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lint: 0 file(s) to reformat, 0 ruff finding(s)" in result.stdout
    assert module.read_text() == tidy
