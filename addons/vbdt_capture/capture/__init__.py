"""Plain-Python core of text capture: the text of PDF files (their text layer,
else Vietnamese OCR page by page), and the proposals that scan-to-register
reads from that text.

It never imports Odoo: the models call it in a background job and store what
it returns.  The external programs (``pdftotext``, ``pdftoppm`` from
poppler-utils and ``tesseract`` with the ``vie`` data) are called with fixed
arguments, a time limit and a memory limit; nothing from the database ever
becomes a path, an option or a program here.
"""

from .extract import (
    CaptureError,
    CaptureLimits,
    PageText,
    extract_pdf_text,
    ocr_available,
    page_count,
)
from .pdfa import convert_scan_to_pdfa, is_signed

__all__ = [
    "CaptureError",
    "CaptureLimits",
    "PageText",
    "extract_pdf_text",
    "ocr_available",
    "page_count",
    "convert_scan_to_pdfa",
    "is_signed",
]
