import logging
from datetime import timezone

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import edxml
from ..edxml import sign as edxml_sign
from ..edxml.formats import to_vietnam_wall_time

_logger = logging.getLogger(__name__)

MAX_INBOX_ATTEMPTS = 3
# The inbox records that created a document: one per (agency, sender, DocumentId).
INBOX_KEY_INDEX = "vbdt_exchange_record_inbox_document_uniq"
INBOX_KEY_WHERE = (
    "direction = 'in' AND message_type = 'edoc' "
    "AND COALESCE(bussiness_doc_type, '0') = '0' "
    "AND state IN ('in_parsed', 'in_registered') AND counterpart_code IS NOT NULL "
    "AND edxml_document_id IS NOT NULL"
)
# Another worker holds, or has just committed, the same package.
CONCURRENT_ERRORS = (
    pg_errors.UniqueViolation,
    pg_errors.SerializationFailure,
    pg_errors.LockNotAvailable,
    pg_errors.DeadlockDetected,
)


class InboxDeferred(Exception):
    """The same package is being processed by another worker: roll this
    processing back and look again on the next inbox run."""


QUARANTINE_KINDS = [
    ("signature", "Package signature missing or invalid"),
    ("unknown_sender", "Unknown sender"),
    ("forged_sender", "Sender not delivered by its own system"),
    ("unmapped_sender", "Sender not reached through this axis connection"),
    ("foreign_status", "Status from an agency the document was not sent to"),
]
REQUEST_KINDS = [
    ("take_back", "Take-back (status 13)"),
    ("revoke", "Revocation"),
    ("update", "Update"),
    ("replace", "Replacement"),
]


