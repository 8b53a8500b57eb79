from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    vbdt_unit_ids = fields.Many2many(
        "vbdt.unit",
        "vbdt_unit_res_users_rel",
        "user_id",
        "unit_id",
        string="Units",
        help="Units (phòng, ban) the user works in; they decide which "
        "documents specialists and heads of unit see.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "vbdt_unit_ids" in vals:
            # The record rules' cached domains hold the user's units
            # (ir.rule._compute_domain): recompute them (see vbdt.unit.write).
            self.env.registry.clear_cache()
        return result
