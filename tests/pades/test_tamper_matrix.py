"""Tamper matrix: every case is built here, then our verdict on each signature
is checked against pyHanko's own AdES validation run independently below.

The independent verdict (:func:`pyhanko_verdict`) uses pyHanko directly:
``ades_with_time_validation`` for a signature with a timestamp,
``ades_basic_validation`` at the moment of proof (now, or the receipt time)
for one without, plus pyHanko's modification analysis (DocMDP) of the PDF.
One rule is added to pyHanko's "with time" result, ETSI EN 319 102-1
§ 5.5.4: a certificate outside its validity at the best signature time
stays invalid (pyHanko 0.38 leaves the expiry case to long-term validation).
"""

from __future__ import annotations

import asyncio
import io
from datetime import datetime, timedelta, timezone

import pytest
from asn1crypto import crl as asn1_crl
from pades.errors import CertificateInvalidAtSigningTimeError as InvalidAtSigning
from pades.errors import CertificateRevokedError as Revoked
from pades.errors import (
    ChangesNotPermittedError,
    KeyUsageError,
    SignatureRemovedError,
    UntrustedCertificateError,
)
from pades.signer import sign_pdf
from pades.stamping import prepare_fields, stamp_number_date
from pades.verify import verify_pdf
from pades_helpers import asn1_cert, raw_pyhanko_sign, rewritten, timestamper_at
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject
from pyhanko.sign import signers
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation import (
    KeyUsageConstraints,
    SignatureCoverageLevel,
    add_validation_info,
)
from pyhanko.sign.validation.ades import (
    ades_basic_validation,
    ades_with_time_validation,
)
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.policy_decl import LocalKnowledge, SignatureValidationSpec
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import LEGACY_POLICY_MAP, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer

NOW = datetime.now(timezone.utc)


def pyhanko_verdict(
    pdf: bytes, field: str, pki, crls=(), at: datetime | None = None
) -> bool:
    """pyHanko's own AdES verdict on one signature (see the module doc)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    embedded = next(
        s for s in reader.embedded_regular_signatures if s.field_name == field
    )
    embedded.compute_integrity_info()
    integrity = embedded.summarise_integrity_info()
    unchanged = (
        embedded.coverage == SignatureCoverageLevel.ENTIRE_FILE
        or integrity["docmdp_ok"]
    )
    spec = SignatureValidationSpec(
        cert_validation_policy=CertValidationPolicySpec(
            trust_manager=SimpleTrustManager.build(
                trust_roots=[asn1_cert(pki.root.certificate)]
            ),
            revinfo_policy=CertRevTrustPolicy(LEGACY_POLICY_MAP["soft-fail"]),
        ),
        local_knowledge=LocalKnowledge(
            known_crls=[
                CRLContainer(asn1_crl.CertificateList.load(der)) for der in crls
            ]
        ),
        key_usage_settings=KeyUsageConstraints(
            key_usage={"digital_signature", "non_repudiation"},
            match_all_key_usages=False,
        ),
    )
    digest = embedded.compute_digest()
    if (
        next(extract_tst_data_iter(embedded.signer_info, signed=False), None)
        is not None
    ):
        result = asyncio.run(
            ades_with_time_validation(embedded.signed_data, spec, raw_digest=digest)
        )
        cert = embedded.signer_cert
        in_validity = (
            cert.not_valid_before <= result.best_signature_time <= cert.not_valid_after
        )
        return result.ades_subindic == AdESPassed.OK and in_validity and bool(unchanged)
    moment = at or datetime.now(timezone.utc)
    timing = ValidationTimingInfo(moment, moment, at is not None)
    result = asyncio.run(
        ades_basic_validation(
            embedded.signed_data, spec, timing_info=timing, raw_digest=digest
        )
    )
    return result.ades_subindic == AdESPassed.OK and bool(unchanged)


def add_page(writer) -> None:
    contents = writer.add_object(generic.StreamObject(stream_data=b""))
    writer.insert_page(PageObject(contents=contents, media_box=[0, 0, 595, 842]))


def remove_field(name):
    def change(writer) -> None:
        fields = writer.root["/AcroForm"]["/Fields"]
        ref = next(ref for ref in fields if ref.get_object()["/T"] == name)
        fields.remove(ref)
        writer.update_container(fields)
        for index in range(int(writer.root["/Pages"]["/Count"])):
            page = writer.find_page_for_modification(index)[0].get_object()
            annots = page.get("/Annots", [])
            if any(a.reference == ref.reference for a in annots):
                annots.remove(next(a for a in annots if a.reference == ref.reference))
                writer.update_container(annots)

    return change


def with_dss(pdf: bytes, pki) -> bytes:
    """Validation data added the way pyHanko's ``ltvfix`` adds it."""
    context = ValidationContext(
        trust_roots=[asn1_cert(pki.root.certificate)],
        crls=pki.crls,
        allow_fetching=False,
    )
    names = [
        s.field_name for s in PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures
    ]
    for name in names:
        reader = PdfFileReader(io.BytesIO(pdf))
        embedded = next(
            s for s in reader.embedded_regular_signatures if s.field_name == name
        )
        pdf = add_validation_info(embedded, context).getvalue()
    assert b"/DSS" in pdf
    return pdf


