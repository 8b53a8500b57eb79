"""Verify the signatures of a PDF and report on each, as Decree 30 asks.

pyHanko's AdES validation (ETSI EN 319 102-1) judges every signature; this
module adds only what a clerk needs on top of it, each point explained:

* **When a signature is judged.**  Never at the time the signer's software
  claims: anybody can set a clock back.  A signature with a trusted
  signature timestamp is judged by pyHanko's *validation with time*
  (``ades_with_time_validation``) at the timestamp's time.  Without one, it
  is judged by pyHanko's *basic validation* (``ades_basic_validation``) at
  the earliest moment it is *proven* to exist: a trusted document timestamp
  added after it, or the moment our system received the file
  (``existed_at``), else now.  A certificate expired or revoked before that
  moment makes the signature invalid, whatever time it claims.
* **Validity period.**  pyHanko's validation with time lets an expired
  certificate pass when a timestamp exists ("expiry needs past revocation
  data"), even if the timestamp is *later* than the expiry; we refuse that
  case: the certificate must be valid at the time the signature is judged.
* **Revocation** is ``"good"`` only when pyHanko found a CRL or OCSP
  response for the signer's chain (embedded in the PDF's DSS, passed in, or
  fetched when ``allow_fetching``): we first ask pyHanko with revocation
  data *required*; only when that finds none do we ask again tolerantly and
  report ``"not_checked"`` (fatal with ``require_revocation``).
* **Key usage**: digitalSignature *or* nonRepudiation.
* **Kind**: our own field names (``vbdt_person…``, ``vbdt_organisation``,
  ``vbdt_attachment``) decide; otherwise the certificate: an organisation
  certificate names the agency itself (CN equals O) or lacks
  nonRepudiation; anything else is a person.
* **Document timestamps** (``/DocTimeStamp``, PAdES B-LTA) are reported
  apart from signatures, each validated, and never count as signatures.
* **Tampering** shows up as a broken signature (signed bytes changed, or a
  container that does not even parse), as changes not permitted after a
  signature (pyHanko's modification analysis: content drawn, pages added,
  fields removed), or, for a signature field removed altogether, as a
  document-level problem: every revision is searched for signatures that
  are gone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.keys.pemder import load_certs_from_pemder_data
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.diff_analysis import DiffResult
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    KeyUsageConstraints,
    SignatureCoverageLevel,
)
from pyhanko.sign.validation.ades import (
    ades_basic_validation,
    ades_timestamp_validation,
    ades_with_time_validation,
)
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.errors import ValidationError
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    LEGACY_POLICY_MAP,
    REQUIRE_REVINFO,
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
)
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer, OCSPContainer

from .errors import (
    CertificateInvalidAtSigningTimeError,
    CertificateRevokedError,
    ChangesNotPermittedError,
    DocumentTimestampInvalidError,
    KeyUsageError,
    PadesError,
    RevocationNotCheckedError,
    SignatureBrokenError,
    SignatureRemovedError,
    SigningTimeFromDocumentTimestampNote,
    SigningTimeFromReceiptNote,
    SigningTimeFromVerificationNote,
    TimestampInvalidError,
    UntrustedCertificateError,
    revocation_reason,
)
from .pdf import open_for_verification

PERSON = "person"
ORGANISATION = "organisation"
UNKNOWN = "unknown"
PERSON_FIELD_PREFIX = "vbdt_person"
ORGANISATION_FIELD = "vbdt_organisation"
ATTACHMENT_FIELD = "vbdt_attachment"

SIGNING_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")

TIMESTAMP = "timestamp"
"""Basis of the judging time: the signature's own trusted timestamp."""
DOCUMENT_TIMESTAMP = "document_timestamp"
"""...a trusted document timestamp added after the signature."""
RECEIVED = "received"
"""...the moment our system received the file (``existed_at``)."""
VERIFICATION = "verification"
"""...no proof at all: the moment of this verification."""


