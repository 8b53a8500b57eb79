"""Verify the signatures of a PDF and report on each, as Decree 30 asks.

For every signature the report answers separately: is it intact, does it
cover the document or what changed after it (pyHanko's modification
analysis) and was that permitted, does the certificate chain to one of the
trust anchors passed in (never the OS store), was the certificate valid and
unrevoked at signing time, is its key usage right.  Then the document
verdict: a valid person signature and a valid organisation signature.

Rules worth knowing:

* **Signing time** is the time of a trusted RFC 3161 timestamp when there is
  one, else the time the signer's software claimed (as Adobe Reader does; a
  :class:`~.errors.SigningTimeClaimedError` notes it).  Certificates are
  validated at that time, with revocation data judged retroactively
  (a CRL or OCSP response issued later still tells whether the certificate
  had been revoked by then).
* **Revocation** is ``"good"`` only when a CRL or OCSP response for the
  signer's certificate was actually found (embedded in the PDF's DSS, passed
  in, or fetched when ``allow_fetching``).  pyHanko's default soft-fail mode
  calls a chain "trusted" without any revocation data; we report that as
  ``"not_checked"``.  With ``require_revocation`` (a legal verdict) a
  signature is only valid when its revocation status is ``"good"``.
* **Key usage**: digitalSignature *or* nonRepudiation (organisation
  certificates often have only the former; pyHanko's default wants the
  latter).
* **Kind**: our own field names (``vbdt_person…``, ``vbdt_organisation``,
  ``vbdt_attachment``) decide; otherwise the certificate: an organisation
  certificate names the agency itself (CN equals O) or lacks
  nonRepudiation; anything else is a person.
* **Tampering** shows up as a broken signature (signed bytes changed, or a
  container that does not even parse), as changes not permitted after a
  signature (content drawn, pages added, fields removed), or, for a
  signature field removed altogether, as a document-level problem: every
  revision is searched for signatures that are gone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.keys.pemder import load_certs_from_pemder_data
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    EmbeddedPdfSignature,
    KeyUsageConstraints,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    async_validate_pdf_signature,
)
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko.sign.validation.generic_cms import collect_timing_info
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    PathBuildingError,
    PathValidationError,
    ValidationError,
)

from .errors import (
    CertificateInvalidAtSigningTimeError,
    CertificateRevokedError,
    ChangesNotPermittedError,
    KeyUsageError,
    PadesError,
    RevocationNotCheckedError,
    SignatureBrokenError,
    SignatureRemovedError,
    SigningTimeClaimedError,
    TimestampInvalidError,
    UntrustedCertificateError,
)
from .pdf import open_reader

PERSON = "person"
ORGANISATION = "organisation"
UNKNOWN = "unknown"
PERSON_FIELD_PREFIX = "vbdt_person"
ORGANISATION_FIELD = "vbdt_organisation"
ATTACHMENT_FIELD = "vbdt_attachment"

SIGNING_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)
_NO_KEY_USAGE_REQUIRED = KeyUsageConstraints(key_usage=set())


@dataclass(frozen=True)
class CertificateInfo:
    """Who signed: the certificate's subject and issuer, in plain strings."""

    name: str
    organisation: str | None
    serial_number: str
    issuer: str
    valid_from: datetime
    valid_until: datetime

    @classmethod
    def from_certificate(cls, cert: asn1_x509.Certificate) -> CertificateInfo:
        return cls(
            name=common_name(cert),
            organisation=cert.subject.native.get("organization_name"),
            serial_number=format(cert.serial_number, "X"),
            issuer=_name_of(cert.issuer),
            valid_from=cert.not_valid_before,
            valid_until=cert.not_valid_after,
        )


