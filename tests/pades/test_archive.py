"""Long-term validation: B-LT signatures, B-LTA document timestamps, renewal,
and the refusals of Circular 15/2025 before signing (key strength)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from cryptography.x509.oid import NameOID
from demo import testpki
from pades import begin_signing, finish_signing
from pades.archive import (
    RENEWAL_MARGIN,
    add_archival_timestamp,
    archival_renewal_due,
    embed_validation_data,
    renew_archival_timestamp,
)
from pades.errors import KeyTooWeakError, TimestampAuthorityMissingError
from pades.signer import SigningOptions, sign_pdf
from pades.stamping import prepare_fields
from pades.verify import verify_pdf
from pades_helpers import pkcs12_backend, timestamper_at
from test_tamper_matrix import pyhanko_verdict


@pytest.fixture(scope="module")
def lt_options(pki) -> SigningOptions:
    """What Odoo passes when a TSA is configured: B-T plus validation data."""
    return SigningOptions(
        timestamper=timestamper_at(pki),
        trust_anchors=pki.trust_anchors,
        crls=pki.crls,
        embed_validation_info=True,
    )


@pytest.fixture(scope="module")
def sealed_lt(
    draft, person, person_appearance, organisation, organisation_appearance, lt_options
):
    signed = sign_pdf(
        prepare_fields(draft), person, person_appearance, options=lt_options
    )
    return sign_pdf(signed, organisation, organisation_appearance, options=lt_options)


def test_person_and_organisation_signatures_are_b_lt(sealed_lt, pki):
    """Offline, without any CRL passed in: the PDF's own DSS proves revocation."""
    report = verify_pdf(sealed_lt, pki.trust_anchors, require_revocation=True)
    assert report.complete, report.to_dict()
    for signature in report.signatures:
        assert signature.signing_time_basis == "timestamp"
        assert signature.revocation == "good"
        assert signature.trust_path[-1] == "Test RootCA chuyên dùng Chính phủ"


def test_archival_timestamp_keeps_every_signature_valid(sealed_lt, pki, lt_options):
    archived = add_archival_timestamp(sealed_lt, lt_options)
    report = verify_pdf(archived, pki.trust_anchors, require_revocation=True)
    assert report.complete, report.to_dict()
    (stamp,) = report.timestamps
    assert stamp.valid  # pyHanko adds the timestamp's own DSS right after it
    for signature in report.signatures:
        assert signature.changes_permitted
        assert pyhanko_verdict(archived, signature.field_name, pki)
    renewed = renew_archival_timestamp(archived, lt_options)
    report = verify_pdf(renewed, pki.trust_anchors, require_revocation=True)
    assert report.complete and len(report.timestamps) == 2, report.to_dict()
    assert all(stamp.valid for stamp in report.timestamps)


def test_renewal_due_before_the_tsa_certificate_expires(sealed_lt, pki, lt_options):
    assert archival_renewal_due(sealed_lt) is None
    archived = add_archival_timestamp(sealed_lt, lt_options)
    expected = pki.tsa.certificate.not_valid_after_utc - RENEWAL_MARGIN
    assert archival_renewal_due(archived) == expected


def test_validation_data_of_one_signature(draft, person, person_appearance, pki):
    signed = sign_pdf(
        prepare_fields(draft),
        person,
        person_appearance,
        options=SigningOptions(timestamper=timestamper_at(pki)),
    )
    completed = embed_validation_data(
        signed,
        SigningOptions(trust_anchors=pki.trust_anchors, crls=pki.crls),
        ["vbdt_person_1"],
    )
    (signature,) = verify_pdf(
        completed, pki.trust_anchors, require_revocation=True
    ).signatures
    assert signature.valid and signature.revocation == "good", signature.problems


def test_archival_timestamp_needs_a_tsa(sealed_lt, pki):
    with pytest.raises(TimestampAuthorityMissingError):
        add_archival_timestamp(
            sealed_lt, SigningOptions(trust_anchors=pki.trust_anchors)
        )


def test_weak_key_refused_before_signing(draft, pki, person_appearance):
    weak_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    now = datetime.now(timezone.utc)
    issuer = pki.intermediate
    certificate = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, testpki.PERSON_NAME)])
        )
        .issuer_name(issuer.certificate.subject)
        .public_key(weak_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            True,
        )
        .sign(issuer.private_key, hashes.SHA256())
    )
    weak = testpki.Credential(
        certificate, weak_key, (issuer.certificate, pki.root.certificate)
    )
    with pytest.raises(KeyTooWeakError) as refused:
        sign_pdf(draft, pkcs12_backend(weak), person_appearance)
    assert "2048" in str(refused.value)


def test_deferred_b_lt_signature_then_seal_then_archive_stay_valid(
    draft, pki, person_appearance, organisation, organisation_appearance, lt_options
):
    """A person signature made in two phases (remote service, USB agent) with
    its validation data added by the server, then the seal and the archival
    timestamp of issue: the later DSS updates must not rewrite the first
    one's (a VRI entry rewritten after the seal made the seal invalid)."""
    chain = [
        c.public_bytes(serialization.Encoding.DER)
        for c in (pki.person.certificate, *pki.person.chain)
    ]
    pending = begin_signing(
        prepare_fields(draft), chain, person_appearance, options=lt_options
    )
    value = pki.person.private_key.sign(
        pending.digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())
    )
    signed = finish_signing(pending, value, lt_options)
    sealed = sign_pdf(signed, organisation, organisation_appearance, options=lt_options)
    archived = add_archival_timestamp(sealed, lt_options)
    report = verify_pdf(archived, pki.trust_anchors, require_revocation=True)
    assert report.complete, report.to_dict()
    assert len(report.signatures) == 2
    for signature in report.signatures:
        assert signature.valid and signature.changes_permitted
        assert signature.signing_time_basis == "timestamp"
