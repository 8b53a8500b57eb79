"""Verification reports: per-signature facts, tampering, trust, time, revocation."""

from __future__ import annotations

import json

import pytest
from demo import testpki
from pades.errors import (
    CertificateInvalidAtSigningTimeError,
    CertificateRevokedError,
    ChangesNotPermittedError,
    InvalidPdfError,
    KeyUsageError,
    RevocationNotCheckedError,
    SignatureBrokenError,
    SignatureRemovedError,
    SigningTimeClaimedError,
    SigningTimeFromVerificationNote,
    UntrustedCertificateError,
)
from pades.pdf import open_reader
from pades.signer import SigningOptions, sign_pdf
from pades.verify import verify_pdf
from pades_helpers import pkcs12_backend, raw_pyhanko_sign, rewritten
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject


@pytest.fixture(scope="module")
def person_signed(draft, person, person_appearance) -> bytes:
    return sign_pdf(draft, person, person_appearance)


@pytest.fixture(scope="module")
def complete(
    person_signed, organisation, organisation_appearance, timestamped
) -> bytes:
    return sign_pdf(
        person_signed, organisation, organisation_appearance, options=timestamped
    )


def codes(problems) -> set[str]:
    return {problem.code for problem in problems}


# --- a sound document ---------------------------------------------------------------


def test_complete_document(complete, pki):
    report = verify_pdf(complete, pki.trust_anchors)
    person, seal = report.signatures
    assert (person.kind, seal.kind) == ("person", "organisation")
    assert person.kind_basis == seal.kind_basis == "field name"
    assert report.has_valid_person_signature and report.has_valid_organisation_signature
    assert report.complete and not report.problems
    assert person.signer.name == testpki.PERSON_NAME
    assert person.signer.organisation == testpki.AGENCY_NAME
    assert person.signer.serial_number == format(
        pki.person.certificate.serial_number, "X"
    )
    assert person.signer.issuer == "Test CA phục vụ các cơ quan Nhà nước"
    assert (
        person.intact and person.changes_permitted and not person.covers_whole_document
    )
    assert person.modification_level == "form_filling"
    assert person.changed_fields == ("vbdt_organisation",)
    assert seal.covers_whole_document and seal.modification_level == "none"
    assert person.trusted and person.valid_at_signing_time and person.key_usage_ok


def test_timestamp_is_the_signing_time_basis(complete, pki):
    report = verify_pdf(complete, pki.trust_anchors)
    person, seal = report.signatures
    # no timestamp of its own: judged now, never at the time it claims
    assert person.signing_time_basis == "verification"
    assert person.judged_at > person.claimed_signing_time
    assert SigningTimeFromVerificationNote.__name__ in codes(person.problems)
    assert seal.signing_time_basis == "timestamp" and seal.timestamp_trusted
    assert abs((seal.timestamp_time - seal.claimed_signing_time).total_seconds()) < 60
    assert seal.judged_at == seal.timestamp_time
    assert not any(isinstance(p, SigningTimeClaimedError) for p in seal.problems)


def test_report_is_json_serialisable(complete, pki):
    data = json.loads(json.dumps(verify_pdf(complete, pki.trust_anchors).to_dict()))
    assert data["complete"] is True
    first = data["signatures"][0]
    assert first["signer"]["name"] == testpki.PERSON_NAME
    problem = first["problems"][0]
    assert set(problem) == {"code", "message", "template", "params"}


def test_person_signature_alone_is_not_complete(person_signed, pki):
    report = verify_pdf(person_signed, pki.trust_anchors)
    assert report.has_valid_person_signature
    assert not report.has_valid_organisation_signature and not report.complete


def test_kind_from_certificate_for_foreign_fields(draft, pki):
    by_person = raw_pyhanko_sign(draft, pki.person, "Signature1")
    by_agency = raw_pyhanko_sign(by_person, pki.organisation, "Signature2")
    person, seal = verify_pdf(by_agency, pki.trust_anchors).signatures
    assert (person.kind, person.kind_basis) == ("person", "certificate")
    assert (seal.kind, seal.kind_basis) == ("organisation", "certificate")
    assert seal.key_usage_ok  # digitalSignature alone is enough


# --- trust, time, key usage, revocation ---------------------------------------


def test_untrusted_chain(draft, pki):
    signed = raw_pyhanko_sign(draft, pki.foreign)
    (signature,) = verify_pdf(signed, pki.trust_anchors).signatures
    assert signature.intact and not signature.trusted and not signature.valid
    assert UntrustedCertificateError.__name__ in codes(signature.problems)


