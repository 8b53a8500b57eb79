"""Decree 30 Appendix I, checked on rendered pages (poppler's pdftoppm):
the place-and-date line in italics with nothing clipped, and the seal's text
block whole inside its stamp."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from pades.appearance import font_extent
from pades.signer import OrganisationAppearance, sign_pdf
from pades.stamping import DATE_FIELD, NUMBER_FIELD, prepare_fields, stamp_number_date
from pades_helpers import device_rows, ink_rows, widget_rect

PAGE_HEIGHT = 842
DPI = 288
# "g", "y" and the dot under "ọ" descend; "ú", "ễ" climb high
DATE = "Phú Thọ, ngày 05 tháng 02 năm 2026"
AGENCY_WITH_DESCENDERS = "Sở Nông nghiệp và Phát triển nông thôn tỉnh Phú Thọ"


@pytest.fixture(scope="module")
def signed(draft, person, person_appearance) -> bytes:
    return sign_pdf(prepare_fields(draft), person, person_appearance)


@pytest.fixture(scope="module")
def stamped(signed) -> bytes:
    return stamp_number_date(signed, "Số: 15/QĐ-UBND", DATE)


def _field_fonts(pdf: bytes, field_name: str) -> set[str]:
    """BaseFont names used by a field's appearance stream."""
    reader = PdfFileReader(io.BytesIO(pdf))
    field = next(
        f.get_object()
        for f in reader.root["/AcroForm"]["/Fields"]
        if f.get_object()["/T"] == field_name
    )
    fonts = field["/AP"]["/N"].get_object()["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]) for font in fonts.values()}


def assert_ink_whole_inside(before: bytes, after: bytes, rect, glyph_height: float) -> None:
    """The new ink inside ``rect`` keeps clear of its top and bottom edges
    (a clipped glyph ends exactly on the edge) and is as tall as the glyphs
    it draws (clipped descenders would make it shorter)."""
    rows = ink_rows(before, after, rect.as_tuple(), dpi=DPI)
    assert rows, "nothing was drawn"
    top, bottom = device_rows(rect.as_tuple(), PAGE_HEIGHT, DPI)
    assert rows[0] > top + 1, f"ink touches the top edge (rows {rows[0]}..{rows[-1]}, box {top}..{bottom})"
    assert rows[-1] < bottom - 1, (
        f"ink is cut at the bottom edge (rows {rows[0]}..{rows[-1]}, box {top}..{bottom})"
    )
    assert rows[-1] - rows[0] + 1 >= glyph_height * DPI / 72 * 0.9


def test_date_line_is_italic_and_number_line_upright(stamped):
    assert any("VbdtSerif-Italic" in name for name in _field_fonts(stamped, DATE_FIELD))
    assert not any("Italic" in name for name in _field_fonts(stamped, NUMBER_FIELD))


def test_date_line_descenders_are_not_clipped(stamped, signed):
    rect, page = widget_rect(stamped, DATE_FIELD)
    assert page == 1
    # from the top of "ú" (0.695 em) to the bottom of "g" (0.216 em), at the
    # size actually drawn: the line's 13 pt or less if it had to shrink
    _ascent, descent = font_extent(13, italic=True)
    assert_ink_whole_inside(signed, stamped, rect, glyph_height=0.695 * 13 + descent)


def test_seal_text_block_is_whole_inside_its_stamp(signed, organisation, seal_png):
    appearance = OrganisationAppearance(seal_png, AGENCY_WITH_DESCENDERS)
    sealed = sign_pdf(signed, organisation, appearance)
    rect, _page = widget_rect(sealed, "vbdt_organisation")
    rows = ink_rows(signed, sealed, rect.as_tuple(), dpi=DPI)
    top, bottom = device_rows(rect.as_tuple(), PAGE_HEIGHT, DPI)
    assert rows and rows[-1] < bottom - 1, f"seal text cut at the bottom ({rows[-1]} vs {bottom})"