@dataclass(frozen=True)
class CertificateInfo:
    """Who signed: the certificate's subject and issuer, in plain strings."""

    name: str
    organisation: str | None
    serial_number: str
    issuer: str
    valid_from: datetime
    valid_until: datetime
    title: str | None = None
    """The subject's title (OID 2.5.4.12), when the certificate has one."""

    @classmethod
    def from_certificate(cls, cert: asn1_x509.Certificate) -> CertificateInfo:
        return cls(
            name=common_name(cert),
            organisation=cert.subject.native.get("organization_name"),
            serial_number=format(cert.serial_number, "X"),
            issuer=_name_of(cert.issuer),
            valid_from=cert.not_valid_before,
            valid_until=cert.not_valid_after,
            title=cert.subject.native.get("title"),
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
    """What the signer's software wrote: shown, never trusted."""
    timestamp_time: datetime | None
    timestamp_trusted: bool | None
    signing_time_basis: str
    """What proves the time it is judged at: :data:`TIMESTAMP`,
    :data:`DOCUMENT_TIMESTAMP`, :data:`RECEIVED` or :data:`VERIFICATION`."""
    judged_at: datetime | None
    """The time the certificate was judged at (see the module doc)."""
    intact: bool
    covers_whole_document: bool
    modification_level: str | None
    changed_fields: tuple[str, ...]
    changes_permitted: bool
    trusted: bool
    trust_path: tuple[str, ...]
    """Common names from the signer's certificate up to the trust anchor."""
    valid_at_signing_time: bool
    revocation: str
    key_usage_ok: bool
    valid: bool
    problems: tuple[PadesError, ...]


@dataclass(frozen=True)
class TimestampReport:
    """A document timestamp (PAdES B-LTA): proves the file existed then."""

    field_name: str
    time: datetime | None
    authority: str | None
    intact: bool
    trusted: bool
    covers_whole_document: bool
    valid: bool
    problems: tuple[PadesError, ...]
    revision: int
    """Index of the PDF revision it signs (later revisions come after)."""


@dataclass(frozen=True)
class DocumentReport:
    """Per-signature reports plus the Decree 30 verdict for the document."""

    signatures: tuple[SignatureReport, ...]
    problems: tuple[PadesError, ...]
    revocation_required: bool
    timestamps: tuple[TimestampReport, ...] = ()

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
            and all(t.valid for t in self.timestamps)
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


def shown_time(moment: datetime) -> str:
    """``dd/mm/yyyy hh:mm:ss`` in Vietnam time, for messages to users."""
    return moment.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M:%S")


def _plain(value: Any) -> Any:
    """JSON-ready copy: dataclasses to dicts, times to ISO strings, errors to dicts."""
    if isinstance(value, PadesError):
        return value.to_dict()
    if dataclasses.is_dataclass(value):
        return {
            f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
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
    :param existed_at: when our system received the file, the latest time
        every signature in it is proven to exist; None: now.
    """

    trust_anchors: Sequence[bytes]
    other_certs: Sequence[bytes] = ()
    crls: Sequence[bytes] = ()
    ocsps: Sequence[bytes] = ()
    allow_fetching: bool = False
    require_revocation: bool = False
    existed_at: datetime | None = None


def verify_pdf(
    pdf: bytes,
    trust_anchors: Sequence[bytes],
    *,
    other_certs: Sequence[bytes] = (),
    crls: Sequence[bytes] = (),
    ocsps: Sequence[bytes] = (),
    allow_fetching: bool = False,
    require_revocation: bool = False,
    existed_at: datetime | None = None,
) -> DocumentReport:
    """Verify every signature of ``pdf`` (see the module docstring for the rules)."""
    policy = VerifyPolicy(
        trust_anchors,
        other_certs,
        crls,
        ocsps,
        allow_fetching,
        require_revocation,
        existed_at,
    )
    return verify_document(open_for_verification(pdf), policy)


def verify_document(reader: PdfFileReader, policy: VerifyPolicy) -> DocumentReport:
    """:func:`verify_pdf` on an already open document."""
    return asyncio.run(_verify_document(reader, policy))


async def _verify_document(
    reader: PdfFileReader, policy: VerifyPolicy
) -> DocumentReport:
    specs = _Specs(reader, policy)
    timestamps = [
        await _verify_timestamp(stamp, specs) for stamp in document_timestamps(reader)
    ]
    reports = []
    for signature in embedded_signatures(reader):
        if signature.embedded is None:
            reports.append(_unreadable_report(signature))
        else:
            proof = _proof_of_existence(signature.embedded, timestamps, policy)
            reports.append(
                await _verify_signature(signature.embedded, specs, policy, proof)
            )
    present = {report.field_name for report in reports} | {
        t.field_name for t in timestamps
    }
    removed = tuple(
        SignatureRemovedError(field=name)
        for name in signed_field_history(reader)
        if name not in present
    )
    return DocumentReport(
        tuple(reports), removed, policy.require_revocation, tuple(timestamps)
    )


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


def _filled_fields(reader: PdfFileReader, document_timestamps: bool):
    from pyhanko.sign.fields import enumerate_sig_fields

    for name, value, field_ref in enumerate_sig_fields(reader, filled_status=True):
        is_timestamp = value.get_object().get("/Type") == "/DocTimeStamp"
        if is_timestamp == document_timestamps:
            yield name, field_ref


def _parsed(reader: PdfFileReader, name: str, field_ref) -> EmbeddedPdfSignature | None:
    try:
        embedded = EmbeddedPdfSignature(reader, field_ref.get_object(), name)
        # Parse now: a broken CMS is refused here, not later.
        _parsed_now = embedded.signer_cert, embedded.external_md_algorithm
    except _UNREADABLE_CMS:
        return None
    return embedded


def embedded_signatures(reader: PdfFileReader) -> list[EmbeddedSignature]:
    """Every signature (not document timestamp) of the document, oldest first.

    Unlike pyHanko's ``embedded_regular_signatures``, a damaged signature
    container is reported rather than raised, and no signature is skipped.
    """
    found = []
    for name, field_ref in _filled_fields(reader, document_timestamps=False):
        embedded = _parsed(reader, name, field_ref)
        revision = (
            embedded.signed_revision if embedded else reader.xrefs.total_revisions
        )
        found.append((revision, EmbeddedSignature(name, embedded)))
    return [
        signature for _revision, signature in sorted(found, key=lambda item: item[0])
    ]


def document_timestamps(reader: PdfFileReader) -> list[EmbeddedSignature]:
    """Every document timestamp (``/DocTimeStamp``), oldest first."""
    found = []
    for name, field_ref in _filled_fields(reader, document_timestamps=True):
        embedded = _parsed(reader, name, field_ref)
        revision = (
            embedded.signed_revision if embedded else reader.xrefs.total_revisions
        )
        found.append((revision, EmbeddedSignature(name, embedded)))
    return [stamp for _revision, stamp in sorted(found, key=lambda item: item[0])]


def signed_field_history(reader: PdfFileReader) -> list[str]:
    """Names of signature fields (timestamps too) filled in any revision."""
    from pyhanko.sign.fields import enumerate_sig_fields

    names: list[str] = []
    for revision in range(reader.xrefs.total_revisions):
        resolver = reader.get_historical_resolver(revision)
        for name, _value, _ref in enumerate_sig_fields(resolver, filled_status=True):
            if name not in names:
                names.append(name)
    return names


class _Specs:
    """pyHanko validation specs from the policy plus the PDF's own DSS."""

    def __init__(self, reader: PdfFileReader, policy: VerifyPolicy) -> None:
        self._policy = policy
        self._trust = SimpleTrustManager.build(
            trust_roots=load_certificates(policy.trust_anchors)
        )
        self._knowledge = _local_knowledge(reader, policy)
        self._gathering = RevocationInfoGatheringSpec(
            online_fetching_rule=(
                RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH
                if policy.allow_fetching
                else RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
            fetcher_backend=fetcher_backend() if policy.allow_fetching else None,
        )

    @property
    def has_revocation_data(self) -> bool:
        """Whether any CRL or OCSP response can be found at all."""
        knowledge = self._knowledge
        return bool(
            knowledge.known_crls or knowledge.known_ocsps or self._policy.allow_fetching
        )

    def build(self, revocation: RevocationCheckingPolicy) -> SignatureValidationSpec:
        return SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=self._trust,
                revinfo_policy=CertRevTrustPolicy(revocation),
                # judged at a moment in the past, a CRL or OCSP response issued
                # later still tells whether the certificate was revoked by then
                time_tolerance=timedelta(seconds=1),
            ),
            revinfo_gathering_policy=self._gathering,
            local_knowledge=self._knowledge,
            key_usage_settings=SIGNING_KEY_USAGE,
        )


def _local_knowledge(reader: PdfFileReader, policy: VerifyPolicy) -> LocalKnowledge:
    crls = [asn1_crl.CertificateList.load(der) for der in policy.crls]
    ocsps = [asn1_ocsp.OCSPResponse.load(der) for der in policy.ocsps]
    certs = load_certificates(policy.other_certs)
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        dss = None
    if dss is not None:
        crls += [
            asn1_crl.CertificateList.load(ref.get_object().data) for ref in dss.crls
        ]
        ocsps += [
            asn1_ocsp.OCSPResponse.load(ref.get_object().data) for ref in dss.ocsps
        ]
        certs += list(dss.load_certs())
    return LocalKnowledge(
        known_crls=[CRLContainer(crl) for crl in crls],
        known_ocsps=[
            item for response in ocsps for item in OCSPContainer.load_multi(response)
        ],
        known_certs=certs,
    )


FETCH_TIMEOUT = 10
"""Seconds per CRL or OCSP request when fetching is allowed."""


def fetcher_backend() -> RequestsFetcherBackend:
    """How CRLs and OCSP responses are fetched when allowed: with
    ``requests``, each request bounded in time. (pyHanko's default aiohttp
    backend leaves its client session open behind ``asyncio.run``.)"""
    return RequestsFetcherBackend(per_request_timeout=FETCH_TIMEOUT)


def load_certificates(blobs: Sequence[bytes]) -> list[asn1_x509.Certificate]:
    """X.509 certificates from DER or PEM blobs (a PEM blob may hold several)."""
    return [cert for blob in blobs for cert in load_certs_from_pemder_data(blob)]


@dataclass(frozen=True)
class _Proof:
    """The earliest moment a signature is proven to exist, and on what basis."""

    moment: datetime
    basis: str


def _proof_of_existence(
    embedded: EmbeddedPdfSignature,
    timestamps: list[TimestampReport],
    policy: VerifyPolicy,
) -> _Proof:
    """Without its own timestamp, when is the signature proven to exist?

    The first valid document timestamp over a later revision, or our receipt
    of the file, or (no proof) now; whichever is earliest.
    """
    now = datetime.now(timezone.utc)
    candidates = [_Proof(now, VERIFICATION)]
    if policy.existed_at is not None:
        candidates.append(_Proof(policy.existed_at.astimezone(timezone.utc), RECEIVED))
    candidates += [
        _Proof(stamp.time, DOCUMENT_TIMESTAMP)
        for stamp in timestamps
        if stamp.valid and stamp.time and stamp.revision >= embedded.signed_revision
    ]
    return min(candidates, key=lambda proof: proof.moment)


async def _verify_timestamp(stamp: EmbeddedSignature, specs: _Specs) -> TimestampReport:
    """pyHanko's AdES validation of one document timestamp."""
    embedded = stamp.embedded
    if embedded is None:
        broken = (DocumentTimestampInvalidError(field=stamp.field_name),)
        return TimestampReport(
            stamp.field_name, None, None, False, False, False, False, broken, 0
        )
    try:
        embedded.compute_integrity_info()
        result = await ades_timestamp_validation(
            embedded.signed_data,
            specs.build(LEGACY_POLICY_MAP["soft-fail"]),
            lambda _md_algorithm: embedded.compute_digest(),
        )
        status = result.api_status
    except (SignatureValidationError, PyhankoSigningError, ValueError):
        result = status = None
    valid = result is not None and result.ades_subindic == AdESPassed.OK
    return TimestampReport(
        field_name=stamp.field_name,
        time=status.timestamp if status else None,
        authority=common_name(status.signing_cert) if status else None,
        intact=bool(status and status.intact and status.valid),
        trusted=bool(status and status.trusted),
        covers_whole_document=embedded.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        valid=valid,
        problems=()
        if valid
        else (DocumentTimestampInvalidError(field=stamp.field_name),),
        revision=embedded.signed_revision,
    )


@dataclass(frozen=True)
class _Judgement:
    """pyHanko's AdES result for one signature under one revocation policy."""

    passed: bool
    status: PdfSignatureStatus
    moment: datetime
    basis: str
    timestamp_time: datetime | None
    timestamp_trusted: bool | None


async def _judge(
    embedded: EmbeddedPdfSignature,
    spec: SignatureValidationSpec,
    proof: _Proof,
) -> _Judgement:
    """One AdES validation: with time when there is a signature timestamp,
    else basic validation at the moment of proof (see the module doc)."""
    common = dict(raw_digest=embedded.compute_digest())
    if _has_signature_timestamp(embedded):
        result = await ades_with_time_validation(
            embedded.signed_data, spec, timing_info=ValidationTimingInfo.now(), **common
        )
        status = _pdf_status(result.api_status, embedded)
        tst = status.timestamp_validity
        trusted = bool(tst and tst.valid and tst.intact and tst.trusted)
        moment = result.best_signature_time if trusted else datetime.now(timezone.utc)
        return _Judgement(
            passed=result.ades_subindic == AdESPassed.OK
            and _in_validity(status, moment),
            status=status,
            moment=moment,
            basis=TIMESTAMP if trusted else VERIFICATION,
            timestamp_time=tst.timestamp if tst else None,
            timestamp_trusted=trusted,
        )
    timing = ValidationTimingInfo(
        validation_time=proof.moment,
        best_signature_time=proof.moment,
        point_in_time_validation=proof.basis != VERIFICATION,
    )
    result = await ades_basic_validation(
        embedded.signed_data, spec, timing_info=timing, **common
    )
    return _Judgement(
        passed=result.ades_subindic == AdESPassed.OK,
        status=_pdf_status(result.api_status, embedded),
        moment=proof.moment,
        basis=proof.basis,
        timestamp_time=None,
        timestamp_trusted=None,
    )


def _pdf_status(status, embedded: EmbeddedPdfSignature) -> PdfSignatureStatus:
    """pyHanko's CMS verdict plus the PDF's coverage and modification analysis.

    (pyHanko 0.38's ``ades_basic_validation`` ignores its ``status_cls``
    argument, so the PDF part is added here, the same for every path.)
    """
    if status is None:  # the CMS could not even be evaluated
        raise SignatureValidationError("signature not evaluable")
    values = {
        f.name: getattr(status, f.name) for f in dataclasses.fields(status) if f.init
    }
    return PdfSignatureStatus(**values, **embedded.summarise_integrity_info())


def _has_signature_timestamp(embedded: EmbeddedPdfSignature) -> bool:
    return (
        next(extract_tst_data_iter(embedded.signer_info, signed=False), None)
        is not None
    )


def _in_validity(status: PdfSignatureStatus, moment: datetime) -> bool:
    cert = status.signing_cert
    return cert.not_valid_before <= moment <= cert.not_valid_after


async def _verify_signature(
    embedded: EmbeddedPdfSignature, specs: _Specs, policy: VerifyPolicy, proof: _Proof
) -> SignatureReport:
    kind, kind_basis = signature_kind(embedded.field_name, embedded.signer_cert)
    report = dict(
        field_name=embedded.field_name,
        kind=kind,
        kind_basis=kind_basis,
        signer=CertificateInfo.from_certificate(embedded.signer_cert),
        claimed_signing_time=embedded.self_reported_timestamp,
    )
    try:
        embedded.compute_integrity_info()
        judgement, revocation = await _judge_with_revocation(
            embedded, specs, policy, proof
        )
    except (SignatureValidationError, PyhankoSigningError, ValueError):
        broken = (SignatureBrokenError(field=embedded.field_name),)
        return SignatureReport(
            **report,
            timestamp_time=None,
            timestamp_trusted=None,
            signing_time_basis=proof.basis,
            judged_at=None,
            **_BROKEN,
            problems=broken,
        )
    return SignatureReport(
        **report,
        timestamp_time=judgement.timestamp_time,
        timestamp_trusted=judgement.timestamp_trusted,
        signing_time_basis=judgement.basis,
        judged_at=judgement.moment,
        **_assess(embedded.field_name, judgement, revocation, policy),
    )


async def _judge_with_revocation(
    embedded: EmbeddedPdfSignature, specs: _Specs, policy: VerifyPolicy, proof: _Proof
) -> tuple[_Judgement, str]:
    """Judge with revocation data required; ask again tolerantly only when
    none was found and the policy lets that pass (see the module doc)."""
    if specs.has_revocation_data or policy.require_revocation:
        strict = await _judge(embedded, specs.build(REQUIRE_REVINFO), proof)
        if strict.passed:
            return strict, "good"
        if _revoked_by_then(strict) or policy.require_revocation:
            return strict, "revoked" if _revoked_by_then(strict) else "not_checked"
    tolerant = await _judge(
        embedded, specs.build(LEGACY_POLICY_MAP["soft-fail"]), proof
    )
    return tolerant, "revoked" if _revoked_by_then(tolerant) else "not_checked"


def _revoked_by_then(judgement: _Judgement) -> bool:
    """Revoked before the moment the signature is proven to exist (a later
    revocation does not undo a signature proven to be older)."""
    details = judgement.status.revocation_details
    return details is not None and details.revocation_date <= judgement.moment


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
        signing_time_basis=VERIFICATION,
        judged_at=None,
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
    trust_path=(),
    valid_at_signing_time=False,
    revocation="not_checked",
    key_usage_ok=False,
    valid=False,
)
"""Report fields of a signature whose CMS cannot even be checked."""

