from odoo import fields, models


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
