from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

SKEW_PARAM = "vbdt_interconnect.hub_clock_skew_seconds"
DEFAULT_SKEW_SECONDS = 300


class VbdtHubRequest(models.Model):
    """The nonces of the requests the hub accepted, kept for the timestamp
    window: a nonce seen twice is a replay. The same rows count each system's
    requests of the last minute for its rate quota."""

    _name = "vbdt.hub.request"
    _description = "Hub Request Nonce"
    _log_access = False

    system_id = fields.Many2one("vbdt.hub.system", required=True, ondelete="cascade")
    nonce = fields.Char(required=True)
    operation = fields.Char()
    seen = fields.Datetime(required=True, index=True)

    _sql_constraints = [
        ("nonce_uniq", "unique(system_id, nonce)", "A request nonce is used once."),
    ]

    @api.model
    def _vbdt_max_skew(self):
        value = (
            self.env["ir.config_parameter"]
            # sudo: the allowed clock skew is a system parameter; only its value is used
            .sudo()
            .get_param(SKEW_PARAM, DEFAULT_SKEW_SECONDS)
        )
        try:
            return timedelta(seconds=max(int(value), 1))
        except (TypeError, ValueError):
            return timedelta(seconds=DEFAULT_SKEW_SECONDS)

    @api.model
    def _vbdt_recent_count(self, system):
        """Requests of ``system`` accepted during the last minute."""
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM vbdt_hub_request WHERE system_id = %s AND seen "
                "> %s",
                system.id,
                fields.Datetime.now() - timedelta(minutes=1),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _vbdt_remember(self, system, nonce, operation):
        """Record the nonce; False when it was already used (a replay)."""
        self.env.cr.execute(
            SQL(
                """INSERT INTO vbdt_hub_request (system_id, nonce, operation, seen)
               VALUES (%s, %s, %s, %s)
               ON CONFLICT (system_id, nonce) DO NOTHING RETURNING id""",
                system.id,
                nonce,
                operation,
                fields.Datetime.now(),
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _vbdt_purge(self):
        """Forget nonces older than twice the window: their timestamps are
        refused anyway. Called by the hub hygiene cron."""
        limit = fields.Datetime.now() - 2 * max(
            self._vbdt_max_skew(), timedelta(minutes=1)
        )
        self.env.cr.execute(SQL("DELETE FROM vbdt_hub_request WHERE seen < %s", limit))
        return self.env.cr.rowcount
