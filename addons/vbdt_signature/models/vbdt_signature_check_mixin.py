import hashlib
from datetime import timezone

from odoo import api, fields, models

from ..pades import verify_pdf
from ..pades.errors import PadesError
from ..pades.verify import (
    DOCUMENT_TIMESTAMP,
    ORGANISATION,
    PERSON,
    RECEIVED,
    TIMESTAMP,
    VERIFICATION,
)
from ..tools import translate_error

REPORT_CACHE = "vbdt_signature.reports"
"""Key of this transaction's verification reports in ``cr.cache``."""

STATUS = [
    ("unsigned", "Unsigned"),
    ("valid", "Valid"),
    ("incomplete", "Incomplete"),
    ("invalid", "Invalid"),
    ("error", "Unreadable"),
]
TONE = [
    ("muted", "Nothing to Do"),
    ("info", "In Progress"),
    ("success", "Done"),
    ("warning", "Check"),
    ("danger", "Problem"),
]
"""Colour of a signature stage label (file and document), in badge terms."""
TIME_BASIS = [
    (TIMESTAMP, "Signature Timestamp"),
    (DOCUMENT_TIMESTAMP, "Later Document Timestamp"),
    (RECEIVED, "Receipt by This System"),
    (VERIFICATION, "This Verification (no proof)"),
]
REVOCATION = [
    ("good", "Checked: Not Revoked"),
    ("not_checked", "Not Checked"),
    ("revoked", "Revoked"),
]


