"""Sign PDFs as Decree 30 asks: person, organisation (seal) and attachment.

Every signature is a PAdES baseline signature (``ETSI.CAdES.detached``,
SHA-256) added by incremental update to a new buffer; B-T when a timestamp
authority is configured, B-LT when validation data is to be embedded.

Document modification permissions, so that the Decree 30 sequence stays valid
and nothing else does:

* the person signs with an approval signature.  A certification signature
  would be tempting, but validators (pyHanko's default policy among them)
  reject a new *visible* signature field after one, and the seal is exactly
  that.  After an approval signature, validators accept filling the
  pre-created number and date fields and adding signatures, and flag any
  other change to the content;
* the organisation signature permits no change from then on (PDF 2.0
  ``/Lock`` with ``/P 1``: the number and date cannot be refilled, no
  content or signature added) except validation data and document
  timestamps (PAdES B-LT/B-LTA), which PDF 2.0 always allows.  Its FieldMDP
  part names the signature fields only (its own and the person's): naming
  the number and date fields too (``/Action /All``) makes pyHanko's
  modification analysis, and so ``ltvfix``, reject any later DSS or
  document timestamp, while ``/P 1`` already forbids changing them.  On an
  attachment, where it is the first signature, it certifies with "no
  changes" instead;
* pyHanko would still add a third signature after the seal, so this module
  refuses to.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import (
    FieldMDPAction,
    FieldMDPSpec,
    MDPPerm,
    SigFieldSpec,
    SigSeedSubFilter,
)
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    PathBuildingError,
    RevokedError,
    ValidationError,
)

from .appearance import (
    VIETNAM_TIME,
    LayoutStampStyle,
    PngImage,
    StampLayout,
    image_layout,
    iso_time,
    seal_layout,
    text_layout,
)
from .backends import SignerBackend
from .errors import (
    CertificateExpiredError,
    CertificateNotYetValidError,
    CertificateRevokedCannotSignError,
    KeyTooWeakError,
    KeyUsageError,
    PersonSignatureMissingError,
    SealAlreadyAppliedError,
    SigningError,
    TimestampError,
    UntrustedCertificateError,
    revocation_reason,
)
from .pdf import open_writer
from .placement import (
    AUTOMATIC,
    Placement,
    Spot,
    field_spot,
    fixed_spot,
    seal_spot,
    signature_block_spot,
    top_right_spot,
)
from .verify import (
    ATTACHMENT_FIELD,
    ORGANISATION,
    ORGANISATION_FIELD,
    PERSON,
    PERSON_FIELD_PREFIX,
    SIGNING_KEY_USAGE,
    DocumentReport,
    VerifyPolicy,
    common_name,
    embedded_signatures,
    fetcher_backend,
    load_certificates,
    shown_time,
    verify_document,
)


@dataclass(frozen=True)
class PersonAppearance:
    """The competent person's handwritten signature image (transparent PNG).

    :param printed_name: the name printed under the signature, used to find
        the signature block; defaults to the certificate's common name.
    """

    signature_png: bytes
    printed_name: str | None = None


@dataclass(frozen=True)
class OrganisationAppearance:
    """The seal image (transparent PNG) and the agency name printed under it.

    :param seal_diameter_mm: real width of the seal; defaults to what the
        PNG's resolution (DPI) says.
    """

    seal_png: bytes
    agency_name: str
    seal_diameter_mm: float | None = None


@dataclass(frozen=True)
class AttachmentAppearance:
    """Text-only organisation signature for a separate attachment.

    :param reference: number and notation of the main document, e.g.
        ``"15/QĐ-UBND"``; the signing time follows (Decree 30 Appendix I).
    """

    reference: str


@dataclass(frozen=True)
class SigningOptions:
    """How to sign, beyond the key and the appearance.

    :param timestamp_url: RFC 3161 timestamp authority (PAdES B-T).
    :param timestamper: a pyHanko timestamper instead of a URL (tests).
    :param trust_anchors: PEM/DER roots; when given, the signer's chain is
        validated before signing and the seal demands a *trusted* person
        signature.
    :param crls, ocsps: DER revocation data for that validation.
    :param allow_fetching: fetch CRLs/OCSP responses named in the
        certificates over the network for that validation.
    :param embed_validation_info: embed chain and revocation data in the
        document security store (PAdES B-LT); needs ``trust_anchors``.
    :param location: the signing place recorded in the signature.
    :param person_report: for the seal, the caller's own verification
        report (:func:`~.verify.verify_pdf`) of this PDF before the number
        and date were stamped: the seal goes beside its latest sound person
        signature without verifying the document again. Without it, the
        seal verifies the document itself. The caller must then verify the
        sealed result before keeping it.
    """

    timestamp_url: str | None = None
    timestamper: TimeStamper | None = None
    trust_anchors: Sequence[bytes] = ()
    crls: Sequence[bytes] = ()
    ocsps: Sequence[bytes] = ()
    allow_fetching: bool = False
    embed_validation_info: bool = False
    location: str | None = None
    person_report: DocumentReport | None = None

    def build_timestamper(self) -> TimeStamper | None:
        if self.timestamper is not None or not self.timestamp_url:
            return self.timestamper
        from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

        return RequestsHTTPTimeStamper(self.timestamp_url)


DEFAULT_OPTIONS = SigningOptions()
DIGEST_ALGORITHM = "sha256"
Appearance = PersonAppearance | OrganisationAppearance | AttachmentAppearance


def sign_pdf(
    pdf: bytes,
    backend: SignerBackend,
    appearance: Appearance,
    placement: Placement = AUTOMATIC,
    options: SigningOptions = DEFAULT_OPTIONS,
) -> bytes:
    """Add one visible signature; the appearance says which (Decree 30).

    Returns the signed PDF as new bytes; ``pdf`` itself is left untouched.
    """
    plan = plan_for(appearance, placement)
    writer = open_writer(pdf)
    with backend.open() as signer:
        prepared = prepare(writer, signer, plan, options)
        with pyhanko_errors():
            output = pdf_signer_for(prepared).sign_pdf(
                writer, existing_fields_only=prepared.existing_field
            )
    return output.getvalue()


@contextmanager
def pyhanko_errors() -> Iterator[None]:
    """Turn pyHanko's signing failures into our translatable errors."""
    try:
        yield
    except TimestampRequestError as err:
        raise TimestampError(reason=str(err)) from err
    except PyhankoSigningError as err:
        raise SigningError(reason=str(err)) from err