def with_document_timestamp(pdf: bytes, pki) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return (
        signers.PdfTimeStamper(timestamper_at(pki))
        .timestamp_pdf(writer, "sha256")
        .getvalue()
    )


@pytest.fixture(scope="module")
def sealed(
    draft, person, person_appearance, organisation, organisation_appearance, timestamped
):
    signed = sign_pdf(
        prepare_fields(draft), person, person_appearance, options=timestamped
    )
    stamped = stamp_number_date(
        signed, "Số: 15/QĐ-UBND", "Phú Thọ, ngày 02 tháng 12 năm 2026"
    )
    return sign_pdf(stamped, organisation, organisation_appearance, options=timestamped)


def refill_number(writer) -> None:
    """A forger changes the number after the seal."""
    fields = writer.root["/AcroForm"]["/Fields"]
    number = next(
        ref.get_object() for ref in fields if ref.get_object()["/T"] == "vbdt_number"
    )
    number[generic.pdf_name("/V")] = generic.pdf_string("Số: 99/QĐ-UBND")
    writer.update_container(number)


def _flip_content_byte(pdf: bytes) -> bytes:
    forged = pdf.replace(b"ReportLab PDF Library", b"ReportLab PDF Librarx", 1)
    assert forged != pdf
    return forged


def _forged(pki, draft, credential, claimed_days_ago, tsa_days_ago=None):
    """Signed by ``credential``, the software claiming a time days ago; with a
    TSA at ``tsa_days_ago`` (0: now) when given."""
    timestamper = None
    if tsa_days_ago is not None:
        moment = NOW - timedelta(days=tsa_days_ago) if tsa_days_ago else None
        timestamper = timestamper_at(pki, moment)
    return raw_pyhanko_sign(
        draft,
        getattr(pki, credential),
        claimed_time=NOW - timedelta(days=claimed_days_ago),
        timestamper=timestamper,
    )


def _forged_build(credential, claimed_days_ago, tsa_days_ago=None):
    return lambda pki, d, s: _forged(pki, d, credential, claimed_days_ago, tsa_days_ago)


# The draft signed outside our signer (``_forged``), one signature: (case,
# credential of the test PKI, days ago the software claims, TSA days ago or
# None, problem expected somewhere in the report; none: the signature is valid)
FORGED = [
    ("expired, backdated, no timestamp", "expired", 10, None, InvalidAtSigning),
    ("expired, backdated, timestamp now", "expired", 10, 0, InvalidAtSigning),
    ("expired, timestamp before expiry", "expired", 10, 10, None),
    ("revoked, backdated, no timestamp", "revoked", 2, None, Revoked),
    ("revoked, backdated, timestamp now", "revoked", 2, 0, Revoked),
    ("revoked after a timestamped signature", "revoked", 1 / 16, 1 / 16, None),
    ("untrusted chain", "foreign", 0, None, UntrustedCertificateError),
    ("wrong key usage", "no_signing_usage", 0, None, KeyUsageError),
]
FORGED_CASES = [
    (
        name,
        _forged_build(credential, claimed, tsa),
        {"Signature1": problem is None},
        problem,
    )
    for name, credential, claimed, tsa, problem in FORGED
]

