"""PDF/A-2b of an UNSIGNED scan with ocrmypdf (``--output-type pdfa-2
--skip-text``: pages that already have text are not OCRed again).

A signed PDF is never converted: rewriting it would break its signatures,
which must survive.  A file that cannot be shown to be unsigned (damaged,
unreadable) is refused too.  ocrmypdf runs like the other programs of the
capture core: fixed arguments, a private temporary folder, CPU-time,
memory and wall-clock limits.
"""

import io
import os
import re
import tempfile

from .extract import CaptureError, CaptureLimits, _run

_SIGNATURE_MARKS = re.compile(rb"/ByteRange\s*\[|/Type\s*/Sig\b|/FT\s*/Sig\b|/DocMDP\b")


def is_signed(raw):
    """True when the PDF carries (or may carry) a digital signature: a
    signature dictionary or field anywhere in the bytes, or a file PyPDF2
    cannot read (so it cannot be shown to be unsigned)."""
    if _SIGNATURE_MARKS.search(raw):
        return True
    from PyPDF2 import PdfReader  # pylint: disable=import-outside-toplevel

    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        root = reader.trailer["/Root"].get_object()
        if "/Perms" in root:
            return True
        form = root.get("/AcroForm")
        fields = form.get_object().get("/Fields", []) if form else []
        for ref in fields:
            field = ref.get_object()
            if field.get("/FT") == "/Sig":
                return True
        # Signature dictionaries in compressed object streams.
        for number in range(1, min(int(reader.trailer.get("/Size", 0)), 100_000)):
            try:
                obj = reader.get_object(number)
            except Exception:  # noqa: BLE001 - free or damaged entry
                continue
            if hasattr(obj, "get") and (
                obj.get("/Type") == "/Sig" or "/ByteRange" in obj
            ):
                return True
    except Exception:  # noqa: BLE001 - unreadable: not shown to be unsigned
        return True
    return False


def convert_scan_to_pdfa(raw, limits=None):
    """PDF/A-2b bytes of the unsigned PDF ``raw``.  Raises
    :class:`CaptureError` ``signed`` for a signed (or unreadable) PDF, and
    the usual codes (``timeout``, ``tool_failed``, ``missing_tool``)."""
    limits = limits or CaptureLimits()
    if not raw.lstrip()[:5] == b"%PDF-":
        raise CaptureError("not_pdf")
    if is_signed(raw):
        raise CaptureError("signed")
    with tempfile.TemporaryDirectory(prefix="vbdt-pdfa-") as folder:
        source = os.path.join(folder, "in.pdf")
        target = os.path.join(folder, "out.pdf")
        with open(source, "wb") as handle:
            handle.write(raw)
        _run(
            [
                "ocrmypdf",
                "--quiet",
                "--output-type",
                "pdfa-2",
                "--skip-text",
                "--jobs",
                "1",
                "-l",
                "vie",
                source,
                target,
            ],
            limits,
            limits.file_seconds,
            folder,
        )
        with open(target, "rb") as handle:
            return handle.read()
