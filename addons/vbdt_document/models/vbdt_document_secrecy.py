"""Secret (Mật) documents: who may read them, and what everybody else sees.

A secret document is read by its readers only, whatever their role: the
people named on it (``confidential_user_ids``) and the people its flow needs
(``participant_ids``: drafter, signer, reviewers, assignees, directing
leader), who are named automatically and shown on the form. Everybody else
sees at most the neutral label "Văn bản mật" in place of its number and
summary, wherever the document's name travels (many2one values read as
superuser, activities, chatter, notifications). Changes of the named readers
and every opening, download and print of a secret document go to the audit
log (the hooks are at the end of this file; what they record is decided in
vbdt_document_access.py, for every document)."""

from odoo import Command, api, fields, models
from odoo.tools import SQL

SECRET_EVENTS = [
    ("readers", "Named Readers Changed"),
    ("access", "Secret Document Accessed"),
]


class VbdtAuditLog(models.Model):
    _inherit = "vbdt.audit.log"

    event = fields.Selection(
        selection_add=SECRET_EVENTS,
        ondelete={key: "cascade" for key, _label in SECRET_EVENTS},
    )


class VbdtDocument(models.Model):
    _inherit = "vbdt.document"

    user_can_read = fields.Boolean(
        compute="_compute_user_can_read",
        search="_search_user_can_read",
        help="The current user passes the document's record rules.",
    )

    # ------------------------------------------------------------ readers
    def _vbdt_is_secret(self):
        self.ensure_one()
        return self.confidentiality != "normal"

    def _vbdt_reader_ids(self):
        """Everyone who may read the document if it is secret: the named
        readers and the people its flow needs."""
        self.ensure_one()
        return self.confidential_user_ids | self.participant_ids

    @api.model
    def _vbdt_secret_label(self):
        return self.env._("Secret document")

    @api.depends_context("uid")
    @api.depends("confidential_user_ids", "participant_ids")
    def _compute_user_is_named_reader(self):
        for document in self:
            document.user_is_named_reader = self.env.user in document._vbdt_reader_ids()

    def _search_user_is_named_reader(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        # One hashed subplan over both relation tables (see _vbdt_search_user_rows).
        rows = SQL(
            "(SELECT document_id FROM vbdt_document_confidential_user_rel WHERE "
            "user_id = %s"
            " UNION SELECT document_id FROM vbdt_document_participant_rel WHERE "
            "user_id = %s)",
            self.env.uid,
            self.env.uid,
        )
        return [("id", "in" if (operator == "=") == value else "not in", rows)]

    @api.depends_context("uid")
    def _compute_user_can_read(self):
        readable = self.sudo(False)._filtered_access("read")
        for document in self:
            document.user_can_read = document in readable

    def _search_user_can_read(self, operator, value):
        """Documents the current user may read under the document rules.
        Record rules are evaluated as superuser with the user's uid: drop
        the superuser flag so that the document rules of that uid apply."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        readable = self.sudo(False).with_context(active_test=False)._search([])
        return [("id", "in" if (operator == "=") == value else "not in", readable)]

    def _vbdt_user_reads_secret(self):
        """Whether the current user may see this document's name and content."""
        self.ensure_one()
        # sudo: deciding needs the reader lists, which are not returned.
        document = self.sudo()
        return (
            not document._vbdt_is_secret()
            or self.env.user in document._vbdt_reader_ids()
        )

    @api.depends_context("uid")
    @api.depends(
        "code", "subject", "confidentiality", "confidential_user_ids", "participant_ids"
    )
    def _compute_display_name(self):
        result = super()._compute_display_name()
        for document in self:
            if not document._vbdt_user_reads_secret():
                document.display_name = self._vbdt_secret_label()
        return result

    # ------------------------------------------------------------ naming
    def _vbdt_flow_clerk_ids(self):
        """Clerks who registered, numbered or returned the document (from
        its audit entries): they keep it when it is reclassified secret."""
        entries = (
            self.env["vbdt.audit.log"]
            # sudo: the audit entries name who registered the document; only the users
            # are kept
            .sudo()
            .search(
                [
                    ("document_id", "in", self.ids),
                    ("event", "in", ("register", "number", "return")),
                ]
            )
        )
        return entries.user_id

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        for document in documents.filtered(lambda d: d._vbdt_is_secret()):
            # sudo: the readers named at creation are audited; the log is not returned
            document._vbdt_log_readers(
                document.sudo().confidential_user_ids, self.env["res.users"]
            )
        return documents

    def write(self, vals):
        if "confidentiality" not in vals and "confidential_user_ids" not in vals:
            return super().write(vals)
        # sudo: the reader lists before the change, to audit what changes.
        before = {
            document.id: document.sudo().confidential_user_ids for document in self
        }
        becoming_secret = (
            self.filtered(lambda d: not d._vbdt_is_secret())
            if vals.get("confidentiality", "normal") != "normal"
            else self.browse()
        )
        result = super().write(vals)
        for document in becoming_secret:
            # Reclassifying must not hide the document from whoever does it
            # nor from the clerks and people already working on it.
            keep = (
                self.env.user
                | document._vbdt_flow_clerk_ids()
                | document.participant_ids
            )
            missing = keep - document.confidential_user_ids
            if missing:
                # sudo: the reclassifier is not a reader yet; naming the
                # people the document already has is part of reclassifying.
                super(VbdtDocument, document.sudo()).write(
                    {
                        "confidential_user_ids": [
                            Command.link(user.id) for user in missing
                        ]
                    }
                )
        for document in self:
            # sudo: the readers after the change are audited; the log is not returned
            now = document.sudo().confidential_user_ids
            document._vbdt_log_readers(
                now - before[document.id], before[document.id] - now
            )
        return result

    def _vbdt_log_readers(self, added, removed):
        self.ensure_one()
        if not (added or removed):
            return
        parts = []
        if added:
            parts.append(
                self.env._("named: %(users)s", users=", ".join(added.mapped("name")))
            )
        if removed:
            parts.append(
                self.env._(
                    "removed: %(users)s", users=", ".join(removed.mapped("name"))
                )
            )
        self.env["vbdt.audit.log"]._log(self, "readers", "; ".join(parts))

    # ------------------------------------------------------------ access log
    def web_read(self, specification):
        result = super().web_read(specification)
        if self._vbdt_reads_one_form(specification):
            # A form opened on one document: the way people read it
            # (vbdt_document_access.py records it for the statistics).
            self._vbdt_log_access("open")
        return result

    web_read._readonly = False  # it writes: see vbdt_document_seen.py

    # ------------------------------------------------------------ chatter
    def _vbdt_secret_message_values(self, kwargs):
        """A secret document's messages carry the neutral label as record
        name (the e-mail subject follows ``_message_compute_subject``), so
        that inboxes never show its summary."""
        # sudo: whether the document is secret decides the neutral record name
        if len(self) == 1 and self.sudo()._vbdt_is_secret():
            kwargs["record_name"] = self._vbdt_secret_label()
        return kwargs

    def message_post(self, **kwargs):
        return super().message_post(**self._vbdt_secret_message_values(kwargs))

    def message_notify(self, **kwargs):
        return super().message_notify(**self._vbdt_secret_message_values(kwargs))

    def _message_compute_subject(self):
        # sudo: whether the document is secret decides the neutral subject
        if self.sudo()._vbdt_is_secret():
            return self._vbdt_secret_label()
        return super()._message_compute_subject()

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """Secret documents notify their readers only, and in Odoo only:
        followers who are not readers get nothing, and no e-mail leaves."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        # sudo: whether the document is secret decides who is notified
        if len(self) != 1 or not self.sudo()._vbdt_is_secret():
            return recipients
        # sudo: the reader list filters the recipients; it is not returned
        readers = self.sudo()._vbdt_reader_ids()
        kept = []
        for recipient in recipients:
            if recipient.get("uid") not in readers.ids:
                continue
            kept.append({**recipient, "notif": "inbox"})
        return kept


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _compute_res_name(self):
        """An activity on a secret document is named by the neutral label: its
        name shows in the assignee's systray and in every activity list."""
        result = super()._compute_res_name()
        secret_ids = set(
            self.env["vbdt.document"]
            # sudo: which documents are secret decides the neutral activity name
            .sudo()
            .search(
                [
                    (
                        "id",
                        "in",
                        self.filtered(lambda a: a.res_model == "vbdt.document").mapped(
                            "res_id"
                        ),
                    ),
                    ("confidentiality", "!=", "normal"),
                ]
            )
            .ids
        )
        for activity in self:
            if activity.res_model == "vbdt.document" and activity.res_id in secret_ids:
                activity.res_name = self.env["vbdt.document"]._vbdt_secret_label()
        return result


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _record_to_stream(self, record, field_name):
        stream = super()._record_to_stream(record, field_name)
        document = self._vbdt_document_of(record)
        if document:
            document.sudo(False)._vbdt_log_access("download")
        return stream

    def _vbdt_document_of(self, record):
        """The document whose content ``record`` serves (a file, a draft
        version, an attachment of either), or an empty recordset."""
        Document = self.env["vbdt.document"]
        # sudo: the document is only used to decide whether to audit.
        record = record.sudo()
        if record._name == "ir.attachment" and record.res_model and record.res_id:
            if record.res_model == "vbdt.document":
                return Document.browse(record.res_id)
            if record.res_model in self.env:
                record = (
                    # sudo: the owner of an attachment being downloaded decides the
                    # audit only
                    self.env[record.res_model].sudo().browse(record.res_id).exists()
                )
        field = record._fields.get("document_id")
        if record and field is not None and field.comodel_name == "vbdt.document":
            return record.document_id
        if record._name == "vbdt.document":
            return record
        return Document


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_html(self, report_ref, docids, data=None):
        # PDF printing renders this HTML first: one hook audits both.
        result = super()._render_qweb_html(report_ref, docids, data=data)
        report = self._get_report(report_ref)
        if report.model == "vbdt.document" and docids:
            self.env["vbdt.document"].browse(docids)._vbdt_log_access("print")
        return result
