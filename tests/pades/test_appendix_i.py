"""Decree 30 Appendix I, checked on rendered pages (poppler's pdftoppm):
the place-and-date line in italics with nothing clipped, and the seal's text
block whole inside its stamp."""

from __future__ import annotations

import pytest
from pades.appearance import font_extent
from pades.signer import OrganisationAppearance, sign_pdf
from pades.stamping import DATE_FIELD, NUMBER_FIELD, prepare_fields, stamp_number_date
from pades_helpers import (
    device_rows,
    form_field,
    ink_rows,
    ink_rows_in,
    new_ink,
    widget_rect,
)

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
    fonts = form_field(pdf, field_name)["/AP"]["/N"].get_object()["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]) for font in fonts.values()}


def assert_ink_whole_inside(
    before: bytes, after: bytes, rect, glyph_height: float
) -> None:
    """The new ink inside ``rect`` keeps clear of its top and bottom edges
    (a clipped glyph ends exactly on the edge) and is as tall as the glyphs
    it draws (clipped descenders would make it shorter)."""
    rows = ink_rows(before, after, rect.as_tuple(), dpi=DPI)
    assert rows, "nothing was drawn"
    top, bottom = device_rows(rect.as_tuple(), PAGE_HEIGHT, DPI)
    span = f"rows {rows[0]}..{rows[-1]}, box {top}..{bottom}"
    assert rows[0] > top + 1, f"ink touches the top edge ({span})"
    assert rows[-1] < bottom - 1, f"ink is cut at the bottom edge ({span})"
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
    assert (
        rows and rows[-1] < bottom - 1
    ), f"seal text cut at the bottom ({rows[-1]} vs {bottom})"


# --- no stamp over the page's text ----------------------------------------------

LONG_AGENCY = "Sở Nông nghiệp và Phát triển nông thôn tỉnh Phú Thọ"
SIGNER = "Nguyễn Văn An"  # the test person certificate's common name
RECIPIENTS = [
    "- Như Điều 3;",
    "- Thường trực Tỉnh ủy, HĐND tỉnh (để b/c);",
    "- Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
    "- Các sở, ban, ngành thuộc UBND tỉnh;",
    "- UBND các huyện, thành phố, thị xã;",
    "- Chánh, Phó Chánh Văn phòng UBND tỉnh;",
    "- Cổng Thông tin điện tử tỉnh;",
    "- Trung tâm Phục vụ hành chính công tỉnh;",
    "- Lưu: VT, NNTN (Nguyễn Thị Bình).",
]


def _signature_block_pdf(
    block_top: float, recipients=RECIPIENTS, footer: str | None = None
) -> bytes:
    """A last page: body text, then the recipient list on the left and the
    signature block (title, room for the signature, name) on the right."""

    def draw(page):
        for index in range(6):
            body = f"Điều {index + 1}. Nội dung thử nghiệm của văn bản."
            page.drawString(85, 760 - index * 18, body)
        page.setFont("VbdtSerif", 12)
        page.drawString(85, block_top, "Nơi nhận:")
        page.setFont("VbdtSerif", 11)
        for index, recipient in enumerate(recipients):
            page.drawString(85, block_top - 14 - index * 13, recipient)
        page.setFont("VbdtSerif", 13)
        page.drawCentredString(420, block_top, "TM. ỦY BAN NHÂN DÂN")
        page.drawCentredString(420, block_top - 16, "CHỦ TỊCH")
        page.drawCentredString(420, block_top - 100, SIGNER)
        if footer:
            page.drawString(85, block_top - 140, footer)

    from pades_helpers import canvas_pdf

    return canvas_pdf(draw)


def _lines_outside_block(pdf: bytes):
    """The page's lines other than the signature block's own (title, name)."""
    from pades.locate import text_lines
    from pades.pdf import open_reader

    block = {"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", SIGNER}
    return [line for line in text_lines(open_reader(pdf), 0) if line.text not in block]


def assert_no_ink_on_text(before: bytes, after: bytes) -> int:
    """No pixel of any line outside the signature block changed; returns how
    many lines were checked."""
    lines = _lines_outside_block(before)
    ink = new_ink(before, after, dpi=144)
    for line in lines:
        assert not ink_rows_in(
            ink, line.rect.as_tuple(), dpi=144
        ), f"the stamp prints over “{line.text}”"
    return len(lines)


@pytest.mark.parametrize("block_top", [330, 190], ids=["mid-page", "foot-of-page"])
def test_seal_text_moves_off_a_long_recipient_list(
    block_top, person, organisation, seal_png, person_appearance
):
    from pades.signer import PersonAppearance

    draft = _signature_block_pdf(block_top)
    signed = sign_pdf(draft, person, PersonAppearance(person_appearance.signature_png))
    sealed = sign_pdf(
        signed, organisation, OrganisationAppearance(seal_png, LONG_AGENCY)
    )
    stamp, _page = widget_rect(sealed, "vbdt_organisation")
    # the recipient list reaches down past the seal's text: centred under the
    # seal, that text would have printed over it
    lowest_recipient = min(line.rect.y0 for line in _lines_outside_block(draft))
    assert lowest_recipient < stamp.y0 + 20
    assert assert_no_ink_on_text(signed, sealed) >= len(RECIPIENTS) + 6
    assert assert_no_ink_on_text(draft, signed)  # the person image too


def test_seal_refused_when_no_free_place_with_a_message_naming_the_text(
    person, organisation, seal_png, person_appearance
):
    from pades.errors import SealOverlapsTextError
    from pades.signer import PersonAppearance

    wide = "Ghi chú: " + "văn bản có nội dung dài trải hết chiều ngang trang giấy " * 2
    draft = _signature_block_pdf(330, footer=wide[:95])
    signed = sign_pdf(draft, person, PersonAppearance(person_appearance.signature_png))
    with pytest.raises(SealOverlapsTextError) as caught:
        sign_pdf(signed, organisation, OrganisationAppearance(seal_png, LONG_AGENCY))
    # the message names the text in the way of the usual place, and the page
    named = caught.value.params["text"]
    assert named in {line.text for line in _lines_outside_block(draft)}
    assert "page 1" in str(caught.value)


def test_person_image_shrinks_to_clear_the_lines_above(person, signature_png):
    """No title line: the default height would reach the body text above."""
    from pades.signer import PersonAppearance

    def draw(page):
        page.drawString(
            85, 400, "Điều 1. Nội dung thử nghiệm của văn bản điện tử có chữ ký số."
        )
        page.drawCentredString(420, 350, SIGNER)

    from pades_helpers import canvas_pdf

    draft = canvas_pdf(draw)
    signed = sign_pdf(draft, person, PersonAppearance(signature_png))
    rect, _page = widget_rect(signed, "vbdt_person_1")
    assert rect.height < 60
    for line in _lines_outside_block(draft):
        assert not rect.intersects(line.rect)
    assert_no_ink_on_text(draft, signed)


def test_attachment_stamp_refused_over_text_at_the_top_right(organisation):
    from pades.errors import AttachmentStampOverlapsTextError
    from pades.signer import AttachmentAppearance

    def draw(page):
        page.drawRightString(567, 812, "Phụ lục I - Danh mục kèm theo")

    from pades_helpers import canvas_pdf

    with pytest.raises(AttachmentStampOverlapsTextError) as caught:
        sign_pdf(canvas_pdf(draw), organisation, AttachmentAppearance("15/QĐ-UBND"))
    assert "Phụ lục I" in str(caught.value)
