import hashlib
import json
import logging
from collections import defaultdict

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

EVENTS = [
    ("register", "Registered"),
    ("number", "Numbered"),
    ("return", "Returned"),
    ("sign", "Signed"),
    ("send", "Sent"),
    ("receive", "Received"),
    ("transition", "State Changed"),
    ("review", "Approval Decision"),
    ("correct", "Correction Started"),
    ("file_add", "File Added"),
    ("fixity", "File Fingerprint Mismatch"),
    ("directory", "Directory Changed"),
    ("reorganise", "Agency Reorganised"),
]
# Key of the per-agency chain locks (pg_advisory_lock(LOCK_CLASS, company)).
LOCK_CLASS = 7_415_263
PENDING = "vbdt.audit.log.pending"
# Columns an entry's hash covers; the trigger refuses any change to them.
CONTENT_COLUMNS = (
    "document_id",
    "agency_id",
    "company_id",
    "event",
    "description",
    "user_id",
    "date",
)

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION vbdt_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Sealing is the only update: an entry written without its hash gets it,
    -- its content unchanged. Everything else is refused, for every role.
    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
       AND (to_jsonb(NEW) - 'hash' - 'previous_hash' - 'chain_seq')
           = (to_jsonb(OLD) - 'hash' - 'previous_hash' - 'chain_seq') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'vbdt_audit_log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


