"""The three Decree 30 appearances: where they land, what they show, and that
pyHanko's own validator accepts what we produce."""

from __future__ import annotations

import io

import pytest
from demo import testpki
from pades.appearance import iso_time
from pades.errors import PersonSignatureMissingError, SignatureBlockNotFoundError
from pades.locate import find_line, line_above
from pades.pdf import open_reader
from pades.placement import Placement
from pades.signer import AttachmentAppearance, PersonAppearance, sign_pdf
from pades_helpers import (
    actual_texts,
    canvas_pdf,
    changed_pixels,
    is_blue,
    is_dark,
    is_red,
    pyhanko_status,
    render,
    signature_dictionary,
    widget_rect,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, append_signature_field

REFERENCE = "15/QĐ-UBND"


@pytest.fixture(scope="module")
def person_signed(draft, person, person_appearance) -> bytes:
    return sign_pdf(draft, person, person_appearance)


@pytest.fixture(scope="module")
def sealed(person_signed, organisation, organisation_appearance) -> bytes:
    return sign_pdf(person_signed, organisation, organisation_appearance)


@pytest.fixture(scope="module")
def attachment(draft, organisation) -> bytes:
    return sign_pdf(draft, organisation, AttachmentAppearance(REFERENCE))


def assert_pades_baseline(pdf: bytes, original: bytes, pki, field: str) -> None:
    """Incremental, ETSI.CAdES.detached, SHA-256, and valid for pyHanko itself."""
    assert pdf.startswith(original), "signature must be an incremental update"
    sig_object, embedded = signature_dictionary(pdf, field)
    assert sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.md_algorithm == "sha256"
    status = pyhanko_status(pdf, pki, field)
    assert (
        status.intact and status.valid and status.trusted
    ), status.pretty_print_details()
    assert status.bottom_line


def assert_changes_inside(before: bytes, after: bytes, rect, page: int) -> int:
    """Every pixel that changed on ``page`` lies inside ``rect``; returns how many."""
    changed = changed_pixels(render(before, page), render(after, page))
    outside = [
        (x, y)
        for x, y in changed
        if not (rect.x0 - 2 <= x <= rect.x1 + 2 and rect.y0 - 2 <= y <= rect.y1 + 2)
    ]
    assert (
        not outside
    ), f"{len(outside)} pixels changed outside the stamp, e.g. {outside[:5]}"
    return len(changed)


# --- person ---------------------------------------------------------------------


def test_person_signature_is_pades_baseline(person_signed, draft, pki):
    assert_pades_baseline(person_signed, draft, pki, "vbdt_person_1")


def test_person_image_sits_between_title_and_printed_name(person_signed, draft):
    reader = open_reader(draft)
    page, name, lines = find_line(reader, testpki.PERSON_NAME, iter([0]))
    title = line_above(name, lines)
    rect, page_number = widget_rect(person_signed, "vbdt_person_1")
    assert page_number == 1 and title.text == "CHỦ TỊCH"
    assert name.top < rect.y0 < rect.y1 < title.bottom
    assert abs((rect.x0 + rect.x1) / 2 - name.centre) < 0.5


def test_person_image_renders_blue_inside_its_widget_only(person_signed, draft):
    rect, page = widget_rect(person_signed, "vbdt_person_1")
    assert assert_changes_inside(draft, person_signed, rect, page) > 300
    assert render(person_signed, page).pixels(rect.as_tuple(), is_blue) > 300


def test_person_signature_on_last_page_of_long_document(
    draft_20, person, person_appearance
):
    signed = sign_pdf(draft_20, person, person_appearance)
    rect, page = widget_rect(signed, "vbdt_person_1")
    assert page == 20
    assert render(signed, 20).pixels(rect.as_tuple(), is_blue) > 300


def test_explicit_box_on_a_given_page(draft_20, person, person_appearance):
    box = (100, 100, 250, 160)
    signed = sign_pdf(draft_20, person, person_appearance, Placement(box=box, page=2))
    rect, page = widget_rect(signed, "vbdt_person_1")
    assert page == 3 and rect.as_tuple() == pytest.approx(box)
    assert render(signed, 3).pixels(box, is_blue) > 200


def test_existing_empty_signature_field(draft, person, person_appearance, pki):
    writer = IncrementalPdfFileWriter(io.BytesIO(draft))
    append_signature_field(
        writer, SigFieldSpec("ChuKyLanhDao", on_page=0, box=(300, 100, 500, 170))
    )
    output = io.BytesIO()
    writer.write(output)
    with_field = output.getvalue()
    signed = sign_pdf(
        with_field, person, person_appearance, Placement(field_name="ChuKyLanhDao")
    )
    rect, _page = widget_rect(signed, "ChuKyLanhDao")
    assert rect.as_tuple() == pytest.approx((300, 100, 500, 170))
    assert_pades_baseline(signed, with_field, pki, "ChuKyLanhDao")
    assert render(signed).pixels(rect.as_tuple(), is_blue) > 200


def test_printed_name_without_title_line(person, person_appearance):
    from pades.placement import DEFAULT_SIGNATURE_HEIGHT

    pdf = canvas_pdf(lambda page: page.drawCentredString(400, 200, testpki.PERSON_NAME))
    signed = sign_pdf(pdf, person, person_appearance)
    rect, _page = widget_rect(signed, "vbdt_person_1")
    assert 200 < rect.y0 < rect.y1 <= 200 + 13 + DEFAULT_SIGNATURE_HEIGHT + 3
    assert abs((rect.x0 + rect.x1) / 2 - 400) < 0.5
    assert render(signed).pixels(rect.as_tuple(), is_blue) > 200


def test_printed_name_overrides_the_certificate_name(draft, person, signature_png):
    appearance = PersonAppearance(signature_png, printed_name="Trần Thị Bình")
    with pytest.raises(SignatureBlockNotFoundError) as caught:
        sign_pdf(draft, person, appearance)
    assert "Trần Thị Bình" in str(caught.value)


# --- organisation -----------------------------------------------------------------


def test_seal_is_pades_baseline_and_keeps_person_signature(sealed, person_signed, pki):
    assert_pades_baseline(sealed, person_signed, pki, "vbdt_organisation")
    person_status = pyhanko_status(sealed, pki, "vbdt_person_1")
    assert person_status.bottom_line and person_status.docmdp_ok


def test_seal_covers_left_third_of_person_image(sealed, seal_png):
    person_rect, _ = widget_rect(sealed, "vbdt_person_1")
    seal_rect, _ = widget_rect(sealed, "vbdt_organisation")
    third = person_rect.x0 + person_rect.width / 3
    seal_diameter = 36 / 25.4 * 72  # the demo seal's real size
    seal_left = third - seal_diameter
    assert seal_rect.x0 <= seal_left + 0.5 and seal_rect.x1 >= third - 0.5
    rendered = render(sealed)
    person_middle = (person_rect.y0 + person_rect.y1) / 2
    seal_band = (seal_left + 3, person_middle - 20, third - 3, person_middle + 20)
    assert rendered.pixels(seal_band, is_red) > 150
    right_of_seal = (third + 3, person_middle - 20, person_rect.x1, person_middle + 20)
    assert rendered.pixels(right_of_seal, is_red) == 0


def test_seal_text_shows_agency_and_iso_time(sealed, person_signed):
    texts = actual_texts(sealed, "vbdt_organisation")
    _sig_object, embedded = signature_dictionary(sealed, "vbdt_organisation")
    signing_time = embedded.self_reported_timestamp
    assert texts == [testpki.AGENCY_NAME, iso_time(signing_time)]
    assert texts[1].endswith("+07:00") and "T" in texts[1]
    rect, page = widget_rect(sealed, "vbdt_organisation")
    assert_changes_inside(person_signed, sealed, rect, page)
    text_band = (rect.x0, rect.y0, rect.x1, rect.y0 + 26)
    assert render(sealed).pixels(text_band, is_dark) > 100


def test_seal_is_refused_without_person_signature(
    draft, organisation, organisation_appearance
):
    with pytest.raises(PersonSignatureMissingError):
        sign_pdf(draft, organisation, organisation_appearance)


def test_seal_locks_the_document(sealed):
    sig_object, embedded = signature_dictionary(sealed, "vbdt_organisation")
    assert embedded.docmdp_level == MDPPerm.NO_CHANGES  # the number cannot be refilled
    # the lock names the signature fields only, so that DSS and document
    # timestamps stay possible (see the tamper matrix)
    assert embedded.fieldmdp.is_locked("vbdt_organisation")
    assert embedded.fieldmdp.is_locked("vbdt_person_1")


def test_explicit_box_for_the_seal(
    person_signed, organisation, organisation_appearance
):
    box = (300, 80, 560, 240)
    sealed = sign_pdf(
        person_signed, organisation, organisation_appearance, Placement(box=box)
    )
    rect, _page = widget_rect(sealed, "vbdt_organisation")
    assert rect.as_tuple() == pytest.approx(box)
    assert render(sealed).pixels(box, is_red) > 500


# --- attachment -------------------------------------------------------------------


def test_attachment_signature_is_pades_baseline(attachment, draft, pki):
    assert_pades_baseline(attachment, draft, pki, "vbdt_attachment")
    _sig_object, embedded = signature_dictionary(attachment, "vbdt_attachment")
    assert embedded.docmdp_level == MDPPerm.NO_CHANGES  # certifies: nothing may follow


def test_attachment_text_top_right_of_first_page(attachment, draft):
    rect, page = widget_rect(attachment, "vbdt_attachment")
    assert page == 1
    rendered = render(attachment)
    width, height = rendered.image.size
    assert rect.x1 <= width and rect.y1 <= height
    assert rect.x0 > width / 2 and rect.y0 > height - 60
    assert assert_changes_inside(draft, attachment, rect, 1) > 100
    assert rendered.pixels(rect.as_tuple(), is_dark) > 100
    texts = actual_texts(attachment, "vbdt_attachment")
    assert texts[0] == REFERENCE and texts[1].endswith("+07:00")
