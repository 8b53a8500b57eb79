"""``python -m edxml`` run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from edxml import DocumentPackage, StatusCode, build_document, parse
from edxml_samples import FIXTURES, PDF, full_document

ADDON = Path(__file__).resolve().parents[2] / "addons" / "vbdt_interconnect"


def run_cli(
    *args: str | Path, cwd: Path, text: bool = True
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ADDON)}
    return subprocess.run(
        [sys.executable, "-m", "edxml", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=text,
        timeout=60,
        check=False,
    )


def test_validate_accepts_our_package(tmp_path: Path) -> None:
    (tmp_path / "ok.edxml").write_bytes(build_document(full_document()))

    result = run_cli("validate", "ok.edxml", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok.edxml: valid"


def test_validate_lists_problems_of_a_foreign_package(tmp_path: Path) -> None:
    result = run_cli("validate", FIXTURES / "status_inbox_01.edxml", cwd=tmp_path)

    assert result.returncode == 1
    assert "line 9: OrganizationInCharge:" in result.stdout


def test_validate_detailed(tmp_path: Path) -> None:
    result = run_cli(
        "validate", "--detailed", FIXTURES / "status_inbox_01.edxml", cwd=tmp_path
    )

    assert result.returncode == 1
    assert "OrganizationInCharge" in result.stdout


def test_unsafe_input_exits_with_an_error(tmp_path: Path) -> None:
    (tmp_path / "evil.edxml").write_bytes(
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><edXML>&e;</edXML>'
    )

    result = run_cli("dump", "evil.edxml", cwd=tmp_path)

    assert result.returncode == 2
    assert "DOCTYPE" in result.stderr


def test_dump_fixture_as_json(tmp_path: Path) -> None:
    result = run_cli(
        "dump", FIXTURES / "edoc_new.edxml", "--attachments-dir", "files", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    dumped = json.loads(result.stdout)
    assert dumped["kind"] == "document"
    assert dumped["code"] == {"code_number": "74fass22", "code_notation": "VPCP-TTĐT"}
    assert dumped["promulgation_info"]["promulgation_date"] == "2019-01-16"
    [attachment] = dumped["attachments"]
    assert attachment["size"] == 388347
    assert (
        attachment["content_type"] == "application/xml"
    )  # the bytes, see test_edxml_fixtures
    assert (
        Path(attachment["path"]).read_bytes()
        == parse((FIXTURES / "edoc_new.edxml").read_bytes()).attachments[0].content
    )


def test_dump_status(tmp_path: Path) -> None:
    result = run_cli("dump", FIXTURES / "status_acceptance_03.edxml", cwd=tmp_path)

    dumped = json.loads(result.stdout)
    assert dumped["kind"] == "status"
    assert dumped["status_code"] == "03"
    assert dumped["timestamp"] == "2015-09-20T11:08:36"


def test_dump_then_build_round_trip(tmp_path: Path) -> None:
    package = full_document()
    (tmp_path / "in.edxml").write_bytes(build_document(package))
    dumped = run_cli("dump", "in.edxml", "--attachments-dir", "files", cwd=tmp_path)
    (tmp_path / "spec.json").write_text(dumped.stdout, encoding="utf-8")

    result = run_cli("build", "spec.json", "-o", "out.edxml", "--zip", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert parse((tmp_path / "out.edxml").read_bytes()) == package


def test_build_from_a_hand_written_spec(tmp_path: Path) -> None:
    (tmp_path / "qd.pdf").write_bytes(PDF)
    spec = {
        "kind": "document",
        "sender": {"organ_id": "000.00.00.H44"},
        "recipients": [{"organ_id": "000.00.24.H44"}],
        "code": {"code_number": 3, "code_notation": "TB-UBND"},
        "promulgation_info": {"promulgation_date": "2026/03/02"},
        "subject": "Thông báo lịch họp",
        "other_info": {"priority": 2},
        "attachments": [
            {
                "content_id": "1",
                "attachment_name": "qd.pdf",
                "content_type": "application/pdf",
                "path": "qd.pdf",
            }
        ],
    }
    (tmp_path / "spec.json").write_text(
        json.dumps(spec, ensure_ascii=False), encoding="utf-8"
    )

    result = run_cli("build", "spec.json", "-o", "out.edxml", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    built = parse((tmp_path / "out.edxml").read_bytes())
    assert isinstance(built, DocumentPackage)
    assert built.document_id == "000.00.00.H44,2026/03/02,3/TB-UBND"
    assert built.other_info.priority == 2
    assert built.attachments[0].content == PDF


def test_build_status_to_stdout(tmp_path: Path) -> None:
    spec = {
        "kind": "status",
        "sender": {"organ_id": "000.00.24.H44"},
        "response_for": {"organ_id": "000.00.00.H44", "code": "3/TB-UBND"},
        "status_code": "14",
        "timestamp": "2026-03-02T08:00:00",
    }
    (tmp_path / "status.json").write_text(json.dumps(spec), encoding="utf-8")

    result = run_cli("build", "status.json", cwd=tmp_path, text=False)

    assert result.returncode == 0, result.stderr
    assert parse(result.stdout).status_code is StatusCode.TAKE_BACK_AGREED
