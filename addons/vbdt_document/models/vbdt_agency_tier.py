from odoo import api, fields, models


class VbdtAgencyTier(models.Model):
    """A tier of the administration (cấp hành chính) as data, not code: the
    tiers changed on 1 July 2025 (the district tier is gone) and may change
    again. Agencies and directory entries keep the tier's ``code``; a tier
    with an end date is historical: only agencies that ended by that date may
    carry it."""

    _name = "vbdt.agency.tier"
    _description = "Administrative Tier"
    _order = "sequence, id"

    code = fields.Char(required=True, help="Key stored on agencies, e.g. commune.")
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    date_end = fields.Date(
        string="Abolished On",
        help="First day the tier no longer exists (the district tier: "
        "01/07/2025). Agencies of the tier must have ended by then.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A tier code can be used by one tier only."),
    ]

    @api.model
    def _vbdt_selection(self):
        """Choices of the ``tier`` fields, from the data (read by anyone who
        sees an agency; sudo: the tier list itself is not confidential)."""
        # sudo: the tier list is public reference data
        tiers = self.sudo().with_context(active_test=False).search([])
        return [(tier.code, tier.name) for tier in tiers] or [("other", "Other")]

    @api.model
    def _vbdt_by_code(self, code):
        return (
            # sudo: the tier list is public reference data
            self.sudo()
            .with_context(active_test=False)
            .search([("code", "=", code)], limit=1)
        )
