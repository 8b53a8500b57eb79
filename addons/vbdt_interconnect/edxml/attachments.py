"""Attachment content on the wire: base64 in chunks, optional transport ZIP.

Packages reach tens of megabytes, so neither direction ever holds the whole
base64 text: the builder encodes slices of the file, and the parser decodes
text as the XML parser delivers it into a temporary file (in memory up to
1 MiB), and inflates a transport ZIP into another one, chunk by chunk,
charging every byte to the package's :class:`Budget`: a ZIP bomb is refused
while it is still on disk, never after it filled the worker's memory.

Content types: the type the package declares is kept unless the bytes say
otherwise (:func:`settle_content_type`), and then the clerk sees why.
"""

from __future__ import annotations

import binascii
import io
import mimetypes
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .errors import AttachmentError, LimitExceededError, _

# 48 KiB of file per chunk (64 KiB of text): a multiple of 3, so the chunks
# concatenate into one base64 text without padding in the middle.  Larger
# writes make lxml's buffered writer balloon (1 MiB writes cost 4x the
# package in memory and twice the time; see bench/bench_edxml.py).
ENCODE_CHUNK = 3 << 14
ZIP_MAGIC = b"PK\x03\x04"
ZIP_CONTENT_TYPE = "application/zip"
_ZIP_CONTENT_TYPES = {
    ZIP_CONTENT_TYPE,
    "application/x-zip-compressed",
    "application/x-zip",
}
_UNZIP_CHUNK = 1 << 20
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
SPOOL_BYTES = 1 << 20
# The first bytes of a file are enough to tell its type (:func:`sniff_content_type`).
SNIFF_BYTES = 64
# Office files and PDFs deflate 2-20x; a ZIP bomb 1000x.  Past a few MiB
# inflated, more than this ratio is refused.
MAX_ZIP_RATIO = 100
_RATIO_GRACE_BYTES = 4 << 20


