import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class VbdtHubSystem(models.Model):
    """A system registered with our hub (a provincial axis): it authenticates
    with its id and secret and receives the packages of the agencies it serves."""

    _name = "vbdt.hub.system"
    _inherit = ["vbdt.exchange.secret.mixin"]
    _description = "Hub Registered System"
    _order = "name"

    name = fields.Char(required=True)
    system_id = fields.Char(string="System Id", required=True, index=True)
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
        # sudo: the hub authenticates callers before any user exists; the
        # secret only ever leaves this method into the HMAC check.
        system = self.sudo().search([("system_id", "=", system_id)], limit=1)
        if not system.secret_sealed:
            return None
        try:
            return system._vbdt_open_secret()
        except UserError as error:
            # no server key, or a key that changed: the caller is refused
            # (authentication fails) and the operator finds why in the log.
            _logger.error("hub: the secret of system %s cannot be opened: %s",
                          system.system_id, error.args[0])
            return None

    @api.model
    def _vbdt_for_agency_code(self, code):
        agency = self.env["vbdt.agency"].sudo()._vbdt_find_by_code(code)
        if not agency:
            return self.browse()
        return self.sudo().search([("agency_ids", "in", agency.ids)], limit=1)
