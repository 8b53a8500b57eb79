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
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

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
    UntrustedSignerError,
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
        subject = cert.subject.native
        issuer = cert.issuer.native
        return cls(
            name=subject.get("common_name", cert.subject.human_friendly),
            organisation=subject.get("organization_name"),
            serial_number=format(cert.serial_number, "X"),
            issuer=issuer.get("common_name", cert.issuer.human_friendly),
            valid_from=cert.not_valid_before,
            valid_until=cert.not_valid_after,
        )


@dataclass(frozen=True)
class SignatureReport:
    """Everything a clerk needs to judge one signature."""

    field_name: str
    kind: str
    kind_basis: str
    signer: CertificateInfo
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
    for embedded in reader.embedded_regular_signatures:
        reports.append(await _verify_signature(embedded, contexts, policy))
    present = {report.field_name for report in reports}
    removed = tuple(
        SignatureRemovedError(field=name)
        for name in signed_field_history(reader)
        if name not in present
    )
    return DocumentReport(tuple(reports), removed, policy.require_revocation)


def signed_field_history(reader: PdfFileReader) -> list[str]:
    """Names of signature fields holding a signature in any revision."""
    from pyhanko.sign.fields import enumerate_sig_fields

    names: list[str] = []
    for revision in range(reader.xrefs.total_revisions):
        resolver = reader.get_historical_resolver(revision)
        try:
            fields = list(enumerate_sig_fields(resolver, filled_status=True))
        except (KeyError, TypeError, ValueError):
            continue  # no form in this revision yet
        names.extend(name for name, _value, _ref in fields if name not in names)
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
            policy.crls or policy.ocsps or policy.allow_fetching
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


async def _verify_signature(
    embedded: EmbeddedPdfSignature, contexts: _Contexts, policy: VerifyPolicy
) -> SignatureReport:
    field = embedded.field_name
    timestamp_context = contexts.build(None, "soft-fail")
    timing = await collect_timing_info(
        embedded.signer_info, timestamp_context, raw_digest=embedded.compute_digest
    )
    claimed = timing.get("signer_reported_dt") or embedded.self_reported_timestamp
    tst = timing.get("timestamp_validity")
    timestamp_trusted = None if tst is None else bool(tst.valid and tst.intact and tst.trusted)
    moment, basis = _signing_moment(claimed, tst, timestamp_trusted)
    try:
        status = await async_validate_pdf_signature(
            embedded,
            signer_validation_context=contexts.build(moment, "soft-fail"),
            ts_validation_context=timestamp_context,
            key_usage_settings=_NO_KEY_USAGE_REQUIRED,
        )
    except (SignatureValidationError, PyhankoSigningError, ValueError) as err:
        return _broken_report(embedded, claimed, basis, str(err))
    cert = status.signing_cert
    revocation = await _revocation_status(status, contexts, moment)
    findings = _Findings(field, cert, moment, basis, timestamp_trusted)
    report_kwargs = findings.assess(status, revocation, policy.require_revocation)
    kind, kind_basis = signature_kind(field, cert)
    return SignatureReport(
        field_name=field,
        kind=kind,
        kind_basis=kind_basis,
        signer=CertificateInfo.from_certificate(cert),
        claimed_signing_time=claimed,
        timestamp_time=tst.timestamp if tst is not None else None,
        timestamp_trusted=timestamp_trusted,
        signing_time_basis=basis,
        revocation=revocation,
        **report_kwargs,
    )


def _signing_moment(claimed, tst, timestamp_trusted) -> tuple[datetime, str]:
    if tst is not None and timestamp_trusted:
        return tst.timestamp, "timestamp"
    if claimed is not None:
        return claimed, "claimed"
    return datetime.now(timezone.utc), "verification"


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


