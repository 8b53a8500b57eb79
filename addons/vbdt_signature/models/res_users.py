from odoo import api, fields, models
from odoo.exceptions import AccessError

from .image_check import check_transparent_png

MANAGER = "vbdt_document.vbdt_document_group_manager"
SIGNATURE_IMAGE = "vbdt_signature_image"


class ResUsers(models.Model):
    _inherit = "res.users"

    # Readable by its owner, by the administrators of an agency the owner
    # works for (_vbdt_check_image_access) and by the signing code (sudo); by
    # no one else, through any path (read, search, /web/image, the attachment
    # behind it). No `groups` on the field: the owner, whatever their role,
    # must see it in their preferences form, which drops fields by groups.
    vbdt_signature_image = fields.Binary(
        string="Signature Image",
        attachment=True,
        help="Transparent PNG of your handwritten signature (blue), placed in the "
        "signature block when you sign digitally.",
    )
    vbdt_signature_certificate_ids = fields.One2many(
        "vbdt.signature.certificate", "user_id", string="Signing Certificates"
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + [SIGNATURE_IMAGE]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + [SIGNATURE_IMAGE]

    @api.model
    def check_field_access_rights(self, operation, field_names):
        allowed = super().check_field_access_rights(operation, field_names)
        if SIGNATURE_IMAGE in (allowed or ()) and not self.env.su:
            if not field_names and not self._vbdt_image_readers_ok():
                return [name for name in allowed if name != SIGNATURE_IMAGE]
            self._vbdt_check_image_access()
        return allowed

    def _vbdt_image_readers_ok(self):
        try:
            self._vbdt_check_image_access()
        except AccessError:
            return False
        return True

    def _vbdt_check_image_access(self):
        """Only the owner, or an administrator of an agency the owner works for."""
        reader = self.env.user
        if reader._is_system():
            return
        is_manager = reader.has_group(MANAGER)
        # sudo: the owners' agencies decide who may see an image; nothing is returned
        for user in self.sudo():
            if user == reader:
                continue
            if not (is_manager and user.company_ids & reader.company_ids):
                raise AccessError(
                    self.env._(
                        "Only its owner and the administrators of the owner's agency "
                        "can see "
                        "or change a handwritten signature image."
                    )
                )

    @api.constrains("vbdt_signature_image")
    def _check_vbdt_signature_image(self):
        for user in self:
            # sudo: the signature image is checked as stored; it is not returned
            check_transparent_png(
                self.env, user.sudo().vbdt_signature_image, "signature"
            )
