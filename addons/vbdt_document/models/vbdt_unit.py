from odoo import api, fields, models

# Fields of a unit that change whose units ``user.vbdt_unit_ids`` lists.
MEMBERSHIP_FIELDS = {"member_ids", "active"}


class VbdtUnit(models.Model):
    """A unit (phòng, ban) inside an agency: drafts, handles and files documents."""

    _name = "vbdt.unit"
    _description = "Unit"
    _parent_store = True
    _order = "company_id, sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=False)
    code = fields.Char(
        help="Unit part of notations, e.g. VP in 15/UBND-VP.", required=True
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    parent_id = fields.Many2one("vbdt.unit", string="Parent Unit", index=True)
    parent_path = fields.Char(index=True)
    manager_id = fields.Many2one("res.users", string="Head of Unit")
    member_ids = fields.Many2many(
        "res.users",
        "vbdt_unit_res_users_rel",
        "unit_id",
        "user_id",
        string="Members",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(company_id, code)",
            "A unit code must be unique within an agency.",
        ),
    ]

    # Record rules read ``user.vbdt_unit_ids`` when Odoo computes them, and
    # Odoo caches the computed domains per user (ir.rule._compute_domain):
    # any change of who is in which unit clears that cache, so that a
    # specialist moved out of a unit stops reading its documents at once.
    @api.model_create_multi
    def create(self, vals_list):
        units = super().create(vals_list)
        if any(vals.get("member_ids") for vals in vals_list):
            self.env.registry.clear_cache()
        return units

    def write(self, vals):
        result = super().write(vals)
        if MEMBERSHIP_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        had_members = bool(self.member_ids)
        result = super().unlink()
        if had_members:
            self.env.registry.clear_cache()
        return result
