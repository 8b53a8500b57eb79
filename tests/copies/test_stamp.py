"""The copies core without Odoo: pages chosen, the copy block drawn at the
top right of page 1 of a new PDF, signature widgets of the source dropped,
and bad input refused with a code the addon turns into a message."""

import io

import pytest
from copies import stamp
from PyPDF2 import PdfReader
from reportlab.pdfgen import canvas

LINES = stamp.CopyLines(
    "TRÍCH SAO", "UBND tỉnh Phú Thọ", "Số: 01/TrS", "Phú Thọ, 02/12/2026"
)


def _pdf(pages=3, size=(595, 842)):
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=size)
    for number in range(1, pages + 1):
        drawing.drawString(72, 700, f"Trang {number}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("spec", "pages"),
    [
        (None, [0, 1, 2, 3, 4]),
        ("", [0, 1, 2, 3, 4]),
        ("1-2, 4", [0, 1, 3]),
        ("4;2;2", [1, 3]),
        ("5", [4]),
    ],
)
def test_pages_are_parsed_once_in_order(spec, pages):
    assert stamp.parse_pages(spec, 5) == pages


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        ("0", "pages_range"),
        ("6", "pages_range"),
        ("3-2", "pages_range"),
        ("a", "pages_syntax"),
        (",", "pages_syntax"),
        ("1-x", "pages_syntax"),
    ],
)
def test_bad_pages_are_refused(spec, code):
    with pytest.raises(stamp.CopyError) as caught:
        stamp.parse_pages(spec, 5)
    assert caught.value.code == code


def test_extract_holds_the_pages_and_the_block_is_top_right():
    source = _pdf()
    copy = stamp.make_copy(source, "2-3", LINES)
    reader = PdfReader(io.BytesIO(copy.pdf))
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    assert "Trang 2" in first and "TRÍCH SAO" in first and "01/TrS" in first
    assert "Trang 1" not in "".join(page.extract_text() for page in reader.pages)
    x0, y0, x1, y1 = copy.seal_box
    assert x0 > 595 / 2 and x1 <= 595 and y0 > 842 * 3 / 4 and y1 < 842


def test_a_smaller_page_keeps_the_block_on_the_page():
    source = _pdf(1, size=(400, 600))
    copy = stamp.make_copy(source, None, LINES)
    _x0, _y0, x1, y1 = copy.seal_box
    assert x1 <= 400 and y1 < 600


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"not a pdf", "pdf"), (b"%PDF-1.4\n%%EOF\n", "pdf")],
)
def test_unreadable_sources_are_refused(data, code):
    with pytest.raises(stamp.CopyError) as caught:
        stamp.make_copy(data, None, LINES)
    assert caught.value.code in {code, "page_count"}
