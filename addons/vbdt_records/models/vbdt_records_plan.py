from odoo import api, fields, models


class VbdtRecordsPlan(models.Model):
    """Yearly file plan (danh mục hồ sơ) of an agency, optionally of one unit.

    Headings group the planned files; each planned file gets a code made of
    its number and its heading's abbreviation in the order the agency chose."""

    _name = "vbdt.records.plan"
    _description = "File Plan"
    _order = "year desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    unit_id = fields.Many2one("vbdt.unit", string="Unit", check_company=True)
    numbering = fields.Selection(
        [
            ("plan", "Continuous across the plan"),
            ("heading", "Restart in each heading"),
        ],
        required=True,
        default="plan",
        help=(
            "Decree 30 allows either: numbers run through the whole plan or restart "
            "per heading."
        ),
    )
    code_order = fields.Selection(
        [
            ("number_first", "Number then heading (01.TH)"),
            ("heading_first", "Heading then number (TH.01)"),
        ],
        required=True,
        default="number_first",
    )
    heading_ids = fields.One2many(
        "vbdt.records.plan.heading", "plan_id", string="Headings"
    )
    item_ids = fields.One2many(
        "vbdt.records.plan.item", "plan_id", string="Planned Files"
    )

    _sql_constraints = [
        (
            "year_range",
            "CHECK(year BETWEEN 1945 AND 2999)",
            "The plan year is not valid.",
        ),
    ]

    @api.depends("year", "unit_id", "company_id")
    def _compute_name(self):
        for plan in self:
            owner = plan.unit_id.name or plan.company_id.name or ""
            plan.name = self.env._(
                "File plan %(year)s – %(owner)s", year=plan.year, owner=owner
            )

    def _format_code(self, number, abbreviation):
        self.ensure_one()
        parts = [f"{number:02d}", abbreviation or ""]
        if self.code_order == "heading_first":
            parts.reverse()
        return ".".join(part for part in parts if part)

    def _next_number(self, heading):
        """Next free number in the plan's numbering scope."""
        self.ensure_one()
        items = self.item_ids
        if self.numbering == "heading":
            items = items.filtered(lambda item: item.heading_id == heading)
        return max(items.mapped("number"), default=0) + 1
