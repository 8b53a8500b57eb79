"""pyHanko objects built from the test PKI for the benchmark (key loaded once)."""

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore


def _asn1(certificate):
    return asn1_x509.Certificate.load(
        certificate.public_bytes(serialization.Encoding.DER)
    )


def _key(credential):
    der = credential.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)


def simple_signer(credential) -> signers.SimpleSigner:
    return signers.SimpleSigner(
        signing_cert=_asn1(credential.certificate),
        signing_key=_key(credential),
        cert_registry=SimpleCertificateStore.from_certs(
            [_asn1(cert) for cert in credential.chain]
        ),
    )