# (case, build(pki, draft, sealed) -> pdf, expected validity per field, problem
#  expected somewhere in the report, CRLs passed, receipt time)
CASES = [
    (
        "sound sealed document",
        lambda pki, d, s: s,
        {"vbdt_person_1": True, "vbdt_organisation": True},
        None,
    ),
    (
        "content byte changed",
        lambda pki, d, s: _flip_content_byte(s),
        {"vbdt_person_1": False, "vbdt_organisation": False},
        None,
    ),
    (
        "page added after the seal",
        lambda pki, d, s: rewritten(s, add_page),
        {"vbdt_person_1": False, "vbdt_organisation": False},
        None,
    ),
    (
        "number refilled after the seal",
        lambda pki, d, s: rewritten(s, refill_number),
        {"vbdt_person_1": True, "vbdt_organisation": False},
        ChangesNotPermittedError,
    ),
    (
        "seal field removed",
        lambda pki, d, s: rewritten(s, remove_field("vbdt_organisation")),
        {"vbdt_person_1": None},
        SignatureRemovedError,
    ),
    (
        "person field removed",
        lambda pki, d, s: rewritten(s, remove_field("vbdt_person_1")),
        {"vbdt_organisation": False},
        SignatureRemovedError,
    ),
    *FORGED_CASES,
    (
        "document timestamp added",
        lambda pki, d, s: with_document_timestamp(s, pki),
        {"vbdt_person_1": True, "vbdt_organisation": True},
        None,
    ),
    (
        "DSS added (ltvfix)",
        lambda pki, d, s: with_dss(s, pki),
        {"vbdt_person_1": True, "vbdt_organisation": True},
        None,
    ),
    (
        "LTA upgrade of a sealed file",
        lambda pki, d, s: with_document_timestamp(with_dss(s, pki), pki),
        {"vbdt_person_1": True, "vbdt_organisation": True},
        None,
    ),
]


@pytest.mark.parametrize(
    "build, expected, problem",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_tamper_matrix(pki, draft, sealed, build, expected, problem):
    pdf = build(pki, draft, sealed)
    report = verify_pdf(pdf, pki.trust_anchors, crls=pki.crls)
    ours = {s.field_name: s.valid for s in report.signatures}
    assert set(ours) == set(expected)
    for field, valid in ours.items():
        assert valid is pyhanko_verdict(pdf, field, pki, pki.crls), field
        if expected[field] is not None:
            assert valid is expected[field], (field, report.to_dict())
    found = {type(p) for p in report.problems} | {
        type(p) for s in report.signatures for p in s.problems
    }
    if problem is not None:
        assert problem in found
        assert not report.complete
    elif len(expected) == 2 and all(expected.values()):
        assert report.complete, report.to_dict()


def test_document_timestamps_are_reported_as_such(pki, sealed):
    upgraded = with_document_timestamp(with_dss(sealed, pki), pki)
    report = verify_pdf(upgraded, pki.trust_anchors, crls=pki.crls)
    (stamp,) = report.timestamps
    assert stamp.valid and stamp.trusted and stamp.covers_whole_document
    assert stamp.authority == "Test TSA"
    assert not report.problems and report.complete
    seal = report.signatures[-1]
    assert seal.changes_permitted and seal.modification_level == "lta_updates"


def test_receipt_is_the_proof_of_existence(pki, draft):
    """Received before the revocation: the receipt proves it existed then."""
    forged = _forged(pki, draft, "revoked", 2)
    received = NOW - timedelta(minutes=90)  # the test CA revoked it an hour ago
    (signature,) = verify_pdf(
        pdf := forged, pki.trust_anchors, crls=pki.crls, existed_at=received
    ).signatures
    assert signature.valid and signature.signing_time_basis == "received"
    assert signature.valid is pyhanko_verdict(
        pdf, "Signature1", pki, pki.crls, at=received
    )
    (late,) = verify_pdf(forged, pki.trust_anchors, crls=pki.crls).signatures
    assert not late.valid and late.signing_time_basis == "verification"


def test_document_timestamp_proves_existence_of_unstamped_signature(pki, draft):
    """A B-B signature is judged at the first document timestamp after it."""
    signed = raw_pyhanko_sign(draft, pki.person)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    earlier = NOW - timedelta(hours=3)
    stamped = (
        signers.PdfTimeStamper(timestamper_at(pki, earlier))
        .timestamp_pdf(writer, "sha256")
        .getvalue()
    )
    (signature,) = verify_pdf(stamped, pki.trust_anchors).signatures
    assert signature.signing_time_basis == "document_timestamp"
    assert abs((signature.judged_at - earlier).total_seconds()) < 1
