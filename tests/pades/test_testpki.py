"""The test PKI issues person certificates in any name (demo signers)."""

from cryptography.x509.oid import NameOID
from pades import sign_pdf, testpki, verify_pdf
from pades.backends import Pkcs12Backend
from pades.signer import PersonAppearance
from pades.stamping import prepare_fields


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
