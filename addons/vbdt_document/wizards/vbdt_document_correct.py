from odoo import fields, models


class VbdtDocumentCorrect(models.TransientModel):
    """Start the correction (đính chính) of an issued document, with its reason."""

    _name = "vbdt.document.correct"
    _description = "Correct an Issued Document"

    document_id = fields.Many2one("vbdt.document", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        return self.document_id.action_correct(self.reason)
