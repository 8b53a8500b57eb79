from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.vbdt_document.models.vbdt_document import URGENCY

from ..capture.proposal import propose

# Proposal field → (wizard field holding the value, field holding its source).
VALUE_FIELDS = {
    "sender": ("sender_agency_id", "sender_agency_source"),
    "number": ("code", "code_source"),
    "document_date": ("document_date", "document_date_source"),
    "document_type": ("document_type_id", "document_type_source"),
    "subject": ("subject", "subject_source"),
    "signer_name": ("signer_name", "signer_name_source"),
    "signer_position": ("signer_position", "signer_position_source"),
    "urgency": ("urgency", "urgency_source"),
}


class VbdtCaptureRegister(models.TransientModel):
    """Scan-to-register: the fields of an incoming document proposed from the
    text of its main file, each with the text it was read from; the clerk
    corrects them and fills the registration form with them."""

    _name = "vbdt.capture.register"
    _description = "Fields Read from the Scan"

    document_id = fields.Many2one("vbdt.document", required=True, readonly=True)
    company_id = fields.Many2one(related="document_id.company_id")
    sender_agency_id = fields.Many2one("vbdt.agency", string="Sender")
    sender_agency_source = fields.Char(readonly=True)
    code = fields.Char(string="Number and Notation")
    code_source = fields.Char(readonly=True)
    document_date = fields.Date()
    document_date_source = fields.Char(readonly=True)
    document_type_id = fields.Many2one("vbdt.document.type", string="Type")
    document_type_source = fields.Char(readonly=True)
    subject = fields.Char(string="Summary")
    subject_source = fields.Char(readonly=True)
    signer_name = fields.Char()
    signer_name_source = fields.Char(readonly=True)
    signer_position = fields.Char()
    signer_position_source = fields.Char(readonly=True)
    urgency = fields.Selection(URGENCY)
    urgency_source = fields.Char(readonly=True)
    duplicate_of_id = fields.Many2one(
        "vbdt.document", string="Possible Duplicate Of", compute="_compute_duplicate"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        document = self.env["vbdt.document"].browse(values.get("document_id"))
        if document:
            values.update(self._vbdt_proposed_values(document))
        return values

    @api.model
    def _vbdt_proposed_values(self, document):
        """The proposals for ``document`` (read under the user's rules)."""
        document.check_access("write")
        text = document.main_file_id.capture_text_ids[:1]
        if text.state != "done" or not text.content:
            raise UserError(
                self.env._(
                    "The text of the main file is not ready yet: try again when "
                    "its extraction is done."
                )
            )
        agencies = self.env["vbdt.agency"].search([])
        types = self.env["vbdt.document.type"].search([])
        found = propose(
            text.content,
            [(agency.id, agency.name) for agency in agencies],
            [(kind.id, kind.name, kind.abbreviation) for kind in types],
            today=fields.Date.context_today(self),
        )
        values = {}
        for key, (name, source) in VALUE_FIELDS.items():
            proposal = found.get(key)
            if not proposal:
                continue
            value = proposal.value
            if key == "number":
                value = (
                    f"{value}/{found['notation'].value}" if "notation" in found else ""
                )
            values[name] = value
            values[source] = proposal.source
        return values

    @api.depends("sender_agency_id", "code", "document_date")
    def _compute_duplicate(self):
        for wizard in self:
            probe = self.env["vbdt.document"].new(
                {
                    "direction": "incoming",
                    "company_id": wizard.document_id.company_id.id,
                    "sender_agency_id": wizard.sender_agency_id.id,
                    "code": wizard.code,
                    "document_date": wizard.document_date,
                }
            )
            wizard.duplicate_of_id = (
                probe._vbdt_find_duplicates()[:1] - wizard.document_id
            )

    def action_apply(self):
        """Fill the document with the confirmed fields (the user's own write:
        the document's rules and lifecycle guard apply)."""
        self.ensure_one()
        vals = {
            name: self[name].id
            if isinstance(self[name], models.BaseModel)
            else self[name]
            for name, _source in VALUE_FIELDS.values()
            if self[name]
        }
        self.document_id.write(vals)
        return {
            "type": "ir.actions.act_window",
            "res_model": "vbdt.document",
            "res_id": self.document_id.id,
            "view_mode": "form",
            "target": "current",
        }
