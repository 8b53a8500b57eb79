from odoo import api, fields, models


class VbdtHubSystem(models.Model):
    """A system registered with our hub (a provincial axis): it authenticates
    with its id and secret and receives the packages of the agencies it serves."""

    _name = "vbdt.hub.system"
    _description = "Hub Registered System"
    _order = "name"

    name = fields.Char(required=True)
    system_id = fields.Char(string="System Id", required=True, index=True)
    secret = fields.Char(groups="base.group_system", copy=False)
    active = fields.Boolean(default=True)
    agency_ids = fields.Many2many(
        "vbdt.agency", "vbdt_hub_system_agency_rel", "system_id", "agency_id",
        string="Agencies Served",
    )
    message_count = fields.Integer(compute="_compute_message_count")

    _sql_constraints = [
        ("system_id_uniq", "unique(system_id)", "A system id can be registered once."),
    ]

    def _compute_message_count(self):
        counts = dict(self.env["vbdt.hub.message"]._read_group(
            [("recipient_system_id", "in", self.ids)], ["recipient_system_id"], ["__count"]))
        for system in self:
            system.message_count = counts.get(system, 0)

    @api.model
    def _vbdt_secret_of(self, system_id):
        system = self.sudo().search([("system_id", "=", system_id)], limit=1)
        return system.secret or None if system else None

    @api.model
    def _vbdt_for_agency_code(self, code):
        agency = self.env["vbdt.agency"].sudo()._vbdt_find_by_code(code)
        if not agency:
            return self.browse()
        return self.sudo().search([("agency_ids", "in", agency.ids)], limit=1)