_TIME_NOTES = {
    DOCUMENT_TIMESTAMP: SigningTimeFromDocumentTimestampNote,
    RECEIVED: SigningTimeFromReceiptNote,
    VERIFICATION: SigningTimeFromVerificationNote,
}


def _assess(
    field: str, judgement: _Judgement, revocation: str, policy: VerifyPolicy
) -> dict[str, Any]:
    """Report fields and translatable problems from pyHanko's verdict."""
    status = judgement.status
    cert = status.signing_cert
    subject = common_name(cert)
    moment = judgement.moment
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    intact = bool(status.intact and status.valid)
    permitted = whole or bool(status.docmdp_ok)
    in_time = _in_validity(status, moment)
    key_usage_ok = _has_signing_key_usage(cert)
    problems: list[PadesError] = []
    if not intact:
        problems.append(SignatureBrokenError(field=field))
    if not permitted:
        problems.append(
            ChangesNotPermittedError(field=field, reason=_diff_reason(status))
        )
    if not in_time:
        problems.append(
            CertificateInvalidAtSigningTimeError(
                subject=subject,
                time=shown_time(moment),
                not_before=shown_time(cert.not_valid_before),
                not_after=shown_time(cert.not_valid_after),
            )
        )
    if revocation == "revoked":
        details = status.revocation_details
        problems.append(
            CertificateRevokedError(
                subject=subject,
                date=shown_time(details.revocation_date),
                reason=revocation_reason(details.revocation_reason.native),
                time=shown_time(moment),
            )
        )
    if not key_usage_ok:
        problems.append(KeyUsageError(subject=subject))
    if intact and not judgement.passed and not problems and revocation != "not_checked":
        problems.append(
            UntrustedCertificateError(subject=subject, reason=_indication(status))
        )
    if judgement.timestamp_trusted is False:
        problems.append(TimestampInvalidError(field=field))
    advisory: list[PadesError] = []
    if revocation == "not_checked":
        if not judgement.passed and not problems:
            problems.append(
                UntrustedCertificateError(subject=subject, reason=_indication(status))
            )
        (problems if policy.require_revocation else advisory).append(
            RevocationNotCheckedError(subject=subject)
        )
    if judgement.basis in _TIME_NOTES:
        advisory.append(
            _TIME_NOTES[judgement.basis](field=field, time=shown_time(moment))
        )
    return dict(
        intact=intact,
        covers_whole_document=whole,
        modification_level=_modification_level(status),
        changed_fields=_changed_fields(status),
        changes_permitted=permitted,
        trusted=status.validation_path is not None and judgement.passed,
        trust_path=_trust_path(status),
        valid_at_signing_time=in_time,
        revocation=revocation,
        key_usage_ok=key_usage_ok,
        valid=judgement.passed and not problems,
        problems=tuple(problems + advisory),
    )


def _trust_path(status: PdfSignatureStatus) -> tuple[str, ...]:
    """Signer first, trust anchor last, as the report shows it."""
    path = status.validation_path
    if path is None:
        return ()
    return tuple(
        reversed([common_name(cert) for cert in path.iter_certs(include_root=True)])
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


def signature_kind(
    field_name: str, cert: asn1_x509.Certificate | None
) -> tuple[str, str]:
    """Guess ``(kind, basis)``: person or organisation, from field name or
    certificate."""
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