class VbdtExchangeInboxMixin(models.AbstractModel):
    """The inbox steps of an exchange record: check who sent it,
    deduplicate it, turn it into an incoming document or a status on one of
    our documents, open the review of the sender's requests, answer with
    status packages. Storing what arrives, running the inbox and polling the
    axes belong to the engine (``vbdt.exchange.engine``).

    Inherited by ``vbdt.exchange.record``, whose fields (direction, state,
    package, counterpart, transport ...) and helpers (``_vbdt_store_package``,
    ``_vbdt_raw``, ``_vbdt_limits``, ``_vbdt_error_text``) it relies on."""

    _name = "vbdt.exchange.inbox.mixin"
    _description = "Exchange Inbox"

    review_document_id = fields.Many2one(
        "vbdt.document",
        string="Document Under Review",
        readonly=True,
        index="btree_not_null",
        help="Incoming document the sender asks to take back, revoke, update or "
        "replace "
        "with this package; the clerk answers with status 15 or 16.",
    )
    request_kind = fields.Selection(REQUEST_KINDS, compute="_compute_request_kind")
    delivered_by_code = fields.Char(
        string="Delivered For",
        readonly=True,
        help="Agency the transport vouched for when the package arrived (the hub's "
        "authenticated system, the axis' sender, or our own agency for local "
        "delivery).",
    )
    quarantine_kind = fields.Selection(QUARANTINE_KINDS, readonly=True)

    def init(self):
        """The unique index of the packages that created a document, on the
        table of the model inheriting the mixin."""
        super().init()
        if self._abstract:
            return
        cr = self.env.cr
        cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [INBOX_KEY_INDEX])
        if cr.fetchone():
            return
        # Copies created before the index existed: the first one keeps the document.
        table, where = SQL.identifier(self._table), SQL(INBOX_KEY_WHERE)
        cr.execute(
            SQL(
                """
            UPDATE %s r SET state = 'in_duplicate', duplicate_of_id = k.first
              FROM (SELECT id, min(id) OVER (PARTITION BY company_id, counterpart_code,
                                                          edxml_document_id) AS first
                      FROM %s WHERE %s) k
             WHERE r.id = k.id AND k.id != k.first""",
                table,
                table,
                where,
            )
        )
        cr.execute(
            SQL(
                """CREATE UNIQUE INDEX %s ON %s
                       (company_id, counterpart_code, edxml_document_id) WHERE %s""",
                SQL.identifier(INBOX_KEY_INDEX),
                table,
                where,
            )
        )

    @api.depends(
        "message_type", "status_code", "bussiness_doc_type", "review_document_id"
    )
    def _compute_request_kind(self):
        kinds = {"1": "revoke", "2": "update", "3": "replace"}
        for record in self:
            kind = False
            if record.direction == "in" and record.review_document_id:
                if record.message_type == "status":
                    kind = (
                        "take_back"
                        if record.status_code == edxml.StatusCode.TAKE_BACK_REQUESTED
                        else False
                    )
                else:
                    kind = kinds.get(record.bussiness_doc_type, False)
            record.request_kind = kind

    # ------------------------------------------------------------ answers
    def _vbdt_queue_status(self, code, description="", document=None):
        """Queue a status package answering this inbox record, through the
        transport the document came from. ``document`` (an incoming document)
        names the document the status is about when it is not the package of
        this record (answers to take-back, revocation, update, replacement)."""
        self.ensure_one()
        company = self.company_id
        if document:
            response_for = edxml.ResponseFor(
                organ_id=document.sender_agency_id.code
                or self.counterpart_code
                or "unknown",
                code=document.code or "",
                promulgation_date=document.document_date or None,
                document_id=document.edxml_document_id or "",
            )
        else:
            response_for = edxml.ResponseFor(
                organ_id=self.counterpart_code or "unknown",
                code=self.document_code or "",
                promulgation_date=self.document_date or None,
                document_id=self.edxml_document_id or "",
            )
        package = edxml.StatusPackage(
            sender=self.env["vbdt.document"]._vbdt_edxml_organization(company),
            response_for=response_for,
            status_code=edxml.StatusCode.from_code(code),
            description=description or "",
            timestamp=to_vietnam_wall_time(
                fields.Datetime.now().replace(tzinfo=timezone.utc)
            ),
        )
        # sudo: status records are created by the server only
        status = self.sudo().create(
            {
                "direction": "out",
                "message_type": "status",
                "state": "out_queued",
                "company_id": company.id,
                "document_id": (document or self.document_id).id,
                "agency_id": self.agency_id.id,
                "counterpart_code": self.counterpart_code,
                "transport": self.transport,
                "transport_id": self.transport_id.id,
                "edxml_document_id": response_for.document_id or False,
                "status_code": package.status_code.value,
                "status_description": description or False,
                "parent_id": self.id,
                "document_code": response_for.code or False,
                "document_date": response_for.promulgation_date or False,
            }
        )
        try:
            status._vbdt_store_package(edxml.build_status(package))
        except edxml.EdxmlError as error:
            status.write(
                {"state": "out_failed", "last_error": status._vbdt_error_text(error)}
            )
            return status
        self.env["vbdt.exchange.engine"]._vbdt_trigger()
        return status

    def _vbdt_answer_processing(self, code, note=""):
        """The clerk registered (03), returned (02), assigned (04), processed
        (05) or completed (06) the document this package created: answer
        the sender, and move the record (parsed → registered, or rejected
        when it was returned)."""
        self.ensure_one()
        self._vbdt_queue_status(code, note)
        if code == edxml.StatusCode.REGISTERED:
            # sudo: the record's state follows the document's, only by the server
            self.sudo().write({"state": "in_registered"})
        elif code == edxml.StatusCode.REJECTED:
            # sudo: the record's state follows the document's, only by the server
            self.sudo().write({"state": "in_rejected"})

    # ------------------------------------------------------------ incoming
    def _vbdt_process_inbox(self):
        # sudo: processing the inbox is a server task over packages nobody reads yet
        for record in self.sudo():
            try:
                with self.env.cr.savepoint():
                    record._vbdt_process_one()
            except InboxDeferred as error:
                _logger.info(
                    "Inbox record %s: %s; checked again on the next run.",
                    record.id,
                    error,
                )
                record.message_post(
                    body=self.env._(
                        "Another copy of this package arrived at the same moment; "
                        "this one is "
                        "checked again on the next inbox run."
                    )
                )
                self.env["vbdt.exchange.engine"]._vbdt_trigger(
                    "vbdt_interconnect.ir_cron_exchange_inbox"
                )
            except Exception as error:  # noqa: BLE001 - recorded, raw package kept
                _logger.exception("Inbox record %s could not be processed", record.id)
                record._vbdt_reject(record._vbdt_error_text(error), send_status=False)
        return True

    def _vbdt_crashed_before(self):
        """Count this processing attempt; a record whose earlier attempts
        never finished (the worker was killed, ran out of memory or time) is
        rejected with the reason instead of being parsed once more."""
        self.ensure_one()
        if self.attempts >= MAX_INBOX_ATTEMPTS:
            self.write(
                {
                    "state": "in_rejected",
                    "last_error": self.env._(
                        "Processing this package stopped %(count)s times without "
                        "finishing (the "
                        "worker was stopped); it is not processed again automatically.",
                        count=self.attempts,
                    ),
                }
            )
            self.message_post(body=self.last_error)
            return True
        self.write({"attempts": self.attempts + 1})
        return False

    def _vbdt_process_one(self):
        self.ensure_one()
        try:
            # The attachments stay in temporary files until each becomes a
            # file of the document (``_vbdt_create_from_edxml``), and the
            # package's bytes are not kept past the parser.
            package = edxml.parse(
                self._vbdt_raw(), limits=self._vbdt_limits(), spool=True
            )
        except edxml.EdxmlError as error:
            return self._vbdt_reject(self._vbdt_error_text(error))
        if isinstance(package, edxml.StatusPackage):
            return self._vbdt_apply_status(package)
        return self._vbdt_apply_document(package)

    def _vbdt_find_duplicate(self):
        self.ensure_one()
        domain = [
            ("direction", "=", "in"),
            ("id", "!=", self.id),
            ("company_id", "=", self.company_id.id),
            ("state", "not in", ("in_rejected", "in_duplicate", "in_received")),
        ]
        if self.remote_id:
            same = self.search(
                domain
                + [
                    ("transport", "=", self.transport),
                    ("transport_id", "=", self.transport_id.id),
                    ("remote_id", "=", self.remote_id),
                ],
                limit=1,
            )
            if same:
                return same
        if (
            self.message_type == "edoc"
            and self.edxml_document_id
            and self.counterpart_code
            and self.bussiness_doc_type in (False, "0")
        ):
            return self.search(
                domain
                + [
                    ("message_type", "=", "edoc"),
                    ("bussiness_doc_type", "in", (False, "0")),
                    ("counterpart_code", "=", self.counterpart_code),
                    ("edxml_document_id", "=", self.edxml_document_id),
                ],
                limit=1,
            )
        return self.browse()

    def _vbdt_reject(self, reason, send_status=True):
        self.ensure_one()
        self.write({"state": "in_rejected", "last_error": reason})
        self.message_post(body=self.env._("Rejected: %(reason)s", reason=reason))
        if send_status and self.message_type == "edoc" and self.counterpart_code:
            self._vbdt_queue_status(edxml.StatusCode.REJECTED.value, reason)
        return False

    def _vbdt_route_to_acting_agency(self):
        """Ended agencies' codes are aliases of their successor (vbdt_document):
        what arrives for one from its end date belongs to the agency acting
        for it. Returns that agency and the ended one (empty when current)."""
        company = self.company_id
        ended = company if company._vbdt_is_ended() else company.browse()
        if ended:
            company = ended._vbdt_acting_agency()
            self.write({"company_id": company.id})
        return company, ended

    def _vbdt_apply_document(self, package):
        company, ended = self._vbdt_route_to_acting_agency()
        bussiness = package.trace_header_list and package.trace_header_list.bussiness
        doc_type = (
            bussiness.bussiness_doc_type if bussiness else edxml.BussinessDocType.NEW
        )
        agency = self._vbdt_authentic_sender(package.sender)
        if not agency:
            return False
        self.write(
            {
                "counterpart_code": package.sender.organ_id,
                "agency_id": agency.id,
                "edxml_document_id": package.resolved_document_id,
                "document_code": str(package.code),
                "document_date": package.promulgation_info.promulgation_date,
                "bussiness_doc_type": str(int(doc_type)),
            }
        )
        ours = company._vbdt_alias_codes()
        if not any(package.is_addressed_to(code) for code in ours):
            return self._vbdt_reject(
                self.env._(
                    "The package is not addressed to %(agency)s (%(code)s).",
                    agency=company.name,
                    code=company.vbdt_agency_code or "?",
                )
            )
        duplicate = self._vbdt_find_duplicate()
        if duplicate:
            self.write(
                {
                    "state": "in_duplicate",
                    "duplicate_of_id": duplicate.id,
                    "document_id": duplicate.document_id.id,
                }
            )
            return True
        # sudo: the incoming document is created by the server for the receiving agency
        Document = self.env["vbdt.document"].sudo().with_company(company)
        if doc_type != edxml.BussinessDocType.NEW:
            replaced = (
                [
                    info.document_id
                    for info in bussiness.replacement_info_list
                    if info.document_id
                ]
                if bussiness
                else []
            )
            original_id = (
                bussiness.document_id if bussiness else ""
            ) or package.document_id
            if doc_type == edxml.BussinessDocType.REPLACE and replaced:
                original_id = replaced[0]
            original = Document.search(
                [
                    ("direction", "=", "incoming"),
                    ("company_id", "=", company.id),
                    ("edxml_document_id", "=", original_id),
                ],
                limit=1,
            )
            if original:
                original._vbdt_exchange_review(
                    self.env._(
                        "The sender sent a %(kind)s package for this document: "
                        "%(reason)s",
                        kind=dict(
                            self._fields["bussiness_doc_type"]._description_selection(
                                self.env
                            )
                        )[str(int(doc_type))],
                        reason=(bussiness and bussiness.bussiness_doc_reason) or "-",
                    )
                )
                self.write(
                    {
                        "review_document_id": original.id,
                        "status_description": bussiness
                        and bussiness.bussiness_doc_reason,
                    }
                )
                if doc_type != edxml.BussinessDocType.REPLACE:
                    self.write({"state": "in_parsed", "document_id": original.id})
                    return True
            # The replacement may already be here (sent as a new document
            # first, or sent again): it is not created twice.
            document = Document.search(
                [
                    ("direction", "=", "incoming"),
                    ("company_id", "=", company.id),
                    ("sender_agency_id", "=", agency.id),
                    ("edxml_document_id", "=", package.resolved_document_id),
                ],
                limit=1,
            )
            if document and document != original:
                self.write({"state": "in_parsed", "document_id": document.id})
                self._vbdt_queue_status(edxml.StatusCode.ARRIVED.value)
                return True
        else:
            self._vbdt_claim_inbox_key()
        document = Document._vbdt_create_from_edxml(package, company, self)
        if ended and ended != company:
            document._vbdt_flag_rerouted(ended)
        self.write({"state": "in_parsed", "document_id": document.id})
        self._vbdt_queue_status(edxml.StatusCode.ARRIVED.value)
        return True

    def _vbdt_authentic_sender(self, organization, message_type="edoc"):
        """The directory entry of the package's sender when the transport
        delivered it for that very agency; otherwise the record goes to the
        quarantine and this returns an empty recordset."""
        self.ensure_one()
        claimed = (organization.organ_id or "").strip()
        delivered_for = (self.delivered_by_code or "").strip()
        self.write({"counterpart_code": claimed or False})
        if not delivered_for or claimed.upper() != delivered_for.upper():
            return self._vbdt_quarantine(
                "forged_sender",
                self.env._(
                    "The package says it comes from %(claimed)s but the transport "
                    "delivered it for "
                    "%(delivered)s: it is not accepted.",
                    claimed=claimed or "?",
                    delivered=delivered_for or "?",
                ),
            )
        # sudo: the directory lookup runs for the inbox cron and for clerks of
        # any company; only the match is used, nothing is shown.
        agency = self.env["vbdt.agency"].sudo()._vbdt_find_by_code(claimed)
        if not agency:
            return self._vbdt_quarantine(
                "unknown_sender",
                self.env._(
                    "The sender %(code)s (%(name)s) is not in the agency directory. "
                    "Check it, then "
                    "use Accept Sender to add it to the directory and process the "
                    "package.",
                    code=claimed,
                    name=organization.organ_name or "?",
                ),
            )
        if not self._vbdt_routed_here(agency):
            return self._vbdt_quarantine(
                "unmapped_sender",
                self.env._(
                    "According to the agency directory, %(agency)s is not reached "
                    "through the axis connection %(connection)s that delivered this "
                    "package: it is not accepted. Synchronise the agency directory of "
                    "the connection, then Retry.",
                    agency=agency.display_name,
                    # sudo: the connection's name in the refusal; its secrets are not
                    # read
                    connection=self.transport_id.sudo().display_name,
                ),
            )
        if not self._vbdt_signature_accepted(agency):
            return self.env["vbdt.agency"]
        return agency

    def _vbdt_routed_here(self, agency):
        """An axis connection delivers packages only of the agencies the
        directory maps to it (local delivery is vouched for by this
        database itself)."""
        if self.transport == "local" or not self.transport_id:
            return True
        return self.transport_id._vbdt_reaches(agency)

    def _vbdt_signature_accepted(self, agency):
        """A package's XML signature, when it has one, must verify against
        the trust anchors (vbdt_signature's, when installed); an agency may
        be required to sign. Quarantines and returns False otherwise."""
        raw = self._vbdt_raw()
        required = agency.vbdt_require_signed_packages
        if not edxml_sign.is_signed(raw):
            if required:
                self._vbdt_quarantine(
                    "signature",
                    self.env._(
                        "%(agency)s must sign its packages and this one carries no "
                        "XML signature.",
                        agency=agency.display_name,
                    ),
                )
                return False
            return True
        anchors = self._vbdt_trust_anchors()
        if not anchors and not required:
            self.message_post(
                body=self.env._(
                    "The package carries an XML signature that was not verified: no "
                    "trust anchor "
                    "is configured."
                )
            )
            return True
        try:
            certificate = edxml_sign.verify_with_anchors(raw, anchors)
        except edxml.EdxmlError as error:
            self._vbdt_quarantine("signature", self._vbdt_error_text(error))
            return False
        self.message_post(
            body=self.env._(
                "XML signature verified: %(subject)s.",
                subject=certificate.subject.rfc4514_string(),
            )
        )
        return True

    @api.model
    def _vbdt_trust_anchors(self):
        """PEM trust anchors of vbdt_signature when it is installed (no
        dependency: an agency without signatures still exchanges)."""
        if "vbdt.signature.trust.anchor" not in self.env:
            return []
        return self.env["vbdt.signature.trust.anchor"]._vbdt_anchors()

    def _vbdt_quarantine(self, kind, reason):
        """Keep the package aside for the clerks: nothing is registered or
        applied and nothing is answered to the claimed sender (who may not
        have sent it). Returns an empty agency recordset."""
        self.ensure_one()
        self.write(
            {
                "state": "in_quarantine",
                "quarantine_kind": kind,
                "last_error": reason,
                "handled": False,
            }
        )
        self.message_post(body=self.env._("Quarantined: %(reason)s", reason=reason))
        _logger.warning("Inbox record %s quarantined (%s): %s", self.id, kind, reason)
        return self.env["vbdt.agency"]

    def action_vbdt_accept_sender(self):
        """Clerk: the unknown sender is genuine; add it to the directory
        (written in the chatter) and process the package again."""
        self.check_access("write")
        for record in self:
            if (
                record.state != "in_quarantine"
                or record.quarantine_kind != "unknown_sender"
            ):
                raise UserError(
                    self.env._(
                        "%(record)s is not waiting for an unknown sender to be "
                        "accepted.",
                        record=record.name,
                    )
                )
            try:
                sender = edxml.parse(
                    record._vbdt_raw(), limits=record._vbdt_limits(), spool=True
                ).sender
            except edxml.EdxmlError as error:
                raise UserError(record._vbdt_error_text(error)) from error
            agency = self.env["vbdt.agency"]._vbdt_sender_from_package(sender)
            record.message_post(
                body=self.env._(
                    "%(user)s accepted the sender %(code)s (%(name)s) into the "
                    "agency directory.",
                    user=self.env.user.display_name,
                    code=agency.code or sender.organ_id,
                    name=agency.name,
                )
            )
            # sudo: state is readonly for clerks; check_access above decided.
            record.sudo().write(
                {"state": "in_received", "quarantine_kind": False, "last_error": False}
            )
            record._vbdt_process_inbox()
        return True

    def _vbdt_claim_inbox_key(self):
        """Enter the unique index of the packages that created a document
        (agency, sender, DocumentId) before creating it. A worker processing
        the same package from another transport at the same instant waits
        here for the first one's commit and then fails to enter: its whole
        processing is rolled back (:class:`InboxDeferred`), the record stays
        received, and the next inbox run (in a fresh snapshot, which sees the
        first copy) records it as a duplicate. Odoo's transactions are
        REPEATABLE READ, so a lock and a search alone would not see the first
        copy's commit; the unique index does."""
        self.ensure_one()
        self.flush_recordset()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "UPDATE vbdt_exchange_record SET state = 'in_parsed' WHERE id = %s",
                    [self.id],
                    log_exceptions=False,
                )
        except CONCURRENT_ERRORS as error:
            raise InboxDeferred(type(error).__name__) from error
        self.invalidate_recordset(["state"])

    def _vbdt_apply_status(self, package):
        # A status for a document an ended agency sent reaches its successor's
        # clerks; the document itself stays in the ended agency's fond.
        company, ended = self._vbdt_route_to_acting_agency()
        rf = package.response_for
        code = package.status_code.value
        agency = self._vbdt_authentic_sender(package.sender, message_type="status")
        if not agency:
            return False
        self.write(
            {
                "counterpart_code": package.sender.organ_id,
                "agency_id": agency.id,
                "message_type": "status",
                "status_code": code,
                "status_description": package.description or False,
                "edxml_document_id": rf.document_id or False,
                "document_code": rf.code or False,
                "document_date": rf.promulgation_date,
            }
        )
        # sudo: the original of a request is looked for among every document of the
        # agency
        Document = self.env["vbdt.document"].sudo()
        domain = [("company_id", "in", (company | ended).ids)]
        if rf.document_id:
            domain.append(("edxml_document_id", "=", rf.document_id))
        else:
            domain += [
                ("code", "=", rf.code),
                ("document_date", "=", rf.promulgation_date),
            ]
        direction = (
            "incoming" if code == edxml.StatusCode.TAKE_BACK_REQUESTED else "outgoing"
        )
        document = Document.search(domain + [("direction", "=", direction)], limit=1)
        if not document:
            self.write(
                {
                    "state": "in_rejected",
                    "last_error": self.env._(
                        "No document of this agency matches the status (DocumentId "
                        "%(id)s).",
                        id=rf.document_id or rf.code,
                    ),
                }
            )
            return False
        addressed = (
            document.sender_agency_id
            if direction == "incoming"
            else document.delivery_ids.agency_id
        )
        if agency not in addressed:
            # A status about a document this agency never received (or, for
            # 13, never sent us) changes nothing here.
            return self._vbdt_quarantine(
                "foreign_status",
                self.env._(
                    "%(agency)s sent status %(code)s about %(document)s, but the "
                    "document was not "
                    "exchanged with that agency.",
                    agency=agency.display_name,
                    code=code,
                    document=document.display_name,
                ),
            )
        original = self.search(
            [
                ("direction", "=", "out"),
                ("message_type", "=", "edoc"),
                ("document_id", "=", document.id),
                ("recipient_agency_ids", "in", agency.ids),
            ],
            limit=1,
        )
        self.write(
            {
                "state": "in_registered",
                "document_id": document.id,
                "parent_id": original.id or self.parent_id.id,
                "review_document_id": document.id
                if code == edxml.StatusCode.TAKE_BACK_REQUESTED
                else False,
            }
        )
        if ended:
            self.message_post(
                body=self.env._(
                    "Addressed to %(agency)s, which ended on %(date)s: received by "
                    "its successor %(successor)s.",
                    agency=ended.name,
                    date=ended.vbdt_date_end.strftime("%d/%m/%Y"),
                    successor=company.name,
                )
            )
        if direction == "outgoing":
            document._vbdt_set_delivery(agency, code, package.description, self)
            original._vbdt_acknowledge()
        if code in (
            edxml.StatusCode.TAKE_BACK_REQUESTED,
            edxml.StatusCode.TAKE_BACK_AGREED,
            edxml.StatusCode.TAKE_BACK_REFUSED,
        ):
            document._vbdt_exchange_review(
                self.env._(
                    "Status %(code)s from %(agency)s: %(description)s",
                    code=code,
                    agency=agency.display_name,
                    description=package.description or "-",
                )
            )
        return True

    # ------------------------------------------------------------ polling
