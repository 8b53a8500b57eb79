"""A throw-away PKI and demo images for tests and Odoo demo data.

Nothing here is fit for production keys: everything is generated in memory
with ``cryptography`` in about a second, so tests and demo databases need no
binary fixtures.  The hierarchy mimics the Vietnamese government one: a root
("RootCA chuyên dùng Chính phủ"), an issuing CA ("CA phục vụ các cơ quan Nhà
nước"), a person certificate and an organisation certificate (both with
digitalSignature and nonRepudiation, as Circular 28/2025 profiles them), plus the
broken variants that tests need and a timestamping certificate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PKI_URL = "http://pki.vbdt.test"
"""Default URL prefix of the CRLs and OCSP responder named in certificates.

A hostname, not an IP; tests that fetch revocation data serve them from a
``http://localhost:<port>`` prefix instead."""

PKCS12_PASSWORD = "vbdt-demo"
AGENCY_NAME = "Ủy ban nhân dân tỉnh Phú Thọ"
PERSON_NAME = "Nguyễn Văn An"


@dataclass(frozen=True)
class Credential:
    """A certificate, its private key and its issuing chain."""

    certificate: x509.Certificate
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def chain_pem(self) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)

    @property
    def key_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def pkcs12(self, password: str = PKCS12_PASSWORD) -> bytes:
        """The credential as a password-protected PKCS#12 (.p12/.pfx) file."""
        return pkcs12.serialize_key_and_certificates(
            name=self.certificate.subject.rfc4514_string().encode(),
            key=self.private_key,
            cert=self.certificate,
            cas=list(self.chain),
            encryption_algorithm=serialization.BestAvailableEncryption(
                password.encode()
            ),
        )


@dataclass(frozen=True)
class TestPki:
    """Every credential a test or a demo database needs."""

    __test__ = False  # not a pytest test class

    root: Credential
    intermediate: Credential
    person: Credential
    organisation: Credential
    tsa: Credential
    expired: Credential
    not_yet_valid: Credential
    no_signing_usage: Credential
    revoked: Credential
    foreign: Credential
    """A person certificate under a root nobody trusts."""
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def trust_anchors(self) -> list[bytes]:
        return [self.root.certificate_pem]

    @cached_property
    def crl(self) -> bytes:
        """DER CRL of the issuing CA, listing :attr:`revoked` (revoked an hour ago)."""
        issuer = self.intermediate
        revoked = (
            x509.RevokedCertificateBuilder()
            .serial_number(self.revoked.certificate.serial_number)
            .revocation_date(self.now - timedelta(hours=1))
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), False)
            .build()
        )
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer.certificate.subject)
            .last_update(self.now - timedelta(hours=2))
            .next_update(self.now + timedelta(days=7))
            .add_revoked_certificate(revoked)
            .add_extension(x509.CRLNumber(1), False)
            .add_extension(_authority_key_id(issuer.certificate.public_key()), False)
        )
        return builder.sign(issuer.private_key, hashes.SHA256()).public_bytes(
            serialization.Encoding.DER
        )

    @cached_property
    def root_crl(self) -> bytes:
        """DER CRL of the root CA (empty), so intermediate checks succeed too."""
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.root.certificate.subject)
            .last_update(self.now - timedelta(hours=2))
            .next_update(self.now + timedelta(days=7))
            .add_extension(x509.CRLNumber(1), False)
            .add_extension(_authority_key_id(self.root.certificate.public_key()), False)
        )
        return builder.sign(self.root.private_key, hashes.SHA256()).public_bytes(
            serialization.Encoding.DER
        )

    @property
    def crls(self) -> list[bytes]:
        return [self.crl, self.root_crl]

    def ocsp_response(self, credential: Credential) -> bytes:
        """DER OCSP response from the issuing CA about ``credential``."""
        issuer = self.intermediate
        is_revoked = credential.certificate.serial_number == (
            self.revoked.certificate.serial_number
        )
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=credential.certificate,
            issuer=issuer.certificate,
            algorithm=hashes.SHA256(),
            cert_status=(
                ocsp.OCSPCertStatus.REVOKED if is_revoked else ocsp.OCSPCertStatus.GOOD
            ),
            this_update=self.now - timedelta(minutes=5),
            next_update=self.now + timedelta(days=1),
            revocation_time=self.now - timedelta(hours=1) if is_revoked else None,
            revocation_reason=(x509.ReasonFlags.key_compromise if is_revoked else None),
        )
        response = builder.responder_id(
            ocsp.OCSPResponderEncoding.HASH, issuer.certificate
        ).sign(issuer.private_key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)


def build_test_pki(
    key_type: str = "rsa", now: datetime | None = None, url: str = PKI_URL
) -> TestPki:
    """Generate the whole test hierarchy (``key_type`` is ``"rsa"`` or ``"ec"``).

    Certificates point to ``<url>/crl/root.crl`` (for the issuing CA),
    ``<url>/crl/ca.crl`` and ``<url>/ocsp`` (for end entities).
    """
    now = now or datetime.now(timezone.utc)
    issue = _Issuer(key_type, now, url)
    root = issue.ca("Test RootCA chuyên dùng Chính phủ", issuer=None)
    ca = issue.ca("Test CA phục vụ các cơ quan Nhà nước", issuer=root)
    person_subject = dict(cn=PERSON_NAME, o=AGENCY_NAME, title="Chủ tịch")
    foreign_root = issue.ca("Untrusted Root CA", issuer=None)
    return TestPki(
        root=root,
        intermediate=ca,
        person=issue.leaf(ca, **person_subject),
        organisation=issue.leaf(
            ca, cn=AGENCY_NAME, o=AGENCY_NAME, usage=_ORGANISATION_USAGE
        ),
        tsa=issue.leaf(ca, cn="Test TSA", o="Ban Cơ yếu Chính phủ", tsa=True),
        expired=issue.leaf(
            ca,
            **person_subject,
            valid=(now - timedelta(days=400), now - timedelta(days=1)),
        ),
        not_yet_valid=issue.leaf(
            ca,
            **person_subject,
            valid=(now + timedelta(days=1), now + timedelta(days=400)),
        ),
        no_signing_usage=issue.leaf(ca, **person_subject, usage=_ENCIPHERMENT_USAGE),
        revoked=issue.leaf(ca, **person_subject),
        foreign=issue.leaf(foreign_root, cn="Kẻ Giả Mạo", o=AGENCY_NAME),
        now=now,
    )


