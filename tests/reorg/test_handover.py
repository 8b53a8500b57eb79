import hashlib
import io
import zipfile

from reorg import MANIFEST_NAME, archive_name, csv_bytes, verify_package, write_package


def _package(members):
    target = io.BytesIO()
    rows = write_package(target, [(name, lambda d=data: d) for name, data in members])
    target.seek(0)
    return target, rows


def test_manifest_lists_the_sha256_of_every_member():
    target, rows = _package(
        [("files/qd.pdf", b"%PDF-1"), ("files/qd.pdf", b"other"), ("so.csv", b"a,b")]
    )
    names = [name for name, _size, _sha in rows]
    assert names == ["files/qd.pdf", "files/qd-2.pdf", "so.csv"]
    with zipfile.ZipFile(target) as archive:
        manifest = archive.read(MANIFEST_NAME).decode()
        for name in names:
            digest = hashlib.sha256(archive.read(name)).hexdigest()
            assert f"{digest}  {name}\n" in manifest
    assert verify_package(target) == []


def test_verify_finds_altered_missing_and_unlisted_members():
    target, _rows = _package([("a.pdf", b"one"), ("b.pdf", b"two")])
    source = zipfile.ZipFile(target)
    altered = io.BytesIO()
    with zipfile.ZipFile(altered, "w") as archive:
        archive.writestr("a.pdf", b"ONE")
        archive.writestr("c.pdf", b"three")
        archive.writestr(MANIFEST_NAME, source.read(MANIFEST_NAME))
    altered.seek(0)
    assert verify_package(altered) == ["a.pdf", "b.pdf", "c.pdf"]


def test_archive_names_from_the_database_stay_inside_the_package():
    assert archive_name("../../etc", "passwd") == "etc/passwd"
    assert archive_name("Sổ văn bản đến", "12/QĐ-UBND.pdf") == (
        "Sổ văn bản đến/12_QĐ-UBND.pdf"
    )
    assert archive_name("", "..") == "_/_"
    assert len(archive_name("x" * 500)) == 80


def test_csv_is_utf8_with_bom_and_blank_for_missing_values():
    data = csv_bytes(["Số", "Trích yếu"], [[1, "Về việc"], [2, False]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["Số,Trích yếu", "1,Về việc", "2,"]
