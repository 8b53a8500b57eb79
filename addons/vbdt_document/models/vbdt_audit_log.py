import hashlib
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

EVENTS = [
    ("register", "Registered"),
    ("number", "Numbered"),
    ("return", "Returned"),
    ("sign", "Signed"),
    ("send", "Sent"),
    ("receive", "Received"),
]


class VbdtAuditLog(models.Model):
    """Append-only, hash-chained log of legally relevant events.

    Each entry's hash covers its own content and the previous entry's hash, so
    a row changed or deleted directly in the database breaks the chain that
    :meth:`_verify_chain` checks."""

    _name = "vbdt.audit.log"
    _description = "Document Audit Log"
    _order = "id desc"
    _log_access = False

    document_id = fields.Many2one("vbdt.document", readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    event = fields.Selection(EVENTS, readonly=True, required=True)
    description = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    date = fields.Datetime(readonly=True, required=True)
    previous_hash = fields.Char(readonly=True)
    hash = fields.Char(readonly=True, index=True)

    def write(self, vals):
        raise UserError(self.env._("Audit log entries cannot be changed."))

    def unlink(self):
        raise UserError(self.env._("Audit log entries cannot be deleted."))

    @api.model
    def _log(self, documents, event, description=""):
        """Append one entry per document; serialised so the chain stays linear."""
        self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext('vbdt_audit_log'))")
        self.env.cr.execute("SELECT hash FROM vbdt_audit_log ORDER BY id DESC LIMIT 1")
        row = self.env.cr.fetchone()
        previous = row[0] if row else ""
        entries = self.browse()
        for document in documents:
            vals = {
                "document_id": document.id,
                "company_id": document.company_id.id,
                "event": event,
                "description": description,
                "user_id": self.env.uid,
                "date": fields.Datetime.now(),
                "previous_hash": previous,
            }
            vals["hash"] = previous = self._hash(vals)
            entries |= self.sudo().create(vals)
        return entries

    @api.model
    def _hash(self, vals):
        payload = {key: vals[key] for key in sorted(vals) if key != "hash"}
        payload["date"] = fields.Datetime.to_string(payload["date"])
        return hashlib.sha256(
            json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()

    @api.model
    def _verify_chain(self):
        """Return the first entry whose hash or link is wrong, or an empty recordset."""
        previous = ""
        for entry in self.sudo().search([], order="id"):
            vals = {
                "document_id": entry.document_id.id,
                "company_id": entry.company_id.id,
                "event": entry.event,
                "description": entry.description or "",
                "user_id": entry.user_id.id,
                "date": entry.date,
                "previous_hash": entry.previous_hash or "",
            }
            if entry.previous_hash != previous or entry.hash != self._hash(vals):
                return entry
            previous = entry.hash
        return self.browse()
