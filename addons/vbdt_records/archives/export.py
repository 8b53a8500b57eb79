"""The whole case file as one PDF for reading: a cover (the file's index)
followed by each document's main file, in the file's order.

The merged PDF is a reading copy: the documents' pages are copied, their
signatures are not carried over (they keep verifying on the original files,
and the hand-over package carries those byte for byte).

PyPDF2 (Odoo 18's own PDF library) does the merging; each part is opened
from its source stream and only referenced by the writer until the result
is written to the output stream. A part that is not a readable PDF
(encrypted, damaged) is left out and reported, never fatal.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from PyPDF2 import PdfReader, PdfWriter
from PyPDF2.errors import PdfReadError

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Part:
    """One PDF to append: ``opener`` returns a fresh binary stream."""

    label: str
    opener: Callable[[], BinaryIO]


@dataclass
class MergeResult:
    page_count: int = 0
    cover_pages: int = 0
    included: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def merge_pdfs(
    parts: Iterable[Part],
    stream: BinaryIO,
    cover: Callable[[MergeResult], bytes] | None = None,
) -> MergeResult:
    """Append ``parts`` into one PDF written to ``stream``; ``cover`` is
    called once every part was read, with what was included and what was
    not, and its PDF bytes become the first pages."""
    result = MergeResult()
    writer = PdfWriter()
    handles = []
    try:
        for part in parts:
            handle = part.opener()
            handles.append(handle)
            try:
                reader = PdfReader(handle, strict=False)
                if reader.is_encrypted:
                    raise PdfReadError("encrypted")
                pages = list(reader.pages)
                if not pages:
                    raise PdfReadError("no pages")
            except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
                _logger.info("Part %s left out of the export: %s", part.label, error)
                result.unreadable.append(part.label)
                continue
            for page in pages:
                writer.add_page(page)
            result.included.append(part.label)
        if cover is not None:
            cover_reader = PdfReader(io.BytesIO(cover(result)), strict=False)
            for index, page in enumerate(cover_reader.pages):
                writer.insert_page(page, index)
            result.cover_pages = len(cover_reader.pages)
        result.page_count = len(writer.pages)
        writer.write(stream)
    finally:
        for handle in handles:
            handle.close()
    return result