class VbdtAuditLog(models.Model):
    """Append-only, hash-chained log of legally relevant events.

    Each entry's hash covers its content and the previous entry's hash of the
    same agency, so a row changed or deleted in the database breaks the chain
    that :meth:`_verify_chain` checks; a trigger refuses UPDATE, DELETE and
    TRUNCATE in PostgreSQL itself.

    Entries are written at once (``_log``) and sealed into their agency's
    chain after the transaction commits, under a per-agency lock held only
    for the sealing: agencies never wait on each other, and nothing slow
    (HSM, timestamp server, axis) runs while a chain is locked."""

    _name = "vbdt.audit.log"
    _description = "Document Audit Log"
    _order = "id desc"
    _log_access = False

    document_id = fields.Many2one(
        "vbdt.document", readonly=True, index=True, ondelete="restrict"
    )
    agency_id = fields.Many2one(
        "vbdt.agency",
        string="Directory Entry",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, ondelete="restrict"
    )
    event = fields.Selection(EVENTS, readonly=True, required=True)
    description = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="restrict")
    date = fields.Datetime(readonly=True, required=True)
    chain_seq = fields.Integer(string="Position in Chain", readonly=True, copy=False)
    previous_hash = fields.Char(readonly=True)
    hash = fields.Char(readonly=True, index=True)

    def init(self):
        cr = self.env.cr
        cr.execute(APPEND_ONLY_FUNCTION)
        cr.execute(
            "DROP TRIGGER IF EXISTS vbdt_audit_log_append_only ON vbdt_audit_log"
        )
        cr.execute(
            "DROP TRIGGER IF EXISTS vbdt_audit_log_no_truncate ON vbdt_audit_log"
        )
        cr.execute("""
            CREATE TRIGGER vbdt_audit_log_append_only BEFORE UPDATE OR DELETE
            ON vbdt_audit_log FOR EACH ROW
            EXECUTE FUNCTION vbdt_audit_log_append_only()""")
        cr.execute("""
            CREATE TRIGGER vbdt_audit_log_no_truncate BEFORE TRUNCATE
            ON vbdt_audit_log FOR EACH STATEMENT
            EXECUTE FUNCTION vbdt_audit_log_append_only()""")
        cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS vbdt_audit_log_chain_uniq
            ON vbdt_audit_log (company_id, chain_seq) WHERE chain_seq IS NOT NULL""")
        cr.execute("""
            CREATE INDEX IF NOT EXISTS vbdt_audit_log_unsealed_idx
            ON vbdt_audit_log (company_id, id) WHERE hash IS NULL""")

    # Append-only: neither reaches the ORM (the database trigger refuses too).
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("Audit log entries cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(self.env._("Audit log entries cannot be deleted."))

    @api.model
    def _log(self, records, event, description=""):
        """Append one entry per record (documents, or directory entries).
        Returns the entries; they join their agency's chain at commit."""
        now = fields.Datetime.now()
        vals_list = []
        for record in records:
            is_document = record._name == "vbdt.document"
            vals_list.append(
                {
                    "document_id": record.id if is_document else False,
                    "agency_id": record.id if record._name == "vbdt.agency" else False,
                    "company_id": (
                        record.company_id.id if is_document else self.env.company.id
                    ),
                    "event": event,
                    "description": description or "",
                    "user_id": self.env.uid,
                    "date": now,
                }
            )
        # sudo: nobody holds create access on the log; only the server writes it.
        entries = self.sudo().create(vals_list)
        self._vbdt_seal_after_commit(entries.company_id.ids or [False])
        return entries.sudo(False)

    def _vbdt_seal_after_commit(self, company_ids):
        cr = self.env.cr
        pending = cr.postcommit.data.setdefault(PENDING, set())
        if not pending:
            dbname = cr.dbname
            cr.postcommit.add(lambda: _seal_in_new_cursor(dbname, pending))
        pending.update(company_ids)

    # ------------------------------------------------------------------ sealing
    @api.model
    def _vbdt_seal_committed(self, company_ids=None):
        """Seal the committed entries still without hash, one agency at a
        time. Commits: the chain's head must be read after the lock is
        granted, in a snapshot taken then (Odoo runs REPEATABLE READ)."""
        cr = self.env.cr
        if company_ids is None:
            cr.execute(
                "SELECT DISTINCT company_id FROM vbdt_audit_log WHERE hash IS NULL"
            )
            company_ids = [row[0] for row in cr.fetchall()]
        for company_id in sorted(company_ids, key=lambda c: c or 0):
            cr.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, company_id or 0])
            try:
                cr.commit()  # pylint: disable=invalid-commit
                self._vbdt_seal_company(company_id)
                cr.commit()  # pylint: disable=invalid-commit
            except Exception:
                cr.rollback()
                raise
            finally:
                cr.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, company_id or 0]
                )
                cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _vbdt_seal_in_transaction(self):
        """Seal this transaction's entries in its own snapshot: for a
        transaction that cannot commit in between (tests, shell scripts
        working alone on the database)."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SELECT DISTINCT company_id FROM vbdt_audit_log WHERE hash IS NULL")
        for company_id in sorted(
            (row[0] for row in cr.fetchall()), key=lambda c: c or 0
        ):
            cr.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, company_id or 0]
            )
            self._vbdt_seal_company(company_id)

    @api.model
    def _vbdt_seal_company(self, company_id):
        cr = self.env.cr
        company_sql = (
            SQL("company_id = %s", company_id)
            if company_id
            else SQL("company_id IS NULL")
        )
        cr.execute(
            SQL(
                "SELECT hash, chain_seq FROM vbdt_audit_log WHERE %s AND hash IS NOT "
                "NULL "
                "ORDER BY chain_seq DESC LIMIT 1",
                company_sql,
            )
        )
        row = cr.fetchone()
        previous, seq = (row[0], row[1]) if row else ("", 0)
        cr.execute(
            SQL(
                "SELECT id, %s FROM vbdt_audit_log WHERE %s AND hash IS NULL ORDER "
                "BY id",
                SQL(", ").join(SQL.identifier(c) for c in CONTENT_COLUMNS),
                company_sql,
            )
        )
        for entry_id, *content in cr.fetchall():
            seq += 1
            vals = dict(zip(CONTENT_COLUMNS, content, strict=False))
            vals["previous_hash"] = previous
            digest = self._hash(vals)
            cr.execute(
                "UPDATE vbdt_audit_log SET previous_hash = %s, hash = %s, chain_seq "
                "= %s "
                "WHERE id = %s",
                [previous, digest, seq, entry_id],
            )
            previous = digest
        self.invalidate_model(["previous_hash", "hash", "chain_seq"])

    @api.model
    def _cron_seal(self):
        """Seal entries whose commit-time sealing did not run (server stopped
        between commit and sealing)."""
        self._vbdt_seal_committed()

    @api.model
    def _hash(self, vals):
        payload = {key: vals.get(key) or False for key in CONTENT_COLUMNS}
        payload["description"] = vals.get("description") or ""
        payload["date"] = fields.Datetime.to_string(payload["date"])
        payload["previous_hash"] = vals.get("previous_hash") or ""
        if not payload["agency_id"]:
            del payload["agency_id"]  # entries from before directory auditing
        return hashlib.sha256(
            json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()

    @api.model
    def _verify_chain(self):
        """Return the first sealed entry whose hash or link is wrong, per
        agency chain, or an empty recordset. Entries not sealed yet are
        waiting for their transaction's sealing and are not judged."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, %s, previous_hash, hash FROM vbdt_audit_log "
                "WHERE hash IS NOT NULL ORDER BY company_id NULLS FIRST, chain_seq",
                SQL(", ").join(SQL.identifier(c) for c in CONTENT_COLUMNS),
            )
        )
        previous = defaultdict(str)
        for entry_id, *content, previous_hash, digest in cr.fetchall():
            vals = dict(zip(CONTENT_COLUMNS, content, strict=False))
            vals["previous_hash"] = previous_hash or ""
            company = vals["company_id"]
            if (previous_hash or "") != previous[company] or digest != self._hash(vals):
                return self.browse(entry_id)
            previous[company] = digest
        return self.browse()


def _seal_in_new_cursor(dbname, company_ids):
    """Post-commit: the transaction's entries are visible to everyone now."""
    try:
        with Registry(dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["vbdt.audit.log"]._vbdt_seal_committed(list(company_ids))
    except Exception:  # noqa: BLE001 -- the cron seals what is left
        _logger.exception("Audit entries left unsealed; the sealing cron will retry.")
