"""Read and unread documents, per user (đã đọc / chưa đọc).

A document is unread for a user until that user opens its form; new
incoming documents therefore arrive unread for everybody. The mark is one
row per (document, user) in ``vbdt_document_seen_rel``, written only by the
server when the form is read: a client can neither set nor clear it."""

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL


# One concern per file, as vbdt_document_secrecy.py does for secret documents.
# pylint: disable=consider-merging-classes-inherited
class VbdtDocument(models.Model):
    _inherit = "vbdt.document"

    seen_user_ids = fields.Many2many(
        "res.users",
        "vbdt_document_seen_rel",
        "document_id",
        "user_id",
        string="Read By",
        readonly=True,
        copy=False,
    )
    is_unread = fields.Boolean(
        string="Unread",
        compute="_compute_is_unread",
        search="_search_is_unread",
    )

    @api.model
    def _vbdt_server_fields(self):
        return super()._vbdt_server_fields() | {"seen_user_ids"}

    @api.depends_context("uid")
    @api.depends("seen_user_ids")
    def _compute_is_unread(self):
        for document in self:
            document.is_unread = self.env.user not in document.seen_user_ids

    def _search_is_unread(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        unread = (operator == "=") == value
        return self._vbdt_search_user_rows("vbdt_document_seen_rel", "=", not unread)

    def _vbdt_mark_seen(self):
        """Mark the documents read by the current user (idempotent)."""
        if not self.ids:
            return
        self.env.cr.execute(
            SQL(
                "INSERT INTO vbdt_document_seen_rel (document_id, user_id) "
                "SELECT id, %s FROM unnest(%s::int[]) AS id ON CONFLICT DO NOTHING",
                self.env.uid,
                self.ids,
            )
        )
        self.invalidate_recordset(["seen_user_ids", "is_unread"])

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        # Whoever enters a document has read it.
        documents._vbdt_mark_seen()
        return documents

    def _vbdt_is_seen(self):
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM vbdt_document_seen_rel "
                "WHERE document_id = %s AND user_id = %s",
                self.id,
                self.env.uid,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    @api.readonly
    def web_search_read(self, *args, **kwargs):
        # Lists read their rows through web_read too: a list of one row is
        # not an opened document. (The key only spares a mark.)
        return super(
            VbdtDocument, self.with_context(vbdt_listing=True)
        ).web_search_read(*args, **kwargs)

    def web_read(self, specification):
        result = super().web_read(specification)
        # A form opened on one saved document (the read above passed its rules).
        if (
            len(self) == 1
            and isinstance(self.id, int)
            and not self.env.context.get("vbdt_listing")
            and not self._vbdt_is_seen()
        ):
            if self.env.cr.readonly:
                # Odoo runs the request again on a read/write cursor when it
                # meets this error (see _vbdt_log_access).
                raise psycopg2.errors.ReadOnlySqlTransaction(
                    "vbdt: marking a document read"
                )
            self._vbdt_mark_seen()
            for values in result:
                if "is_unread" in values:
                    values["is_unread"] = False
        return result

    # Opening a form writes (the seen mark, the access statistics): the web
    # client's web_read is served on a read/write cursor from the start. On
    # Odoo's read-only cursor it would fail, be run again, and log a warning
    # with a traceback at every opening. (The web client's dataset route reads
    # ``_readonly`` from the first class of the model's MRO that has it.)
    web_read._readonly = False