def plan_for(appearance: Appearance, placement: Placement):
    """The planner that decides a signature of this appearance."""
    if isinstance(appearance, PersonAppearance):
        return _PersonPlan(appearance, placement)
    if isinstance(appearance, OrganisationAppearance):
        return _OrganisationPlan(appearance, placement)
    return _AttachmentPlan(appearance, placement)


@dataclass(frozen=True)
class _Signature:
    """Everything decided about a signature before pyHanko draws and signs it."""

    field_name: str
    spot: Spot
    stamp: StampLayout
    certifies: bool
    """First signature of an attachment: certifies "no changes"."""
    locks: bool
    """The seal: permits no change after it (see the module doc)."""
    readable_name: str
    locked_fields: tuple[str, ...] = ()
    """Signature fields named in the seal's lock: its own and earlier ones."""


@dataclass(frozen=True)
class _Context:
    writer: IncrementalPdfFileWriter
    certificate: asn1_x509.Certificate
    signing_time: datetime
    signed_fields: tuple[tuple[str, str], ...]
    """``(field name, kind)`` of the signatures already in the document."""
    options: SigningOptions


class _PersonPlan:
    def __init__(self, appearance: PersonAppearance, placement: Placement) -> None:
        self.image = PngImage(appearance.signature_png, role="signature")
        self.printed_name = appearance.printed_name
        self.placement = placement

    def decide(self, context: _Context) -> _Signature:
        reader = context.writer.prev
        spot = fixed_spot(reader, self.placement, default_page=-1)
        if spot is None:
            anchor = self.printed_name or common_name(context.certificate)
            spot = signature_block_spot(reader, anchor, self.image)
        persons = sum(kind == PERSON for _name, kind in context.signed_fields)
        return _Signature(
            field_name=spot.field_name or f"{PERSON_FIELD_PREFIX}_{persons + 1}",
            spot=spot,
            stamp=image_layout(self.image, spot.rect.width, spot.rect.height),
            certifies=False,
            locks=False,
            readable_name="Chữ ký số của người có thẩm quyền",
        )


