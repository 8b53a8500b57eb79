"""Demo material: a Decree 30 style draft PDF, a signature image and a seal.

Generated on the fly (reportlab and Pillow are Odoo dependencies anyway), so
tests, the benchmark and Odoo demo data need no binary fixtures.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from .testpki import PERSON_NAME

# the product's own font, read from the PDF core's folder (this module must
# not import the core: pytest loads both as top-level packages)
FONT_PATH = Path(__file__).parent.parent / "pades" / "fonts" / "VbdtSerif-Regular.ttf"

_FONT_NAME = "VbdtSerif"
_PAGE_WIDTH, _PAGE_HEIGHT = 595.28, 841.89  # A4 in points
_LEFT_MARGIN, _RIGHT_MARGIN, _BOTTOM_MARGIN = 85.0, 57.0, 70.0
LEFT_COLUMN_CENTRE = 170.0
RIGHT_COLUMN_CENTRE = 410.0
SIGNATURE_BLOCK_TOP = 300.0
"""Baseline of the authority line ("TM. ...") on the last page."""


def demo_document_pdf(
    pages: int = 1,
    signer_name: str = PERSON_NAME,
    agency_lines: tuple[str, str] = ("ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ"),
    authority_lines: tuple[str, str] = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
) -> bytes:
    """A draft decision laid out like Decree 30 Appendix I, ``pages`` long.

    Page 1 carries the heading, the blank number line ``Số:      /QĐ-UBND``
    and the blank date line; the last page ends with the recipients list on
    the left and the signature block on the right: authority line, title,
    about 80 pt of space, then the signer's printed name.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont(_FONT_NAME, str(FONT_PATH)))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(_PAGE_WIDTH, _PAGE_HEIGHT), pageCompression=1)
    pdf.setTitle("Quyết định (bản thử nghiệm)")
    for page in range(1, pages + 1):
        if page == 1:
            body_top = _draw_heading(pdf, agency_lines)
        else:
            pdf.setFont(_FONT_NAME, 13)
            pdf.drawCentredString(_PAGE_WIDTH / 2, _PAGE_HEIGHT - 40, str(page))
            body_top = _PAGE_HEIGHT - 80
        body_bottom = SIGNATURE_BLOCK_TOP + 30 if page == pages else _BOTTOM_MARGIN
        _draw_body(pdf, page, body_top, body_bottom)
        if page == pages:
            _draw_signature_block(pdf, signer_name, authority_lines)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_heading(pdf, agency_lines: tuple[str, str]) -> float:
    top = _PAGE_HEIGHT - 60
    pdf.setFont(_FONT_NAME, 13)
    for index, line in enumerate(agency_lines):
        pdf.drawCentredString(LEFT_COLUMN_CENTRE, top - 15 * index, line)
    pdf.setFont(_FONT_NAME, 12)
    pdf.drawCentredString(
        RIGHT_COLUMN_CENTRE, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    pdf.setFont(_FONT_NAME, 13)
    pdf.drawCentredString(RIGHT_COLUMN_CENTRE, top - 15, "Độc lập - Tự do - Hạnh phúc")
    pdf.line(LEFT_COLUMN_CENTRE - 30, top - 20, LEFT_COLUMN_CENTRE + 30, top - 20)
    pdf.line(RIGHT_COLUMN_CENTRE - 80, top - 20, RIGHT_COLUMN_CENTRE + 80, top - 20)
    pdf.drawCentredString(LEFT_COLUMN_CENTRE, top - 45, "Số:        /QĐ-UBND")
    pdf.drawCentredString(
        RIGHT_COLUMN_CENTRE, top - 45, "Phú Thọ, ngày      tháng      năm 2026"
    )
    pdf.setFont(_FONT_NAME, 14)
    pdf.drawCentredString(_PAGE_WIDTH / 2, top - 85, "QUYẾT ĐỊNH")
    pdf.drawCentredString(
        _PAGE_WIDTH / 2, top - 102, "Về việc ban hành Quy chế thử nghiệm"
    )
    return top - 135


def _draw_body(pdf, page: int, top: float, bottom: float) -> None:
    pdf.setFont(_FONT_NAME, 13)
    y, line_number = top, 1
    while y > bottom:
        pdf.drawString(
            _LEFT_MARGIN,
            y,
            f"Điều {page}.{line_number}. Nội dung thử nghiệm của văn bản điện tử có "
            "chữ ký số.",
        )
        y -= 19
        line_number += 1


def _draw_signature_block(
    pdf, signer_name: str, authority_lines: tuple[str, str]
) -> None:
    pdf.setFont(_FONT_NAME, 12)
    pdf.drawString(_LEFT_MARGIN, SIGNATURE_BLOCK_TOP, "Nơi nhận:")
    pdf.setFont(_FONT_NAME, 11)
    for index, recipient in enumerate(("- Như Điều 3;", "- Lưu: VT.")):
        pdf.drawString(_LEFT_MARGIN, SIGNATURE_BLOCK_TOP - 14 * (index + 1), recipient)
    pdf.setFont(_FONT_NAME, 13)
    for index, line in enumerate(authority_lines):
        pdf.drawCentredString(
            RIGHT_COLUMN_CENTRE, SIGNATURE_BLOCK_TOP - 16 * index, line
        )
    pdf.drawCentredString(RIGHT_COLUMN_CENTRE, SIGNATURE_BLOCK_TOP - 110, signer_name)


def demo_signature_png(width_px: int = 600, height_px: int = 240) -> bytes:
    """A blue handwritten-looking scribble on a transparent background."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width_px, height_px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    blue = (20, 40, 170, 255)
    points = [
        (
            width_px * (0.08 + 0.84 * t / 200),
            height_px * (0.5 + 0.3 * math.sin(t / 9.0) * math.cos(t / 37.0)),
        )
        for t in range(201)
    ]
    draw.line(points, fill=blue, width=max(4, height_px // 40), joint="curve")
    underline_y = height_px * 0.85
    draw.line(
        [(width_px * 0.2, underline_y), (width_px * 0.85, underline_y - 12)],
        fill=blue,
        width=max(3, height_px // 60),
    )
    return _png_bytes(image, dpi=200)


def demo_seal_png(
    lines: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ"),
    diameter_mm: float = 36.0,
    dpi: int = 300,
) -> bytes:
    """A red round seal on a transparent background; its DPI gives its real size."""
    from PIL import Image, ImageDraw, ImageFont

    size = round(diameter_mm / 25.4 * dpi)
    red = (210, 20, 30, 255)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ring = max(6, size // 40)
    draw.ellipse((ring, ring, size - ring, size - ring), outline=red, width=ring)
    inner = size // 9
    draw.ellipse(
        (inner, inner, size - inner, size - inner), outline=red, width=ring // 2
    )
    _draw_star(draw, size / 2, size * 0.36, size * 0.09, red)
    font = ImageFont.truetype(str(FONT_PATH), size=size // 13)
    for index, text in enumerate(lines):
        position = (size / 2, size * (0.56 + 0.1 * index))
        draw.text(position, text, fill=red, font=font, anchor="mm")
    return _png_bytes(image, dpi=dpi)


def _draw_star(draw, cx: float, cy: float, radius: float, colour) -> None:
    points = []
    for index in range(10):
        angle = math.pi / 2 + index * math.pi / 5
        r = radius if index % 2 == 0 else radius * 0.4
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    draw.polygon(points, fill=colour)


def _png_bytes(image, dpi: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
