"""Optional XML signature of packages (enveloped XML-DSig, RSA-SHA256).

The binding signatures are the PAdES ones inside the PDFs (docs/DOMAIN.md §B5, §B7);
this one protects the package as a whole in transit.  As in real packages,
``ds:Signature`` is the last child of ``edXMLHeader`` and its reference is
``URI=""`` with the enveloped-signature transform: it covers the whole
document, attachments included, not just the envelope element -- a
signature over the envelope alone would leave the files unprotected because
the manifest carries no digests.

signxml copies the tree a few times; signing is meant for packages of a few
megabytes, not for the 50 MB extremes the parser is tuned for.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureMethod,
    VerifyResult,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import (
    InvalidCertificate,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
)

from ._xml import (
    XML_DECLARATION,
    child,
    descendant,
    local_name,
    parse_tree,
    qname,
    safe_parser,
)
from .errors import MissingElementError, SignatureError, _
from .validate import assert_valid

DSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"
_SIGNATURE_LOCATION = f"./{qname('edXMLEnvelope')}/{qname('edXMLHeader')}/"


class _SafeSigner(XMLSigner):
    """signxml's default parser refuses text nodes over 10 MB (attachments)."""

    @property
    def parser(self) -> etree.XMLParser:
        return safe_parser()


def sign_package(
    data: bytes, key: RSAPrivateKey | bytes, certificates: Sequence[x509.Certificate]
) -> bytes:
    """Return ``data`` with an enveloped RSA-SHA256 signature in its header.

    ``key`` is an RSA private key or its PEM bytes; ``certificates`` starts
    with the signer's certificate, followed by its chain if wanted.
    """
    root = parse_tree(data)
    header = descendant(root, "edXMLHeader")
    if header is None:
        raise MissingElementError(
            _("Element %(element)s is missing or empty."), element="edXMLHeader"
        )
    if child(header, "Signature") is not None:
        raise SignatureError(
            _("Element %(element)s: the package is already signed."),
            element="Signature",
        )
    etree.SubElement(
        header,
        f"{{{DSIG_NAMESPACE}}}Signature",
        Id="placeholder",
        nsmap={"ds": DSIG_NAMESPACE},
    )
    signer = _SafeSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signed = signer.sign(root, key=key, cert=list(certificates))
    result = XML_DECLARATION + etree.tostring(
        signed, encoding="UTF-8", xml_declaration=False
    )
    assert_valid(result)
    return result


def verify_package(
    data: bytes,
    *,
    certificate: x509.Certificate | None = None,
    ca_pem_file: str | None = None,
) -> x509.Certificate:
    """Verify the package signature and return the signer's certificate.

    Trust must be explicit: a pinned ``certificate`` or a ``ca_pem_file``
    (the system store knows no Vietnamese government CA).  The signature
    must sit in ``edXMLHeader`` and cover the whole package.
    """
    if certificate is None and ca_pem_file is None:
        raise ValueError("verify_package needs a pinned certificate or a CA file")
    try:
        result = _verify_one(
            XMLVerifier().verify(
                data,
                x509_cert=certificate,
                ca_pem_file=ca_pem_file,
                parser=safe_parser(),
                expect_config=SignatureConfiguration(location=_SIGNATURE_LOCATION),
            )
        )
    except (InvalidSignature, InvalidDigest, InvalidCertificate, InvalidInput) as exc:
        raise SignatureError(
            _("Element %(element)s: the XML signature does not verify (%(detail)s)."),
            element="Signature",
            detail=str(exc),
        ) from None
    if result.signed_xml is None or local_name(result.signed_xml.tag) != "edXML":
        raise SignatureError(
            _(
                "Element %(element)s: the XML signature does not cover the whole "
                "package."
            ),
            element="Signature",
        )
    return certificate or _embedded_certificate(result.signature_xml)


def _verify_one(result: VerifyResult | list[VerifyResult]) -> VerifyResult:
    """signxml returns a list only when configured to expect several references."""
    return result[0] if isinstance(result, list) else result


def _embedded_certificate(signature: etree._Element) -> x509.Certificate:
    node = next(signature.iter(f"{{{DSIG_NAMESPACE}}}X509Certificate"))
    return x509.load_der_x509_certificate(base64.b64decode("".join(node.text.split())))


def is_signed(data: bytes) -> bool:
    """Whether the package carries an XML signature (a cheap byte search:
    :func:`verify_with_anchors` does the real check)."""
    return DSIG_NAMESPACE.encode() in data


def verify_with_anchors(data: bytes, anchors_pem: Sequence[bytes]) -> x509.Certificate:
    """Verify the package signature against trust anchors (PEM certificates,
    e.g. vbdt_signature's) and return the signer's certificate.  The anchors
    go to a private temporary file because signxml reads a CA file."""
    if not anchors_pem:
        raise SignatureError(
            _(
                "Element %(element)s: no trust anchor is configured to verify the "
                "signature."
            ),
            element="Signature",
        )
    with tempfile.NamedTemporaryFile(suffix=".pem") as bundle:
        bundle.write(b"\n".join(pem.strip() for pem in anchors_pem) + b"\n")
        bundle.flush()
        return verify_package(data, ca_pem_file=bundle.name)
