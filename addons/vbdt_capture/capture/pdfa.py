"""PDF/A-2b of an UNSIGNED scan: the conversion of ``vbdt_document/pdfa``
with OCR of the pages without a text layer (``ocrmypdf --output-type pdfa-2
--skip-text``), under the capture limits, its errors as
:class:`CaptureError` with the same codes.

A signed PDF is never converted (its signatures must survive), nor a file
that cannot be shown to be unsigned."""

from ._pdfa import pdfa
from .extract import CaptureError, CaptureLimits

is_signed = pdfa.is_signed


def convert_scan_to_pdfa(raw, limits=None):
    """PDF/A-2b bytes of the unsigned PDF ``raw``.  Raises
    :class:`CaptureError` ``signed`` for a signed PDF, and the codes of
    :class:`pdfa.PdfaError` (``not_pdf``, ``too_many_pages``, ``timeout``,
    ``tool_failed``, ``missing_tool``, ``not_pdfa``)."""
    limits = limits or CaptureLimits()
    try:
        return pdfa.convert_to_pdfa(
            raw,
            pdfa.PdfaLimits(
                max_pages=limits.max_pages,
                seconds=limits.file_seconds,
                memory_mb=limits.memory_mb,
            ),
            ocr=True,
        )
    except pdfa.PdfaError as exc:
        raise CaptureError(exc.code, exc.detail) from exc
