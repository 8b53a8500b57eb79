"""The PDF of a copy: the chosen pages of the source, and on the first page,
at the top right as Decree 30/2020 Appendix I places the organisation's
signature on an electronic copy, the copy's lines (form of copy, agency,
number, place and date). The source bytes are never changed: the copy is a
new PDF. Signature fields of the source are not carried over, since the
copy is a new document whose own signature (if any) comes afterwards."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PyPDF2 import PdfReader, PdfWriter
from PyPDF2.errors import PdfReadError
from PyPDF2.generic import ArrayObject, NameObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Fonts with Vietnamese glyphs, by fixed path (never from the database): the
# suite's own serif (shipped in vbdt_signature's folder, read as a file
# whether or not that addon is installed), else the system's DejaVu Serif.
_ADDONS = Path(__file__).resolve().parents[2]
FONT_CANDIDATES = (
    _ADDONS / "vbdt_signature" / "pades" / "fonts" / "VbdtSerif-Regular.ttf",
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
)
_FONT_NAME = "VbdtCopySerif"
MAX_PAGES = 2000
MARGIN = 18.0
FONT_SIZE = 10.0
FORM_SIZE = 12.0
LEADING = 1.3
# The agency's text-only signature under the copy block: number and time.
SEAL_WIDTH = 190.0
SEAL_HEIGHT = 36.0
SEAL_GAP = 4.0


class CopyError(ValueError):
    """A copy cannot be made; ``code`` says why (mapped to a message)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class CopyLines:
    """What the copy line says, top to bottom."""

    form: str
    agency: str
    number: str
    place_date: str
    marker: str = ""

    def lines(self) -> tuple[str, ...]:
        lines = (self.form, self.agency, self.number, self.place_date, self.marker)
        return tuple(line for line in lines if line)


def parse_pages(spec: str | None, page_count: int) -> list[int]:
    """``"1-3, 5"`` -> ``[0, 1, 2, 4]`` (0-based, in the source's order, each
    once). An empty spec is every page."""
    if not spec or not spec.strip():
        return list(range(page_count))
    chosen: set[int] = set()
    for part in spec.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        first, _sep, last = part.partition("-")
        try:
            start, end = int(first), int(last or first)
        except ValueError:
            raise CopyError("pages_syntax", part) from None
        if start < 1 or end < start or end > page_count:
            raise CopyError("pages_range", part)
        chosen.update(range(start - 1, end))
    if not chosen:
        raise CopyError("pages_syntax", spec)
    return sorted(chosen)


def _font_name() -> str:
    if _FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        path = next((path for path in FONT_CANDIDATES if path.is_file()), None)
        if path is None:
            raise CopyError("font")
        pdfmetrics.registerFont(TTFont(_FONT_NAME, str(path)))
    return _FONT_NAME


@dataclass(frozen=True)
class CopyPdf:
    """The copy's bytes, and the box (points, page 1) right under the copy
    block where the agency's signature goes when the copy is signed."""

    pdf: bytes
    seal_box: tuple[float, float, float, float]


def _overlay(right: float, top: float, lines: tuple[str, ...]) -> tuple[bytes, float]:
    """A one-page PDF reaching the page's top right corner (``right``,
    ``top``, in the page's own coordinates) with the lines right-aligned in
    a framed block there; and the block's bottom."""
    font = _font_name()
    sizes = [FORM_SIZE] + [FONT_SIZE] * (len(lines) - 1)
    block_width = max(
        pdfmetrics.stringWidth(line, font, size)
        for line, size in zip(lines, sizes, strict=True)
    )
    block_height = sum(size * LEADING for size in sizes)
    pad = 4.0
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=(right, top))
    right -= MARGIN
    top -= MARGIN
    drawing.setFillColorRGB(1, 1, 1)
    drawing.setStrokeColorRGB(0.75, 0.0, 0.0)
    drawing.rect(
        right - block_width - 2 * pad,
        top - block_height - 2 * pad,
        block_width + 2 * pad,
        block_height + 2 * pad,
        stroke=1,
        fill=1,
    )
    drawing.setFillColorRGB(0.75, 0.0, 0.0)
    baseline = top - pad
    for line, size in zip(lines, sizes, strict=True):
        baseline -= size * LEADING
        drawing.setFont(font, size)
        drawing.drawRightString(right - pad, baseline + size * 0.25, line)
    drawing.showPage()
    drawing.save()
    return buffer.getvalue(), top - block_height - 2 * pad


def _without_signature_widgets(page) -> None:
    annots = page.get("/Annots")
    if not annots:
        return
    kept = ArrayObject(
        annot
        for annot in annots.get_object()
        if not _is_signature_widget(annot.get_object())
    )
    page[NameObject("/Annots")] = kept


def _is_signature_widget(annot) -> bool:
    field = annot
    while field is not None:
        if field.get("/FT") == "/Sig":
            return True
        parent = field.get("/Parent")
        field = parent.get_object() if parent is not None else None
    return False


def block_extent(line_count: int, sealed: bool) -> float:
    """How far below the page's top a copy block of ``line_count`` lines
    (and the agency's signature under it, when ``sealed``) reaches: where
    the block of a copy made from that copy (sao lục) starts, so that the
    earlier block stays readable."""
    extent = FORM_SIZE * LEADING + FONT_SIZE * LEADING * (line_count - 1) + 8.0
    if sealed:
        extent += SEAL_GAP + SEAL_HEIGHT
    return extent + SEAL_GAP


def make_copy(
    source: bytes, pages_spec: str | None, lines: CopyLines, below: float = 0.0
) -> CopyPdf:
    """The copy's PDF: the chosen pages of ``source`` with the copy lines at
    the top right of its first page, ``below`` points lower when the source
    already carries a copy block there."""
    try:
        reader = PdfReader(io.BytesIO(source), strict=False)
        if reader.is_encrypted:
            raise CopyError("encrypted")
        page_count = len(reader.pages)
    except PdfReadError as error:
        raise CopyError("pdf", str(error)) from None
    if not page_count or page_count > MAX_PAGES:
        raise CopyError("page_count", str(page_count))
    chosen = parse_pages(pages_spec, page_count)
    writer = PdfWriter()
    for index in chosen:
        writer.add_page(reader.pages[index])
    for page in writer.pages:
        _without_signature_widgets(page)
    first = writer.pages[0]
    if int(first.get("/Rotate", 0) or 0) % 360:
        raise CopyError("rotated")
    # Drawn in the page's own coordinates, up to its visible top right corner.
    box = first.cropbox
    right = float(box.right)
    overlay, bottom = _overlay(right, float(box.top) - below, lines.lines())
    first.merge_page(PdfReader(io.BytesIO(overlay)).pages[0])
    output = io.BytesIO()
    writer.write(output)
    seal_box = (
        right - MARGIN - SEAL_WIDTH,
        bottom - SEAL_GAP - SEAL_HEIGHT,
        right - MARGIN,
        bottom - SEAL_GAP,
    )
    return CopyPdf(output.getvalue(), seal_box)