class VbdtSignatureCheckMixin(models.AbstractModel):
    """What is reported about one signature (B7), shared by the stored
    checks of document files and the lines of the verification wizard."""

    _name = "vbdt.signature.check.mixin"
    _description = "Signature Check Fields"

    sequence = fields.Integer()
    field_name = fields.Char(string="Signature Field")
    kind = fields.Selection(
        [
            (PERSON, "Person"),
            (ORGANISATION, "Organisation"),
            (DOCUMENT_TIMESTAMP, "Document Timestamp"),
            ("unknown", "Unknown"),
        ]
    )
    signer_name = fields.Char(string="Signer")
    organisation = fields.Char()
    serial_number = fields.Char(string="Certificate Serial")
    issuer = fields.Char()
    signing_time = fields.Datetime(
        string="Claimed Signing Time",
        help="Time claimed by the signer's software: shown, never relied upon.",
    )
    timestamp_time = fields.Datetime(
        string="Timestamp", help="Time of a trusted timestamp."
    )
    judged_at = fields.Datetime(
        help="The earliest time the signature is proven to exist; the certificate "
        "must have been valid and not revoked then.",
    )
    time_basis = fields.Selection(TIME_BASIS, string="Proof of Time")
    trust_path = fields.Char(help="From the signer's certificate to the trusted root.")
    intact = fields.Boolean(string="Integrity")
    coverage = fields.Selection(
        [("whole", "Whole Document"), ("partial", "Changed After Signing")]
    )
    changes_permitted = fields.Boolean(string="Later Changes Permitted")
    modification_level = fields.Char(string="Later Changes")
    trusted = fields.Boolean(string="Trusted Chain")
    valid_at_signing_time = fields.Boolean(string="Valid at Signing Time")
    revocation = fields.Selection(REVOCATION)
    key_usage_ok = fields.Boolean(string="Key Usage")
    valid = fields.Boolean()
    problems = fields.Text()
    certificate_title = fields.Char(
        help="The title (chức vụ) the certificate names, when it has one."
    )

    @api.model
    def _vbdt_verify(self, raw, main=True, existed_at=None):
        """Verify PDF bytes; returns ``(status, message, [check vals])``.
        ``existed_at``: when this system received the bytes (naive UTC), the
        latest time every signature in them is proven to exist."""
        try:
            report = self._vbdt_report(raw, existed_at)
        except PadesError as err:
            return "error", translate_error(self.env, err), []
        except Exception as err:  # noqa: BLE001 -- a broken file must not block its upload
            return (
                "error",
                self.env._(
                    "The PDF could not be verified: %(reason)s",
                    reason=type(err).__name__,
                ),
                [],
            )
        checks = [
            self._vbdt_check_vals(index, s) for index, s in enumerate(report.signatures)
        ]
        checks += [
            self._vbdt_timestamp_vals(len(checks) + index, stamp)
            for index, stamp in enumerate(report.timestamps)
        ]
        messages = [translate_error(self.env, p) for p in report.problems]
        return status_of(report, main), "\n".join(messages), checks

    @api.model
    def _vbdt_report(self, raw, existed_at=None):
        """``verify_pdf`` of ``raw`` with this database's trust anchors and
        policy (raises ``PadesError``). One action verifies each file once:
        the report is kept for the rest of the transaction, keyed by the
        bytes' digest and every input of the verdict, so that the check
        before a signature is written and the verification stored with the
        written file (or the issue check and the seal) share it. The cache
        lives in the server's cursor, out of any client's reach, and is
        dropped at commit and rollback."""
        # sudo: verification options are system parameters; only their values are used
        params = self.env["ir.config_parameter"].sudo()
        anchors = tuple(self.env["vbdt.signature.trust.anchor"]._vbdt_anchors())
        crls = tuple(self.env["vbdt.signature.crl"]._vbdt_crls())
        fetching = params.get_param("vbdt_signature.allow_fetching") == "True"
        required = params.get_param("vbdt_signature.require_revocation") == "True"
        key = (
            hashlib.sha256(raw).digest(),
            existed_at,
            anchors,
            tuple(hashlib.sha256(crl).digest() for crl in crls),
            fetching,
            required,
        )
        reports = self._vbdt_transaction_reports()
        if key not in reports:
            reports[key] = verify_pdf(
                raw,
                anchors,
                crls=crls,
                allow_fetching=fetching,
                require_revocation=required,
                existed_at=existed_at and existed_at.replace(tzinfo=timezone.utc),
            )
        return reports[key]

    def _vbdt_transaction_reports(self):
        cr = self.env.cr
        cache = cr.cache  # the dict itself: a closing cursor drops the attribute
        reports = cache.get(REPORT_CACHE)
        if reports is None:
            reports = cache[REPORT_CACHE] = {}

            def forget():
                if cache.get(REPORT_CACHE) is reports:
                    del cache[REPORT_CACHE]

            cr.postcommit.add(forget)
            cr.postrollback.add(forget)
        return reports

    def _vbdt_check_vals(self, index, signature):
        signer = signature.signer
        return {
            "sequence": index,
            "field_name": signature.field_name,
            "kind": signature.kind,
            "signer_name": signer.name,
            "organisation": signer.organisation,
            "certificate_title": signer.title,
            "serial_number": signer.serial_number,
            "issuer": signer.issuer,
            "signing_time": _naive(signature.claimed_signing_time),
            "timestamp_time": _naive(signature.timestamp_time)
            if signature.timestamp_trusted
            else False,
            "intact": signature.intact,
            "coverage": "whole" if signature.covers_whole_document else "partial",
            "judged_at": _naive(signature.judged_at),
            "time_basis": signature.signing_time_basis,
            "trust_path": " → ".join(signature.trust_path) or False,
            "changes_permitted": signature.changes_permitted,
            "modification_level": (signature.modification_level or "").replace(
                "_", " "
            ),
            "trusted": signature.trusted,
            "valid_at_signing_time": signature.valid_at_signing_time,
            "revocation": signature.revocation,
            "key_usage_ok": signature.key_usage_ok,
            "valid": signature.valid,
            "problems": "\n".join(
                [translate_error(self.env, p) for p in signature.problems]
                + self._vbdt_stale_revocation_notes(signature)
            ),
        }

    def _vbdt_stale_revocation_notes(self, signature):
        """A revocation check that could rely only on the configured lists of
        the signer's CA (fetching off), all out of date, says so: the
        certificate may have been revoked since."""
        # sudo: verification options are system parameters; only their values are used
        params = self.env["ir.config_parameter"].sudo()
        if (
            signature.revocation == "revoked"
            or params.get_param("vbdt_signature.allow_fetching") == "True"
        ):
            return []
        stale = self.env["vbdt.signature.crl"]._vbdt_stale_only_for(
            signature.signer.issuer
        )
        return (
            [
                self.env._(
                    "Revocation was checked only against out-of-date revocation "
                    "lists (%(lists)s): the certificate may have been revoked since.",
                    lists=", ".join(stale.mapped("name")),
                )
            ]
            if stale
            else []
        )

    def _vbdt_timestamp_vals(self, index, stamp):
        """A document timestamp (B-LTA) is shown as such, never as a signature."""
        return {
            "sequence": index,
            "field_name": stamp.field_name,
            "kind": DOCUMENT_TIMESTAMP,
            "signer_name": stamp.authority,
            "timestamp_time": _naive(stamp.time),
            "judged_at": _naive(stamp.time),
            "time_basis": TIMESTAMP,
            "intact": stamp.intact,
            "coverage": "whole" if stamp.covers_whole_document else "partial",
            "changes_permitted": True,
            "trusted": stamp.trusted,
            "valid_at_signing_time": stamp.valid,
            "revocation": "not_checked",
            "key_usage_ok": True,
            "valid": stamp.valid,
            "problems": "\n".join(translate_error(self.env, p) for p in stamp.problems),
        }


def status_of(report, main):
    signatures = report.signatures
    if not signatures:
        return "invalid" if report.problems else "unsigned"
    if report.problems or not all(s.valid for s in (*signatures, *report.timestamps)):
        return "invalid"
    if main and not report.complete:
        return "incomplete"
    return "valid"


def _naive(moment):
    if not moment:
        return False
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
