import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.vbdt_document import secret_store

_logger = logging.getLogger(__name__)
secret_store.register("vbdt.hub.system", "secret_sealed")


class VbdtHubSystem(models.Model):
    """A system registered with our hub (a provincial axis): it authenticates
    with its id and secret and receives the packages of the agencies it serves."""

    _name = "vbdt.hub.system"
    _description = "Hub Registered System"
    _order = "name"

    name = fields.Char(required=True)
    system_id = fields.Char(string="System Id", required=True, index=True)
    secret = fields.Char(
        groups="base.group_system", copy=False, store=False,
        compute="_compute_secret", inverse="_inverse_secret",
        help="Write-only: stored encrypted with the server key, never shown again.")
    secret_sealed = fields.Text(groups="base.group_system", copy=False, readonly=True)
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

    def _compute_secret(self):
        self.secret = False

    def _inverse_secret(self):
        for system in self.filtered("secret"):
            system.sudo().secret_sealed = secret_store.encrypt(
                self.env, system.secret, self._name, "secret_sealed")

    @api.model
    def _vbdt_secret_of(self, system_id):
        # sudo: the hub authenticates callers before any user exists; the
        # secret only ever leaves this method into the HMAC check.
        system = self.sudo().search([("system_id", "=", system_id)], limit=1)
        if not system.secret_sealed:
            return None
        try:
            return secret_store.decrypt(
                self.env, system.secret_sealed, self._name, "secret_sealed").decode()
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