def issue_person(
    pki: TestPki,
    name: str,
    *,
    organisation: str = AGENCY_NAME,
    title: str | None = None,
    url: str = PKI_URL,
) -> Credential:
    """A person certificate for ``name`` from the PKI's issuing CA.

    For demo databases whose signers have their own names; same key type and
    validity as :attr:`TestPki.person`, with a random serial number.
    """
    key_type = (
        "ec"
        if isinstance(pki.intermediate.private_key, ec.EllipticCurvePrivateKey)
        else "rsa"
    )
    issuer = _Issuer(key_type, pki.now, url)
    issuer._serial = x509.random_serial_number()
    return issuer.leaf(pki.intermediate, cn=name, o=organisation, title=title)


def _key_usage(**flags: bool) -> x509.KeyUsage:
    names = [
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ]
    return x509.KeyUsage(**{name: flags.get(name, False) for name in names})


_PERSON_USAGE = _key_usage(digital_signature=True, content_commitment=True)
_ORGANISATION_USAGE = _key_usage(digital_signature=True, content_commitment=True)
"""Circular 28/2025/TT-BKHCN profiles: organisation certificates carry
digitalSignature and nonRepudiation (content commitment), like persons'."""
_ENCIPHERMENT_USAGE = _key_usage(key_encipherment=True)
_CA_USAGE = _key_usage(key_cert_sign=True, crl_sign=True)


def _authority_key_id(issuer_public_key) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public_key)


class _Issuer:
    """Certificate factory sharing key type and clock for one hierarchy."""

    def __init__(self, key_type: str, now: datetime, url: str) -> None:
        self.key_type = key_type
        self.now = now
        self.url = url
        self._serial = int(now.timestamp()) << 16

    def _new_key(self) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
        if self.key_type == "ec":
            return ec.generate_private_key(ec.SECP256R1())
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def ca(self, cn: str, issuer: Credential | None) -> Credential:
        key = self._new_key()
        subject = _name(cn=cn, o="Ban Cơ yếu Chính phủ")
        builder = self._builder(
            subject,
            key,
            issuer,
            (self.now - timedelta(days=3650), self.now + timedelta(days=3650)),
        )
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        ).add_extension(_CA_USAGE, critical=True)
        if issuer:
            builder = builder.add_extension(
                self._crl_location("root.crl"), critical=False
            )
        signer = issuer.private_key if issuer else key
        cert = builder.sign(signer, hashes.SHA256())
        chain = (issuer.certificate, *issuer.chain) if issuer else ()
        return Credential(cert, key, chain)

    def leaf(
        self,
        issuer: Credential,
        *,
        cn: str,
        o: str,
        title: str | None = None,
        usage: x509.KeyUsage = _PERSON_USAGE,
        valid: tuple[datetime, datetime] | None = None,
        tsa: bool = False,
    ) -> Credential:
        key = self._new_key()
        valid = valid or (self.now - timedelta(days=30), self.now + timedelta(days=730))
        builder = self._builder(_name(cn=cn, o=o, title=title), key, issuer, valid)
        builder = (
            builder.add_extension(
                x509.BasicConstraints(ca=False, path_length=None), critical=True
            )
            .add_extension(self._crl_location("ca.crl"), critical=False)
            .add_extension(self._ocsp_location(), critical=False)
        )
        if tsa:
            builder = builder.add_extension(
                _key_usage(digital_signature=True, content_commitment=True), True
            ).add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True
            )
        else:
            builder = builder.add_extension(usage, critical=True)
        cert = builder.sign(issuer.private_key, hashes.SHA256())
        return Credential(cert, key, (issuer.certificate, *issuer.chain))

    def _builder(self, subject, key, issuer, valid) -> x509.CertificateBuilder:
        issuer_cert = issuer.certificate if issuer else None
        issuer_key_public = (
            issuer_cert.public_key() if issuer_cert else key.public_key()
        )
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_cert.subject if issuer_cert else subject)
            .public_key(key.public_key())
            .serial_number(self._next_serial())
            .not_valid_before(valid[0])
            .not_valid_after(valid[1])
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False
            )
            .add_extension(_authority_key_id(issuer_key_public), False)
        )

    def _crl_location(self, name: str) -> x509.CRLDistributionPoints:
        point = x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(f"{self.url}/crl/{name}")],
            relative_name=None,
            reasons=None,
            crl_issuer=None,
        )
        return x509.CRLDistributionPoints([point])

    def _ocsp_location(self) -> x509.AuthorityInformationAccess:
        responder = x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.OCSP,
            x509.UniformResourceIdentifier(f"{self.url}/ocsp"),
        )
        return x509.AuthorityInformationAccess([responder])


def _name(cn: str, o: str, title: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, o),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title))
    return x509.Name(attributes)
