import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

DEFAULT_MAX_REQUEST_MB = 128
DEFAULT_REQUESTS_PER_MINUTE = 600


class VbdtHubSystem(models.Model):
    """A system registered with our hub (a provincial axis): it authenticates
    with its id and secret and receives the packages of the agencies it serves.

    An agency code is served by exactly one system (a unique index on the
    relation): only the hub operator assigns it, directly here or by
    approving a system's ``registerAgency`` claim, and every change is written
    in the system's chatter."""

    _name = "vbdt.hub.system"
    _inherit = ["mail.thread", "vbdt.exchange.secret.mixin"]
    _description = "Hub Registered System"
    _order = "name"

    name = fields.Char(required=True)
    # Odoo would label a field named system_id "System" (it drops "_id").
    system_id = fields.Char(string="System Id", required=True, index=True)  # pylint: disable=attribute-string-redundant
    active = fields.Boolean(default=True)
    agency_ids = fields.Many2many(
        "vbdt.agency",
        "vbdt_hub_system_agency_rel",
        "system_id",
        "agency_id",
        string="Agencies Served",
    )
    max_request_mb = fields.Integer(
        string="Maximum Request Size (MB)",
        default=DEFAULT_MAX_REQUEST_MB,
        help="Largest request body this system may send; larger requests are refused "
        "with HTTP 413 before they are read.",
    )
    requests_per_minute = fields.Integer(
        default=DEFAULT_REQUESTS_PER_MINUTE,
        help=(
            "Authenticated requests accepted per minute; more are refused with HTTP "
            "429."
        ),
    )
    claim_ids = fields.One2many(
        "vbdt.hub.agency.claim", "system_id", string="Agency Claims"
    )
    message_count = fields.Integer(compute="_compute_message_count")

    _sql_constraints = [
        ("system_id_uniq", "unique(system_id)", "A system id can be registered once."),
        (
            "max_request_mb_positive",
            "CHECK(max_request_mb > 0)",
            "The maximum request size must be positive.",
        ),
        (
            "requests_per_minute_positive",
            "CHECK(requests_per_minute > 0)",
            "The request quota must be positive.",
        ),
    ]

    def init(self):
        # Concurrent assignments cannot both win: one agency, one system.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS vbdt_hub_system_agency_rel_agency_uniq "
            "ON vbdt_hub_system_agency_rel (agency_id)"
        )

    def _compute_message_count(self):
        counts = dict(
            self.env["vbdt.hub.message"]._read_group(
                [("recipient_system_id", "in", self.ids)],
                ["recipient_system_id"],
                ["__count"],
            )
        )
        for system in self:
            system.message_count = counts.get(system, 0)

    @api.constrains("agency_ids")
    def _check_one_system_per_agency(self):
        for system in self:
            taken = self.with_context(active_test=False).search(
                [("id", "!=", system.id), ("agency_ids", "in", system.agency_ids.ids)],
                limit=1,
            )
            if taken:
                agency = system.agency_ids & taken.agency_ids
                raise ValidationError(
                    self.env._(
                        "Agency %(agency)s is already served by hub system "
                        "%(system)s: an agency "
                        "code is served by one system only.",
                        agency=agency[:1].display_name,
                        system=taken.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        systems = super().create(vals_list)
        for system in systems.filtered("agency_ids"):
            system._vbdt_log_agencies(system.agency_ids, self.env["vbdt.agency"])
        return systems

    def write(self, vals):
        if "agency_ids" not in vals:
            return super().write(vals)
        before = {system: system.agency_ids for system in self}
        result = super().write(vals)
        for system in self:
            system._vbdt_log_agencies(
                system.agency_ids - before[system], before[system] - system.agency_ids
            )
        return result

    def _vbdt_log_agencies(self, added, removed, reason=""):
        """Audit trail of routing: who gave or took which agency code, when,
        in the append-only audit log of each directory entry and in the
        system's chatter."""
        self.ensure_one()
        if not added and not removed:
            return
        AuditLog = self.env["vbdt.audit.log"]
        for agencies, verb in ((added, "assigned to"), (removed, "removed from")):
            for agency in agencies:
                AuditLog._log(
                    agency,
                    "hub_routing",
                    f"{agency.code} {verb} hub system {self.system_id} "
                    f"({self.name}) {reason}".strip()[:250],
                )
        self.message_post(
            body=self.env._(
                "Agencies served changed by %(user)s: added %(added)s; removed "
                "%(removed)s. "
                "%(reason)s",
                user=self.env.user.display_name,
                added=", ".join(f"{a.code} {a.name}" for a in added) or "-",
                removed=", ".join(f"{a.code} {a.name}" for a in removed) or "-",
                reason=reason,
            )
        )

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
            _logger.error(
                "hub: the secret of system %s cannot be opened: %s",
                system.system_id,
                error.args[0],
            )
            return None

    @api.model
    def _vbdt_for_agency_code(self, code):
        """The one system serving this agency code (routing is by code only)."""
        # sudo: routing looks the code up in the whole directory
        agency = self.env["vbdt.agency"].sudo()._vbdt_find_by_code(code)
        if not agency:
            return self.browse()
        # sudo: routing reads every registered system; none is returned to a client
        return self.sudo().search([("agency_ids", "in", agency.ids)])


class VbdtHubAgencyClaim(models.Model):
    """A system's ``registerAgency`` request: nothing is routed to it until
    the hub operator approves the claim."""

    _name = "vbdt.hub.agency.claim"
    _description = "Hub Agency Claim"
    _order = "id desc"

    system_id = fields.Many2one(
        "vbdt.hub.system", required=True, readonly=True, index=True, ondelete="cascade"
    )
    code = fields.Char(required=True, readonly=True, index=True)
    name = fields.Char(readonly=True)
    email = fields.Char(readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("refused", "Refused")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    current_system_id = fields.Many2one(
        "vbdt.hub.system",
        string="Currently Served By",
        compute="_compute_current_system_id",
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(readonly=True)

    def _compute_current_system_id(self):
        Systems = self.env["vbdt.hub.system"]
        for claim in self:
            claim.current_system_id = Systems._vbdt_for_agency_code(claim.code)[:1]

    @api.model
    def _vbdt_claim(self, system, data):
        """Record (or refresh) a pending claim from ``registerAgency``."""
        code = (data.get("code") or "").strip().upper()
        vals = {
            "name": (data.get("name") or "")[:256] or code,
            "email": (data.get("mail") or "")[:256] or False,
        }
        claim = self.search(
            [
                ("system_id", "=", system.id),
                ("code", "=", code),
                ("state", "=", "pending"),
            ],
            limit=1,
        )
        if claim:
            claim.write(vals)
        else:
            claim = self.create({"system_id": system.id, "code": code, **vals})
        system.message_post(
            body=self.env._(
                "System %(system)s asked to serve agency %(code)s (%(name)s); "
                "waiting for the "
                "hub operator.",
                system=system.system_id,
                code=code,
                name=vals["name"],
            )
        )
        return claim

    def _check_operator(self):
        if not self.env.user.has_group("base.group_system"):
            raise UserError(self.env._("Only the hub operator decides agency claims."))
        if self.filtered(lambda c: c.state != "pending"):
            raise UserError(self.env._("Only pending claims can be decided."))

    def action_approve(self):
        self._check_operator()
        Agency = self.env["vbdt.agency"]
        for claim in self:
            served_by = claim.current_system_id
            if served_by and served_by != claim.system_id:
                raise UserError(
                    self.env._(
                        "Agency %(code)s is served by %(system)s: remove it there "
                        "first.",
                        code=claim.code,
                        system=served_by.display_name,
                    )
                )
            agency = Agency._vbdt_find_by_code(claim.code) or Agency.create(
                {
                    "name": claim.name or claim.code,
                    "code": claim.code,
                    "email": claim.email,
                }
            )
            claim._vbdt_log_decision("approved", agency)
            claim.system_id.write({"agency_ids": [(4, agency.id)]})
            claim.write(
                {
                    "state": "approved",
                    "decided_by_id": self.env.uid,
                    "decided_date": fields.Datetime.now(),
                }
            )
        return True

    def _vbdt_log_decision(self, decision, agency=None):
        """The operator's decision in the audit log, on the directory entry
        of the claimed code when it exists, else on the claim itself."""
        # sudo: the claimed code is looked up in the whole directory
        agency = agency or self.env["vbdt.agency"].sudo()._vbdt_find_by_code(self.code)
        self.env["vbdt.audit.log"]._log(
            agency or self,
            "hub_routing",
            f"claim of {self.code} by hub system {self.system_id.system_id} {decision}"[
                :250
            ],
        )

    def action_refuse(self):
        self._check_operator()
        for claim in self:
            claim._vbdt_log_decision("refused")
            claim.write(
                {
                    "state": "refused",
                    "decided_by_id": self.env.uid,
                    "decided_date": fields.Datetime.now(),
                }
            )
            claim.system_id.message_post(
                body=self.env._(
                    "Claim of agency %(code)s refused by %(user)s.",
                    code=claim.code,
                    user=self.env.user.display_name,
                )
            )
        return True
