from odoo import api, fields, models

REVISION_KINDS = [
    ("revoke", "Revoke"),
    ("update", "Send an Update"),
    ("replace", "Replace by a New Document"),
]


class VbdtDocumentRevision(models.TransientModel):
    """The clerk revokes an issued document at its recipients, sends them
    corrected files, or names the new document replacing it (edXML
    BussinessDocType 1, 2, 3); each recipient answers 15 or 16."""

    _name = "vbdt.document.revision"
    _description = "Revoke, Update or Replace an Issued Document"

    document_id = fields.Many2one("vbdt.document", required=True, readonly=True)
    company_id = fields.Many2one(related="document_id.company_id")
    kind = fields.Selection(
        REVISION_KINDS, required=True, readonly=True, default="revoke"
    )
    reason = fields.Text(required=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Corrected Files",
        help=(
            "Sent to the recipients and added to the document next to the issued "
            "files."
        ),
    )
    replacement_id = fields.Many2one(
        "vbdt.document",
        string="Replacement",
        domain="[('direction', '=', 'outgoing'), ('company_id', '=', company_id), "
        "('id', '!=', document_id), ('state', '!=', 'cancelled'), "
        "('replaced_document_id', '=', False), ('confidentiality', '=', 'normal')]",
        help="The newly issued (or still drafted) document that replaces this one. An "
        "issued replacement is sent at once; a draft when it is issued.",
    )
    recipient_count = fields.Integer(compute="_compute_recipient_count")

    @api.depends("document_id")
    def _compute_recipient_count(self):
        Engine = self.env["vbdt.exchange.engine"]
        for wizard in self:
            groups = (
                Engine._vbdt_reached_groups(wizard.document_id)
                if wizard.document_id
                else []
            )
            wizard.recipient_count = sum(len(agencies) for _record, agencies in groups)

    def action_confirm(self):
        self.ensure_one()
        document = self.document_id
        if self.kind == "revoke":
            document._vbdt_revoke(self.reason)
        elif self.kind == "update":
            document._vbdt_send_update(self.reason, self.attachment_ids)
        else:
            document._vbdt_replace_with(self.replacement_id, self.reason)
        return {"type": "ir.actions.act_window_close"}
