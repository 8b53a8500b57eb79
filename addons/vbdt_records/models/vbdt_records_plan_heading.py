from odoo import fields, models


class VbdtRecordsPlanHeading(models.Model):
    """Heading of a file plan (đề mục): by unit or by field of activity."""

    _name = "vbdt.records.plan.heading"
    _description = "File Plan Heading"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one(
        "vbdt.records.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    abbreviation = fields.Char(
        required=True,
        help="Short letters used in the file codes of the heading (TH, TCCB…).",
    )
    unit_id = fields.Many2one("vbdt.unit", string="Unit")

    _sql_constraints = [
        (
            "abbreviation_unique",
            "UNIQUE(plan_id, abbreviation)",
            "Each heading of a plan needs its own abbreviation.",
        ),
    ]
