"""Hand-over package of an ended agency's fond (Công văn 414/BNV-VTLTNN,
Circular 06/2025/TT-BNV): a ZIP of every document file and the register
books, with a manifest giving the SHA-256 of each member, in the format of
``sha256sum`` so that the receiving records office checks it with standard
tools (``sha256sum -c SHA256SUMS`` after extracting).

Members are written one at a time into a file object (a temporary file on
disk): memory holds one member, never the package."""

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO

MANIFEST_NAME = "SHA256SUMS"
_UNSAFE = re.compile(r"[^\w.\- ]+")
_CHUNK = 1 << 20


def archive_name(*parts: object) -> str:
    """A path inside the archive built from names that come from the
    database: separators, ``..`` and control characters become ``_`` and each
    part is bounded, so no member escapes the folder it is extracted to."""
    clean = []
    for part in parts:
        text = _UNSAFE.sub("_", str(part)).strip(" ._") or "_"
        clean.append(text[:80])
    return "/".join(clean)


def _unique(name: str, seen: set[str]) -> str:
    candidate, count = name, 1
    while candidate in seen or candidate == MANIFEST_NAME:
        count += 1
        stem, dot, ext = name.rpartition(".")
        candidate = f"{stem}-{count}.{ext}" if dot else f"{name}-{count}"
    seen.add(candidate)
    return candidate


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A register book or index as CSV (UTF-8 with BOM: spreadsheet programs
    then read Vietnamese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(
        ["" if v is None or v is False else v for v in row] for row in rows
    )
    return buffer.getvalue().encode("utf-8-sig")


def write_package(
    target: IO[bytes], members: Iterable[tuple[str, Callable[[], bytes]]]
) -> list[tuple[str, int, str]]:
    """Write ``members`` (archive name, function returning the bytes) into a
    ZIP at ``target``, then the manifest. Returns ``(name, size, sha256)``
    per member, as listed in the manifest."""
    rows, seen = [], set()
    with zipfile.ZipFile(
        target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
    ) as archive:
        for name, read in members:
            name = _unique(name, seen)
            data = read()
            archive.writestr(name, data)
            rows.append((name, len(data), hashlib.sha256(data).hexdigest()))
        archive.writestr(MANIFEST_NAME, manifest_text(rows))
    return rows


def manifest_text(rows: Iterable[tuple[str, int, str]]) -> str:
    return "".join(f"{sha256}  {name}\n" for name, _size, sha256 in rows)


def verify_package(source: IO[bytes] | str) -> list[str]:
    """Members whose bytes do not match the manifest, that it lists but the
    archive lacks, or that the archive holds unlisted: empty when the
    package is whole."""
    with zipfile.ZipFile(source) as archive:
        listed = {}
        for line in archive.read(MANIFEST_NAME).decode("utf-8").splitlines():
            sha256, _sep, name = line.partition("  ")
            listed[name] = sha256
        problems = []
        for name, expected in listed.items():
            try:
                member = archive.open(name)
            except KeyError:
                problems.append(name)
                continue
            digest = hashlib.sha256()
            with member:
                for chunk in iter(lambda m=member: m.read(_CHUNK), b""):
                    digest.update(chunk)
            if digest.hexdigest() != expected:
                problems.append(name)
        unlisted = set(archive.namelist()) - set(listed) - {MANIFEST_NAME}
        return problems + sorted(unlisted)
