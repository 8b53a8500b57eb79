"""Receiving a package without Odoo: a package built by ``csip`` is read
back; ZIP bombs, too many or too large entries, unsafe paths, nested
archives and altered bytes are refused before anything is imported."""

import io
import zipfile
from datetime import UTC, datetime

import pytest
from archives import csip, receive


def _package(path, files=2):
    documents = [
        csip.RecordDocument(
            number,
            f"{number}/QĐ-UBND",
            [("numberAndNotation", f"{number}/QĐ-UBND"), ("summary", "Về việc …")],
            [
                csip.Source(
                    "van-ban.pdf",
                    "application/pdf",
                    lambda number=number: io.BytesIO(b"%PDF-1.7 " + bytes([number])),
                )
            ],
            [csip.Event("creation", datetime(2026, 3, 2, tzinfo=UTC))],
        )
        for number in (1, 2)
    ]
    record_files = [
        csip.RecordFile(
            f"0{code}.TH",
            "Hồ sơ kế hoạch",
            [
                ("fileCode", f"0{code}.TH"),
                ("title", "Hồ sơ kế hoạch"),
                ("year", "2026"),
            ],
            documents,
        )
        for code in range(1, files + 1)
    ]
    submission = csip.Submission(
        "UBND xã Cũ",
        "000.00.00.X01",
        "UBND xã Mới",
        "Nguyễn Thị Lưu",
        record_files,
        created=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
        package_id="uuid-receive",
    )
    with open(path, "wb") as stream:
        csip.build_sip(submission, stream)
    return path


def _rewrite(source, target, change=None, extra=()):
    """Copy the package entry by entry, ``change(name, data)`` deciding each
    entry's new bytes, then add ``extra`` (name, data, compression)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(info.filename, data) if change else data)
        for name, data, compression in extra:
            new.writestr(name, data, compress_type=compression)
    return target


def _codes(path, limits=None):
    with pytest.raises(receive.ReceiveError) as caught:
        receive.receive_package(path, limits)
    return {problem.code for problem in caught.value.problems}


def test_own_package_is_read_back(tmp_path):
    package = receive.receive_package(_package(tmp_path / "sip.zip"))
    assert package.package_id == "uuid-receive"
    assert (package.agency_code, package.agency_name) == ("000.00.00.X01", "UBND xã Cũ")
    assert [file.metadata["fileCode"] for file in package.files] == ["01.TH", "02.TH"]
    document = package.files[0].documents[1]
    assert document.metadata["numberAndNotation"] == "2/QĐ-UBND"
    ((path, sha256, size),) = document.computer_files
    assert path.endswith(".pdf") and len(sha256) == 64 and size == 10


def test_altered_bytes_fail_fixity(tmp_path):
    good = _package(tmp_path / "sip.zip")
    bad = _rewrite(
        good,
        tmp_path / "bad.zip",
        lambda name, data: data.replace(b"%PDF-1.7", b"%PDF-1.6")
        if name.endswith(".pdf")
        else data,
    )
    assert _codes(bad) == {"fixity"}


def test_zip_bomb_is_refused_before_reading(tmp_path):
    good = _package(tmp_path / "sip.zip")
    bomb = _rewrite(
        good,
        tmp_path / "bomb.zip",
        extra=[
            (
                "uuid-receive/documentation/zeros.bin",
                b"\0" * (20 << 20),
                zipfile.ZIP_DEFLATED,
            )
        ],
    )
    assert "ratio" in _codes(bomb)
    assert "too_large" in _codes(good, receive.Limits(max_total_bytes=1000))
    assert "entry_too_large" in _codes(good, receive.Limits(max_entry_bytes=100))
    assert _codes(good, receive.Limits(max_entries=3)) == {"too_many_entries"}


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "/etc/evil", "uuid-receive\\..\\evil", "C:/evil", "a/../../b"],
)
def test_unsafe_paths_are_refused(tmp_path, name):
    good = _package(tmp_path / "sip.zip")
    bad = _rewrite(good, tmp_path / "bad.zip", extra=[(name, b"x", zipfile.ZIP_STORED)])
    assert "unsafe_path" in _codes(bad)


def test_nested_archives_are_refused_by_name_and_by_content(tmp_path):
    good = _package(tmp_path / "sip.zip")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.txt", "a")
    by_name = _rewrite(
        good,
        tmp_path / "named.zip",
        extra=[("uuid-receive/documentation/inner.zip", b"x", zipfile.ZIP_STORED)],
    )
    assert "nested_archive" in _codes(by_name)
    by_content = _rewrite(
        good,
        tmp_path / "content.zip",
        lambda name, data: inner.getvalue() if name.endswith(".pdf") else data,
    )
    assert _codes(by_content) == {"nested_archive"}


def test_symlink_and_not_a_zip(tmp_path):
    good = _package(tmp_path / "sip.zip")
    link = zipfile.ZipInfo("uuid-receive/documentation/link")
    link.external_attr = 0o120777 << 16
    target = tmp_path / "link.zip"
    _rewrite(good, target)
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    assert "symlink" in _codes(target)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    assert _codes(junk) == {"not_zip"}