class _OrganisationPlan:
    def __init__(
        self, appearance: OrganisationAppearance, placement: Placement
    ) -> None:
        self.seal = PngImage(appearance.seal_png, role="seal")
        self.seal_size = self.seal.real_size(appearance.seal_diameter_mm)
        self.agency_name = appearance.agency_name
        self.placement = placement

    def decide(self, context: _Context) -> _Signature:
        reader = context.writer.prev
        person_field = _valid_person_signature(reader, context.options)
        time_text = iso_time(context.signing_time)
        spot = fixed_spot(reader, self.placement, default_page=-1)
        if spot is None:
            spot, stamp = seal_spot(
                reader,
                field_spot(reader, person_field),
                self.seal,
                self.seal_size,
                self.agency_name,
                time_text,
            )
        else:
            stamp = seal_layout(
                self.seal, self.seal_size, (self.agency_name, time_text)
            )
            stamp = stamp.fitted(spot.rect.width, spot.rect.height)
        return _organisation_signature(
            ORGANISATION_FIELD, spot, stamp, context, "Chữ ký số của cơ quan, tổ chức"
        )


class _AttachmentPlan:
    def __init__(self, appearance: AttachmentAppearance, placement: Placement) -> None:
        self.reference = appearance.reference
        self.placement = placement

    def decide(self, context: _Context) -> _Signature:
        stamp = text_layout((self.reference, iso_time(context.signing_time)))
        reader = context.writer.prev
        spot = fixed_spot(reader, self.placement, default_page=0)
        if spot is None:
            spot = top_right_spot(reader, stamp, page=0)
        else:
            stamp = stamp.fitted(spot.rect.width, spot.rect.height)
        return _organisation_signature(
            ATTACHMENT_FIELD,
            spot,
            stamp,
            context,
            "Chữ ký số của cơ quan, tổ chức (phụ lục)",
        )


def _organisation_signature(
    default_name: str, spot: Spot, stamp: StampLayout, context: _Context, readable: str
) -> _Signature:
    first = not context.signed_fields
    return _Signature(
        field_name=spot.field_name or default_name,
        spot=spot,
        stamp=stamp,
        certifies=first,
        locks=not first,
        readable_name=readable,
        locked_fields=(
            spot.field_name or default_name,
            *(name for name, _kind in context.signed_fields),
        ),
    )


def _valid_person_signature(reader: PdfFileReader, options: SigningOptions) -> str:
    """Field name of the latest sound person signature, else refuse the seal.

    Sound means intact with only permitted changes after it, and trusted
    (chain, validity, revocation) when trust anchors are configured. The
    document is verified here only when the caller passed no report of its
    own (``options.person_report``); a reported field must still be a signed
    person field of this document.
    """
    report = options.person_report
    if report is None:
        policy = VerifyPolicy(
            options.trust_anchors,
            crls=options.crls,
            ocsps=options.ocsps,
            allow_fetching=options.allow_fetching,
        )
        report = verify_document(reader, policy)
    sound = [
        signature.field_name
        for signature in report.signatures
        if signature.kind == PERSON
        and signature.intact
        and signature.changes_permitted
        and (signature.valid or not options.trust_anchors)
    ]
    if not sound or report.problems:
        raise PersonSignatureMissingError()
    if options.person_report is not None:
        signed = {s.field_name for s in embedded_signatures(reader) if s.kind == PERSON}
        if sound[-1] not in signed:
            raise PersonSignatureMissingError()
    return sound[-1]


@dataclass(frozen=True)
class Prepared:
    """A signature fully decided, ready for pyHanko."""

    context: _Context
    signer: Signer
    signature: _Signature
    validation_context: ValidationContext | None

    @property
    def existing_field(self) -> bool:
        return self.signature.spot.field_name is not None


def prepare(
    writer: IncrementalPdfFileWriter, signer: Signer, plan, options: SigningOptions
) -> Prepared:
    """Refuse what must be refused, then decide the whole signature."""
    signed_fields = _signed_fields(writer)
    for name, kind in signed_fields:
        if kind == ORGANISATION:
            raise SealAlreadyAppliedError(field=name)
    certificate = signer.signing_cert
    signing_time = datetime.now(VIETNAM_TIME).replace(microsecond=0)
    validation_context = _check_signer(signer, certificate, signing_time, options)
    context = _Context(writer, certificate, signing_time, signed_fields, options)
    return Prepared(context, signer, plan.decide(context), validation_context)


def _signed_fields(writer: IncrementalPdfFileWriter) -> tuple[tuple[str, str], ...]:
    return tuple(
        (signature.field_name, signature.kind)
        for signature in embedded_signatures(writer.prev)
    )


