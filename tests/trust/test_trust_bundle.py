"""Reading CA certificates out of PEM, DER, PKCS#7 and ETSI trusted lists."""

import base64
import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import NameOID
from trust_bundle import MAX_BUNDLE_BYTES, BundleError, load_certificates

NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def _certificate(name, issuer=None, ca=True):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_name, issuer_key = issuer or (subject, key)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW)
        .not_valid_after(NOW + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )
    return cert, (subject, key)


@pytest.fixture(scope="module")
def chain():
    root, root_issuer = _certificate("Root CA (test)")
    ca, _ = _certificate("Issuing CA (test)", issuer=root_issuer)
    leaf, _ = _certificate("Person (test)", issuer=root_issuer, ca=False)
    return root, ca, leaf


def _names(certificates):
    return [c.subject.rfc4514_string() for c in certificates]


def test_pem_bundle_in_order_without_duplicates(chain):
    root, ca, leaf = chain
    raw = b"".join(c.public_bytes(Encoding.PEM) for c in (root, ca, root, leaf))
    assert load_certificates(raw) == [root, ca, leaf]


def test_der_certificate(chain):
    assert load_certificates(chain[1].public_bytes(Encoding.DER)) == [chain[1]]


@pytest.mark.parametrize("encoding", [Encoding.DER, Encoding.PEM])
def test_pkcs7_bundle(chain, encoding):
    raw = pkcs7.serialize_certificates(list(chain[:2]), encoding)
    assert sorted(_names(load_certificates(raw))) == sorted(_names(chain[:2]))


def test_etsi_trusted_list_takes_service_identities_not_the_list_signer(chain):
    root, ca, leaf = chain

    def b64(cert):
        return base64.b64encode(cert.public_bytes(Encoding.DER)).decode()

    tsl = f"""<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"
                        xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
  <TrustServiceProviderList><TrustServiceProvider><TSPServices>
    <TSPService><ServiceInformation><ServiceDigitalIdentity><DigitalId>
      <X509Certificate>{b64(root)}</X509Certificate>
    </DigitalId></ServiceDigitalIdentity></ServiceInformation></TSPService>
    <TSPService><ServiceInformation><ServiceDigitalIdentity><DigitalId>
      <X509Certificate>
        {b64(ca)}
      </X509Certificate>
    </DigitalId></ServiceDigitalIdentity></ServiceInformation></TSPService>
  </TSPServices></TrustServiceProvider></TrustServiceProviderList>
  <ds:Signature><ds:KeyInfo><ds:X509Data>
    <ds:X509Certificate>{b64(leaf)}</ds:X509Certificate>
  </ds:X509Data></ds:KeyInfo></ds:Signature>
</TrustServiceStatusList>""".encode()
    assert load_certificates(tsl) == [root, ca]


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MIIB")
    tsl = f"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><ServiceDigitalIdentity>
<X509Certificate>&e;</X509Certificate></ServiceDigitalIdentity></TrustServiceStatusList>"""
    with pytest.raises(BundleError):
        load_certificates(tsl.encode())


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not a certificate",
        b"-----BEGIN CERTIFICATE-----\nxx\n",
        b"<html>no list</html>",
        b"<unclosed",
    ],
)
def test_unreadable_files_refused(raw):
    with pytest.raises(BundleError):
        load_certificates(raw)


def test_size_bound():
    with pytest.raises(BundleError):
        load_certificates(b"0" * (MAX_BUNDLE_BYTES + 1))