@dataclass(frozen=True)
class SignatureReport:
    """Everything a clerk needs to judge one signature."""

    field_name: str
    kind: str
    kind_basis: str
    signer: CertificateInfo | None
    """None when the signature container cannot be read at all."""
    claimed_signing_time: datetime | None
    timestamp_time: datetime | None
    timestamp_trusted: bool | None
    signing_time_basis: str
    intact: bool
    covers_whole_document: bool
    modification_level: str | None
    changed_fields: tuple[str, ...]
    changes_permitted: bool
    trusted: bool
    valid_at_signing_time: bool
    revocation: str
    key_usage_ok: bool
    valid: bool
    problems: tuple[PadesError, ...]


@dataclass(frozen=True)
class DocumentReport:
    """Per-signature reports plus the Decree 30 verdict for the document."""

    signatures: tuple[SignatureReport, ...]
    problems: tuple[PadesError, ...]
    revocation_required: bool

    @property
    def has_valid_person_signature(self) -> bool:
        return any(s.valid and s.kind == PERSON for s in self.signatures)

    @property
    def has_valid_organisation_signature(self) -> bool:
        return any(s.valid and s.kind == ORGANISATION for s in self.signatures)

    @property
    def complete(self) -> bool:
        """Signed by the competent person and by the organisation, all valid."""
        return (
            self.has_valid_person_signature
            and self.has_valid_organisation_signature
            and all(s.valid for s in self.signatures)
            and not self.problems
        )

    def to_dict(self) -> dict[str, Any]:
        result = _plain(self)
        result.update(
            has_valid_person_signature=self.has_valid_person_signature,
            has_valid_organisation_signature=self.has_valid_organisation_signature,
            complete=self.complete,
        )
        return result


def common_name(cert: asn1_x509.Certificate) -> str:
    """The subject's common name, or the whole subject when it has none."""
    return _name_of(cert.subject)


def _name_of(name: asn1_x509.Name) -> str:
    return name.native.get("common_name", name.human_friendly)


def _plain(value: Any) -> Any:
    """JSON-ready copy: dataclasses to dicts, times to ISO strings, errors to dicts."""
    if isinstance(value, PadesError):
        return value.to_dict()
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True)
class VerifyPolicy:
    """What to trust and how hard to look for revocation data.

    :param trust_anchors: PEM or DER root (or issuing CA) certificates; the
        only certificates trusted.
    :param other_certs: intermediate certificates not embedded in the PDFs.
    :param crls, ocsps: DER revocation data obtained elsewhere.
    :param allow_fetching: fetch CRLs/OCSP responses over the network.
    :param require_revocation: a signature without positive revocation
        status is not valid (hard-fail, for a legal verdict).
    """

    trust_anchors: Sequence[bytes]
    other_certs: Sequence[bytes] = ()
    crls: Sequence[bytes] = ()
    ocsps: Sequence[bytes] = ()
    allow_fetching: bool = False
    require_revocation: bool = False


def verify_pdf(
    pdf: bytes,
    trust_anchors: Sequence[bytes],
    *,
    other_certs: Sequence[bytes] = (),
    crls: Sequence[bytes] = (),
    ocsps: Sequence[bytes] = (),
    allow_fetching: bool = False,
    require_revocation: bool = False,
) -> DocumentReport:
    """Verify every signature of ``pdf`` (see the module docstring for the rules)."""
    policy = VerifyPolicy(
        trust_anchors, other_certs, crls, ocsps, allow_fetching, require_revocation
    )
    return verify_document(open_reader(pdf), policy)


def verify_document(reader: PdfFileReader, policy: VerifyPolicy) -> DocumentReport:
    """:func:`verify_pdf` on an already open document."""
    return asyncio.run(_verify_document(reader, policy))


async def _verify_document(reader: PdfFileReader, policy: VerifyPolicy) -> DocumentReport:
    contexts = _Contexts(reader, policy)
    reports = []
    for signature in embedded_signatures(reader):
        if signature.embedded is None:
            reports.append(_unreadable_report(signature))
        else:
            reports.append(await _verify_signature(signature.embedded, contexts, policy))
    present = {report.field_name for report in reports}
    removed = tuple(
        SignatureRemovedError(field=name)
        for name in signed_field_history(reader)
        if name not in present
    )
    return DocumentReport(tuple(reports), removed, policy.require_revocation)


