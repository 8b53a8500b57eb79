from datetime import timedelta

from odoo import models


class VbdtAgencyChange(models.Model):
    """At the end of an agency its delegations and approval routes end too
    (they name its leaders and units); the preview says how many."""

    _inherit = "vbdt.agency.change"

    def _vbdt_plan_extra(self, agency):
        extra = super()._vbdt_plan_extra(agency)
        return [
            *extra,
            (
                self.env._("Delegations that end"),
                len(self._vbdt_open_delegations(agency)),
            ),
            (
                self.env._("Approval routes that end"),
                len(self._vbdt_routes(agency)),
            ),
        ]

    def _vbdt_open_delegations(self, agency, day=None):
        """Delegations of ``agency`` still running on ``day`` or later."""
        domain = [("company_id", "=", agency.id)]
        if day:
            domain.append(("date_to", ">=", day))
        # sudo: the preview and the carry-over see every agency's delegations.
        return self.env["vbdt.delegation"].sudo().search(domain)

    def _vbdt_routes(self, agency):
        return (
            self.env["vbdt.approval.route"]
            # sudo: a reorganisation carries every route of the ending agency over
            .sudo()
            .search([("company_id", "=", agency.id)])
        )

    def _vbdt_carry_over_extra(self, agency, successor):
        result = super()._vbdt_carry_over_extra(agency, successor)
        day = self.date_effective
        for delegation in self._vbdt_open_delegations(agency, day):
            if delegation.date_from >= day:
                delegation.active = False
            else:
                delegation.date_to = day - timedelta(days=1)
        self._vbdt_routes(agency).write({"active": False})
        return result
