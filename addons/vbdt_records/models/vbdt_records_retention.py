from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VbdtRecordsRetention(models.Model):
    """One line of a retention schedule (bảng thời hạn bảo quản).

    The general schedule of Circular 10/2022/TT-BNV ships as data; sector
    schedules are imported as more lines with their own legal source."""

    _name = "vbdt.records.retention"
    _description = "Retention Schedule Line"
    _order = "sequence, code"
    _rec_names_search = ["code", "name"]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Records", required=True)
    group = fields.Char(string="Schedule Section")
    permanent = fields.Boolean()
    years = fields.Integer(string="Years Kept")
    legal_source = fields.Char(required=True)
    active = fields.Boolean(default=True)
    period_label = fields.Char(string="Retention", compute="_compute_period_label")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A retention schedule code is used once."),
    ]

    @api.constrains("permanent", "years")
    def _check_period(self):
        for line in self:
            if line.permanent == bool(line.years) or line.years < 0:
                raise ValidationError(
                    self.env._(
                        "Retention %(code)s must be either permanent or a positive "
                        "number of years.",
                        code=line.code,
                    )
                )

    @api.depends("permanent", "years")
    def _compute_period_label(self):
        for line in self:
            line.period_label = (
                self.env._("Permanent")
                if line.permanent
                else self.env._("%(years)s years", years=line.years)
            )

    @api.depends("code", "name", "period_label")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.code} – {line.name} ({line.period_label})"

    def _end_year(self, last_year):
        """Last year a file ending in ``last_year`` must be kept, or 0 if permanent.

        The period counts whole years from the year the work ended, as the
        Circular counts it."""
        self.ensure_one()
        if self.permanent or not last_year:
            return 0
        return last_year + self.years