@dataclass(frozen=True)
class EmbeddedSignature:
    """A filled signature field; ``embedded`` is None when its CMS is unreadable."""

    field_name: str
    embedded: EmbeddedPdfSignature | None

    @property
    def kind(self) -> str:
        certificate = self.embedded.signer_cert if self.embedded else None
        return signature_kind(self.field_name, certificate)[0]


_UNREADABLE_CMS = (ValueError, TypeError, KeyError, AttributeError, PdfError)


def embedded_signatures(reader: PdfFileReader) -> list[EmbeddedSignature]:
    """Every signature (not document timestamp) of the document, oldest first.

    Unlike pyHanko's ``embedded_regular_signatures``, a damaged signature
    container is reported rather than raised, and no signature is skipped.
    """
    from pyhanko.sign.fields import enumerate_sig_fields

    found = []
    for name, value, field_ref in enumerate_sig_fields(reader, filled_status=True):
        if value.get_object().get("/Type") == "/DocTimeStamp":
            continue
        try:
            embedded = EmbeddedPdfSignature(reader, field_ref.get_object(), name)
            embedded.signer_cert, embedded.external_md_algorithm  # noqa: B018 -- parse now
        except _UNREADABLE_CMS:
            embedded = None
        revision = embedded.signed_revision if embedded else reader.xrefs.total_revisions
        found.append((revision, EmbeddedSignature(name, embedded)))
    return [signature for _revision, signature in sorted(found, key=lambda item: item[0])]


def signed_field_history(reader: PdfFileReader) -> list[str]:
    """Names of signature fields holding a signature in any revision."""
    from pyhanko.sign.fields import enumerate_sig_fields

    names: list[str] = []
    for revision in range(reader.xrefs.total_revisions):
        resolver = reader.get_historical_resolver(revision)
        for name, _value, _ref in enumerate_sig_fields(resolver, filled_status=True):
            if name not in names:
                names.append(name)
    return names


class _Contexts:
    """Builds certvalidator contexts from the policy plus the PDF's own DSS."""

    def __init__(self, reader: PdfFileReader, policy: VerifyPolicy) -> None:
        try:
            self._dss: DocumentSecurityStore | None = DocumentSecurityStore.read_dss(reader)
        except NoDSSFoundError:
            self._dss = None
        self._policy = policy
        self._trust_roots = load_certificates(policy.trust_anchors)
        self._other_certs = load_certificates(policy.other_certs)

    @property
    def has_revocation_data(self) -> bool:
        """Whether any CRL or OCSP response can be found at all."""
        policy = self._policy
        dss = self._dss
        return bool(
            policy.crls
            or policy.ocsps
            or policy.allow_fetching
            or (dss is not None and (dss.crls or dss.ocsps))
        )

    def build(self, moment: datetime | None, revocation_mode: str) -> ValidationContext:
        policy = self._policy
        kwargs: dict[str, Any] = dict(
            trust_roots=self._trust_roots,
            other_certs=self._other_certs,
            crls=list(policy.crls),
            ocsps=list(policy.ocsps),
            allow_fetching=policy.allow_fetching,
            revocation_mode=revocation_mode,
            retroactive_revinfo=True,
        )
        if moment is not None:
            kwargs["moment"] = moment
        if self._dss is not None:
            return self._dss.as_validation_context(kwargs)
        return ValidationContext(**kwargs)


def load_certificates(blobs: Sequence[bytes]) -> list[asn1_x509.Certificate]:
    """X.509 certificates from DER or PEM blobs (a PEM blob may hold several)."""
    return [cert for blob in blobs for cert in load_certs_from_pemder_data(blob)]


@dataclass(frozen=True)
class _Timing:
    """When a signature was made, and on whose word."""

    claimed: datetime | None
    timestamp: datetime | None
    timestamp_trusted: bool | None
    moment: datetime
    basis: str


