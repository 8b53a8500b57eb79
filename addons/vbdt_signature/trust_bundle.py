"""Certificates out of the files CAs and authorities publish (no Odoo import).

Recognised, by content rather than by file name:

* PEM: one or several ``-----BEGIN CERTIFICATE-----`` blocks, or a PEM
  ``PKCS7`` block;
* DER: one X.509 certificate, or a PKCS#7 / CMS "certs-only" bundle
  (``.p7b``/``.p7c``, as NEAC and the Government Cipher Committee publish);
* an ETSI TS 119 612 trusted list (XML): the certificates of its services'
  digital identities; the list's own signature is not checked here (import a
  list obtained from its publisher), and the signer certificate of the list is
  never taken as an anchor.

Everything is parsed in memory with ``cryptography`` and ``lxml`` (no
network, no external entities), with a size bound.
"""

from __future__ import annotations

import base64
import contextlib

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from lxml import etree

MAX_BUNDLE_BYTES = 8 << 20
TSL_NS = "http://uri.etsi.org/02231/v2#"


class BundleError(ValueError):
    """The file holds no certificate we can read."""


def load_certificates(raw: bytes) -> list[x509.Certificate]:
    """Every certificate of ``raw`` (deduplicated, in file order)."""
    if len(raw) > MAX_BUNDLE_BYTES:
        raise BundleError("the file is too large for a certificate bundle")
    stripped = raw.lstrip()
    if stripped.startswith(b"<"):
        certificates = _from_trusted_list(stripped)
    elif b"-----BEGIN" in raw:
        certificates = _from_pem(raw)
    else:
        certificates = _from_der(raw)
    unique, seen = [], set()
    for certificate in certificates:
        key = certificate.public_bytes(Encoding.DER)
        if key not in seen:
            seen.add(key)
            unique.append(certificate)
    if not unique:
        raise BundleError("no certificate found")
    return unique


def _from_pem(raw):
    if b"-----BEGIN PKCS7-----" in raw:
        try:
            return pkcs7.load_pem_pkcs7_certificates(raw)
        except ValueError:
            raise BundleError("unreadable PEM PKCS#7 bundle") from None
    try:
        return x509.load_pem_x509_certificates(raw)
    except ValueError:
        raise BundleError("unreadable PEM certificates") from None


def _from_der(raw):
    with contextlib.suppress(ValueError):  # not one certificate: maybe a bundle
        return [x509.load_der_x509_certificate(raw)]
    try:
        return pkcs7.load_der_pkcs7_certificates(raw)
    except ValueError:
        raise BundleError("neither a DER certificate nor a PKCS#7 bundle") from None


def _from_trusted_list(raw):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError:
        raise BundleError("unreadable XML") from None
    path = f".//{{{TSL_NS}}}ServiceDigitalIdentity//{{{TSL_NS}}}X509Certificate"
    certificates = []
    for element in root.iterfind(path):
        try:
            certificates.append(
                x509.load_der_x509_certificate(
                    base64.b64decode("".join((element.text or "").split()))
                )
            )
        except ValueError:
            raise BundleError(
                "a certificate of the trusted list is unreadable"
            ) from None
    return certificates
