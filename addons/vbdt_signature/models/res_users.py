from odoo import api, fields, models

from .image_check import check_transparent_png


class ResUsers(models.Model):
    _inherit = "res.users"

    vbdt_signature_image = fields.Binary(
        string="Signature Image", attachment=True,
        help="Transparent PNG of your handwritten signature (blue), placed in the "
        "signature block when you sign digitally.")
    vbdt_signature_certificate_ids = fields.One2many(
        "vbdt.signature.certificate", "user_id", string="Signing Certificates")

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["vbdt_signature_image"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["vbdt_signature_image"]

    @api.constrains("vbdt_signature_image")
    def _check_vbdt_signature_image(self):
        for user in self:
            check_transparent_png(self.env, user.vbdt_signature_image, "signature")
