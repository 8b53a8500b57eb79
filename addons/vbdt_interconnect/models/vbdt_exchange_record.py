import base64
import logging
from datetime import timedelta, timezone

from odoo import api, fields, models, modules
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.vbdt_document.public_errors import public_message

from .. import edxml
from ..edxml.formats import to_vietnam_wall_time
from ..transports import TransportError, get_transport

_logger = logging.getLogger(__name__)

STATES = [
    ("out_queued", "Queued"),
    ("out_sending", "Sending"),
    ("out_sent", "Sent"),
    ("out_acknowledged", "Acknowledged"),
    ("out_failed", "Failed"),
    ("in_received", "Received"),
    ("in_parsed", "Parsed"),
    ("in_registered", "Registered"),
    ("in_rejected", "Rejected"),
    ("in_quarantine", "Quarantined"),
    ("in_duplicate", "Duplicate"),
]
STATUS_CODES = [
    (edxml.StatusCode.ARRIVED.value, "01 Arrived"),
    (edxml.StatusCode.REJECTED.value, "02 Rejected"),
    (edxml.StatusCode.REGISTERED.value, "03 Registered"),
    (edxml.StatusCode.ASSIGNED.value, "04 Assigned"),
    (edxml.StatusCode.PROCESSING.value, "05 Processing"),
    (edxml.StatusCode.COMPLETED.value, "06 Completed"),
    (edxml.StatusCode.TAKE_BACK_REQUESTED.value, "13 Take-back requested"),
    (edxml.StatusCode.TAKE_BACK_AGREED.value, "15 Request agreed"),
    (edxml.StatusCode.TAKE_BACK_REFUSED.value, "16 Request refused"),
]
MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600
# A worker holds the row lock of the record it sends until it commits the
# result; a record in "sending" that nobody locks for this long was left by a
# worker that died (the grace covers the instant between claim and lock).
STALE_SENDING_SECONDS = 120
# Document states from which a document package may leave: issued outgoing
# documents, registered incoming ones (forwarding).
DISPATCHABLE_STATES = {"outgoing": ("issued",), "incoming": ("registered",)}


