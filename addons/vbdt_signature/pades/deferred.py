"""Deferred signing: prepare now, receive the signature value later.

pyHanko's interrupted signing flow, for signers that cannot be called during
the request: a USB token behind an agent in the user's browser, a remote
service waiting for the user to confirm on a phone.  :func:`begin_signing`
does everything but the signature and returns a :class:`PendingSignature`
holding the prepared PDF (about the size of the document) and the digest to
sign; :func:`finish_signing` embeds the raw signature once it arrives.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers import ExternalSigner
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .archive import embed_validation_data
from .backends import DigestSigner, signature_size
from .pdf import open_reader, open_writer
from .placement import AUTOMATIC, Placement
from .signer import (
    DEFAULT_OPTIONS,
    DIGEST_ALGORITHM,
    Appearance,
    Prepared,
    SigningOptions,
    pdf_signer_for,
    plan_for,
    prepare,
    pyhanko_errors,
)
from .verify import embedded_signatures, load_certificates


@dataclass(frozen=True)
class PendingSignature:
    """A document prepared for signing, waiting for the signature value.

    For signers that answer later (a USB token agent in the user's browser,
    a remote service asking the user to confirm on a phone): send
    :attr:`digest` to them, keep this object (:meth:`to_dict` is JSON-ready;
    it holds the whole prepared PDF), then call :func:`finish_signing`.
    """

    prepared_pdf: bytes
    document_digest: bytes
    reserved_region: tuple[int, int]
    signed_attributes: bytes
    digest_algorithm: str
    certificate_chain: tuple[bytes, ...]

    @property
    def digest(self) -> bytes:
        """What the signer signs: the digest of the DER signed attributes."""
        digester = hashes.Hash(get_pyca_cryptography_hash(self.digest_algorithm))
        digester.update(self.signed_attributes)
        return digester.finalize()

    def to_dict(self) -> dict[str, Any]:
        return {
            field.name: _encode(getattr(self, field.name))
            for field in dataclasses.fields(self)
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingSignature:
        return cls(
            prepared_pdf=base64.b64decode(data["prepared_pdf"]),
            document_digest=base64.b64decode(data["document_digest"]),
            reserved_region=tuple(data["reserved_region"]),
            signed_attributes=base64.b64decode(data["signed_attributes"]),
            digest_algorithm=data["digest_algorithm"],
            certificate_chain=tuple(
                base64.b64decode(c) for c in data["certificate_chain"]
            ),
        )


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    return value


def begin_signing(
    pdf: bytes,
    certificate_chain: Sequence[bytes],
    appearance: Appearance,
    placement: Placement = AUTOMATIC,
    options: SigningOptions = DEFAULT_OPTIONS,
) -> PendingSignature:
    """First half of pyHanko's interrupted signing: everything but the signature.

    ``certificate_chain`` holds DER certificates, the signer's first.
    pyHanko cannot embed validation data in this flow: the timestamp and
    the validation data (B-T, B-LT) are added by :func:`finish_signing`.
    """
    plan = plan_for(appearance, placement)
    writer = open_writer(pdf)
    signer = _external_signer(certificate_chain)
    prepared = prepare(
        writer, signer, plan, replace(options, embed_validation_info=False)
    )
    with pyhanko_errors():
        return asyncio.run(_digest(prepared, signer, certificate_chain))


def finish_signing(
    pending: PendingSignature,
    signature_value: bytes,
    options: SigningOptions = DEFAULT_OPTIONS,
) -> bytes:
    """Second half: embed the raw signature (checked against the certificate),
    timestamped (B-T) when a TSA is configured; with ``embed_validation_info``
    the server then adds its validation data (B-LT), as pyHanko does when it
    holds the key itself."""
    with pyhanko_errors():
        signed = asyncio.run(_finish(pending, signature_value, options))
    if not (options.embed_validation_info and options.trust_anchors):
        return signed
    newest = embedded_signatures(open_reader(signed))[-1].field_name
    return embed_validation_data(signed, options, [newest])


def _external_signer(certificate_chain: Sequence[bytes]) -> ExternalSigner:
    chain = load_certificates(certificate_chain)
    public_key = x509.load_der_x509_certificate(chain[0].dump()).public_key()
    return ExternalSigner(
        signing_cert=chain[0],
        cert_registry=SimpleCertificateStore.from_certs(chain[1:]),
        signature_value=signature_size(public_key),
    )


async def _digest(
    prepared: Prepared, signer: ExternalSigner, chain: Sequence[bytes]
) -> PendingSignature:
    digest, _tbs, output = await pdf_signer_for(prepared).async_digest_doc_for_signing(
        prepared.context.writer, existing_fields_only=prepared.existing_field
    )
    signed_attributes = await signer.signed_attrs(
        digest.document_digest,
        DIGEST_ALGORITHM,
        attr_settings=PdfCMSSignedAttributes(
            signing_time=prepared.context.signing_time
        ),
        use_pades=True,
    )
    return PendingSignature(
        prepared_pdf=output.getvalue(),
        document_digest=digest.document_digest,
        reserved_region=(digest.reserved_region_start, digest.reserved_region_end),
        signed_attributes=signed_attributes.dump(),
        digest_algorithm=DIGEST_ALGORITHM,
        certificate_chain=tuple(chain),
    )


async def _finish(
    pending: PendingSignature, signature_value: bytes, options: SigningOptions
) -> bytes:
    service = _FixedSignature(pending.certificate_chain, signature_value)
    signer = DigestSigner(service, verify_result=True)
    signed_attributes = cms.CMSAttributes.load(pending.signed_attributes)
    signature_cms = await signer.async_sign_prescribed_attributes(
        pending.digest_algorithm,
        signed_attrs=signed_attributes,
        timestamper=options.build_timestamper(),
    )
    output = io.BytesIO(pending.prepared_pdf)
    start, end = pending.reserved_region
    digest = PreparedByteRangeDigest(pending.document_digest, start, end)
    await PdfTBSDocument.async_finish_signing(output, digest, signature_cms)
    return output.getvalue()


class _FixedSignature:
    """A :class:`RemoteSigningService` that already has its answer."""

    def __init__(self, chain: Sequence[bytes], signature_value: bytes) -> None:
        self._chain = chain
        self._signature_value = signature_value

    def certificate_chain(self) -> Sequence[bytes]:
        return self._chain

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        return self._signature_value
