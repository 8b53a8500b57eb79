"""Optional enveloped XML signature of packages."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from edxml import SignatureError, build_document, parse, validate
from edxml.sign import sign_package, verify_package
from edxml_samples import full_document
from lxml import etree

DSIG = "{http://www.w3.org/2000/09/xmldsig#}"


def self_signed(common_name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


@pytest.fixture(scope="module")
def signer() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    return self_signed("Văn phòng UBND tỉnh Phú Thọ")


@pytest.fixture(scope="module")
def signed(signer: tuple[rsa.RSAPrivateKey, x509.Certificate]) -> bytes:
    key, certificate = signer
    return sign_package(build_document(full_document()), key, [certificate])


def test_signature_sits_in_the_header_and_covers_the_document(signed: bytes) -> None:
    root = etree.fromstring(signed)
    header = root[0][0]
    signature = header[-1]

    assert signature.tag == f"{DSIG}Signature"
    assert signature.find(f"{DSIG}SignedInfo/{DSIG}Reference").get("URI") == ""
    assert (
        signature.find(f"{DSIG}SignedInfo/{DSIG}SignatureMethod")
        .get("Algorithm")
        .endswith("rsa-sha256")
    )
    assert validate(signed) == []


def test_verify_returns_the_signer_certificate(
    signed: bytes, signer: tuple[rsa.RSAPrivateKey, x509.Certificate]
) -> None:
    assert verify_package(signed, certificate=signer[1]) == signer[1]


def test_signed_package_still_parses(signed: bytes) -> None:
    assert parse(signed) == full_document()


def test_tampered_attachment_fails(
    signed: bytes, signer: tuple[rsa.RSAPrivateKey, x509.Certificate]
) -> None:
    start = signed.index(b"<ContentTransferEncoded>") + len(b"<ContentTransferEncoded>")
    flipped = b"A" if signed[start : start + 1] != b"A" else b"B"
    tampered = signed[:start] + flipped + signed[start + 1 :]

    with pytest.raises(SignatureError, match="does not verify"):
        verify_package(tampered, certificate=signer[1])


def test_tampered_subject_fails(
    signed: bytes, signer: tuple[rsa.RSAPrivateKey, x509.Certificate]
) -> None:
    with pytest.raises(SignatureError):
        verify_package(
            signed.replace("chuyển đổi số".encode(), b"X"), certificate=signer[1]
        )


def test_other_certificate_fails(signed: bytes) -> None:
    _key, stranger = self_signed("Someone else")

    with pytest.raises(SignatureError):
        verify_package(signed, certificate=stranger)


def test_trust_must_be_explicit(signed: bytes) -> None:
    with pytest.raises(ValueError, match="pinned certificate or a CA file"):
        verify_package(signed)


def test_unsigned_package_fails(
    signer: tuple[rsa.RSAPrivateKey, x509.Certificate],
) -> None:
    with pytest.raises(SignatureError):
        verify_package(build_document(full_document()), certificate=signer[1])


def test_signing_twice_is_refused(
    signed: bytes, signer: tuple[rsa.RSAPrivateKey, x509.Certificate]
) -> None:
    with pytest.raises(SignatureError, match="already signed"):
        sign_package(signed, signer[0], [signer[1]])


def _ca_and_leaf() -> tuple[x509.Certificate, rsa.RSAPrivateKey, x509.Certificate]:
    """A root CA and a signing certificate it issued, with the extensions
    a chain verifier requires."""
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA thử nghiệm")])
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Văn thư UBND")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())

    def builder(subject, key):
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=30)))  # fmt: skip

    ca = (builder(ca_name, ca_key)
          .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                         critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True,
                                       False, False), critical=True)
          .add_extension(ca_ski, critical=False)
          .sign(ca_key, hashes.SHA256()))  # fmt: skip
    leaf = (builder(leaf_name, leaf_key)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                           critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False,
                                         False, False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                ca_ski), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))  # fmt: skip
    return ca, leaf_key, leaf


def test_verify_with_trust_anchors() -> None:
    from cryptography.hazmat.primitives.serialization import Encoding
    from edxml.sign import is_signed, verify_with_anchors

    ca, leaf_key, leaf = _ca_and_leaf()
    other_ca = _ca_and_leaf()[0]
    signed = sign_package(build_document(full_document()), leaf_key, [leaf])
    anchor, other = ca.public_bytes(Encoding.PEM), other_ca.public_bytes(Encoding.PEM)
    assert is_signed(signed)
    assert not is_signed(build_document(full_document()))
    assert verify_with_anchors(signed, [other, anchor]) == leaf
    with pytest.raises(SignatureError, match="does not verify"):
        verify_with_anchors(signed, [other])
    with pytest.raises(SignatureError, match="no trust anchor"):
        verify_with_anchors(signed, [])
