"""The Decree 30 sequence on an outgoing document: prepare fields, person signs,
clerk stamps number and date, organisation seals; and what must be refused."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pades.errors import (
    AlreadySignedError,
    CertificateExpiredError,
    CertificateNotYetValidError,
    CertificateRevokedCannotSignError,
    KeyUsageError,
    PersonSignatureMissingError,
    SealAlreadyAppliedError,
    StampFieldsMissingError,
    TextLineNotFoundError,
    UntrustedCertificateError,
)
from pades.signer import AttachmentAppearance, SigningOptions, sign_pdf
from pades.stamping import (
    DATE_FIELD,
    NUMBER_FIELD,
    FieldBox,
    prepare_fields,
    stamp_number_date,
)
from pades.verify import verify_pdf
from pades_helpers import (
    canvas_pdf,
    changed_pixels,
    is_dark,
    pkcs12_backend,
    pyhanko_status,
    raw_pyhanko_sign,
    render,
    widget_rect,
)
from pyhanko.pdf_utils.form_tools import populate_static_text_field
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle

NUMBER = "Số: 15/QĐ-UBND"
DATE = "Phú Thọ, ngày 05 tháng 02 năm 2026"


@pytest.fixture(scope="module")
def prepared(draft) -> bytes:
    return prepare_fields(draft)


@pytest.fixture(scope="module")
def signed(prepared, person, person_appearance) -> bytes:
    return sign_pdf(prepared, person, person_appearance)


@pytest.fixture(scope="module")
def stamped(signed) -> bytes:
    return stamp_number_date(signed, NUMBER, DATE)


@pytest.fixture(scope="module")
def sealed(stamped, organisation, organisation_appearance) -> bytes:
    return sign_pdf(stamped, organisation, organisation_appearance)


def test_fields_cover_the_placeholder_lines(prepared, draft):
    number, page = widget_rect(prepared, NUMBER_FIELD)
    date, _page = widget_rect(prepared, DATE_FIELD)
    assert page == 1
    blank = render(draft)
    assert blank.pixels(number.as_tuple(), is_dark) > 50  # "Số:   /QĐ-UBND"
    assert blank.pixels(date.as_tuple(), is_dark) > 50
    assert not changed_pixels(blank, render(prepared))  # empty fields draw nothing


def test_stamping_keeps_the_person_signature_valid(stamped, signed, pki):
    assert stamped.startswith(signed)
    status = pyhanko_status(stamped, pki, "vbdt_person_1")
    assert status.bottom_line and status.docmdp_ok
    (report,) = verify_pdf(stamped, pki.trust_anchors).signatures
    assert report.valid and report.modification_level == "form_filling"
    assert report.changed_fields == (DATE_FIELD, NUMBER_FIELD)


def test_stamped_text_replaces_the_placeholder(stamped, signed):
    before, after = render(signed), render(stamped)
    for field in (NUMBER_FIELD, DATE_FIELD):
        rect, _page = widget_rect(stamped, field)
        assert after.pixels(rect.as_tuple(), is_dark) > 50
    number, _page = widget_rect(stamped, NUMBER_FIELD)
    date, _page = widget_rect(stamped, DATE_FIELD)
    for x, y in changed_pixels(before, after):
        assert any(
            r.x0 - 1 <= x <= r.x1 + 1 and r.y0 - 1 <= y <= r.y1 + 1
            for r in (number, date)
        )


def test_complete_sequence_verifies(sealed, pki):
    report = verify_pdf(sealed, pki.trust_anchors)
    assert report.complete
    person, seal = report.signatures
    assert person.changed_fields == (DATE_FIELD, NUMBER_FIELD, "vbdt_organisation")
    for field in ("vbdt_person_1", "vbdt_organisation"):
        assert pyhanko_status(sealed, pki, field).bottom_line


@pytest.mark.parametrize("kind", ["person", "attachment"])
def test_no_signature_after_the_seal(
    sealed, person, organisation, person_appearance, kind
):
    backend, appearance = (
        (person, person_appearance)
        if kind == "person"
        else (organisation, AttachmentAppearance("15/QĐ-UBND"))
    )
    with pytest.raises(SealAlreadyAppliedError) as caught:
        sign_pdf(sealed, backend, appearance)
    assert "vbdt_organisation" in str(caught.value)


def test_no_stamping_after_the_seal(sealed):
    with pytest.raises(SealAlreadyAppliedError):
        stamp_number_date(sealed, NUMBER, DATE)


def test_seal_locks_the_fields_against_other_tools(
    signed, organisation, organisation_appearance, pki
):
    """Filling the number after the seal, bypassing us, breaks the seal."""
    sealed_early = sign_pdf(signed, organisation, organisation_appearance)
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed_early))
    populate_static_text_field(writer, NUMBER_FIELD, TextBoxStyle(), "99")
    output = io.BytesIO()
    writer.write(output)
    report = verify_pdf(output.getvalue(), pki.trust_anchors)
    seal = report.signatures[1]
    assert not seal.changes_permitted and not report.complete


def test_seal_refused_when_the_person_signature_was_tampered(
    signed, organisation, organisation_appearance
):
    forged = signed.replace(b"ReportLab PDF Library", b"ReportLab PDF Librarx", 1)
    with pytest.raises(PersonSignatureMissingError):
        sign_pdf(forged, organisation, organisation_appearance)


def test_seal_refused_for_an_untrusted_person(
    draft, organisation, organisation_appearance, pki
):
    signed_by_stranger = raw_pyhanko_sign(draft, pki.foreign, "vbdt_person_1")
    options = SigningOptions(trust_anchors=pki.trust_anchors)
    with pytest.raises(PersonSignatureMissingError):
        sign_pdf(
            signed_by_stranger, organisation, organisation_appearance, options=options
        )


def test_seal_reuses_the_callers_report(
    signed, stamped, organisation, organisation_appearance, pki, monkeypatch
):
    """Given the caller's report of the person signature, the seal verifies
    nothing again; without one it verifies once; a report whose person
    signature is not sound is refused like a verification would be."""
    import pades.signer

    options = SigningOptions(trust_anchors=pki.trust_anchors)
    report = verify_pdf(signed, pki.trust_anchors)
    calls = []
    real = pades.signer.verify_document

    def counted(reader, policy):
        calls.append(policy)
        return real(reader, policy)

    monkeypatch.setattr(pades.signer, "verify_document", counted)
    with_report = replace(options, person_report=report)
    sealed = sign_pdf(
        stamped, organisation, organisation_appearance, options=with_report
    )
    assert calls == []
    assert verify_pdf(sealed, pki.trust_anchors).complete
    sign_pdf(stamped, organisation, organisation_appearance, options=options)
    assert len(calls) == 1
    forged = signed.replace(b"ReportLab PDF Library", b"ReportLab PDF Librarx", 1)
    bad = replace(options, person_report=verify_pdf(forged, pki.trust_anchors))
    with pytest.raises(PersonSignatureMissingError):
        sign_pdf(stamped, organisation, organisation_appearance, options=bad)


def test_fields_cannot_be_added_after_signing(signed):
    with pytest.raises(AlreadySignedError):
        prepare_fields(signed)


def test_stamping_without_prepared_fields(draft, person, person_appearance):
    unprepared = sign_pdf(draft, person, person_appearance)
    with pytest.raises(StampFieldsMissingError) as caught:
        stamp_number_date(unprepared, NUMBER, DATE)
    assert NUMBER_FIELD in str(caught.value)


def test_stamping_twice(stamped):
    with pytest.raises(StampFieldsMissingError):
        stamp_number_date(stamped, NUMBER, DATE)


def test_explicit_field_boxes(draft_20):
    prepared = prepare_fields(
        draft_20,
        number_box=FieldBox(page=0, box=(80, 700, 260, 720), font_size=12),
        date_box=FieldBox(page=0, box=(300, 700, 540, 720)),
    )
    rect, page = widget_rect(prepared, NUMBER_FIELD)
    assert page == 1 and rect.as_tuple() == pytest.approx((80, 700, 260, 720))


def test_missing_placeholder_lines():
    with pytest.raises(TextLineNotFoundError):
        prepare_fields(canvas_pdf(lambda page: page.drawString(100, 700, "Hello")))


# --- certificates checked before signing --------------------------------------


@pytest.mark.parametrize(
    "credential, error",
    [
        ("expired", CertificateExpiredError),
        ("not_yet_valid", CertificateNotYetValidError),
        ("no_signing_usage", KeyUsageError),
    ],
)
def test_certificate_that_cannot_sign(draft, pki, person_appearance, credential, error):
    with pytest.raises(error) as caught:
        sign_pdf(draft, pkcs12_backend(getattr(pki, credential)), person_appearance)
    assert "Nguyễn Văn An" in str(caught.value)


def test_untrusted_chain_refused_when_anchors_are_configured(
    draft, pki, person_appearance
):
    options = SigningOptions(trust_anchors=pki.trust_anchors)
    with pytest.raises(UntrustedCertificateError):
        sign_pdf(draft, pkcs12_backend(pki.foreign), person_appearance, options=options)


def test_revoked_certificate_refused(draft, pki, person_appearance):
    options = SigningOptions(trust_anchors=pki.trust_anchors, crls=pki.crls)
    with pytest.raises(CertificateRevokedCannotSignError):
        sign_pdf(draft, pkcs12_backend(pki.revoked), person_appearance, options=options)


def test_trusted_chain_signs(draft, pki, person, person_appearance):
    options = SigningOptions(trust_anchors=pki.trust_anchors, crls=pki.crls)
    assert verify_pdf(
        sign_pdf(draft, person, person_appearance, options=options), pki.trust_anchors
    ).has_valid_person_signature
