"""The records core without Odoo: an E-ARK SIP is built streamed, validates,
and every alteration or unsafe path is caught."""

import io
import zipfile
from datetime import UTC, datetime

import pytest
from archives import csip, tables, validate


def _submission(files, **kwargs):
    return csip.Submission(
        "UBND tỉnh Phú Thọ",
        "000.00.00.H45",
        "Lưu trữ cơ quan",
        "Nguyễn Thị Lưu",
        files,
        created=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
        package_id="uuid-test",
        **kwargs,
    )


def _file(code="01.TH", data=b"%PDF-1.7 /ByteRange [0 1 2 3]", sha256=""):
    document = csip.RecordDocument(
        1,
        "15/QĐ-UBND",
        [("numberAndNotation", "15/QĐ-UBND"), ("summary", "Về việc lập hồ sơ")],
        [
            csip.Source(
                "Quyết định 15.pdf", "application/pdf", lambda: io.BytesIO(data), sha256
            )
        ],
        [csip.Event("creation", datetime(2026, 3, 2, tzinfo=UTC))],
    )
    return csip.RecordFile(code, "Hồ sơ kế hoạch", [("fileCode", code)], [document])


@pytest.fixture
def package(tmp_path):
    path = tmp_path / "sip.zip"
    with open(path, "wb") as stream:
        summary = csip.build_sip(_submission([_file(), _file()]), stream)
    return path, summary


def test_package_validates_and_keeps_bytes(package):
    path, summary = package
    assert validate.validate_package(path) == []
    assert (summary.file_count, summary.document_count, summary.signed_pdfs) == (
        2,
        2,
        2,
    )
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        # Same code twice: the second folder is made distinct.
        assert (
            "uuid-test/representations/rep1/data/01.TH/001-1-Quyet-dinh-15.pdf" in names
        )
        assert (
            "uuid-test/representations/rep1/data/01.TH_/001-1-Quyet-dinh-15.pdf"
            in names
        )
        assert archive.read(names[0]).startswith(b"%PDF-1.7 /ByteRange")
        assert all(
            info.compress_type == zipfile.ZIP_STORED for info in archive.infolist()
        )


def test_altered_or_extra_files_are_reported(package, tmp_path):
    path, _summary = package
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(altered, "w") as target:
        for info in source.infolist():
            raw = source.read(info)
            if info.filename.endswith(".pdf"):
                raw = raw + b"x"
            target.writestr(info, raw)
        target.writestr("uuid-test/extra.txt", b"not described")
    problems = validate.validate_package(altered)
    assert any(problem.startswith("SHA-256 mismatch") for problem in problems)
    assert any(problem.startswith("size mismatch") for problem in problems)
    assert any("not described in METS" in problem for problem in problems)


def test_unsafe_and_broken_packages_are_refused(tmp_path):
    slip = tmp_path / "slip.zip"
    with zipfile.ZipFile(slip, "w") as archive:
        archive.writestr("../evil/METS.xml", b"<x/>")
    assert validate.validate_package(slip)[0].startswith("unsafe paths")
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    assert validate.validate_package(junk)[0].startswith("not a ZIP package")


def test_recorded_fingerprint_must_match(tmp_path):
    with open(tmp_path / "sip.zip", "wb") as stream, pytest.raises(csip.PackageError):
        csip.build_sip(_submission([_file(sha256="0" * 64)]), stream)


def test_nothing_to_hand_over_is_refused(tmp_path):
    empty = csip.RecordFile("02.TH", "Hồ sơ giấy", [("fileCode", "02.TH")], [])
    with open(tmp_path / "sip.zip", "wb") as stream, pytest.raises(csip.PackageError):
        csip.build_sip(_submission([empty]), stream)


def test_path_segments_are_safe():
    assert csip.safe_segment("../../etc/passwd") == "etc-passwd"
    assert csip.safe_segment("Đơn vị/01") == "Don-vi-01"
    assert csip.safe_segment("..") == "x"


def test_tables_write_text_never_formulas():
    stream = io.BytesIO()
    tables.write_csv(stream, ["Tiêu đề"], [["=1+1"], ["Hồ sơ"]])
    text = stream.getvalue().decode("utf-8-sig")
    assert text.splitlines() == ["Tiêu đề", "'=1+1", "Hồ sơ"]