class Budget:
    """Decoded and inflated bytes of one package, all attachments together."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0

    def charge(self, count: int) -> None:
        self.used += count
        if self.used > self.max_bytes:
            raise LimitExceededError(
                _(
                    "The attachments of the package decode and unzip to more than "
                    "%(limit)s bytes in total."
                ),
                limit=self.max_bytes,
            )


def _spool() -> BinaryIO:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned


def _read_all(stream: BinaryIO) -> bytes:
    stream.seek(0)
    try:
        return stream.read()
    finally:
        stream.close()


def base64_chunks(content: bytes) -> Iterator[str]:
    """Yield the base64 text of ``content`` slice by slice (no line breaks)."""
    view = memoryview(content)
    for start in range(0, len(view), ENCODE_CHUNK):
        yield binascii.b2a_base64(
            view[start : start + ENCODE_CHUNK], newline=False
        ).decode("ascii")


class Base64Decoder:
    """Strict incremental base64 decoder with a size limit.

    Text pieces (often one per line of wrapped base64) are buffered up to
    ``flush_at`` characters, whitespace is dropped, and every complete 4-char
    group is decoded into one growing buffer.  Invalid characters or padding
    raise :class:`AttachmentError` instead of being skipped silently.
    """

    def __init__(
        self,
        *,
        max_bytes: int,
        element: str,
        flush_at: int = 1 << 16,
        budget: Budget | None = None,
    ) -> None:
        self._max_bytes = max_bytes
        self._element = element
        self._flush_at = flush_at
        self._budget = budget or Budget(max_bytes)
        self._parts: list[str] = []
        self._pending = 0
        self._written = 0
        self._out = _spool()

    def feed(self, text: str) -> None:
        self._parts.append(text)
        self._pending += len(text)
        if self._pending >= self._flush_at:
            self._flush(final=False)

    def finish(self) -> bytes:
        return _read_all(self.finish_file())

    def finish_file(self) -> BinaryIO:
        """The decoded bytes as a temporary file, positioned at its start
        (the caller closes it)."""
        self._flush(final=True)
        self._out.seek(0)
        return self._out

    def _flush(self, *, final: bool) -> None:
        text = "".join(self._parts)
        try:  # fast path: unwrapped base64, as we and most systems write it
            decoded, rest = _decode_prefix(text, final)
        except (binascii.Error, ValueError):
            try:  # wrapped lines (CR/LF, indentation): strip, then decode
                decoded, rest = _decode_prefix("".join(text.split()), final)
            except (binascii.Error, ValueError) as exc:
                raise AttachmentError(
                    _(
                        "Element %(element)s: the content is not valid base64 "
                        "(%(detail)s)."
                    ),
                    element=self._element,
                    detail=str(exc),
                ) from None
        if self._written + len(decoded) > self._max_bytes:
            raise attachment_too_large(self._element, self._max_bytes)
        self._budget.charge(len(decoded))
        self._written += len(decoded)
        self._out.write(decoded)
        self._parts = [rest] if rest else []
        self._pending = len(rest)


def _decode_prefix(text: str, final: bool) -> tuple[bytes, str]:
    """Decode the complete 4-character groups of ``text`` (all of it when
    ``final``); return the bytes and the characters left for later."""
    cut = len(text) if final else len(text) - len(text) % 4
    return binascii.a2b_base64(text[:cut], strict_mode=True), text[cut:]


def attachment_too_large(element: str, max_bytes: int) -> LimitExceededError:
    return LimitExceededError(
        _(
            "Element %(element)s: the attachment is larger than the limit of "
            "%(limit)s bytes."
        ),
        element=element,
        limit=max_bytes,
    )


def zip_single(name: str, content: bytes) -> bytes:
    """Wrap one file in a ZIP, the transport form some axes prefer."""
    member = zipfile.ZipInfo(
        name, date_time=_ZIP_EPOCH
    )  # fixed time: same input, same bytes
    member.compress_type = zipfile.ZIP_DEFLATED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


def unwrap_zip(
    content: bytes,
    attachment_name: str,
    *,
    max_bytes: int,
    element: str,
    budget: Budget | None = None,
) -> bytes | None:
    """The file inside a transport ZIP, or ``None`` if ``content`` is the file.

    Only a ZIP with exactly one member is a transport wrapper: DOCX, XLSX and
    ODF files are ZIPs with many members and must reach the clerk untouched,
    and a file the sender named ``*.zip`` is an archive on purpose.
    """
    inner = unwrap_zip_file(
        io.BytesIO(content),
        attachment_name,
        max_bytes=max_bytes,
        element=element,
        budget=budget,
    )
    return None if inner is None else _read_all(inner)


def unwrap_zip_file(
    stream: BinaryIO,
    attachment_name: str,
    *,
    max_bytes: int,
    element: str,
    budget: Budget | None = None,
) -> BinaryIO | None:
    """As :func:`unwrap_zip`, from and to temporary files: the file inside a
    transport ZIP as a new temporary file at its start (the caller closes
    it), or ``None`` (``stream`` is back at its start)."""
    compressed = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    magic = stream.read(len(ZIP_MAGIC))
    stream.seek(0)
    if magic != ZIP_MAGIC or attachment_name.lower().endswith(".zip"):
        return None
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        stream.seek(0)
        return None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) != 1:
            stream.seek(0)
            return None
        return _read_member(
            archive,
            members[0],
            max_bytes=max_bytes,
            element=element,
            budget=budget or Budget(max_bytes),
            compressed=compressed,
        )


def _read_member(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    *,
    max_bytes: int,
    element: str,
    budget: Budget,
    compressed: int,
) -> BinaryIO:
    """Inflate in chunks to a temporary file and stop at the limits: declared
    sizes can lie (ZIP bombs)."""
    out = _spool()
    written = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_UNZIP_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise attachment_too_large(element, max_bytes)
                if (
                    written > _RATIO_GRACE_BYTES
                    and written > MAX_ZIP_RATIO * compressed
                ):
                    raise LimitExceededError(
                        _(
                            "Element %(element)s: the zipped content expands more than "
                            "%(ratio)s times (a ZIP bomb?)."
                        ),
                        element=element,
                        ratio=MAX_ZIP_RATIO,
                    )
                budget.charge(len(chunk))
                out.write(chunk)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        out.close()
        raise AttachmentError(
            _(
                "Element %(element)s: the zipped content cannot be extracted "
                "(%(detail)s)."
            ),
            element=element,
            detail=str(exc),
        ) from None
    except LimitExceededError:
        out.close()
        raise
    out.seek(0)
    return out


# ------------------------------------------------------------ content types

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"{\\rtf", "application/rtf"),
)
# Containers: the magic tells the family, the name tells the member.
_FAMILIES = {
    ZIP_MAGIC: {
        "application/zip",
        "application/x-zip-compressed",
        "application/x-zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
    },
    _OLE_MAGIC: {
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/x-ole-storage",
    },
}
_FAMILY_DEFAULT = {
    ZIP_MAGIC: "application/zip",
    _OLE_MAGIC: "application/x-ole-storage",
}
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/tiff": ".tif",
    "application/rtf": ".rtf",
    "application/msword": ".doc",
    "application/zip": ".zip",
    "application/xml": ".xml",
}


NOTE_TRANSPORT_ZIP = _(
    "The declared type %(declared)s described the transport ZIP; the file inside is "
    "%(actual)s."
)
NOTE_MISMATCH = _(
    "The declared type is %(declared)s but the content is %(actual)s; the file name "
    "was corrected."
)


@dataclass(frozen=True)
class SettledType:
    """The content type to use, the file name (extension corrected when the
    bytes contradict it) and, when the type differs from the declared one,
    why: ``note`` is a translatable template over ``declared`` and
    ``actual`` (see :attr:`.model.Attachment.content_type_note`)."""

    content_type: str
    attachment_name: str
    note: str = ""


def sniff_content_type(
    content: bytes, attachment_name: str
) -> tuple[str, set[str]] | None:
    """``(type, family)`` the first bytes show, or ``None`` when they do not
    tell (plain text, XML, unknown formats): then the declaration stands."""
    for magic, content_type in _MAGIC:
        if content.startswith(magic):
            return content_type, {content_type}
    for magic, family in _FAMILIES.items():
        if content.startswith(magic):
            guessed = _guess(attachment_name)
            return (guessed if guessed in family else _FAMILY_DEFAULT[magic]), family
    if content[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        guessed = _guess(attachment_name)
        xml_types = {"application/xml", "text/xml"}
        if guessed.endswith("+xml") or guessed in xml_types:
            return guessed, xml_types | {guessed}
        return "application/xml", xml_types
    return None


def settle_content_type(
    declared: str, attachment_name: str, content: bytes, *, unzipped: bool
) -> SettledType:
    """Keep the declared type when the bytes agree with it (or cannot tell);
    otherwise take the sniffed type, correct the extension and say why.  A
    declared ZIP type of a file that came out of a transport ZIP described
    the wrapper: the file's own type is sniffed (or guessed from its name)."""
    declared = (declared or "application/octet-stream").strip()
    sniffed = sniff_content_type(content, attachment_name)
    if unzipped and declared.lower() in _ZIP_CONTENT_TYPES:
        actual = (
            sniffed[0]
            if sniffed
            else _guess(attachment_name) or "application/octet-stream"
        )
        return SettledType(
            actual,
            _corrected_name(attachment_name, actual),
            NOTE_TRANSPORT_ZIP,
        )
    if sniffed is None or declared.lower() in sniffed[1]:
        return SettledType(declared, attachment_name)
    actual = sniffed[0]
    return SettledType(
        actual,
        _corrected_name(attachment_name, actual),
        NOTE_MISMATCH,
    )


def _guess(attachment_name: str) -> str:
    guessed, _encoding = mimetypes.guess_type(attachment_name, strict=False)
    return guessed or ""


def _corrected_name(attachment_name: str, content_type: str) -> str:
    """The name with an extension matching ``content_type`` (kept when it does)."""
    if _guess(attachment_name) == content_type:
        return attachment_name
    extension = (
        _EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ""
    )
    if not extension:
        return attachment_name
    stem, _old = os.path.splitext(attachment_name)
    return (stem or attachment_name) + extension