async def _signing_time(embedded: EmbeddedPdfSignature, context: ValidationContext) -> _Timing:
    """The trusted timestamp's time if any, else the claimed time (see module doc)."""
    found = await collect_timing_info(
        embedded.signer_info, context, raw_digest=embedded.compute_digest
    )
    claimed = found.get("signer_reported_dt") or embedded.self_reported_timestamp
    tst = found.get("timestamp_validity")
    trusted = None if tst is None else bool(tst.valid and tst.intact and tst.trusted)
    timestamp = tst.timestamp if tst is not None else None
    if trusted:
        return _Timing(claimed, timestamp, trusted, timestamp, "timestamp")
    if claimed is not None:
        return _Timing(claimed, timestamp, trusted, claimed, "claimed")
    return _Timing(None, timestamp, trusted, datetime.now(timezone.utc), "verification")


async def _verify_signature(
    embedded: EmbeddedPdfSignature, contexts: _Contexts, policy: VerifyPolicy
) -> SignatureReport:
    timestamp_context = contexts.build(None, "soft-fail")
    timing = await _signing_time(embedded, timestamp_context)
    kind, kind_basis = signature_kind(embedded.field_name, embedded.signer_cert)
    report = dict(
        field_name=embedded.field_name,
        kind=kind,
        kind_basis=kind_basis,
        signer=CertificateInfo.from_certificate(embedded.signer_cert),
        claimed_signing_time=timing.claimed,
        timestamp_time=timing.timestamp,
        timestamp_trusted=timing.timestamp_trusted,
        signing_time_basis=timing.basis,
    )
    try:
        status = await async_validate_pdf_signature(
            embedded,
            signer_validation_context=contexts.build(timing.moment, "soft-fail"),
            ts_validation_context=timestamp_context,
            key_usage_settings=_NO_KEY_USAGE_REQUIRED,  # judged separately, see module doc
        )
    except (SignatureValidationError, PyhankoSigningError, ValueError):
        broken = (SignatureBrokenError(field=embedded.field_name),)
        return SignatureReport(**report, **_BROKEN, problems=broken)
    revocation = await _revocation_status(status, contexts, timing.moment)
    return SignatureReport(
        **report, **_assess(embedded.field_name, status, timing, revocation, policy)
    )


def _unreadable_report(signature: EmbeddedSignature) -> SignatureReport:
    kind, kind_basis = signature_kind(signature.field_name, None)
    return SignatureReport(
        field_name=signature.field_name,
        kind=kind,
        kind_basis=kind_basis,
        signer=None,
        claimed_signing_time=None,
        timestamp_time=None,
        timestamp_trusted=None,
        signing_time_basis="verification",
        **_BROKEN,
        problems=(SignatureBrokenError(field=signature.field_name),),
    )


_BROKEN = dict(
    intact=False,
    covers_whole_document=False,
    modification_level=None,
    changed_fields=(),
    changes_permitted=False,
    trusted=False,
    valid_at_signing_time=False,
    revocation="not_checked",
    key_usage_ok=False,
    valid=False,
)
"""Report fields of a signature whose CMS cannot even be checked."""


async def _revocation_status(
    status: PdfSignatureStatus, contexts: _Contexts, moment: datetime
) -> str:
    """``"revoked"``, ``"good"`` (revocation data found) or ``"not_checked"``."""
    if status.revocation_details is not None:
        return "revoked"
    if status.validation_path is None or not contexts.has_revocation_data:
        return "not_checked"
    validator = CertificateValidator(
        status.signing_cert,
        intermediate_certs=list(status.validation_path)[1:-1],
        validation_context=contexts.build(moment, "require"),
    )
    try:
        await validator.async_validate_path()
    except (PathValidationError, PathBuildingError, ValidationError):
        return "not_checked"
    return "good"