class VbdtExchangeRecord(models.Model):
    """One package in or out (outbox/inbox), kept with its raw bytes as
    evidence, modelled on OCA ``edi.exchange.record``. This file holds the
    record and the outbox; the inbox (receiving, deduplication, the sender's
    requests, answers, polling) is ``vbdt.exchange.inbox.mixin``."""

    _name = "vbdt.exchange.record"
    _description = "Exchange Record"
    _inherit = ["mail.thread", "vbdt.exchange.inbox.mixin"]
    _order = "id desc"
    _rollback_state_mapping = {"out_sending": "out_queued", "out_failed": "out_queued"}

    name = fields.Char(compute="_compute_name", store=True)
    direction = fields.Selection(
        [("out", "Outgoing"), ("in", "Incoming")],
        required=True,
        index=True,
        readonly=True,
    )
    message_type = fields.Selection(
        [("edoc", "Document"), ("status", "Status")],
        required=True,
        default="edoc",
        readonly=True,
    )
    state = fields.Selection(
        STATES, required=True, index=True, tracking=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    document_id = fields.Many2one("vbdt.document", index=True, readonly=True)
    agency_id = fields.Many2one(
        "vbdt.agency",
        string="Counterpart",
        readonly=True,
        help="Sender of an incoming package, or the single recipient of a status.",
    )
    recipient_agency_ids = fields.Many2many(
        "vbdt.agency",
        "vbdt_exchange_record_recipient_rel",
        "record_id",
        "agency_id",
        string="Recipients",
        readonly=True,
    )
    counterpart_code = fields.Char(
        string="Counterpart OrganId",
        readonly=True,
        index=True,
        help=(
            "OrganId of the sender (incoming) or the recipients (outgoing, comma "
            "separated)."
        ),
    )
    transport = fields.Selection(
        [("local", "Local (this database)"), ("vxp", "VXP axis")],
        required=True,
        readonly=True,
    )
    transport_id = fields.Many2one(
        "vbdt.exchange.transport", string="Connection", readonly=True
    )
    package_attachment_id = fields.Many2one(
        "ir.attachment", string="Package", readonly=True, ondelete="restrict"
    )
    package_size = fields.Integer(readonly=True)
    remote_id = fields.Char(string="Transport Id", readonly=True, index=True)
    edxml_document_id = fields.Char(
        string="edXML DocumentId", readonly=True, index=True
    )
    document_code = fields.Char(string="Number and Notation", readonly=True)
    document_date = fields.Date(readonly=True)
    status_code = fields.Selection(STATUS_CODES, readonly=True)
    status_description = fields.Text(readonly=True)
    bussiness_doc_type = fields.Selection(
        [("0", "New"), ("1", "Revoke"), ("2", "Update"), ("3", "Replace")],
        readonly=True,
    )
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(readonly=True, index=True)
    last_error = fields.Text(readonly=True)
    retryable = fields.Boolean(compute="_compute_retryable")
    handled = fields.Boolean(readonly=True, tracking=True)
    parent_id = fields.Many2one("vbdt.exchange.record", readonly=True, index=True)
    child_ids = fields.One2many(
        "vbdt.exchange.record", "parent_id", string="Related Records"
    )
    duplicate_of_id = fields.Many2one("vbdt.exchange.record", readonly=True)

    @api.depends("direction", "message_type")
    def _compute_name(self):
        for record in self:
            prefix = "OUT" if record.direction == "out" else "IN"
            kind = "ST" if record.message_type == "status" else "DOC"
            record.name = f"{prefix}/{kind}/{record.id or 0:06d}"

    @api.depends("state", "direction")
    def _compute_retryable(self):
        for record in self:
            record.retryable = (
                record.state in ("out_failed", "out_queued", "in_rejected")
                and (record.direction == "out" or record.message_type == "edoc")
                and record.state != "in_duplicate"
            )

    @api.constrains("state", "direction")
    def _check_state(self):
        for record in self:
            if not record.state.startswith(record.direction + "_"):
                raise ValidationError(
                    self.env._(
                        "State %(state)s does not belong to the %(direction)s "
                        "direction.",
                        state=record.state,
                        direction=record.direction,
                    )
                )

    def unlink(self):
        self.check_access("unlink")
        if self.filtered("package_attachment_id") and not self.env.su:
            raise UserError(
                self.env._(
                    "Exchange records keep their package as evidence and cannot be "
                    "deleted."
                )
            )
        return super().unlink()

    # ------------------------------------------------------------ helpers
    @api.model
    def _vbdt_auto_commit(self):
        return not modules.module.current_test

    def _vbdt_store_package(self, raw, filename=None):
        """Keep the raw package as an attachment of the record (evidence)."""
        self.ensure_one()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename or f"{self.name.replace('/', '-')}.edxml",
                    "raw": raw,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/xml",
                    "company_id": self.company_id.id,
                }
            )
        )
        self.sudo().write(
            {"package_attachment_id": attachment.id, "package_size": len(raw)}
        )

    def _vbdt_raw(self):
        self.ensure_one()
        return self.package_attachment_id.sudo().raw or b""

    @api.model
    def _vbdt_trigger(self, cron_xmlid="vbdt_interconnect.ir_cron_exchange_outbox"):
        cron = self.env.ref(cron_xmlid, raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _vbdt_limits(self):
        param = self.env["ir.config_parameter"].sudo().get_param
        mib = 1 << 20
        return edxml.Limits(
            max_package_bytes=int(
                float(param("vbdt_interconnect.max_package_mb", 128)) * mib
            ),
            max_attachment_bytes=int(
                float(param("vbdt_interconnect.max_file_mb", 96)) * mib
            ),
        )

    def _vbdt_error_text(self, error):
        if isinstance(error, edxml.EdxmlError):
            return self.env._(error.template, **error.params)
        return public_message(self.env, error)

    # ------------------------------------------------------------ outgoing
    @api.model
    def _vbdt_queue_document(self, document, agencies=None):
        """One outgoing record per recipient group: internal agencies through
        ``local``, external ones through the agency's axis connection
        (``agencies``: only these recipients, default all of the document)."""
        document.ensure_one()
        problem = self._vbdt_dispatch_problem(document)
        if problem:
            raise UserError(problem)
        recipients = (
            document.recipient_agency_ids if agencies is None else agencies
        ).filtered("code")
        internal = recipients.filtered(
            lambda a: a.internal_company_id
            and a.internal_company_id != document.company_id
        )
        external = recipients.filtered(lambda a: not a.internal_company_id)
        records = self.browse()
        config = self.env["vbdt.exchange.transport"]._vbdt_for_company(
            document.company_id
        )
        for group, transport, conf in (
            (internal, "local", False),
            (external, "vxp", config.id or False),
        ):
            if group:
                records |= self._vbdt_create_out(document, group, transport, conf)
        if records:
            document.sudo()._vbdt_write_lifecycle(
                {"sent_via_axis": document.sent_via_axis or bool(external)}
            )
            self._vbdt_trigger()
        return records

    @api.model
    def _vbdt_dispatch_problem(self, document):
        """Why ``document`` may not leave electronically now (translated), or
        ``""``. Checked when it is queued, and again each time its package is
        built or sent: a document classified or cancelled meanwhile stays."""
        if document.confidentiality != "normal":
            return self.env._(
                "%(document)s is classified: secret documents never leave through the "
                "axis or the electronic exchange; send them on paper.",
                document=document.display_name,
            )
        if document.state not in DISPATCHABLE_STATES.get(document.direction, ()):
            return self.env._(
                "%(document)s is %(state)s: only issued documents (or registered "
                "incoming "
                "documents, to forward them) are sent electronically.",
                document=document.display_name,
                state=dict(
                    document._fields["state"]._description_selection(self.env)
                ).get(document.state, document.state),
            )
        return ""

    @api.model
    def _vbdt_create_out(self, document, agencies, transport, config_id):
        replaced = document.replaced_document_id
        record = self.sudo().create(
            {
                "direction": "out",
                "message_type": "edoc",
                "state": "out_queued",
                "company_id": document.company_id.id,
                "document_id": document.id,
                "recipient_agency_ids": [(6, 0, agencies.ids)],
                "counterpart_code": ",".join(agencies.mapped("code")),
                "transport": transport,
                "transport_id": config_id,
                "edxml_document_id": document.edxml_document_id,
                "document_code": document.code,
                "document_date": document.document_date,
                "bussiness_doc_type": "3" if replaced else False,
                "status_description": document.replacement_reason
                if replaced
                else False,
            }
        )
        for agency in agencies:
            # "Sent" only once the transport confirmed it (``_vbdt_send``).
            document.sudo()._vbdt_set_delivery(agency, "queued", record=record)
        # The recipients of the replaced document see the replacement on its
        # delivery lines, where their answer (15/16) comes back.
        for agency in agencies & replaced.delivery_ids.agency_id:
            replaced.sudo()._vbdt_set_delivery(
                agency, "replace", document.replacement_reason, record
            )
        # The package is built when it first leaves (``_vbdt_send``), after
        # every issue hook ran: vbdt_signature seals the files after this
        # addon's hook when both are installed.
        return record

    def _vbdt_build_package(self):
        """Build and keep the edXML package of an outgoing document record."""
        self.ensure_one()
        try:
            raw = self.document_id._vbdt_build_edxml(self.recipient_agency_ids)
        except (edxml.EdxmlError, UserError) as error:
            raise TransportError(
                self._vbdt_error_text(error), retryable=False
            ) from error
        self._vbdt_store_package(raw)
        return raw

    @api.model
    def _vbdt_reached_groups(self, document):
        """``[(record, agencies)]``: the groups an issued document reached
        electronically (sent or acknowledged document packages, newest
        first), each recipient once, without those that returned it (02) or
        already gave it back (15)."""
        document.ensure_one()
        sent = self.sudo().search(
            [
                ("direction", "=", "out"),
                ("message_type", "=", "edoc"),
                ("document_id", "=", document.id),
                ("bussiness_doc_type", "not in", ("1", "2")),
                ("state", "in", ("out_sent", "out_acknowledged")),
            ],
            order="id desc",
        )
        covered = document.delivery_ids.filtered(
            lambda d: d.status_code
            in (edxml.StatusCode.REJECTED, edxml.StatusCode.TAKE_BACK_AGREED)
        ).agency_id
        groups = []
        for original in sent:
            agencies = original.recipient_agency_ids - covered
            if agencies:
                groups.append((original, agencies))
                covered |= agencies
        return groups

    @api.model
    def _vbdt_queue_request(self, document, vals, build, delivery_code, reason):
        """Queue a request about an issued document (take-back 13,
        revocation, update) to every group it reached, through the transport
        it went by. ``build(agencies)`` returns the package; the delivery
        lines show ``delivery_code`` until the recipient answers (15/16)."""
        requests = self.browse()
        for original, agencies in self._vbdt_reached_groups(document):
            request = self.sudo().create(
                {
                    "direction": "out",
                    "state": "out_queued",
                    "company_id": document.company_id.id,
                    "document_id": document.id,
                    "recipient_agency_ids": [(6, 0, agencies.ids)],
                    "counterpart_code": ",".join(agencies.mapped("code")),
                    "transport": original.transport,
                    "transport_id": original.transport_id.id,
                    "edxml_document_id": document.edxml_document_id,
                    "status_description": reason,
                    "parent_id": original.id,
                    "document_code": document.code,
                    "document_date": document.document_date,
                    **vals,
                }
            )
            request._vbdt_store_package(build(agencies))
            for agency in agencies:
                document._vbdt_set_delivery(agency, delivery_code, reason, request)
            requests |= request
        if requests:
            self._vbdt_trigger()
        return requests

    @api.model
    def _vbdt_queue_take_back(self, document, reason):
        """Ask the recipients of an issued document to take it back (status
        13), one status package per group it was sent to, through the same
        transport; their answers (15/16) come back on the delivery lines."""
        package = edxml.StatusPackage(
            sender=self.env["vbdt.document"]._vbdt_edxml_organization(
                document.company_id
            ),
            response_for=edxml.ResponseFor(
                organ_id=document.company_id.vbdt_agency_code or "",
                code=document.code or "",
                promulgation_date=document.document_date or None,
                document_id=document.edxml_document_id or "",
            ),
            status_code=edxml.StatusCode.TAKE_BACK_REQUESTED,
            description=reason,
            timestamp=to_vietnam_wall_time(
                fields.Datetime.now().replace(tzinfo=timezone.utc)
            ),
        )
        raw = edxml.build_status(package)
        return self._vbdt_queue_request(
            document,
            {
                "message_type": "status",
                "status_code": edxml.StatusCode.TAKE_BACK_REQUESTED.value,
            },
            lambda _a: raw,
            edxml.StatusCode.TAKE_BACK_REQUESTED.value,
            reason,
        )

    @api.model
    def _vbdt_queue_revision(self, document, kind, reason, files=None):
        """Revoke (BussinessDocType 1) or update (2, carrying only the new
        ``files``) an issued document at every recipient it reached. The
        package repeats the document's header with the reason; the
        recipient's clerk agrees (15) or refuses (16)."""
        doc_type = {
            "revoke": edxml.BussinessDocType.REVOKE,
            "update": edxml.BussinessDocType.UPDATE,
        }[kind]
        bussiness = edxml.Bussiness(
            bussiness_doc_type=doc_type,
            bussiness_doc_reason=reason,
            document_id=document.edxml_document_id or "",
            bussiness_document_info=edxml.BussinessDocumentInfo(
                document_info=1, document_receiver=0
            )
            if kind == "update"
            else None,
            paper=edxml.Paper(1 if document.paper_copy else 0),
        )

        def build(agencies):
            try:
                return document._vbdt_build_edxml(
                    agencies, bussiness=bussiness, files=files
                )
            except edxml.EdxmlError as error:
                raise UserError(self._vbdt_error_text(error)) from error

        return self._vbdt_queue_request(
            document,
            {"message_type": "edoc", "bussiness_doc_type": str(int(doc_type))},
            build,
            kind,
            reason,
        )

    @api.model
    def _vbdt_claim_batch(self, limit=20):
        """Lock and claim up to ``limit`` due records; rows locked by another
        worker are skipped (``FOR UPDATE SKIP LOCKED``)."""
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM vbdt_exchange_record
                WHERE state = 'out_queued'
                  AND (next_attempt IS NULL OR next_attempt <= %s)
                ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                now,
                limit,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        records = self.sudo().browse(ids)
        records.write({"state": "out_sending"})
        return records

    @api.model
    def _vbdt_run_outbox(self, batch=20, max_batches=50, commit=None):
        """Send due records; commit per record outside tests."""
        commit = self._vbdt_auto_commit() if commit is None else commit
        self._vbdt_requeue_stale()
        sent = 0
        for _batch in range(max_batches):
            records = self._vbdt_claim_batch(batch)
            if not records:
                break
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            for record in records:
                record._vbdt_send()
                sent += 1
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        return sent

    @api.model
    def _vbdt_requeue_stale(self):
        """Queue again what a dead worker left in "sending": rows nobody
        locks (a live sender holds its row until it commits). Sending again
        is safe: the idempotency key makes the hub answer with the DocId it
        already stored."""
        limit = fields.Datetime.now() - timedelta(seconds=STALE_SENDING_SECONDS)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM vbdt_exchange_record WHERE state = 'out_sending'
                AND write_date < %s FOR UPDATE SKIP LOCKED""",
                limit,
            )
        )
        # sudo: the outbox cron's own bookkeeping across companies.
        stale = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        for record in stale:
            record.message_post(
                body=self.env._(
                    "The worker sending this package stopped; it is sent again (the "
                    "hub recognises "
                    "a package it already stored)."
                )
            )
        stale.write({"state": "out_queued"})
        return stale

    def _vbdt_lock_for_send(self):
        """Hold this record's row until the send's result is committed, so
        that ``_vbdt_requeue_stale`` never takes a live send for a dead one."""
        self.env.cr.execute(
            SQL("SELECT id FROM vbdt_exchange_record WHERE id = %s FOR UPDATE", self.id)
        )

    def _vbdt_idempotency_key(self):
        """Same key for every attempt of this record, unique across databases."""
        self.ensure_one()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return f"vbdt-{uuid}-{self.id}"

    def _vbdt_send(self):
        self.ensure_one()
        record = self.sudo()
        record._vbdt_lock_for_send()
        vals = {"attempts": record.attempts + 1}
        try:
            record._vbdt_check_still_dispatchable()
            raw = record._vbdt_raw()
            if not raw and record.message_type == "edoc" and record.document_id:
                raw = record._vbdt_build_package()
            if not raw:
                raise TransportError(
                    self.env._("The record has no package."), retryable=False
                )
            config = record.transport_id or (
                record.transport == "vxp"
                and self.env["vbdt.exchange.transport"]._vbdt_for_company(
                    record.company_id
                )
            )
            if record.transport == "vxp" and not config:
                return record._vbdt_not_configured(vals)
            transport = get_transport(self.env, record.transport, config or None)
            with self.env.cr.savepoint():
                remote_id = transport.send(
                    record,
                    raw,
                    (record.counterpart_code or "").split(","),
                    record.message_type,
                )
            vals.update(
                state="out_sent",
                remote_id=remote_id,
                last_error=False,
                next_attempt=False,
            )
        except TransportError as error:
            vals.update(
                record._vbdt_failure_vals(str(error), error.retryable, vals["attempts"])
            )
        except Exception as error:  # noqa: BLE001 - recorded, never lost
            _logger.exception("Exchange record %s failed", record.id)
            vals.update(
                record._vbdt_failure_vals(
                    public_message(self.env, error), False, vals["attempts"]
                )
            )
        record.write(vals)
        record._vbdt_update_delivery_lines()
        return vals["state"] == "out_sent"

    def _vbdt_check_still_dispatchable(self):
        """The secrecy and state checks, again at every attempt."""
        if self.message_type != "edoc" or not self.document_id:
            return
        problem = self._vbdt_dispatch_problem(self.document_id)
        if problem:
            raise TransportError(problem, retryable=False)

    def _vbdt_not_configured(self, vals):
        """No axis connection for this agency: say so on the delivery lines,
        in the needs-attention filter and to the clerk who sent it; the clerk
        retries once the connection exists."""
        message = self.env._(
            "Not sent: no axis connection is configured for %(agency)s.",
            agency=self.company_id.name,
        )
        vals.update(
            state="out_failed", last_error=message, next_attempt=False, handled=False
        )
        self.write(vals)
        self._vbdt_update_delivery_lines(failed_code="not_sent")
        document = self.document_id
        if document:
            document.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Document not sent"),
                note=message,
                user_id=self.create_uid.id or self.env.uid,
            )
            document.message_post(body=message)
        return False

    def _vbdt_update_delivery_lines(self, failed_code="failed"):
        """The delivery lines of this record say what the transport confirmed:
        sent, not sent (no connection) or failed; answers already received
        (01 ...) are never overwritten."""
        self.ensure_one()
        if self.message_type != "edoc" or not self.document_id:
            return
        if self.state == "out_sent":
            code, description = "sent", False
        elif self.state == "out_failed":
            code, description = failed_code, self.last_error
        else:
            return
        # sudo: the transport's result is written whoever runs the outbox.
        lines = self.document_id.sudo().delivery_ids.filtered(
            lambda d: d.record_id == self
            and d.status_code in ("queued", "not_sent", "failed")
        )
        lines.write(
            {
                "status_code": code,
                "description": description,
                "status_date": fields.Datetime.now(),
            }
        )

    def _vbdt_failure_vals(self, message, retryable, attempts):
        if retryable and attempts < MAX_ATTEMPTS:
            delay = min(BACKOFF_BASE_SECONDS * 2 ** (attempts - 1), BACKOFF_MAX_SECONDS)
            return {
                "state": "out_queued",
                "last_error": message,
                "next_attempt": fields.Datetime.now() + timedelta(seconds=delay),
            }
        return {"state": "out_failed", "last_error": message, "next_attempt": False}

    # ------------------------------------------------------------ delivery tracking
    @api.model
    def _vbdt_track_sent(self, config, transport, limit=50):
        """Per-recipient transport delivery (``getSentEdocList``) of recent sends."""
        since = fields.Datetime.now() - timedelta(days=30)
        records = self.sudo().search(
            [
                ("direction", "=", "out"),
                ("message_type", "=", "edoc"),
                ("transport_id", "=", config.id),
                ("remote_id", "!=", False),
                ("state", "in", ("out_sent", "out_acknowledged")),
                ("create_date", ">=", since),
                ("document_id.delivery_ids.transport_status", "!=", "done"),
            ],
            limit=limit,
            order="id desc",
        )
        Agency = self.env["vbdt.agency"].sudo()
        for record in records:
            for item in transport.sent_status(record.remote_id):
                agency = Agency._vbdt_find_by_code(item.get("toCode") or "")
                line = record.document_id.delivery_ids.filtered(
                    lambda d, agency=agency: d.agency_id == agency
                )
                if agency and line:
                    line.transport_status = item.get("receiveStatus") or False

    # ------------------------------------------------------------ crons
    @api.model
    def _cron_outbox(self):
        sent = self._vbdt_run_outbox()
        self.env["ir.cron"]._notify_progress(done=sent, remaining=0)

    @api.model
    def _cron_inbox(self):
        self._vbdt_run_inbox()
        self._vbdt_poll()
        self._vbdt_run_outbox()

    # ------------------------------------------------------------ actions
    def action_retry(self):
        self.check_access(
            "write"
        )  # the sudo() writes below are the clerk's, not a reader's
        for record in self:
            if not record.retryable:
                raise UserError(
                    self.env._("%(record)s cannot be retried.", record=record.name)
                )
            if record.direction == "out":
                record.sudo().write(
                    {"state": "out_queued", "next_attempt": False, "last_error": False}
                )
            else:
                record.sudo().write({"state": "in_received", "last_error": False})
                record._vbdt_process_inbox()
        self._vbdt_trigger()
        return True

    def action_mark_handled(self):
        self.check_access(
            "write"
        )  # readers (specialists) may not clear the clerk's filter
        self.sudo().write({"handled": True})
        return True

    def action_download_package(self):
        self.ensure_one()
        if not self.package_attachment_id:
            raise UserError(self.env._("This record has no package."))
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/web/content/{self.package_attachment_id.id}?download=true",
        }

    def _vbdt_package_b64(self):
        return base64.b64encode(self._vbdt_raw())
