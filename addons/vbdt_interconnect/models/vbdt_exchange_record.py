import base64
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.vbdt_document.public_errors import public_message

from .. import edxml
from ..transports import TransportError, get_transport

_logger = logging.getLogger(__name__)

STATES = [
    ("out_generate", "To Generate"),
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
# The lifecycle of a record: the only moves ``write`` accepts. Outgoing:
# generate the package (document packages are built when they first leave,
# after every issue hook), queue, send, and the recipient's answer. Incoming:
# received, then parsed (a document waiting for the clerk), registered or
# rejected by the clerk's action, or set aside (quarantine, duplicate).
TRANSITIONS = {
    "out_generate": {"out_queued", "out_failed"},
    "out_queued": {"out_sending", "out_failed"},
    "out_sending": {"out_sent", "out_queued", "out_failed"},
    "out_sent": {"out_acknowledged"},
    "out_acknowledged": set(),
    "out_failed": {"out_generate", "out_queued"},
    "in_received": {
        "in_parsed",
        "in_registered",
        "in_rejected",
        "in_quarantine",
        "in_duplicate",
    },
    "in_parsed": {"in_registered", "in_rejected"},
    "in_registered": {"in_rejected"},
    "in_rejected": {"in_received"},
    "in_quarantine": {"in_received"},
    "in_duplicate": set(),
}
INITIAL_STATES = {"out_generate", "out_queued", "in_received"}
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
    evidence, modelled on OCA ``edi.exchange.record``: its data, its states
    and the moves between them (``TRANSITIONS``, ``_rollback_state_mapping``).
    This file holds the outgoing steps (generate, send, fail, acknowledge);
    the incoming ones are ``vbdt.exchange.inbox.mixin``. Queueing, running
    the outbox and the inbox, and polling belong to the engine
    (``vbdt.exchange.engine``)."""

    _name = "vbdt.exchange.record"
    _description = "Exchange Record"
    _inherit = ["mail.thread", "vbdt.exchange.inbox.mixin"]
    _order = "id desc"
    # Where a record goes back to when it is retried (clerk) or found
    # abandoned by a dead worker (outbox); see ``_vbdt_rollback``.
    _rollback_state_mapping = {
        "out_sending": "out_queued",
        "out_failed": "out_queued",
        "in_rejected": "in_received",
        "in_quarantine": "in_received",
    }

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
                record.state
                in ("out_failed", "out_queued", "in_rejected", "in_quarantine")
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") not in INITIAL_STATES:
                raise ValidationError(
                    self.env._(
                        "An exchange record starts to generate, queued or received, "
                        "not in state %(state)s.",
                        state=vals.get("state"),
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        """Only the server moves a record (the engine, the inbox, the
        actions below, each checking who may act): a client writing any
        field of the record itself over RPC is refused, and every state
        change follows ``TRANSITIONS``."""
        if not self.env.su and any(not name.startswith("message_") for name in vals):
            raise AccessError(
                self.env._(
                    "Exchange records change only through their actions (Retry, "
                    "Mark Handled, Accept Sender)."
                )
            )
        if "state" in vals:
            for record in self:
                record._vbdt_check_transition(vals["state"])
        return super().write(vals)

    def _vbdt_check_transition(self, state):
        if state != self.state and state not in TRANSITIONS.get(self.state, ()):
            raise ValidationError(
                self.env._(
                    "%(record)s cannot go from %(from)s to %(to)s.",
                    record=self.name,
                    **{"from": self.state, "to": state},
                )
            )

    def _vbdt_rollback(self, **vals):
        """Back to the state a retry starts from (``_rollback_state_mapping``);
        a document package that was never built goes back to generate."""
        for record in self:
            state = record._rollback_state_mapping.get(record.state)
            if not state:
                raise UserError(
                    self.env._("%(record)s cannot be retried.", record=record.name)
                )
            if state == "out_queued" and record._vbdt_generates_package():
                state = "out_generate"
            record.write({"state": state, **vals})
        return self

    def _vbdt_generates_package(self):
        """A document package built when it first leaves, not built yet."""
        self.ensure_one()
        return bool(
            self.direction == "out"
            and self.message_type == "edoc"
            and self.document_id
            and not self.package_attachment_id
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
    def _vbdt_store_package(self, raw, filename=None):
        """Keep the raw package as an attachment of the record (evidence)."""
        self.ensure_one()
        attachment = (
            self.env["ir.attachment"]
            # sudo: the raw package is stored by the server, readable only through the
            # record
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
        # sudo: the package link is a server field
        self.sudo().write(
            {"package_attachment_id": attachment.id, "package_size": len(raw)}
        )

    def _vbdt_raw(self):
        self.ensure_one()
        # sudo: the raw package of a record the caller reads (self)
        return self.package_attachment_id.sudo().raw or b""

    @api.model
    def _vbdt_limits(self):
        # sudo: the limits are system parameters; only their values are used
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

    def _vbdt_lock_for_send(self):
        """Hold this record's row until the send's result is committed, so
        that ``_vbdt_requeue_stale`` never takes a live send for a dead one."""
        self.env.cr.execute(
            SQL("SELECT id FROM vbdt_exchange_record WHERE id = %s FOR UPDATE", self.id)
        )

    def _vbdt_idempotency_key(self):
        """Same key for every attempt of this record, unique across databases."""
        self.ensure_one()
        # sudo: the database uuid is a system parameter; only a key is built
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return f"vbdt-{uuid}-{self.id}"

    def _vbdt_generate(self):
        """generate → queued: build the package of a document record from
        the document as it is now (the secrecy and state checks run again
        first); generate → failed with the reason when it cannot be built."""
        self.ensure_one()
        # sudo: building the package is the server's; its checks run first
        record = self.sudo()
        try:
            with self.env.cr.savepoint():
                record._vbdt_check_still_dispatchable()
                record._vbdt_build_package()
        except TransportError as error:
            return record._vbdt_generation_failed(str(error))
        except Exception as error:  # noqa: BLE001 - recorded, never lost
            _logger.exception("Exchange record %s: package not built", record.id)
            return record._vbdt_generation_failed(public_message(self.env, error))
        record.write({"state": "out_queued"})
        return True

    def _vbdt_generation_failed(self, message):
        self.write(
            {
                "state": "out_failed",
                "attempts": self.attempts + 1,
                "last_error": message,
                "next_attempt": False,
            }
        )
        self._vbdt_update_delivery_lines()
        return False

    def _vbdt_in_agency_lang(self):
        """This record in its agency's language: what the exchange crons
        (superuser, English) write on records, documents and activities is
        read by the agency's clerks."""
        self.ensure_one()
        return self.with_context(lang=self.company_id._vbdt_lang())

    def _vbdt_send(self):
        """queued → sending → sent, or back to queued (retryable error, with
        back-off) or failed; a record still to generate is built first."""
        self.ensure_one()
        # sudo: sending is the server's; the record is locked first
        record = self.sudo()
        record._vbdt_lock_for_send()
        if record.state == "out_generate" and not record._vbdt_generate():
            return False
        record.write({"state": "out_sending"})
        vals = {"attempts": record.attempts + 1}
        try:
            record._vbdt_check_still_dispatchable()
            raw = record._vbdt_raw()
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

    def _vbdt_acknowledge(self):
        """sent → acknowledged: the recipient answered (a status arrived)."""
        # sudo: acknowledging is the server's, on the recipient's answer
        self.filtered(lambda r: r.state == "out_sent").sudo().write(
            {"state": "out_acknowledged"}
        )

    # ------------------------------------------------------------ delivery tracking
    # ------------------------------------------------------------ crons
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
            # sudo: state is the server's; check_access above decided.
            if record.state == "out_queued":
                record.sudo().write({"next_attempt": False})  # now, not after back-off
            elif record.direction == "out":
                # sudo: a retry the clerk asked for (access to the record checked by the
                # action)
                record.sudo()._vbdt_rollback(next_attempt=False, last_error=False)
            else:
                # The checks run again: a package quarantined for a reason
                # still true is quarantined again.
                # sudo: as above, a retry the clerk asked for
                record.sudo()._vbdt_rollback(last_error=False, quarantine_kind=False)
                record._vbdt_process_inbox()
        self.env["vbdt.exchange.engine"]._vbdt_trigger()
        return True

    def action_mark_handled(self):
        self.check_access(
            "write"
        )  # readers (specialists) may not clear the clerk's filter
        # sudo: the handled flag only, after the write check above
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