def _assess(
    field: str,
    status: PdfSignatureStatus,
    timing: _Timing,
    revocation: str,
    policy: VerifyPolicy,
) -> dict[str, Any]:
    """Report fields and translatable problems from pyHanko's status."""
    cert = status.signing_cert
    subject = common_name(cert)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    intact = bool(status.intact and status.valid)
    permitted = whole or bool(status.docmdp_ok)
    trusted = status.validation_path is not None
    in_time = cert.not_valid_before <= timing.moment <= cert.not_valid_after
    key_usage_ok = _has_signing_key_usage(cert)
    problems: list[PadesError] = []
    if not intact:
        problems.append(SignatureBrokenError(field=field))
    if not permitted:
        problems.append(ChangesNotPermittedError(field=field, reason=_diff_reason(status)))
    if not trusted:
        problems.append(UntrustedCertificateError(subject=subject, reason=_indication(status)))
    if not in_time:
        problems.append(
            CertificateInvalidAtSigningTimeError(
                subject=subject,
                time=timing.moment.isoformat(),
                not_before=cert.not_valid_before.isoformat(),
                not_after=cert.not_valid_after.isoformat(),
            )
        )
    if not key_usage_ok:
        problems.append(KeyUsageError(subject=subject))
    if revocation == "revoked":
        details = status.revocation_details
        problems.append(
            CertificateRevokedError(
                subject=subject,
                date=details.revocation_date.isoformat(),
                reason=details.revocation_reason.human_friendly,
            )
        )
    if timing.timestamp_trusted is False:
        problems.append(TimestampInvalidError(field=field))
    advisory: list[PadesError] = []
    if revocation == "not_checked":
        (problems if policy.require_revocation else advisory).append(
            RevocationNotCheckedError(subject=subject)
        )
    if timing.basis != "timestamp":
        advisory.append(SigningTimeClaimedError(field=field))
    return dict(
        intact=intact,
        covers_whole_document=whole,
        modification_level=_modification_level(status),
        changed_fields=_changed_fields(status),
        changes_permitted=permitted,
        trusted=trusted,
        valid_at_signing_time=in_time,
        revocation=revocation,
        key_usage_ok=key_usage_ok,
        # pyHanko's own verdict (soft-fail) must agree: it also catches what
        # the fields above do not name, such as a CA expired at signing time
        valid=not problems and status.trust_problem_indic is None,
        problems=tuple(problems + advisory),
    )


def _has_signing_key_usage(cert: asn1_x509.Certificate) -> bool:
    try:
        SIGNING_KEY_USAGE.validate(cert)
    except ValidationError:
        return False
    return True


def _indication(status: PdfSignatureStatus) -> str:
    indication = status.trust_problem_indic
    return indication.name.lower().replace("_", " ") if indication else "no chain"


def _diff_reason(status: PdfSignatureStatus) -> str:
    if isinstance(status.diff_result, DiffResult):
        level = status.diff_result.modification_level.name.lower()
        return f"modification level {level.replace('_', ' ')}"
    return str(status.diff_result) if status.diff_result else "unknown changes"


def _modification_level(status: PdfSignatureStatus) -> str | None:
    level = status.modification_level
    return level.name.lower() if level is not None else None


def _changed_fields(status: PdfSignatureStatus) -> tuple[str, ...]:
    if isinstance(status.diff_result, DiffResult):
        return tuple(sorted(status.diff_result.changed_form_fields))
    return ()


def signature_kind(field_name: str, cert: asn1_x509.Certificate | None) -> tuple[str, str]:
    """Guess ``(kind, basis)``: person or organisation, from field name or certificate."""
    if field_name.startswith(PERSON_FIELD_PREFIX):
        return PERSON, "field name"
    if field_name in (ORGANISATION_FIELD, ATTACHMENT_FIELD):
        return ORGANISATION, "field name"
    if cert is None:
        return UNKNOWN, ""
    subject = cert.subject.native
    name = _folded(subject.get("common_name"))
    organisation = _folded(subject.get("organization_name"))
    key_usage = set(cert.key_usage_value.native) if cert.key_usage_value else set()
    if (name and name == organisation) or "non_repudiation" not in key_usage:
        return ORGANISATION, "certificate"
    return PERSON, "certificate"


def _folded(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return unicodedata.normalize("NFC", value or "").casefold().strip()
