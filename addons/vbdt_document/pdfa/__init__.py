"""PDF/A in plain Python, no Odoo: the claim a PDF makes in its XMP metadata
(bounded reading), and the conversion of an unsigned PDF to PDF/A-2b."""

from .convert import (
    PdfaError,
    PdfaLimits,
    convert_to_pdfa,
    is_signed,
    page_count,
    run_tool,
)
from .detect import MAX_METADATA_BYTES, pdfa_claim

__all__ = [
    "MAX_METADATA_BYTES",
    "PdfaError",
    "PdfaLimits",
    "convert_to_pdfa",
    "is_signed",
    "page_count",
    "pdfa_claim",
    "run_tool",
]
