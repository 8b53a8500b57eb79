"""Receiving a submission package (SIP) built by ``csip`` (from an ended
agency, or from another office running vbdt): safety checks before anything
is unpacked, fixity of every file against its METS SHA-256 (``validate``),
then the Circular 05/2025 description read back from
``metadata/descriptive/records.xml``.

Nothing is extracted to disk: entries are read from the ZIP in bounded
chunks. The checks refuse, before reading any content:

- more entries than ``Limits.max_entries``;
- a declared uncompressed total above ``Limits.max_total_bytes``, or one
  entry above ``Limits.max_entry_bytes``;
- an entry whose compression ratio exceeds ``Limits.max_ratio`` (ZIP bomb);
- absolute paths, ``..``, backslashes, drive letters, symbolic links,
  encrypted entries;
- archives inside the archive (by name or by their first bytes).

Every problem is a :class:`Problem` (a code and its parameters) so that the
addon can show it translated; the core never imports Odoo.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lxml import etree

from . import validate
from .csip import DESCRIPTIVE_ENTRY, RECORDS_NS

ARCHIVE_SUFFIXES = (
    ".zip",
    ".jar",
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".7z",
    ".rar",
    ".tar",
    ".zst",
)
ARCHIVE_MAGICS = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x28\xb5\x2f\xfd",
)
# The ratio is only judged on entries large enough to matter: a small XML
# file of repeated tags compresses very well and harms nobody.
RATIO_FLOOR_BYTES = 1024 * 1024
# How ``validate`` words a file whose bytes differ from METS.
FIXITY = ("SHA-256 mismatch", "size mismatch", "missing file")


@dataclass(frozen=True)
class Limits:
    max_entries: int = 100_000
    max_total_bytes: int = 20 * 1024**3
    max_entry_bytes: int = 2 * 1024**3
    max_ratio: int = 100


@dataclass(frozen=True)
class Problem:
    code: str
    detail: str = ""


class ReceiveError(ValueError):
    """The package is refused; ``problems`` says why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.code}: {p.detail}" for p in self.problems))


@dataclass
class ReceivedDocument:
    metadata: dict[str, str]
    computer_files: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class ReceivedFile:
    metadata: dict[str, str]
    documents: list[ReceivedDocument] = field(default_factory=list)


@dataclass
class ReceivedPackage:
    package_id: str
    agency_code: str
    agency_name: str
    files: list[ReceivedFile] = field(default_factory=list)


def _unsafe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or ".." in path.parts
        or (len(name) > 1 and name[1] == ":")
        or "\x00" in name
    )


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> list[Problem]:
    """Problems of the ZIP's directory and entries' first bytes."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        return [Problem("too_many_entries", str(len(infos)))]
    problems = []
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            problems.append(Problem("unsafe_path", name))
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problems.append(Problem("symlink", name))
        if info.flag_bits & 0x1:
            problems.append(Problem("encrypted", name))
        if info.is_dir():
            continue
        total += info.file_size
        if info.file_size > limits.max_entry_bytes:
            problems.append(Problem("entry_too_large", name))
        if (
            info.file_size > RATIO_FLOOR_BYTES
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            problems.append(Problem("ratio", name))
        if name.lower().endswith(ARCHIVE_SUFFIXES):
            problems.append(Problem("nested_archive", name))
    if total > limits.max_total_bytes:
        problems.append(Problem("too_large", str(total)))
    if problems:
        return problems
    for info in infos:
        if info.is_dir():
            continue
        try:
            with archive.open(info) as entry:
                head = entry.read(8)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as error:
            problems.append(Problem("unreadable", f"{info.filename}: {error}"))
            continue
        if head.startswith(ARCHIVE_MAGICS):
            problems.append(Problem("nested_archive", info.filename))
    return problems


def _children(element):
    return {
        etree.QName(child).localname: (child.text or "")
        for child in element
        if isinstance(child.tag, str) and len(child) == 0
    }


def read_description(archive: zipfile.ZipFile, root: str) -> ReceivedPackage:
    """The Circular 05/2025 description of a checked package."""
    name = f"{root}/{DESCRIPTIVE_ENTRY}"
    if name not in archive.namelist():
        raise ReceiveError([Problem("no_description", DESCRIPTIVE_ENTRY)])
    with archive.open(name) as entry:
        tree = etree.parse(entry, validate.PARSER)
    fonds = tree.getroot()
    ns = {"r": RECORDS_NS}
    if fonds.tag != f"{{{RECORDS_NS}}}fonds":
        raise ReceiveError([Problem("no_description", fonds.tag)])
    package = ReceivedPackage(
        root,
        fonds.findtext("r:agencyCode", "", ns),
        fonds.findtext("r:agencyName", "", ns),
    )
    for file_element in fonds.iterfind("r:file", ns):
        received = ReceivedFile(_children(file_element))
        for document in file_element.iterfind("r:document", ns):
            item = ReceivedDocument(
                {
                    key: value
                    for key, value in _children(document).items()
                    if key != "computerFile"
                }
            )
            for computer_file in document.iterfind("r:computerFile", ns):
                item.computer_files.append(
                    (
                        computer_file.text or "",
                        computer_file.get("sha256", ""),
                        int(computer_file.get("size") or 0),
                    )
                )
            received.documents.append(item)
        package.files.append(received)
    return package


def receive_package(path, limits: Limits | None = None) -> ReceivedPackage:
    """Check the package at ``path`` and read its description; raise
    :class:`ReceiveError` on the first stage that finds problems."""
    limits = limits or Limits()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ReceiveError([Problem("not_zip", str(error))]) from error
    with archive:
        problems = check_archive(archive, limits)
        if problems:
            raise ReceiveError(problems)
    # Structure, schemas, E-ARK rules and every file's SHA-256 against METS.
    invalid = validate.validate_package(path)
    if invalid:
        raise ReceiveError(
            [
                Problem("fixity" if text.startswith(FIXITY) else "invalid", text)
                for text in invalid
            ]
        )
    with zipfile.ZipFile(path) as archive:
        root = PurePosixPath(archive.namelist()[0]).parts[0]
        return read_description(archive, root)