def test_no_trust_anchor_trusts_nothing(person_signed):
    (signature,) = verify_pdf(person_signed, []).signatures
    assert signature.intact and not signature.trusted and not signature.valid


@pytest.mark.parametrize("credential", ["expired", "not_yet_valid"])
def test_certificate_outside_its_validity_at_signing_time(draft, pki, credential):
    signed = raw_pyhanko_sign(draft, getattr(pki, credential))
    (signature,) = verify_pdf(signed, pki.trust_anchors).signatures
    assert not signature.valid_at_signing_time and not signature.valid
    assert CertificateInvalidAtSigningTimeError.__name__ in codes(signature.problems)


def test_certificate_without_signing_key_usage(draft, pki):
    signed = raw_pyhanko_sign(draft, pki.no_signing_usage)
    (signature,) = verify_pdf(signed, pki.trust_anchors).signatures
    assert not signature.key_usage_ok and not signature.valid
    assert KeyUsageError.__name__ in codes(signature.problems)


def test_revocation_not_checked_is_reported_honestly(person_signed, pki):
    (signature,) = verify_pdf(person_signed, pki.trust_anchors).signatures
    assert signature.revocation == "not_checked"
    assert signature.valid  # soft verdict: reported, not fatal
    assert RevocationNotCheckedError.__name__ in codes(signature.problems)


def test_required_revocation_without_data_is_not_valid(person_signed, pki):
    report = verify_pdf(person_signed, pki.trust_anchors, require_revocation=True)
    (signature,) = report.signatures
    assert signature.revocation == "not_checked" and not signature.valid
    assert report.revocation_required


@pytest.mark.parametrize("source", ["crl", "ocsp"])
def test_revocation_good(person_signed, pki, source):
    revinfo = (
        dict(crls=pki.crls)
        if source == "crl"
        else dict(ocsps=[pki.ocsp_response(pki.person)], crls=[pki.root_crl])
    )
    report = verify_pdf(
        person_signed, pki.trust_anchors, require_revocation=True, **revinfo
    )
    (signature,) = report.signatures
    assert signature.revocation == "good" and signature.valid
    assert RevocationNotCheckedError.__name__ not in codes(signature.problems)


@pytest.mark.parametrize(
    "credential, status", [("person", "good"), ("revoked", "revoked")]
)
def test_revocation_fetched_online(draft, online_pki, credential, status):
    signed = raw_pyhanko_sign(draft, getattr(online_pki, credential))
    report = verify_pdf(
        signed, online_pki.trust_anchors, allow_fetching=True, require_revocation=True
    )
    (signature,) = report.signatures
    assert signature.revocation == status
    assert signature.valid is (status == "good")


def test_validation_data_fetched_at_signing_is_embedded(
    draft, online_pki, person_appearance
):
    options = SigningOptions(
        trust_anchors=online_pki.trust_anchors,
        allow_fetching=True,
        embed_validation_info=True,
    )
    signed = sign_pdf(
        draft, pkcs12_backend(online_pki.person), person_appearance, options=options
    )
    offline = verify_pdf(signed, online_pki.trust_anchors, require_revocation=True)
    assert offline.signatures[0].revocation == "good" and offline.signatures[0].valid


def test_revoked_certificate(draft, pki):
    signed = raw_pyhanko_sign(draft, pki.revoked)
    (signature,) = verify_pdf(signed, pki.trust_anchors, crls=pki.crls).signatures
    assert signature.revocation == "revoked" and not signature.valid
    assert CertificateRevokedError.__name__ in codes(signature.problems)


def test_embedded_validation_data_is_used(
    draft, person, person_appearance, pki, timestamper
):
    options = SigningOptions(
        timestamper=timestamper,
        trust_anchors=pki.trust_anchors,
        crls=pki.crls,
        embed_validation_info=True,
    )
    signed = sign_pdf(draft, person, person_appearance, options=options)
    report = verify_pdf(signed, pki.trust_anchors, require_revocation=True)
    (signature,) = report.signatures
    assert signature.revocation == "good" and signature.valid, signature.problems


# --- tampering ----------------------------------------------------------------


def test_content_changed_in_place(person_signed, pki):
    forged = person_signed.replace(
        b"ReportLab PDF Library", b"ReportLab PDF Librarx", 1
    )
    assert forged != person_signed
    (signature,) = verify_pdf(forged, pki.trust_anchors).signatures
    assert not signature.intact and not signature.valid
    assert SignatureBrokenError.__name__ in codes(signature.problems)


