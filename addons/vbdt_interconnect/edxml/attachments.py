"""Attachment content on the wire: base64 in chunks, optional transport ZIP.

Packages reach tens of megabytes, so neither direction ever holds the whole
base64 text: the builder encodes slices of the file, and the parser decodes
text as the XML parser delivers it, keeping one decoded copy only.
"""

from __future__ import annotations

import binascii
import io
import mimetypes
import zipfile
import zlib
from collections.abc import Iterator

from .errors import AttachmentError, LimitExceededError, _

# 48 KiB of file per chunk (64 KiB of text): a multiple of 3, so the chunks
# concatenate into one base64 text without padding in the middle.  Larger
# writes make lxml's buffered writer balloon (1 MiB writes cost 4x the
# package in memory and twice the time; see bench/bench_edxml.py).
ENCODE_CHUNK = 3 << 14
ZIP_MAGIC = b"PK\x03\x04"
ZIP_CONTENT_TYPE = "application/zip"
_ZIP_CONTENT_TYPES = {ZIP_CONTENT_TYPE, "application/x-zip-compressed", "application/x-zip"}
_UNZIP_CHUNK = 1 << 20
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def base64_chunks(content: bytes) -> Iterator[str]:
    """Yield the base64 text of ``content`` slice by slice (no line breaks)."""
    view = memoryview(content)
    for start in range(0, len(view), ENCODE_CHUNK):
        yield binascii.b2a_base64(view[start : start + ENCODE_CHUNK], newline=False).decode("ascii")


class Base64Decoder:
    """Strict incremental base64 decoder with a size limit.

    Text pieces (often one per line of wrapped base64) are buffered up to
    ``flush_at`` characters, whitespace is dropped, and every complete 4-char
    group is decoded into one growing buffer.  Invalid characters or padding
    raise :class:`AttachmentError` instead of being skipped silently.
    """

    def __init__(self, *, max_bytes: int, element: str, flush_at: int = 1 << 16) -> None:
        self._max_bytes = max_bytes
        self._element = element
        self._flush_at = flush_at
        self._parts: list[str] = []
        self._pending = 0
        self._out = io.BytesIO()

    def write(self, text: str) -> None:
        self._parts.append(text)
        self._pending += len(text)
        if self._pending >= self._flush_at:
            self._flush(final=False)

    def finish(self) -> bytes:
        self._flush(final=True)
        return self._out.getvalue()

    def _flush(self, *, final: bool) -> None:
        text = "".join(self._parts)
        try:  # fast path: unwrapped base64, as we and most systems write it
            decoded, rest = _decode_prefix(text, final)
        except (binascii.Error, ValueError):
            try:  # wrapped lines (CR/LF, indentation): strip, then decode
                decoded, rest = _decode_prefix("".join(text.split()), final)
            except (binascii.Error, ValueError) as exc:
                raise AttachmentError(
                    _("Element %(element)s: the content is not valid base64 (%(detail)s)."),
                    element=self._element,
                    detail=str(exc),
                ) from None
        if self._out.tell() + len(decoded) > self._max_bytes:
            raise attachment_too_large(self._element, self._max_bytes)
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
        _("Element %(element)s: the attachment is larger than the limit of %(limit)s bytes."),
        element=element,
        limit=max_bytes,
    )


def zip_single(name: str, content: bytes) -> bytes:
    """Wrap one file in a ZIP, the transport form some axes prefer."""
    member = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)  # fixed time: same input, same bytes
    member.compress_type = zipfile.ZIP_DEFLATED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


def unwrap_zip(
    content: bytes, attachment_name: str, *, max_bytes: int, element: str
) -> bytes | None:
    """The file inside a transport ZIP, or ``None`` if ``content`` is the file.

    Only a ZIP with exactly one member is a transport wrapper: DOCX, XLSX and
    ODF files are ZIPs with many members and must reach the clerk untouched,
    and a file the sender named ``*.zip`` is an archive on purpose.
    """
    if not content.startswith(ZIP_MAGIC) or attachment_name.lower().endswith(".zip"):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        return None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) != 1:
            return None
        return _read_member(archive, members[0], max_bytes=max_bytes, element=element)


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, max_bytes: int, element: str
) -> bytes:
    """Inflate in chunks and stop at the limit: declared sizes can lie (ZIP bombs)."""
    out = io.BytesIO()
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_UNZIP_CHUNK):
                if out.tell() + len(chunk) > max_bytes:
                    raise attachment_too_large(element, max_bytes)
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise AttachmentError(
            _("Element %(element)s: the zipped content cannot be extracted (%(detail)s)."),
            element=element,
            detail=str(exc),
        ) from None
    return out.getvalue()


def unzipped_content_type(declared: str, attachment_name: str) -> str:
    """After unwrapping, a declared ZIP type describes the wrapper, not the
    file: guess the file's type from its name instead."""
    if declared.lower() not in _ZIP_CONTENT_TYPES:
        return declared
    guessed, _encoding = mimetypes.guess_type(attachment_name, strict=False)
    return guessed or "application/octet-stream"
