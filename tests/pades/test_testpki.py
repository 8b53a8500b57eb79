"""The certomancer test PKI: Circular 28/2025 profiles, its OCSP responder,
CRLs and TSA over HTTP, person certificates in any name (demo signers)."""

import io
import urllib.request

import pytest
from asn1crypto import ocsp as asn1_ocsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID
from demo import testpki
from pades import sign_pdf, verify_pdf
from pades.backends import Pkcs12Backend
from pades.errors import CertificateRevokedCannotSignError
from pades.signer import PersonAppearance, SigningOptions
from pades.stamping import prepare_fields
from pades_helpers import pkcs12_backend
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore


def test_issue_person_in_another_name(pki, draft, signature_png):
    credential = testpki.issue_person(
        pki, "Phạm Quang Minh", organisation="UBND tỉnh Phú Thọ", title="Phó Chủ tịch"
    )
    subject = credential.certificate.subject
    assert (
        subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        == "Phạm Quang Minh"
    )
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "Phó Chủ tịch"
    assert credential.certificate.issuer == pki.intermediate.certificate.subject
    assert credential.certificate.serial_number != pki.person.certificate.serial_number
    backend = Pkcs12Backend(credential.pkcs12(), testpki.PKCS12_PASSWORD)

    appearance = PersonAppearance(signature_png, printed_name=testpki.PERSON_NAME)
    signed = sign_pdf(prepare_fields(draft), backend, appearance)
    report = verify_pdf(signed, pki.trust_anchors)
    (signature,) = report.signatures
    assert signature.valid
    assert signature.signer.name == "Phạm Quang Minh"
    assert signature.signer.organisation == "UBND tỉnh Phú Thọ"


def test_issue_person_ec(ec_pki):
    credential = testpki.issue_person(ec_pki, "Đỗ Văn Hùng")
    assert type(credential.private_key) is type(ec_pki.person.private_key)


def test_circular_28_profiles(pki):
    """Persons and organisations sign with digitalSignature and
    nonRepudiation (critical), are no CA, and name the issuer's CRL and OCSP
    responder; the chain is person → issuing CA → root."""
    for credential in (pki.person, pki.organisation):
        certificate = credential.certificate
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
        assert usage.critical
        assert usage.value.digital_signature and usage.value.content_commitment
        assert not usage.value.key_encipherment
        basic = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
        assert basic.critical and not basic.value.ca
        access = certificate.extensions.get_extension_for_class(
            x509.AuthorityInformationAccess
        ).value
        assert [a.access_location.value for a in access] == [f"{pki.url}/vbdt/ocsp/ca"]
        assert credential.chain == (
            pki.intermediate.certificate,
            pki.root.certificate,
        )
    assert pki.expired.certificate.not_valid_after_utc < pki.now
    assert pki.not_yet_valid.certificate.not_valid_before_utc > pki.now


def test_services_answer_over_http(pki):
    """certomancer's OCSP responder and CRL repository on 127.0.0.1."""
    assert pki.url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(f"{pki.url}/vbdt/crls/ca/latest.crl") as reply:
        crl = x509.load_der_x509_crl(reply.read())
    assert [r.serial_number for r in crl] == [pki.revoked.certificate.serial_number]
    for credential, status in (
        (pki.person, "good"),
        (pki.revoked, "revoked"),
    ):
        request = (
            ocsp.OCSPRequestBuilder()
            .add_certificate(
                credential.certificate, pki.intermediate.certificate, hashes.SHA256()
            )
            .build()
        )
        with urllib.request.urlopen(
            urllib.request.Request(
                f"{pki.url}/vbdt/ocsp/ca",
                data=request.public_bytes(serialization.Encoding.DER),
                headers={"Content-Type": "application/ocsp-request"},
            )
        ) as reply:
            # asn1crypto, as pyHanko reads it (cryptography refuses the
            # fractional seconds certomancer writes in producedAt)
            response = asn1_ocsp.OCSPResponse.load(reply.read())
        assert (
            response.basic_ocsp_response["tbs_response_data"]["responses"][0][
                "cert_status"
            ].name
            == status
        )


def test_revoked_certificate_refused_before_signing_through_ocsp(
    draft, pki, person_appearance
):
    """Circular 15/2025: no CRL given, the OCSP responder named in the
    certificate is asked over HTTP and the signature is refused."""
    options = SigningOptions(trust_anchors=pki.trust_anchors, allow_fetching=True)
    with pytest.raises(CertificateRevokedCannotSignError) as caught:
        sign_pdf(draft, pkcs12_backend(pki.revoked), person_appearance, options=options)
    assert caught.value.params["reason"] == "key compromise"


def test_b_lt_embeds_the_ocsp_response_fetched_at_signing(
    draft, pki, person_appearance
):
    """B-T from the TSA and B-LT with the OCSP response of the responder,
    both over HTTP: the file then validates offline with revocation required."""
    options = SigningOptions(
        timestamp_url=pki.tsa_url,
        trust_anchors=pki.trust_anchors,
        allow_fetching=True,
        embed_validation_info=True,
    )
    signed = sign_pdf(
        draft, pkcs12_backend(pki.person), person_appearance, options=options
    )
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(signed)))
    assert list(dss.ocsps) and list(dss.certs)
    (signature,) = verify_pdf(
        signed, pki.trust_anchors, require_revocation=True
    ).signatures
    assert signature.valid and signature.revocation == "good"
    assert signature.signing_time_basis == "timestamp"
