import logging
from datetime import timedelta, timezone

from odoo import api, fields, models, modules
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import edxml
from ..edxml.formats import to_vietnam_wall_time
from ..transports import TransportError
from .vbdt_exchange_record import STALE_SENDING_SECONDS

# The engine commits once per record outside tests (``_vbdt_auto_commit``):
# a crash loses at most the record in hand, and rows are claimed with
# FOR UPDATE SKIP LOCKED so that several workers share the queues.
# pylint: disable=invalid-commit

_logger = logging.getLogger(__name__)

POLL_LOCK_BASE = 0x76624000  # advisory-lock keys of the axis pollers ("vb@")


class VbdtExchangeEngine(models.AbstractModel):
    """The exchange engine: the one owner of the queue (which records a
    document or a request becomes, through which transport), of sending
    (generate, claim, send, recover what a dead worker left), of receiving
    and processing (store what arrived, run the inbox) and of polling the
    axes, and of the crons that drive them.

    The records (``vbdt.exchange.record``) hold the data, the states and
    the moves between them (``TRANSITIONS``): each step the engine runs is a
    record method that moves its record (``_vbdt_generate``, ``_vbdt_send``,
    ``_vbdt_process_inbox``, ``_vbdt_rollback`` ...). The documents ask the
    engine to queue, and their records to answer, never write a state."""

    _name = "vbdt.exchange.engine"
    _description = "Exchange Engine"

    @api.model
    def _vbdt_records(self):
        return self.env["vbdt.exchange.record"]

    # ------------------------------------------------------------ helpers
    @api.model
    def _vbdt_auto_commit(self):
        return not modules.module.current_test

    @api.model
    def _vbdt_trigger(self, cron_xmlid="vbdt_interconnect.ir_cron_exchange_outbox"):
        cron = self.env.ref(cron_xmlid, raise_if_not_found=False)
        if cron:
            # sudo: triggering the outbox job is a server task users have no right to
            cron.sudo()._trigger()

    # ------------------------------------------------------------ queue
    @api.model
    def _vbdt_queue_document(self, document, agencies=None):
        """One outgoing record per recipient group: internal agencies through
        ``local``, external ones through the agency's axis connection
        (``agencies``: only these recipients, default all of the document)."""
        document.ensure_one()
        problem = self._vbdt_records()._vbdt_dispatch_problem(document)
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
        records = self._vbdt_records().browse()
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
            # sudo: the sent-via-axis flag is a lifecycle field only the server writes
            document.sudo()._vbdt_write_lifecycle(
                {"sent_via_axis": document.sent_via_axis or bool(external)}
            )
            self._vbdt_trigger()
        return records

    @api.model
    def _vbdt_create_out(self, document, agencies, transport, config_id):
        replaced = document.replaced_document_id
        record = (
            self._vbdt_records()
            # sudo: exchange records are created by the server only
            .sudo()
            .create(
                {
                    "direction": "out",
                    "message_type": "edoc",
                    # The package is built when it first leaves (``_vbdt_generate``).
                    "state": "out_generate",
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
        )
        for agency in agencies:
            # "Sent" only once the transport confirmed it (``_vbdt_send``).
            # sudo: the delivery state is written by the exchange engine only
            document.sudo()._vbdt_set_delivery(agency, "queued", record=record)
        # The recipients of the replaced document see the replacement on its
        # delivery lines, where their answer (15/16) comes back.
        for agency in agencies & replaced.delivery_ids.agency_id:
            # sudo: delivery lines of the replaced document are the server's
            replaced.sudo()._vbdt_set_delivery(
                agency, "replace", document.replacement_reason, record
            )
        # The package is built when it first leaves (``_vbdt_generate``),
        # after every issue hook ran: vbdt_signature seals the files after
        # this addon's hook when both are installed.
        return record

    @api.model
    def _vbdt_reached_groups(self, document):
        """``[(record, agencies)]``: the groups an issued document reached
        electronically (sent or acknowledged document packages, newest
        first), each recipient once, without those that returned it (02) or
        already gave it back (15)."""
        document.ensure_one()
        sent = (
            self._vbdt_records()
            # sudo: what was sent for this document, to send the revocation to the same
            # agencies
            .sudo()
            .search(
                [
                    ("direction", "=", "out"),
                    ("message_type", "=", "edoc"),
                    ("document_id", "=", document.id),
                    ("bussiness_doc_type", "not in", ("1", "2")),
                    ("state", "in", ("out_sent", "out_acknowledged")),
                ],
                order="id desc",
            )
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
        requests = self._vbdt_records().browse()
        for original, agencies in self._vbdt_reached_groups(document):
            request = (
                self._vbdt_records()
                # sudo: exchange records are created by the server only
                .sudo()
                .create(
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
                raise UserError(self._vbdt_records()._vbdt_error_text(error)) from error

        return self._vbdt_queue_request(
            document,
            {"message_type": "edoc", "bussiness_doc_type": str(int(doc_type))},
            build,
            kind,
            reason,
        )

    # ------------------------------------------------------------ send
    @api.model
    def _vbdt_run_outbox(self, batch=20, max_batches=50, commit=None):
        """Generate the packages still to build, then send due records;
        commit per record outside tests."""
        commit = self._vbdt_auto_commit() if commit is None else commit
        self._vbdt_requeue_stale()
        self._vbdt_run_generate(commit=commit)
        sent = 0
        for _batch in range(max_batches):
            records = self._vbdt_claim_batch(batch)
            if not records:
                break
            if commit:
                self.env.cr.commit()
            for record in records:
                record._vbdt_in_agency_lang()._vbdt_send()
                sent += 1
                if commit:
                    self.env.cr.commit()
        return sent

    @api.model
    def _vbdt_run_generate(self, limit=1000, commit=None):
        """Build the packages waiting to be generated, one locked row at a
        time (the lock is held while the package is built, so two workers
        never build or send the same record)."""
        commit = self._vbdt_auto_commit() if commit is None else commit
        generated = 0
        for _i in range(limit):
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT id FROM vbdt_exchange_record WHERE state = 'out_generate' "
                "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
            )
            row = self.env.cr.fetchone()
            if not row:
                break
            # sudo: the outbox cron's own bookkeeping across companies.
            record = self._vbdt_records().sudo().browse(row[0])
            generated += record._vbdt_in_agency_lang()._vbdt_generate()
            if commit:
                self.env.cr.commit()
        return generated

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
        # sudo: the outbox job sends records of every agency
        records = self._vbdt_records().sudo().browse(ids)
        records.write({"state": "out_sending"})
        return records

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
        stale = (
            self._vbdt_records()
            .sudo()
            .browse([row[0] for row in self.env.cr.fetchall()])
        )
        for record in stale:
            record = record._vbdt_in_agency_lang()
            record.message_post(
                body=record.env._(
                    "The worker sending this package stopped; it is sent again (the "
                    "hub recognises a package it already stored)."
                )
            )
        stale._vbdt_rollback()
        return stale

    # ------------------------------------------------------------ receive and process
    @api.model
    def _vbdt_receive(
        self,
        company,
        raw,
        transport,
        message_type="edoc",
        sender_code="",
        remote_id="",
        parent=None,
        config=None,
    ):
        """Store an arrived package as an inbox record (not yet parsed).
        ``sender_code`` is the agency the transport vouches for (the hub's
        authenticated system, the axis' ``from``, our own company for local
        delivery); the package's sender must be that agency."""
        record = (
            self._vbdt_records()
            # sudo: exchange records are created by the server only
            .sudo()
            .create(
                {
                    "direction": "in",
                    "message_type": message_type,
                    "state": "in_received",
                    "company_id": company.id,
                    "transport": transport,
                    "transport_id": config.id if config else False,
                    "counterpart_code": sender_code or False,
                    "delivered_by_code": sender_code or False,
                    "remote_id": remote_id or False,
                    "parent_id": parent.id if parent else False,
                }
            )
        )
        record._vbdt_store_package(raw)
        return record

    @api.model
    def _vbdt_run_inbox(self, limit=100, commit=None):
        commit = self._vbdt_auto_commit() if commit is None else commit
        count = 0
        seen = [0]  # a record deferred by a concurrent copy waits for the next run
        for _i in range(limit):
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT id FROM vbdt_exchange_record WHERE state = 'in_received' "
                "AND id != ALL(%s) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                [seen],
            )
            row = self.env.cr.fetchone()
            if not row:
                break
            seen.append(row[0])
            record = self._vbdt_records().browse(row[0])
            if record._vbdt_crashed_before():
                continue
            if commit:
                # The attempt is on record before the parser runs: a worker
                # killed by a hostile package does not leave it to be parsed
                # again on every run. The commit released the row: take it
                # back, unless another worker did meanwhile.
                self.env.cr.commit()
                self.env.cr.execute(
                    "SELECT id FROM vbdt_exchange_record WHERE id = %s "
                    "AND state = 'in_received' FOR UPDATE SKIP LOCKED",
                    [record.id],
                )
                if not self.env.cr.fetchone():
                    continue
            record._vbdt_in_agency_lang()._vbdt_process_inbox()
            count += 1
            if commit:
                self.env.cr.commit()
        return count

    # ------------------------------------------------------------ poll
    @api.model
    def _vbdt_poll(self, configs=None):
        """Fetch waiting packages from the axis: store, commit, acknowledge, process."""
        commit = self._vbdt_auto_commit()
        # sudo: the polling job reads every agency's connection
        configs = configs or self.env["vbdt.exchange.transport"].sudo().search([])
        received = self._vbdt_records().browse()
        # sudo: the polling job reads every agency's connection
        for config in configs.sudo():
            # One poller per connection at a time, across workers and commits
            # (a session-level advisory lock survives the per-record commits).
            key = POLL_LOCK_BASE + config.id
            self.env.cr.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not self.env.cr.fetchone()[0]:
                continue
            try:
                transport = config._vbdt_transport()
                for message_type in ("edoc", "status"):
                    for incoming in transport.fetch(message_type):
                        record = self._vbdt_receive(
                            config.company_id,
                            incoming.raw,
                            config.transport,
                            message_type=message_type,
                            sender_code=incoming.sender_code,
                            remote_id=incoming.remote_id,
                            config=config,
                        )
                        if commit:
                            self.env.cr.commit()
                        transport.acknowledge(incoming.remote_id, ok=True)
                        record._vbdt_process_inbox()
                        if commit:
                            self.env.cr.commit()
                        received |= record
                self._vbdt_track_sent(config, transport)
                config.write({"last_poll": fields.Datetime.now(), "last_error": False})
            except TransportError as error:
                config.write({"last_error": str(error)})
            finally:
                self.env.cr.execute("SELECT pg_advisory_unlock(%s)", [key])
            if commit:
                self.env.cr.commit()
        return received

    @api.model
    def _vbdt_track_sent(self, config, transport, limit=50):
        """Per-recipient transport delivery (``getSentEdocList``) of recent sends."""
        since = fields.Datetime.now() - timedelta(days=30)
        records = (
            self._vbdt_records()
            # sudo: the job looks for status answers of every agency
            .sudo()
            .search(
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
        )
        # sudo: the job resolves counterparts in the whole directory
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
