"""Access statistics: who opened, downloaded and printed which document.

Decree 30 Appendix VI asks for statistics of accesses to every document. They
are entries of the audit log (no second log): ``open`` when a form is read on
one document, ``download`` when a file of the document is served, ``print``
when a report is rendered on it. The hooks are single-record by design: list
and kanban reads (``web_search_read``) never write anything.

Secret documents keep their strict audit: every opening is an entry, written
in the transaction of the read. For the other documents, the web client reads
a form again after each save or button; those reads within ``OPEN_WINDOW`` of
the user's last recorded opening belong to the same visit and are not
recorded again, so a form reload costs one indexed lookup and no write.

Only the agency's administrators read these entries (record rules), through
the Access Statistics pivot; entries name documents by their display name,
which is the neutral label for a secret document the reader may not read."""

import contextvars
from datetime import timedelta

import psycopg2

from odoo import fields, models
from odoo.tools import SQL

ACCESS_EVENTS = [
    ("open", "Opened"),
    ("download", "Downloaded"),
    ("print", "Printed"),
]
ACCESS_EVENT_KEYS = tuple(key for key, _label in ACCESS_EVENTS)
# Reads of the same document by the same user within this time are one visit.
OPEN_WINDOW = timedelta(minutes=10)
# Set while a list or kanban is read (its rows go through web_read): set by
# the server, never from the request's context, which the caller writes.
_LISTING = contextvars.ContextVar("vbdt_listing", default=False)


# One concern per file, as vbdt_document_secrecy.py does for secret documents.
# pylint: disable=consider-merging-classes-inherited
class VbdtAuditLog(models.Model):
    _inherit = "vbdt.audit.log"

    event = fields.Selection(
        selection_add=ACCESS_EVENTS,
        ondelete={key: "cascade" for key in ACCESS_EVENT_KEYS},
    )


class VbdtDocument(models.Model):
    _inherit = "vbdt.document"

    def web_search_read(self, *args, **kwargs):
        token = _LISTING.set(True)
        try:
            return super().web_search_read(*args, **kwargs)
        finally:
            _LISTING.reset(token)

    def _vbdt_reads_one_form(self, specification):
        """Whether this ``web_read`` opens one document: one record, fields
        beyond its name, and not the rows of a list (even of one row)."""
        return (
            len(self) == 1
            and not _LISTING.get()
            and bool(set(specification) - {"id", "display_name"})
        )

    def _vbdt_log_access(self, kind):
        """Record an opening, download or print (``kind`` in
        ``ACCESS_EVENT_KEYS``) of these documents by the current user."""
        documents = self._vbdt_accesses_to_record(kind)
        if not documents:
            return
        if self.env.cr.readonly:
            # Odoo serves reads on a read-only cursor and runs the request
            # again on a read/write one when it meets this error: the access
            # is then logged in the same transaction as the read.
            raise psycopg2.errors.ReadOnlySqlTransaction(
                "vbdt: recording an access to a document"
            )
        self.env["vbdt.audit.log"]._log(documents, kind)

    def _vbdt_accesses_to_record(self, kind):
        """The documents among these whose access is recorded: all of them,
        except openings of ordinary documents already recorded for this user
        within ``OPEN_WINDOW`` (the same visit)."""
        documents = self.browse(
            [doc_id for doc_id in self.ids if isinstance(doc_id, int)]
        )
        if kind != "open" or not documents:
            return documents
        # sudo: the confidentiality decides how strictly to record; not returned.
        ordinary = documents.sudo().filtered(lambda d: not d._vbdt_is_secret())
        if not ordinary:
            return documents
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT document_id FROM vbdt_audit_log "
                "WHERE document_id IN %s AND user_id = %s AND event = 'open' "
                "AND date > %s",
                tuple(ordinary.ids),
                self.env.uid,
                fields.Datetime.now() - OPEN_WINDOW,
            )
        )
        visited = {row[0] for row in self.env.cr.fetchall()}
        return documents.filtered(lambda d: d.id not in visited)
