from odoo import api, models


class VbdtAgency(models.Model):
    _inherit = "vbdt.agency"

    @api.model
    def _vbdt_sender_from_package(self, organization):
        """The directory entry of a package's sender, created when unknown."""
        agency = self.sudo()._vbdt_find_by_code(organization.organ_id)
        if agency:
            return agency
        vals = {"name": organization.organ_name or organization.organ_id,
                "email": organization.email or False, "code": organization.organ_id}
        try:
            with self.env.cr.savepoint():
                return self.sudo().create(vals)
        except Exception:  # noqa: BLE001 - code not in a recognised form
            vals.pop("code")
            return self.sudo().create(vals)