def _check_signer(
    signer: Signer,
    certificate: asn1_x509.Certificate,
    now: datetime,
    options: SigningOptions,
) -> ValidationContext | None:
    """Refuse certificates that cannot sign now; validate the chain if asked."""
    subject = common_name(certificate)
    if now < certificate.not_valid_before:
        raise CertificateNotYetValidError(
            subject=subject, not_before=iso_time(certificate.not_valid_before)
        )
    if now > certificate.not_valid_after:
        raise CertificateExpiredError(
            subject=subject, not_after=iso_time(certificate.not_valid_after)
        )
    try:
        SIGNING_KEY_USAGE.validate(certificate)
    except ValidationError as err:
        raise KeyUsageError(subject=subject) from err
    _check_key_strength(certificate)
    if not options.trust_anchors:
        return None
    context = ValidationContext(
        trust_roots=load_certificates(options.trust_anchors),
        other_certs=list(signer.cert_registry),
        fetcher_backend=fetcher_backend() if options.allow_fetching else None,
        crls=list(options.crls),
        ocsps=list(options.ocsps),
        allow_fetching=options.allow_fetching,
        revocation_mode="soft-fail",
    )
    validator = CertificateValidator(certificate, validation_context=context)
    try:
        asyncio.run(validator.async_validate_path())
    except RevokedError as err:
        raise CertificateRevokedCannotSignError(
            subject=subject,
            date=shown_time(err.revocation_dt),
            reason=revocation_reason(err.reason.native),
        ) from err
    except (PathBuildingError, ValidationError) as err:
        raise UntrustedCertificateError(subject=subject, reason=str(err)) from err
    return context


MINIMUM_KEY_BITS = {"rsa": 2048, "ec": 256}
"""Circular 15/2025/TT-BKHCN: RSA of 2048 bits or more, ECDSA of 256 or more."""


def _check_key_strength(certificate: asn1_x509.Certificate) -> None:
    public_key = certificate.public_key
    algorithm = public_key.algorithm
    minimum = MINIMUM_KEY_BITS.get(algorithm)
    if minimum is None or public_key.bit_size < minimum:
        raise KeyTooWeakError(
            subject=common_name(certificate),
            algorithm=algorithm.upper(),
            bits=public_key.bit_size,
        )


def signing_key_usages(certificate: asn1_x509.Certificate) -> set[str]:
    """The signing key usages the certificate has, for pyHanko to demand.

    Demanding both would refuse organisation certificates issued with
    digitalSignature only (which our verification accepts).
    """
    asserted = (
        set(certificate.key_usage_value.native)
        if certificate.key_usage_value
        else set()
    )
    return asserted & set(SIGNING_KEY_USAGE.key_usage)


class _TimedPdfSigner(PdfSigner):
    """PdfSigner whose signing time is fixed in advance.

    The visible stamp prints the signing time, so it must be the very time
    written into the CMS ``signingTime`` attribute; pyHanko otherwise reads
    the clock again when the session starts.
    """

    def __init__(self, *args, signing_time: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


def pdf_signer_for(prepared: Prepared) -> PdfSigner:
    """A pyHanko signer set up for ``prepared`` (PAdES, SHA-256, our stamp)."""
    context, signature = prepared.context, prepared.signature
    options = context.options
    embed = options.embed_validation_info and prepared.validation_context is not None
    timestamper = options.build_timestamper()
    metadata = PdfSignatureMetadata(
        field_name=signature.field_name,
        md_algorithm=DIGEST_ALGORITHM,
        subfilter=SigSeedSubFilter.PADES,
        certify=signature.certifies,
        docmdp_permissions=MDPPerm.NO_CHANGES,  # applies to certifying or locking only
        location=options.location,
        validation_context=prepared.validation_context if embed else None,
        embed_validation_info=embed,
        signer_key_usage=signing_key_usages(context.certificate),
        # without a timestamp token the CMS size is known exactly: reserve no
        # slack, since every reader parses the hex /Contents byte by byte
        tight_size_estimates=timestamper is None and not embed,
    )
    return _TimedPdfSigner(
        metadata,
        prepared.signer,
        timestamper=timestamper,
        stamp_style=LayoutStampStyle(stamp_layout=signature.stamp),
        new_field_spec=_field_spec(signature),
        signing_time=context.signing_time,
    )


def _field_spec(signature: _Signature) -> SigFieldSpec | None:
    if signature.spot.field_name is not None:
        return None
    locks = signature.locks
    return SigFieldSpec(
        sig_field_name=signature.field_name,
        on_page=signature.spot.page,
        box=signature.spot.rect.as_tuple(),
        field_mdp_spec=(
            FieldMDPSpec(FieldMDPAction.INCLUDE, fields=list(signature.locked_fields))
            if locks
            else None
        ),
        doc_mdp_update_value=MDPPerm.NO_CHANGES if locks else None,
        readable_field_name=signature.readable_name,
    )