class _Findings:
    """Turns a pyHanko status into report fields and translatable problems."""

    def __init__(self, field, cert, moment, basis, timestamp_trusted) -> None:
        self.field = field
        self.cert = cert
        self.subject = CertificateInfo.from_certificate(cert).name
        self.moment = moment
        self.basis = basis
        self.timestamp_trusted = timestamp_trusted
        self.problems: list[PadesError] = []

    def assess(
        self, status: PdfSignatureStatus, revocation: str, require_revocation: bool
    ) -> dict[str, Any]:
        intact = bool(status.intact and status.valid)
        permitted = bool(status.docmdp_ok) if status.coverage != (
            SignatureCoverageLevel.ENTIRE_FILE
        ) else True
        trusted = status.validation_path is not None
        in_time = self._check_validity_period()
        key_usage_ok = self._check_key_usage()
        self._note(not intact, SignatureBrokenError(field=self.field))
        if not permitted:
            self.problems.append(
                ChangesNotPermittedError(field=self.field, reason=_diff_reason(status))
            )
        self._note(
            not trusted,
            UntrustedSignerError(
                subject=self.subject, reason=_indication(status) or "no chain"
            ),
        )
        self._note_revocation(status, revocation, require_revocation)
        self._note(self.timestamp_trusted is False, TimestampInvalidError(field=self.field))
        self._note(self.basis != "timestamp", SigningTimeClaimedError(field=self.field))
        blocking = [p for p in self.problems if not isinstance(p, SigningTimeClaimedError)]
        if not require_revocation:
            blocking = [p for p in blocking if not isinstance(p, RevocationNotCheckedError)]
        pyhanko_ok = status.trust_problem_indic is None
        return dict(
            intact=intact,
            covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            modification_level=_modification_level(status),
            changed_fields=_changed_fields(status),
            changes_permitted=permitted,
            trusted=trusted,
            valid_at_signing_time=in_time,
            key_usage_ok=key_usage_ok,
            valid=not blocking and pyhanko_ok,
            problems=tuple(self.problems),
        )

    def _note(self, condition: bool, problem: PadesError) -> None:
        if condition:
            self.problems.append(problem)

    def _check_validity_period(self) -> bool:
        start, end = self.cert.not_valid_before, self.cert.not_valid_after
        in_time = start <= self.moment <= end
        self._note(
            not in_time,
            CertificateInvalidAtSigningTimeError(
                subject=self.subject, time=self.moment.isoformat(),
                not_before=start.isoformat(), not_after=end.isoformat(),
            ),
        )
        return in_time

    def _check_key_usage(self) -> bool:
        try:
            SIGNING_KEY_USAGE.validate(self.cert)
        except ValidationError:
            self.problems.append(KeyUsageError(subject=self.subject))
            return False
        return True

    def _note_revocation(self, status, revocation: str, required: bool) -> None:
        details = status.revocation_details
        if revocation == "revoked" and details is not None:
            self.problems.append(
                CertificateRevokedError(
                    subject=self.subject,
                    date=details.revocation_date.isoformat(),
                    reason=details.revocation_reason.human_friendly,
                )
            )
        elif revocation == "not_checked":
            self.problems.append(RevocationNotCheckedError(subject=self.subject))


def _indication(status: PdfSignatureStatus) -> str:
    indication = status.trust_problem_indic
    return indication.name.lower().replace("_", " ") if indication else ""


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


def _broken_report(embedded, claimed, basis, reason) -> SignatureReport:
    cert = embedded.signer_cert
    problem = SignatureBrokenError(field=embedded.field_name)
    kind, kind_basis = signature_kind(embedded.field_name, cert)
    return SignatureReport(
        field_name=embedded.field_name, kind=kind, kind_basis=kind_basis,
        signer=CertificateInfo.from_certificate(cert), claimed_signing_time=claimed,
        timestamp_time=None, timestamp_trusted=None, signing_time_basis=basis,
        intact=False, covers_whole_document=False, modification_level=None,
        changed_fields=(), changes_permitted=False, trusted=False,
        valid_at_signing_time=False, revocation="not_checked", key_usage_ok=False,
        valid=False, problems=(problem,),
    )


def signature_kind(field_name: str, cert: asn1_x509.Certificate) -> tuple[str, str]:
    """Guess ``(kind, basis)``: person or organisation, from field name or certificate."""
    if field_name.startswith(PERSON_FIELD_PREFIX):
        return PERSON, "field name"
    if field_name in (ORGANISATION_FIELD, ATTACHMENT_FIELD):
        return ORGANISATION, "field name"
    subject = cert.subject.native
    common_name = _folded(subject.get("common_name"))
    organisation = _folded(subject.get("organization_name"))
    key_usage = set(cert.key_usage_value.native) if cert.key_usage_value else set()
    if (common_name and common_name == organisation) or "non_repudiation" not in key_usage:
        return ORGANISATION, "certificate"
    return PERSON, "certificate"


def _folded(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return unicodedata.normalize("NFC", value or "").casefold().strip()
