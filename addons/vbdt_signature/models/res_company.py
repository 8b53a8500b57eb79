from odoo import api, fields, models
from odoo.exceptions import AccessError

from .image_check import check_transparent_png

MANAGER = "vbdt_document.vbdt_document_group_manager"
SEAL_IMAGE = "vbdt_seal_image"


class ResCompany(models.Model):
    _inherit = "res.company"

    # Readable by the agency's administrators (check_field_access_rights),
    # system administrators and the signing code (sudo) only: a copy of the
    # seal is a forgery kit.
    vbdt_seal_image = fields.Binary(
        string="Seal Image",
        attachment=True,
        groups=MANAGER,
        help="Transparent PNG of the agency's seal, red, with its real resolution "
        "(DPI) "
        "so that it is printed at actual size.",
    )
    vbdt_signature_required = fields.Boolean(
        string="Digital Signatures Required",
        help="Outgoing documents of this agency can only be issued once the competent "
        "person has signed the main PDF digitally; issuing then applies the seal. "
        "Without it, a main text without any signature is issued as a paper original.",
    )
    vbdt_seal_certificate_ids = fields.One2many(
        "vbdt.signature.certificate",
        "company_id",
        string="Seal Certificates",
        domain=[("kind", "=", "organisation")],
    )

    @api.model
    def check_field_access_rights(self, operation, field_names):
        allowed = super().check_field_access_rights(operation, field_names)
        if (
            SEAL_IMAGE in (allowed or ())
            and not self.env.su
            and not self.env.user._is_system()
        ):
            foreign = self - self.env.user.company_ids
            if foreign and not field_names:
                return [name for name in allowed if name != SEAL_IMAGE]
            if foreign:
                raise AccessError(
                    self.env._(
                        "Only the administrators of an agency can see or change its "
                        "seal image."
                    )
                )
        return allowed

    @api.constrains("vbdt_seal_image")
    def _check_vbdt_seal_image(self):
        for company in self:
            # sudo: the seal image is checked as stored; it is not returned
            check_transparent_png(self.env, company.sudo().vbdt_seal_image, "seal")
