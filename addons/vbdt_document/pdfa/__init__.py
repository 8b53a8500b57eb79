"""PDF/A claims read from a PDF's XMP metadata (plain Python, no Odoo)."""

from .detect import MAX_METADATA_BYTES, pdfa_claim

__all__ = ["MAX_METADATA_BYTES", "pdfa_claim"]