@pytest.mark.parametrize("damage", ["zeros", "signature value"])
def test_damaged_signature_container(
    person_signed, pki, person, person_appearance, damage
):
    import re

    start, end = re.search(rb"/Contents <([0-9a-fA-F]+)>", person_signed).span(1)
    cms_length = 4 + int(person_signed[start + 4 : start + 8], 16)  # 30 82 LL LL
    last_digit = start + 2 * cms_length - 1  # inside the signature value
    flipped = b"0" if person_signed[last_digit : last_digit + 1] != b"0" else b"1"
    payload = (
        b"0" * (end - start)
        if damage == "zeros"
        else person_signed[start:last_digit]
        + flipped
        + person_signed[last_digit + 1 : end]
    )
    forged = person_signed[:start] + payload + person_signed[end:]
    (signature,) = verify_pdf(forged, pki.trust_anchors).signatures
    assert not signature.intact and not signature.valid
    assert SignatureBrokenError.__name__ in codes(signature.problems)
    if damage == "zeros":  # the container does not even parse
        assert signature.signer is None and signature.kind == "person"
        assert codes(signature.problems) == {SignatureBrokenError.__name__}
    sign_pdf(forged, person, person_appearance)  # signing on does not crash either


def test_content_drawn_after_signing(person_signed, pki):
    def draw(writer):
        stream = generic.StreamObject(stream_data=b"0 0 1 rg 100 100 200 50 re f")
        writer.add_stream_to_page(0, writer.add_object(stream))

    (signature,) = verify_pdf(
        rewritten(person_signed, draw), pki.trust_anchors
    ).signatures
    assert signature.intact and not signature.changes_permitted and not signature.valid
    assert ChangesNotPermittedError.__name__ in codes(signature.problems)


def test_page_added_after_signing(person_signed, pki):
    def add_page(writer):
        contents = writer.add_object(generic.StreamObject(stream_data=b""))
        writer.insert_page(PageObject(contents=contents, media_box=[0, 0, 595, 842]))

    (signature,) = verify_pdf(
        rewritten(person_signed, add_page), pki.trust_anchors
    ).signatures
    assert not signature.changes_permitted and not signature.valid


def test_signature_field_removed(complete, pki):
    def remove_person_field(writer):
        form = writer.root["/AcroForm"]
        fields = form["/Fields"]
        person = next(
            ref for ref in fields if ref.get_object()["/T"] == "vbdt_person_1"
        )
        fields.remove(person)
        writer.update_container(fields)
        page = writer.find_page_for_modification(0)[0].get_object()
        annots = page["/Annots"]
        annots.remove(next(ref for ref in annots if ref.reference == person.reference))
        writer.update_container(annots)

    report = verify_pdf(rewritten(complete, remove_person_field), pki.trust_anchors)
    assert [s.field_name for s in report.signatures] == ["vbdt_organisation"]
    assert codes(report.problems) == {SignatureRemovedError.__name__}
    assert not report.has_valid_person_signature and not report.complete
    assert not report.signatures[0].changes_permitted  # the seal sees the removal too


# --- files with syntax slips --------------------------------------------------------


def _pillow_pdf() -> bytes:
    """A one-page scan as Pillow writes it: generation 65536 for object 0 in
    the cross-reference table, which pyHanko's strict reader refuses."""
    import io  # noqa: PLC0415  (only these tests need it)

    from PIL import Image  # noqa: PLC0415

    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), "white").save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


def test_unsigned_scan_with_a_syntax_slip_has_no_signature_not_an_error(pki):
    raw = _pillow_pdf()
    assert b" 65536 f" in raw
    with pytest.raises(InvalidPdfError):
        open_reader(raw)  # the strict reader alone refuses it
    report = verify_pdf(raw, pki.trust_anchors)
    assert report.signatures == () and not report.complete


def test_signed_file_with_a_syntax_slip_stays_unreadable(person_signed, pki):
    """Any trace of a signature: only the strict reader may judge it."""
    slipped = person_signed.replace(b" 65535 f", b" 65536 f", 1)
    assert slipped != person_signed
    with pytest.raises(InvalidPdfError):
        verify_pdf(slipped, pki.trust_anchors)


def test_garbage_stays_unreadable(pki):
    with pytest.raises(InvalidPdfError):
        verify_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 100, pki.trust_anchors)
