from datetime import timezone

from odoo import api, fields, models

from ..pades import verify_pdf
from ..pades.errors import PadesError
from ..pades.verify import ORGANISATION, PERSON
from ..tools import translate_error

STATUS = [
    ("unsigned", "Unsigned"),
    ("valid", "Valid"),
    ("incomplete", "Incomplete"),
    ("invalid", "Invalid"),
    ("error", "Unreadable"),
]
REVOCATION = [("good", "Checked: Not Revoked"), ("not_checked", "Not Checked"),
              ("revoked", "Revoked")]


class VbdtSignatureCheckMixin(models.AbstractModel):
    """What is reported about one signature (B7), shared by the stored
    checks of document files and the lines of the verification wizard."""

    _name = "vbdt.signature.check.mixin"
    _description = "Signature Check Fields"

    sequence = fields.Integer()
    field_name = fields.Char(string="Signature Field")
    kind = fields.Selection(
        [(PERSON, "Person"), (ORGANISATION, "Organisation"), ("unknown", "Unknown")])
    signer_name = fields.Char(string="Signer")
    organisation = fields.Char()
    serial_number = fields.Char(string="Certificate Serial")
    issuer = fields.Char()
    signing_time = fields.Datetime(help="Time claimed by the signer's software.")
    timestamp_time = fields.Datetime(string="Timestamp", help="Time of a trusted timestamp.")
    intact = fields.Boolean(string="Integrity")
    coverage = fields.Selection(
        [("whole", "Whole Document"), ("partial", "Changed After Signing")])
    changes_permitted = fields.Boolean(string="Later Changes Permitted")
    modification_level = fields.Char(string="Later Changes")
    trusted = fields.Boolean(string="Trusted Chain")
    valid_at_signing_time = fields.Boolean(string="Valid at Signing Time")
    revocation = fields.Selection(REVOCATION)
    key_usage_ok = fields.Boolean(string="Key Usage")
    valid = fields.Boolean()
    problems = fields.Text()

    @api.model
    def _vbdt_verify(self, raw, main=True):
        """Verify PDF bytes; returns ``(status, message, [check vals])``."""
        params = self.env["ir.config_parameter"].sudo()
        try:
            report = verify_pdf(
                raw,
                self.env["vbdt.signature.trust.anchor"]._vbdt_anchors(),
                allow_fetching=params.get_param("vbdt_signature.allow_fetching") == "True",
                require_revocation=params.get_param("vbdt_signature.require_revocation") == "True",
            )
        except PadesError as err:
            return "error", translate_error(self.env, err), []
        except Exception as err:  # noqa: BLE001 -- a broken file must not block its upload
            return "error", self.env._("The PDF could not be verified: %(reason)s",
                                       reason=type(err).__name__), []
        checks = [self._vbdt_check_vals(index, s) for index, s in enumerate(report.signatures)]
        messages = [translate_error(self.env, p) for p in report.problems]
        return status_of(report, main), "\n".join(messages), checks

    def _vbdt_check_vals(self, index, signature):
        signer = signature.signer
        return {
            "sequence": index,
            "field_name": signature.field_name,
            "kind": signature.kind,
            "signer_name": signer.name,
            "organisation": signer.organisation,
            "serial_number": signer.serial_number,
            "issuer": signer.issuer,
            "signing_time": _naive(signature.claimed_signing_time),
            "timestamp_time": _naive(signature.timestamp_time) if signature.timestamp_trusted
            else False,
            "intact": signature.intact,
            "coverage": "whole" if signature.covers_whole_document else "partial",
            "changes_permitted": signature.changes_permitted,
            "modification_level": (signature.modification_level or "").replace("_", " "),
            "trusted": signature.trusted,
            "valid_at_signing_time": signature.valid_at_signing_time,
            "revocation": signature.revocation,
            "key_usage_ok": signature.key_usage_ok,
            "valid": signature.valid,
            "problems": "\n".join(translate_error(self.env, p) for p in signature.problems),
        }


def status_of(report, main):
    signatures = report.signatures
    if not signatures:
        return "invalid" if report.problems else "unsigned"
    if report.problems or not all(s.valid for s in signatures):
        return "invalid"
    if main and not report.complete:
        return "incomplete"
    return "valid"


def _naive(moment):
    if not moment:
        return False
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
