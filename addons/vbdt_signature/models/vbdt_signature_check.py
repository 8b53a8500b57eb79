from datetime import timedelta

from odoo import api, fields, models

from ..pades.identity import (
    FORMER,
    MATCH,
    MISMATCH,
    UNKNOWN,
    check_identity,
)
from ..pades.verify import ORGANISATION, PERSON
from ..tools import translate_error

IDENTITY = [
    (MATCH, "Matches the Document"),
    (FORMER, "Former Agency (Accepted)"),
    (MISMATCH, "Differs from the Document (Warning)"),
    (UNKNOWN, "Not Compared"),
]
VIETNAM_OFFSET = timedelta(hours=7)


class VbdtSignatureCheck(models.Model):
    """The verification result of one signature found in a document file."""

    _name = "vbdt.signature.check"
    _inherit = "vbdt.signature.check.mixin"
    _description = "Signature Check"
    _order = "file_id, sequence, id"

    file_id = fields.Many2one(
        "vbdt.document.file", required=True, index=True, ondelete="cascade"
    )
    document_id = fields.Many2one(related="file_id.document_id", store=True, index=True)
    company_id = fields.Many2one(related="file_id.company_id", store=True)
    # Computed when read, from the document as it is now: the clerk may fill
    # the sender, the signer's title after the file was verified.
    identity_status = fields.Selection(
        IDENTITY,
        string="Signer Identity",
        compute="_compute_identity",
        help="The certificate's agency and title against the document's. A "
        "certificate naming a former agency (a merger, a rename) is accepted; a "
        "difference is a warning, never a refusal: validity is judged apart.",
    )
    identity_warning = fields.Text(
        string="Identity Notes",
        compute="_compute_identity",
        help="Why the certificate's agency or title differs from the document's.",
    )

    @api.depends(
        "kind",
        "organisation",
        "certificate_title",
        "judged_at",
        "document_id.signer_position",
        "document_id.company_id",
        "document_id.sender_agency_id",
    )
    def _compute_identity(self):
        names_of = {}
        for check in self:
            check.identity_status, check.identity_warning = UNKNOWN, False
            document = check.document_id
            if check.kind not in (PERSON, ORGANISATION) or not document:
                continue
            entry = document._vbdt_signing_agency_entry()
            if entry not in names_of:
                names_of[entry] = entry._vbdt_identity_names() if entry else []
            names = names_of[entry]
            judged = check.judged_at and (check.judged_at + VIETNAM_OFFSET).date()
            report = check_identity(
                check.organisation,
                check.certificate_title if check.kind == PERSON else None,
                names[0].name if names else None,
                document.signer_position if check.kind == PERSON else None,
                names,
                judged or None,
            )
            check.identity_status = report.status
            check.identity_warning = (
                "\n".join(translate_error(self.env, note) for note in report.notes)
                or False
            )
