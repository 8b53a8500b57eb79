"""Signature values as providers return them, made into what PAdES embeds.

Providers answer a hash-signing request with the raw signature (PKCS#1 v1.5
for RSA, DER ``ECDSA-Sig-Value`` for EC), base64-encoded, sometimes wrapped
at 76 columns; some (SmartCA for some service types) return a CMS
``SignedData`` instead.  A CMS is usable only when its signer signed our
digest directly (no signed attributes of its own: ours are already fixed in
the prepared PDF), and then its signature value is the raw one.  Whatever
comes out is checked against the certificate and digest by the caller.
"""

from __future__ import annotations

import base64
import binascii

from asn1crypto import cms

from ..errors import RemoteSignatureValueError

MAX_SIGNATURE = 64 << 10


def decode_base64(text: str) -> bytes:
    """Base64 with or without line breaks (MySign wraps at 76 columns)."""
    if not isinstance(text, str) or len(text) > 2 * MAX_SIGNATURE:
        raise RemoteSignatureValueError(reason="not a base64 text")
    compact = "".join(text.split())
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise RemoteSignatureValueError(reason="not a base64 text") from None


def raw_signature(value: bytes) -> bytes:
    """The raw signature value in ``value`` (raw already, or inside a CMS)."""
    if not value:
        raise RemoteSignatureValueError(reason="empty")
    if value[:1] != b"\x30":
        return value  # PKCS#1 v1.5 value: an integer's bytes, no DER header
    try:
        info = cms.ContentInfo.load(value, strict=True)
        if info["content_type"].native != "signed_data":
            return value
        signer_infos = info["content"]["signer_infos"]
    except ValueError:
        return value  # a DER ECDSA-Sig-Value also starts with a SEQUENCE
    if len(signer_infos) != 1:
        raise RemoteSignatureValueError(reason="a CMS with several signers")
    signer_info = signer_infos[0]
    if signer_info["signed_attrs"].native:
        raise RemoteSignatureValueError(
            reason="a CMS whose signer signed its own attributes, not our digest"
        )
    return signer_info["signature"].native
