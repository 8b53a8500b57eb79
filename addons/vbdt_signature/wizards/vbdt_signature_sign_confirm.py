from odoo import api, fields, models


class VbdtSignatureSignConfirm(models.TransientModel):
    """Asked before a person signature: what will be signed, as whom and with
    which certificate; signing then says it succeeded."""

    _name = "vbdt.signature.sign.confirm"
    _description = "Confirm the Digital Signature"

    document_id = fields.Many2one(
        "vbdt.document", required=True, readonly=True, ondelete="cascade"
    )
    file_name = fields.Char(string="File Signed", compute="_compute_signing")
    signing_as = fields.Char(string="You Sign As", compute="_compute_signing")
    certificate_name = fields.Char(string="Certificate", compute="_compute_signing")

    @api.depends("document_id")
    @api.depends_context("uid")
    def _compute_signing(self):
        Certificate = self.env["vbdt.signature.certificate"]
        for wizard in self:
            document = wizard.document_id
            wizard.file_name = document.main_file_id.name
            wizard.signing_as = document._vbdt_signing_as(self.env.user)
            wizard.certificate_name = Certificate._vbdt_person_certificate(
                self.env.user
            ).display_name

    def action_sign(self):
        """Sign, then say so; a USB-token signature goes on in the signing
        agent's dialog (which says when it is done)."""
        self.ensure_one()
        document = self.document_id
        signing_as = document._vbdt_signing_as(self.env.user)
        result = document.action_sign_person()
        if isinstance(result, dict):
            return result
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Signed"),
                "message": self.env._(
                    "%(document)s is signed as %(signing_as)s. It now waits for the "
                    "clerk to issue it.",
                    document=document.display_name,
                    signing_as=signing_as,
                ),
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
