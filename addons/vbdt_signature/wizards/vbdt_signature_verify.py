import base64

from odoo import fields, models

from ..models.vbdt_signature_check_mixin import STATUS


class VbdtSignatureVerify(models.TransientModel):
    """ "Verify a PDF": any user uploads a file and reads the report."""

    _name = "vbdt.signature.verify"
    _description = "Verify a Signed PDF"

    pdf_file = fields.Binary(string="PDF File", required=True)
    pdf_filename = fields.Char(string="File Name")
    main_text = fields.Boolean(
        default=True,
        help="A main text must carry both the competent person's and the "
        "organisation's signature; an attachment only the organisation's.",
    )
    verified = fields.Boolean(readonly=True)
    status = fields.Selection(STATUS, readonly=True)
    message = fields.Text(readonly=True)
    line_ids = fields.One2many("vbdt.signature.verify.line", "wizard_id", readonly=True)

    def action_verify(self):
        self.ensure_one()
        status, message, checks = self.env["vbdt.signature.check.mixin"]._vbdt_verify(
            base64.b64decode(self.pdf_file), self.main_text
        )
        self.line_ids.unlink()
        self.write(
            {
                "verified": True,
                "status": status,
                "message": message or False,
                "line_ids": [(0, 0, vals) for vals in checks],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Signature Report"),
        }


class VbdtSignatureVerifyLine(models.TransientModel):
    _name = "vbdt.signature.verify.line"
    _inherit = "vbdt.signature.check.mixin"
    _description = "Verified Signature"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "vbdt.signature.verify", required=True, ondelete="cascade"
    )
