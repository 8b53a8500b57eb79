from odoo import api, fields, models

from ..transports import REGISTRY, get_transport

TRANSPORT_CODES = [("local", "Local (this database)"), ("vxp", "VXP axis")]


class VbdtExchangeTransport(models.Model):
    """A connection of one agency to an axis (national VXP axis, a provincial
    hub, later an LGSP): where to send and how to authenticate."""

    _name = "vbdt.exchange.transport"
    _inherit = ["vbdt.exchange.secret.mixin"]
    _description = "Exchange Connection"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    transport = fields.Selection(
        [c for c in TRANSPORT_CODES if c[0] != "local"], required=True, default="vxp"
    )
    endpoint = fields.Char(
        help="Base URL of the axis, e.g. https://axis.example.gov.vn/vxp "
        "(operations are posted to <endpoint>/<operation>)."
    )
    # Odoo would label a field named system_id "System" (it drops "_id").
    system_id = fields.Char(  # pylint: disable=attribute-string-redundant
        string="System Id",
        help="Id of this system registered with the axis (the 'from' header).",
    )
    timeout = fields.Integer(default=60, help="Seconds to wait for an answer.")
    last_poll = fields.Datetime(readonly=True)
    directory_date = fields.Datetime(
        string="Directory Synchronised",
        readonly=True,
        help="Last import of the axis' agency directory. From then on, a package is "
        "accepted through this connection only from an agency that directory lists.",
    )
    last_error = fields.Text(readonly=True)

    @api.model
    def _vbdt_for_company(self, company):
        # sudo: the agency's connection is used by the server; its secret is not
        # returned
        return self.sudo().search([("company_id", "=", company.id)], limit=1)

    def _vbdt_transport(self):
        self.ensure_one()
        return get_transport(self.env, self.transport, self)

    def action_poll(self):
        self.env["vbdt.exchange.engine"]._vbdt_poll(self)
        return True

    def action_sync_agencies(self):
        for config in self:
            config._vbdt_sync_agencies()
        return True

    def _vbdt_sync_agencies(self):
        """Agency directory from the axis (getAgenciesList) into vbdt.agency."""
        self.ensure_one()
        # sudo: the directory is synchronised by the server from the axis
        Agency = self.env["vbdt.agency"].sudo()
        created = 0
        listed = Agency.browse()
        for item in self._vbdt_transport().agencies():
            code = (item.get("code") or "").strip().upper()
            if not code:
                continue
            agency = Agency._vbdt_find_by_code(code)
            vals = {"name": item.get("name") or code}
            if item.get("mail"):
                vals["email"] = item["mail"]
            if agency:
                if not agency.internal_company_id:
                    agency.write(vals)
            else:
                try:
                    with self.env.cr.savepoint():
                        agency = Agency.create({**vals, "code": code})
                        created += 1
                except Exception:  # noqa: BLE001 - a bad code must not stop the sync
                    continue
            listed |= agency
        self._vbdt_map_directory(listed)
        return created

    def _vbdt_map_directory(self, listed):
        """The directory entries reached through this connection are exactly
        those its axis lists (each change is in the directory's audit log)."""
        self.ensure_one()
        # sudo: the directory is synchronised by the server from the axis
        Agency = self.env["vbdt.agency"].sudo()
        mapped = Agency.with_context(active_test=False).search(
            [("vbdt_transport_ids", "in", self.ids)]
        )
        (listed - mapped).write({"vbdt_transport_ids": [(4, self.id)]})
        (mapped - listed).write({"vbdt_transport_ids": [(3, self.id)]})
        # sudo: the synchronisation date is a server field
        self.sudo().directory_date = fields.Datetime.now()

    def _vbdt_reaches(self, agency):
        """Whether the agency directory maps ``agency`` to this connection:
        listed by its axis; or, while this connection never synchronised its
        directory, an agency mapped to no connection at all (directories
        entered by hand before the first synchronisation)."""
        self.ensure_one()
        # sudo: which connections reach an agency; only a yes or no
        mapped = agency.sudo().vbdt_transport_ids
        if self in mapped:
            return True
        # sudo: whether the directory was synchronised; only a yes or no
        return not mapped and not self.sudo().directory_date

    @api.model
    def _vbdt_registry_codes(self):
        return list(REGISTRY)
