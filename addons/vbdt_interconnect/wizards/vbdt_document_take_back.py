from odoo import fields, models


class VbdtDocumentTakeBack(models.TransientModel):
    """Ask the recipients of an issued document to take it back (status 13)."""

    _name = "vbdt.document.take.back"
    _description = "Ask Recipients to Take a Document Back"

    document_id = fields.Many2one("vbdt.document", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.document_id._vbdt_take_back(self.reason)
        return {"type": "ir.actions.act_window_close"}
