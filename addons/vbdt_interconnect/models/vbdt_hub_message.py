import logging
from datetime import timedelta

from odoo import api, fields, models, modules
from odoo.tools import SQL

_logger = logging.getLogger(__name__)
RETENTION_PARAM = "vbdt_interconnect.hub_retention_days"
DEFAULT_RETENTION_DAYS = 90
EXPIRY_PARAM = "vbdt_interconnect.hub_expiry_days"
DEFAULT_EXPIRY_DAYS = 30


class VbdtHubMessage(models.Model):
    """One package waiting at the hub for one recipient; re-delivered by
    ``getReceivedEdocList`` until the recipient answers ``updateStatus done``."""

    _name = "vbdt.hub.message"
    _description = "Hub Message"
    _order = "id"

    doc_id = fields.Char(string="DocId", required=True, index=True)
    sender_system_id = fields.Many2one("vbdt.hub.system", required=True, index=True)
    recipient_system_id = fields.Many2one("vbdt.hub.system", required=True, index=True)
    sender_code = fields.Char(required=True)
    recipient_code = fields.Char(required=True, index=True)
    message_type = fields.Selection(
        [("edoc", "Document"), ("status", "Status")], required=True, index=True
    )
    package = fields.Binary(
        attachment=True,
        required=True,
        help="The uploaded package, one file in the filestore for all its recipients.",
    )
    package_hash = fields.Char()
    idempotency_key = fields.Char(
        index="btree_not_null",
        help="Key the sender gave the upload: a repeated upload with the same key is "
        "not "
        "stored again.",
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("delivered", "Delivered"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("expired", "Expired"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    delivered_date = fields.Datetime()
    done_date = fields.Datetime(index="btree_not_null")
    fetch_count = fields.Integer()

    def _vbdt_store_package(self, stream):
        """Store the uploaded package (a file the HTTP layer spooled to disk)
        as the ``package`` of these messages: its bytes are read once and
        given to ``ir.attachment`` as they are, without the base64 copies a
        write of the binary field makes (text, then decoded again, per
        recipient); the filestore keeps one file for all recipients (same
        checksum)."""
        stream.seek(0)
        raw = stream.read()
        # sudo: the hub's own storage of what the authenticated system sent.
        self.env["ir.attachment"].sudo().create(
            [
                {
                    "name": "package",
                    "res_model": self._name,
                    "res_field": "package",
                    "res_id": message.id,
                    "type": "binary",
                    "raw": raw,
                    "mimetype": "application/xml",
                }
                for message in self
            ]
        )
        self.invalidate_recordset(["package"])

    # ------------------------------------------------------------ retention
    @api.model
    def _vbdt_days_param(self, name, default):
        # sudo: the retention is a system parameter; only its value is used
        value = self.env["ir.config_parameter"].sudo().get_param(name, default)
        try:
            return int(value)
        except (TypeError, ValueError):
            _logger.warning(
                "%s=%r is not a number of days; using %s", name, value, default
            )
            return default

    @api.model
    def _vbdt_retention_days(self):
        return self._vbdt_days_param(RETENTION_PARAM, DEFAULT_RETENTION_DAYS)

    @api.model
    def _vbdt_expire_undelivered(self):
        """Messages the recipient has not acknowledged after the expiry period
        (``vbdt_interconnect.hub_expiry_days``, default 30, 0 never) stop
        being offered; each sender system gets a report in its chatter,
        which the hub operators follow. Returns the expired messages."""
        days = self._vbdt_days_param(EXPIRY_PARAM, DEFAULT_EXPIRY_DAYS)
        if days <= 0:
            return self.browse()
        limit = fields.Datetime.now() - timedelta(days=days)
        # sudo: a cron over every system's queue; nothing is returned to a user.
        expired = self.sudo().search(
            [
                ("state", "in", ("pending", "delivered", "failed")),
                ("create_date", "<", limit),
            ]
        )
        expired.write({"state": "expired"})
        for sender in expired.sender_system_id:
            lines = expired.filtered(lambda m, s=sender: m.sender_system_id == s)
            sender.message_post(
                body=self.env._(
                    "%(count)s message(s) of this system were not acknowledged by "
                    "their "
                    "recipients within %(days)s days and expired: %(items)s",
                    count=len(lines),
                    days=days,
                    items="; ".join(
                        f"{m.doc_id} → {m.recipient_code}" for m in lines[:50]
                    ),
                ),
                # sudo: reads who the operators are, to notify them.
                partner_ids=self.env.ref("base.group_system")
                .sudo()
                .users.partner_id.ids,
            )
        if expired:
            _logger.info(
                "hub: %s undelivered messages expired after %s days", len(expired), days
            )
        return expired

    @api.model
    def _cron_hub_hygiene(self):
        """Daily: expire undelivered messages, forget old nonces."""
        expired = self._vbdt_expire_undelivered()
        self.env["vbdt.hub.request"]._vbdt_purge()
        self.env["ir.cron"]._notify_progress(done=len(expired), remaining=0)

    @api.model
    def _vbdt_purge_acknowledged(self, batch=500, max_batches=200, commit=None):
        """Delete the messages (and their package files) that the recipient
        acknowledged (``updateStatus done``) more than the retention period
        ago; the recipient keeps its own copy as evidence. 0 days keeps
        everything. Batches of locked rows (SKIP LOCKED), committed one by one
        outside tests. Returns ``(deleted, remaining)``."""
        days = self._vbdt_retention_days()
        if days <= 0:
            return 0, 0
        commit = (not modules.module.current_test) if commit is None else commit
        limit = fields.Datetime.now() - timedelta(days=days)
        deleted = 0
        for _i in range(max_batches):
            self.env.cr.execute(
                SQL(
                    """SELECT id FROM vbdt_hub_message
                    WHERE state = 'done' AND done_date < %s
                    ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                    limit,
                    batch,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                break
            # sudo: the clean-up job deletes delivered messages of every system
            self.sudo().browse(ids).unlink()
            deleted += len(ids)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        # sudo: counting what the clean-up job left; only a number
        remaining = self.sudo().search_count(
            [("state", "=", "done"), ("done_date", "<", limit)]
        )
        if deleted:
            _logger.info(
                "hub: purged %s acknowledged messages older than %s days", deleted, days
            )
        return deleted, remaining

    @api.model
    def _cron_purge_acknowledged(self):
        deleted, remaining = self._vbdt_purge_acknowledged()
        self.env["ir.cron"]._notify_progress(done=deleted, remaining=remaining)
