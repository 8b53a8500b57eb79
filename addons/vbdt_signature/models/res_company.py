from odoo import api, fields, models

from .image_check import check_transparent_png


class ResCompany(models.Model):
    _inherit = "res.company"

    vbdt_seal_image = fields.Binary(
        string="Seal Image", attachment=True,
        help="Transparent PNG of the agency's seal, red, with its real resolution (DPI) "
        "so that it is printed at actual size.")
    vbdt_signature_required = fields.Boolean(
        string="Digital Signatures Required",
        help="Outgoing documents of this agency can only be issued once the competent "
        "person has signed the main PDF digitally; issuing then applies the seal. "
        "Without it, a main text without any signature is issued as a paper original.")
    vbdt_seal_certificate_ids = fields.One2many(
        "vbdt.signature.certificate", "company_id", string="Seal Certificates",
        domain=[("kind", "=", "organisation")])

    @api.constrains("vbdt_seal_image")
    def _check_vbdt_seal_image(self):
        for company in self:
            check_transparent_png(self.env, company.vbdt_seal_image, "seal")
