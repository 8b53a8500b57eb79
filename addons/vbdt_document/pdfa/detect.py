"""Read the PDF/A claim (``pdfaid:part`` + ``pdfaid:conformance``) of a PDF.

The claim is what the file says about itself in its XMP metadata (ISO 19005
§6.7.11); it is not a validation (veraPDF does that).  Reading is bounded:
only the catalogue's ``/Metadata`` stream is decoded, and only when its
declared length is small; any damaged or unexpected PDF gives ``None``.
"""

import io
import logging
import re
import zlib

_logger = logging.getLogger(__name__)

MAX_METADATA_BYTES = 1024 * 1024
"""An XMP packet larger than this (encoded or decoded) is not read."""

_PART = re.compile(
    rb"pdfaid:part\s*(?:=\s*[\"']\s*(\d)\s*[\"']|>\s*(\d)\s*<)", re.IGNORECASE
)
_CONFORMANCE = re.compile(
    rb"pdfaid:conformance\s*(?:=\s*[\"']\s*([abu])\s*[\"']|>\s*([abu])\s*<)",
    re.IGNORECASE,
)


def _first(match):
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


def claim_from_xmp(xmp):
    """``"2b"``-style claim from XMP bytes, or ``None``."""
    if not xmp or len(xmp) > MAX_METADATA_BYTES:
        return None
    part = _first(_PART.search(xmp))
    if part not in {"1", "2", "3", "4"}:
        return None
    conformance = _first(_CONFORMANCE.search(xmp))
    # PDF/A-4 has no conformance letter (or "e"/"f" profiles, not read here).
    return part + (conformance.lower() if conformance else "")


def _metadata_bytes(raw):
    from PyPDF2 import PdfReader  # pylint: disable=import-outside-toplevel

    reader = PdfReader(io.BytesIO(raw), strict=False)
    root = reader.trailer["/Root"].get_object()
    ref = root.get("/Metadata")
    if ref is None:
        return None
    stream = ref.get_object()
    # The encoded bytes as read from the file (PyPDF2 drops /Length).
    data = getattr(stream, "_data", None)  # pylint: disable=protected-access
    if not isinstance(data, bytes) or len(data) > MAX_METADATA_BYTES:
        return None
    filters = stream.get("/Filter")
    if filters is None:
        return data
    filters = filters.get_object()
    if isinstance(filters, list):
        filters = filters[0] if len(filters) == 1 else None
    if filters != "/FlateDecode" or "/DecodeParms" in stream:
        return None
    # Bounded inflate: a small stream must not expand into gigabytes.
    return zlib.decompressobj().decompress(data, MAX_METADATA_BYTES + 1)


def pdfa_claim(raw):
    """The PDF/A claim of the PDF ``raw`` (bytes): ``"1b"``, ``"2b"``,
    ``"2u"``, ``"3a"``, ``"4"``... or ``None`` (not a PDF, no claim, broken
    file, metadata too large)."""
    if not raw or not raw[:1024].lstrip().startswith(b"%PDF-"):
        return None
    try:
        return claim_from_xmp(_metadata_bytes(raw))
    except Exception:  # noqa: BLE001 - a damaged PDF has no claim
        _logger.debug("PDF/A claim not readable", exc_info=True)
        return None
