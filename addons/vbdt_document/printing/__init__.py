"""Printing helpers that never import odoo: server-side pagination of the
tables printed on paper (register books), so that every sheet carries its own
table header and no row is split across a page break (wkhtmltopdf's repeated
``thead`` and ``page-break-inside: avoid`` are unreliable)."""

from .paginate import PageGeometry, cell_lines, paginate, row_lines

__all__ = ["PageGeometry", "cell_lines", "paginate", "row_lines"]
