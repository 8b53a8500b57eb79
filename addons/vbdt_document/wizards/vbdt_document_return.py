from odoo import fields, models


class VbdtDocumentReturn(models.TransientModel):
    """Return received documents to their sender, with the reason status 02 needs."""

    _name = "vbdt.document.return"
    _description = "Return Document to Sender"

    document_ids = fields.Many2many("vbdt.document", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.document_ids._vbdt_return(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
