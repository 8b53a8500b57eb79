"""Open PDF bytes for reading or incremental update, with clear errors.

All output goes to new buffers: the caller's bytes are never modified, so a
failure halfway leaves nothing half-written.
"""

from __future__ import annotations

import io
import re

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from .errors import EncryptedPdfError, InvalidPdfError

_PARSE_ERRORS = (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError)


def open_reader(pdf: bytes, strict: bool = True) -> PdfFileReader:
    """A reader on ``pdf``; strict syntax by default, as verification wants."""
    reader = _parse(lambda: PdfFileReader(io.BytesIO(pdf), strict=strict), pdf)
    _check_readable(reader)
    return reader


_SIGNATURE_MARKS = re.compile(rb"/ByteRange\s*\[|/Type\s*/Sig\b|/FT\s*/Sig\b|/DocMDP\b")
"""Traces of a signature anywhere in the bytes (compressed streams aside)."""


def open_for_verification(pdf: bytes) -> PdfFileReader:
    """A reader for verification: strict syntax, except for a file only the
    tolerant reader reads that shows no trace of a signature, neither in its
    bytes nor to that reader. Such a file has nothing to verify: "no
    signature" is then true, where "unreadable PDF" would alarm the clerk
    for a slip common in scanners' files (Pillow writes generation 65536 in
    the cross-reference table, which the strict reader refuses). A file with
    any trace of a signature is judged by the strict reader alone."""
    try:
        return open_reader(pdf)
    except InvalidPdfError as strict_error:
        if _SIGNATURE_MARKS.search(pdf):
            raise
        try:
            reader = open_reader(pdf, strict=False)
            signed = bool(reader.embedded_signatures)
        except (InvalidPdfError, *_PARSE_ERRORS):
            raise strict_error from None
        if signed:
            raise
        return reader


def open_writer(pdf: bytes) -> IncrementalPdfFileWriter:
    """An incremental writer on ``pdf``, tolerant of common syntax slips."""
    writer = _parse(
        lambda: IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), pdf
    )
    _check_readable(writer.prev)
    return writer


def written(writer: IncrementalPdfFileWriter) -> bytes:
    """The original bytes followed by the writer's incremental update."""
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _parse(factory, pdf: bytes):
    if not isinstance(pdf, bytes | bytearray) or b"%PDF-" not in pdf[:1024]:
        raise InvalidPdfError(reason="no %PDF- header in the first 1024 bytes")
    try:
        return factory()
    except _PARSE_ERRORS as err:
        raise InvalidPdfError(reason=str(err) or type(err).__name__) from err


def _check_readable(reader: PdfFileReader) -> None:
    if reader.encrypted:
        raise EncryptedPdfError()
    try:
        pages = reader.root["/Pages"]
        if int(pages["/Count"]) < 1:
            raise InvalidPdfError(reason="the document has no pages")
    except _PARSE_ERRORS as err:
        raise InvalidPdfError(reason=str(err) or type(err).__name__) from err
