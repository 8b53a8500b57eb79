from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.vbdt_document.notation import (
    authority_prefix,
    urgency_level,
    urgency_rank,
)

from .. import edxml


class VbdtDocument(models.Model):
    """Exchange wiring of documents: dispatch after issue, statuses on
    processing events, per-recipient delivery, review of revocations."""

    _inherit = "vbdt.document"

    exchange_record_ids = fields.One2many("vbdt.exchange.record", "document_id")
    exchange_record_count = fields.Integer(compute="_compute_exchange_record_count")
    delivery_ids = fields.One2many(
        "vbdt.document.delivery", "document_id", string="Deliveries"
    )
    exchange_review = fields.Boolean(
        string="Exchange Review Needed",
        copy=False,
        index=True,
        tracking=True,
        help="The sender revoked, updated or replaced the document, or asked to take "
        "it back: a clerk must review it.",
    )
    exchange_review_note = fields.Text(copy=False)
    exchange_revoked = fields.Boolean(
        string="Revoked",
        copy=False,
        readonly=True,
        tracking=True,
        help=(
            "The clerk revoked this issued document at its recipients "
            "(BussinessDocType 1)."
        ),
    )
    replaced_document_id = fields.Many2one(
        "vbdt.document",
        string="Replaces",
        copy=False,
        readonly=True,
        tracking=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Earlier issued document this one replaces: its package is sent as a "
        "replacement (BussinessDocType 3) to the recipients of both.",
    )
    replacement_reason = fields.Text(copy=False, readonly=True)
    replaced_by_ids = fields.One2many(
        "vbdt.document", "replaced_document_id", string="Replaced By", readonly=True
    )

    def _compute_exchange_record_count(self):
        counts = dict(
            self.env["vbdt.exchange.record"]._read_group(
                [("document_id", "in", self.ids)], ["document_id"], ["__count"]
            )
        )
        for document in self:
            document.exchange_record_count = counts.get(document, 0)

    # ------------------------------------------------------------ hooks
    @api.model
    def _vbdt_server_fields(self):
        return super()._vbdt_server_fields() | {
            "exchange_revoked",
            "replaced_document_id",
            "replacement_reason",
        }

    def _vbdt_post_issue(self):
        res = super()._vbdt_post_issue()
        for document in self:
            if not document.recipient_agency_ids.filtered("code"):
                continue
            if document.confidentiality != "normal":
                document.message_post(
                    body=self.env._(
                        "Classified document: not sent electronically; dispatch it "
                        "on paper."
                    )
                )
                continue
            self.env["vbdt.exchange.engine"]._vbdt_queue_document(document)
        return res

    def _vbdt_processing_event(self, status_code, note=False):
        res = super()._vbdt_processing_event(status_code, note)
        # sudo: status packages answer the sender; the user has no right on exchange
        # records
        Record = self.env["vbdt.exchange.record"].sudo()
        for document in self.filtered(lambda d: d.direction == "incoming"):
            inbox = Record.search(
                [
                    ("direction", "=", "in"),
                    ("message_type", "=", "edoc"),
                    ("document_id", "=", document.id),
                    ("state", "in", ("in_parsed", "in_registered")),
                ],
                limit=1,
                order="id desc",
            )
            if not inbox:
                continue
            inbox._vbdt_answer_processing(status_code, note or "")
        return res

    # ------------------------------------------------------------ edXML out
    @api.model
    def _vbdt_edxml_organization(self, company):
        return edxml.Organization(
            organ_id=company.vbdt_agency_code or company.vbdt_agency_code_qd20 or "",
            organ_name=company.name or "",
            organ_add=company.vbdt_place or "",
            email=company.email or "",
            telephone=company.phone or "",
            website=company.website or "",
        )

    def _vbdt_edxml_attachments(self, files=None):
        files = (files or self.file_ids).sorted(
            lambda f: (f.role != "main", f.sequence, f.id)
        )
        return [
            edxml.Attachment(
                content_id=str(index),
                attachment_name=f"{index}_{file.name}"[-80:],
                content=file._get_raw(),
                content_type=file.mimetype or "application/pdf",
                description=file.name,
            )
            for index, file in enumerate(files, start=1)
        ]

    def _vbdt_edxml_bussiness(self, agencies):
        """TraceHeaderList/Bussiness of the document package: new, or a
        replacement naming the replaced document and its recipients."""
        self.ensure_one()
        paper = edxml.Paper(1 if self.paper_copy else 0)
        replaced = self.replaced_document_id
        if not replaced:
            return edxml.Bussiness(
                bussiness_doc_type=edxml.BussinessDocType.NEW, paper=paper
            )
        reached = (agencies & replaced.delivery_ids.agency_id).filtered("code")
        return edxml.Bussiness(
            bussiness_doc_type=edxml.BussinessDocType.REPLACE,
            bussiness_doc_reason=self.replacement_reason or "",
            document_id=replaced.edxml_document_id or "",
            paper=paper,
            replacement_info_list=[
                edxml.ReplacementInfo(
                    document_id=replaced.edxml_document_id or "",
                    organ_ids=reached.mapped("code"),
                )
            ],
        )

    def _vbdt_edxml_package(self, agencies, bussiness=None, files=None):
        """The document package of this issued document for ``agencies``;
        ``bussiness`` (revocation, update) and ``files`` (only these files)
        replace the defaults."""
        self.ensure_one()
        signer = None
        if self.signer_name or self.signer_position:
            signer = edxml.SignerInfo(
                competence=authority_prefix(self.signer_authority),
                position=self.signer_position or "",
                full_name=self.signer_name or "",
            )
        return edxml.DocumentPackage(
            sender=self._vbdt_edxml_organization(self.company_id),
            recipients=[
                edxml.Organization(
                    organ_id=a.code, organ_name=a.name or "", email=a.email or ""
                )
                for a in agencies
            ],
            code=edxml.Code.from_text(self.code or ""),
            promulgation_info=edxml.PromulgationInfo(
                place=self.place or self.company_id.vbdt_place or "",
                promulgation_date=self.document_date,
            ),
            document_type=edxml.DocumentType(
                type_name=self.document_type_id.name or ""
            ),
            subject=self.subject,
            content=self.content or "",
            signer_info=signer,
            due_date=self.due_date or None,
            other_info=edxml.OtherInfo(
                priority=edxml.Priority(urgency_rank(self.urgency)),
                page_amount=self.page_count or None,
                promulgation_amount=self.copy_count or None,
            ),
            response_for=[
                edxml.ResponseFor(
                    organ_id=original.sender_agency_id.code or "",
                    code=original.code or "",
                    promulgation_date=original.document_date or None,
                    document_id=original.edxml_document_id or "",
                )
                for original in self.response_for_ids
                if original.sender_agency_id.code
            ],
            document_id=self.edxml_document_id or "",
            trace_header_list=edxml.TraceHeaderList(
                bussiness=bussiness or self._vbdt_edxml_bussiness(agencies)
            ),
            attachments=self._vbdt_edxml_attachments(files),
        )

    def _vbdt_build_edxml(self, agencies, bussiness=None, files=None):
        return edxml.build_document(
            self._vbdt_edxml_package(agencies, bussiness, files)
        )

    # ------------------------------------------------------------ edXML in
    @api.model
    def _vbdt_prepare_edxml_vals(self, package, company, record):
        doc_type = self.env["vbdt.document.type"].search(
            [("name", "=ilike", package.document_type.type_name or "-")], limit=1
        )
        priority = package.other_info.priority if package.other_info else None
        urgency = urgency_level(None if priority is None else int(priority))
        signer = package.signer_info
        return {
            "direction": "incoming",
            "state": "received",
            "company_id": company.id,
            "sender_agency_id": record.agency_id.id,
            "subject": package.subject,
            "content": package.content or False,
            "code": str(package.code),
            "document_date": package.promulgation_info.promulgation_date,
            "place": package.promulgation_info.place or False,
            "document_type_id": doc_type.id,
            "urgency": urgency,
            "signer_name": signer.full_name if signer else False,
            "signer_position": signer.position if signer else False,
            "due_date": package.due_date or False,
            "arrival_channel": "internal" if record.transport == "local" else "axis",
            "arrival_date": fields.Datetime.now(),
            "edxml_document_id": package.resolved_document_id,
            "response_for_ids": [
                (
                    6,
                    0,
                    self.search(
                        [
                            ("direction", "=", "outgoing"),
                            ("company_id", "=", company.id),
                            (
                                "edxml_document_id",
                                "in",
                                [
                                    r.document_id
                                    for r in package.response_for
                                    if r.document_id
                                ]
                                or ["-"],
                            ),
                        ]
                    ).ids,
                )
            ],
        }

    @api.model
    def _vbdt_create_from_edxml(self, package, company, record):
        document = self.with_context(default_direction="incoming").create(
            self._vbdt_prepare_edxml_vals(package, company, record)
        )
        main_done = False
        for attachment in package.attachments:
            is_pdf = attachment.content_type == "application/pdf" or (
                attachment.attachment_name or ""
            ).lower().endswith(".pdf")
            role = "main" if is_pdf and not main_done else "attachment"
            main_done = main_done or role == "main"
            name = attachment.description or attachment.attachment_name
            if attachment.content_type_note:
                # The bytes contradicted the declared type: the file keeps the
                # corrected name, and the clerk is told why.
                name = attachment.attachment_name
                document.message_post(
                    body=self.env._(
                        "File %(name)s: %(reason)s",
                        name=name,
                        reason=self.env._(attachment.content_type_note)
                        % {
                            "declared": attachment.declared_content_type,
                            "actual": attachment.content_type,
                        },
                    )
                )
            # One file in memory at a time: read from its temporary file,
            # stored, released before the next one is read.
            document._vbdt_add_file(name, attachment.read_content(), role)
        document.message_post(
            body=self.env._(
                "Received from %(sender)s through %(transport)s (%(record)s).",
                sender=record.agency_id.display_name,
                record=record.name,
                transport=dict(
                    record._fields["transport"]._description_selection(self.env)
                )[record.transport],
            )
        )
        return document

    # ------------------------------------------------------------ tracking
    def _vbdt_set_delivery(self, agency, code, description=False, record=None):
        self.ensure_one()
        # sudo: delivery lines are written by the server from the axis' answers
        Delivery = self.env["vbdt.document.delivery"].sudo()
        line = Delivery.search(
            [("document_id", "=", self.id), ("agency_id", "=", agency.id)], limit=1
        )
        vals = {
            "status_code": code,
            "status_date": fields.Datetime.now(),
            "description": description or False,
            "record_id": record.id if record else False,
        }
        if line:
            line.write(vals)
        else:
            Delivery.create({"document_id": self.id, "agency_id": agency.id, **vals})

    def _vbdt_exchange_review(self, note):
        """Flag for the clerk and schedule a review activity; never overwrite."""
        # sudo: flagging for the clerk is the server's, whoever caused the package
        for document in self.sudo():
            document.write({"exchange_review": True, "exchange_review_note": note})
            clerk = self.env["res.users"].search(
                [
                    ("company_ids", "in", document.company_id.id),
                    (
                        "groups_id",
                        "in",
                        self.env.ref("vbdt_document.vbdt_document_group_clerk").id,
                    ),
                ],
                limit=1,
            )
            document.activity_schedule(
                "vbdt_interconnect.mail_activity_type_exchange_review",
                note=note,
                user_id=(clerk or self.env.user).id,
            )
            document.message_post(body=note)

    # ------------------------------------------------------------ sender's requests
    def _vbdt_pending_exchange_requests(self):
        """Take-back, revocation, update and replacement requests of the
        sender still waiting for the clerk's answer (oldest first)."""
        self.ensure_one()
        return (
            self.env["vbdt.exchange.record"]
            # sudo: requests on a document the user reads (self is read first); only
            # kind and state are shown
            .sudo()
            .search(
                [
                    ("direction", "=", "in"),
                    ("review_document_id", "=", self.id),
                    ("handled", "=", False),
                ],
                order="id",
            )
            .filtered("request_kind")
        )

    def action_vbdt_exchange_answer(self):
        """Open the clerk's answer to the sender's request (status 15 or 16)."""
        self.ensure_one()
        self._vbdt_check_clerk()
        request = self._vbdt_pending_exchange_requests()[:1]
        if not request:
            raise UserError(
                self.env._(
                    "The sender has no request waiting for an answer on %(document)s.",
                    document=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Answer the Sender"),
            "res_model": "vbdt.exchange.answer",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_document_id": self.id,
                "default_request_id": request.id,
            },
        }

    def _vbdt_answer_exchange_request(self, request, agree, reason=""):
        """Agree (15) or refuse (16, reason required) the sender's request.
        Agreeing to a take-back or revocation cancels the document here (it
        stays, with the reason, in the chatter and the audit log); agreeing to
        a replacement cancels the original in favour of the replacement; an
        update adds the updated files next to the old ones. The status goes
        back through the outbox on the transport the request came by."""
        self.ensure_one()
        self._vbdt_check_clerk()
        reason = (reason or "").strip()
        if not agree and not reason:
            raise UserError(self.env._("Say why you refuse the sender's request."))
        # sudo: the request is answered by the server once the clerk decided
        request = request.sudo()
        if (
            request.handled
            or request.review_document_id != self
            or not request.request_kind
        ):
            raise UserError(
                self.env._("This request of the sender was already answered.")
            )
        kind = request.request_kind
        label = dict(request._fields["request_kind"]._description_selection(self.env))[
            kind
        ]
        sender_reason = request.status_description or "-"
        if agree:
            self._vbdt_agree_exchange_request(request, kind, sender_reason)
        elif kind == "replace" and request.document_id and request.document_id != self:
            replacement = request.document_id
            if replacement.state == "received":
                replacement._vbdt_withdraw(
                    self.env._("Replacement refused: %(reason)s", reason=reason)
                )
        body = (
            self.env._(
                "%(request)s agreed (status 15). Sender's reason: %(sender)s",
                request=label,
                sender=sender_reason,
            )
            if agree
            else self.env._(
                "%(request)s refused (status 16): %(reason)s",
                request=label,
                reason=reason,
            )
        )
        if agree and reason:
            body = f"{body}. {reason}"
        self.message_post(body=body)
        self.env["vbdt.audit.log"]._log(
            self,
            "exchange_agree" if agree else "exchange_refuse",
            f"{request.name}: {label}: {reason or sender_reason}"[:250],
        )
        request.write({"handled": True})
        status = request._vbdt_queue_status(
            (
                edxml.StatusCode.TAKE_BACK_AGREED
                if agree
                else edxml.StatusCode.TAKE_BACK_REFUSED
            ).value,
            reason or body,
            document=self,
        )
        if not self._vbdt_pending_exchange_requests():
            # sudo: closing the review flag after the last answer is the server's
            self.sudo().action_vbdt_exchange_reviewed()
        return status

    def _vbdt_agree_exchange_request(self, request, kind, sender_reason):
        if kind in ("take_back", "revoke"):
            self._vbdt_withdraw(
                self.env._("Taken back by the sender: %(reason)s", reason=sender_reason)
            )
        elif kind == "replace":
            self._vbdt_withdraw(
                self.env._(
                    "Replaced by %(replacement)s: %(reason)s",
                    replacement=request.document_id.display_name,
                    reason=sender_reason,
                )
            )
        elif kind == "update":
            package = edxml.parse(
                request._vbdt_raw(), limits=request._vbdt_limits(), spool=True
            )
            for attachment in package.attachments:
                # sudo: the sender's updated files replace the document's, as the clerk
                # agreed
                self.sudo()._vbdt_add_file(
                    attachment.description or attachment.attachment_name,
                    attachment.read_content(),
                    "attachment",
                    description=self.env._(
                        "Update from the sender (%(record)s)", record=request.name
                    ),
                )

    def action_vbdt_take_back_wizard(self):
        self.ensure_one()
        self._vbdt_check_clerk()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ask to Take Back"),
            "res_model": "vbdt.document.take.back",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def _vbdt_take_back(self, reason):
        """Ask the recipients to take an issued document back (status 13)."""
        self.ensure_one()
        self._vbdt_check_clerk()
        reason = (reason or "").strip()
        if self.direction != "outgoing" or self.state != "issued" or not reason:
            raise UserError(
                self.env._(
                    "Only an issued document can be taken back, and the recipients "
                    "must "
                    "be told why."
                )
            )
        requests = self.env["vbdt.exchange.engine"]._vbdt_queue_take_back(self, reason)
        if not requests:
            raise self._vbdt_not_reached_error()
        self.env["vbdt.audit.log"]._log(self, "take_back", reason[:250])
        self.message_post(
            body=self.env._(
                "Recipients asked to take the document back (status 13): %(reason)s",
                reason=reason,
            )
        )
        return requests

    # ---------------------------------------------- revocation, update, replacement
    def action_vbdt_revision_wizard(self):
        """Open the clerk's revocation / update / replacement of an issued
        document (``kind`` in the context)."""
        self.ensure_one()
        self._vbdt_check_clerk()
        kind = self.env.context.get("vbdt_revision_kind", "revoke")
        titles = {
            "revoke": self.env._("Revoke"),
            "update": self.env._("Send an Update"),
            "replace": self.env._("Replace by a New Document"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[kind],
            "res_model": "vbdt.document.revision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id, "default_kind": kind},
        }

    def _vbdt_check_revisable(self, reason):
        """The clerk revises an issued, not revoked, outgoing document and
        tells the recipients why; returns the stripped reason."""
        self.ensure_one()
        self._vbdt_check_clerk()
        reason = (reason or "").strip()
        if (
            self.direction != "outgoing"
            or self.state != "issued"
            or self.exchange_revoked
        ):
            raise UserError(
                self.env._(
                    "Only an issued document that is not revoked can be revoked, "
                    "updated or "
                    "replaced."
                )
            )
        if not reason:
            raise UserError(self.env._("Tell the recipients why."))
        return reason

    def _vbdt_not_reached_error(self):
        return UserError(
            self.env._(
                "%(document)s has not reached any recipient electronically.",
                document=self.display_name,
            )
        )

    def _vbdt_revoke(self, reason):
        """Revoke an issued document at every recipient it reached
        electronically (BussinessDocType 1); each answers 15 or 16."""
        reason = self._vbdt_check_revisable(reason)
        requests = self.env["vbdt.exchange.engine"]._vbdt_queue_revision(
            self, "revoke", reason
        )
        if not requests:
            raise self._vbdt_not_reached_error()
        # sudo: _vbdt_check_revisable checked the clerk.
        self.sudo()._vbdt_write_lifecycle({"exchange_revoked": True})
        self.env["vbdt.audit.log"]._log(self, "revoke", reason[:250])
        self.message_post(
            body=self.env._("Revoked at the recipients: %(reason)s", reason=reason)
        )
        return requests

    def _vbdt_send_update(self, reason, attachments):
        """Send corrected files of an issued document to every recipient it
        reached (BussinessDocType 2, the package carries only these files,
        which are also added to the document here)."""
        reason = self._vbdt_check_revisable(reason)
        if not attachments:
            raise UserError(self.env._("Add the corrected files to send."))
        if not self.env["vbdt.exchange.engine"]._vbdt_reached_groups(self):
            raise self._vbdt_not_reached_error()
        files = self.env["vbdt.document.file"]
        # sudo: files already attached by the user are added to the sent document
        for attachment in attachments.sudo():
            # sudo: the files of an issued document are added by the server only
            files |= self.sudo()._vbdt_add_file(
                attachment.name,
                attachment.raw,
                "attachment",
                description=self.env._("Update: %(reason)s", reason=reason),
            )
        requests = self.env["vbdt.exchange.engine"]._vbdt_queue_revision(
            self, "update", reason, files=files
        )
        names = ", ".join(files.mapped("name"))
        self.env["vbdt.audit.log"]._log(self, "update", f"{reason}: {names}"[:250])
        self.message_post(
            body=self.env._(
                "Update sent to the recipients (%(files)s): %(reason)s",
                files=names,
                reason=reason,
            )
        )
        return requests

    def _vbdt_replace_with(self, replacement, reason):
        """Mark ``replacement`` (an outgoing document of the same agency) as
        replacing this issued one. Its package is a replacement
        (BussinessDocType 3) to the recipients of both: sent now if it is
        issued, else when it is issued."""
        reason = self._vbdt_check_revisable(reason)
        replacement.ensure_one()
        # sudo: the replacement is linked by the server after the checks above
        replacement = replacement.sudo()
        if (
            replacement == self
            or replacement.direction != "outgoing"
            or replacement.company_id != self.company_id
            or replacement.state == "cancelled"
            or replacement.replaced_document_id
            or replacement.confidentiality != "normal"
        ):
            raise UserError(
                self.env._(
                    "The replacement must be another unclassified outgoing document of "
                    "%(agency)s that does not already replace one.",
                    agency=self.company_id.name,
                )
            )
        reached = self.env["vbdt.exchange.record"].browse()
        agencies = self.env["vbdt.agency"]
        for _record, group in self.env["vbdt.exchange.engine"]._vbdt_reached_groups(
            self
        ):
            agencies |= group
        if not agencies:
            raise self._vbdt_not_reached_error()
        replacement._vbdt_write_lifecycle(
            {
                "replaced_document_id": self.id,
                "replacement_reason": reason,
                "recipient_agency_ids": [(4, agency.id) for agency in agencies],
            }
        )
        if replacement.state == "issued":
            reached = self.env["vbdt.exchange.engine"]._vbdt_queue_document(
                replacement, agencies
            )
        self.env["vbdt.audit.log"]._log(
            self, "replace", f"{replacement.display_name}: {reason}"[:250]
        )
        self.message_post(
            body=self.env._(
                "Replaced by %(replacement)s: %(reason)s",
                replacement=replacement.display_name,
                reason=reason,
            )
        )
        return reached

    def action_vbdt_exchange_reviewed(self):
        self.write({"exchange_review": False})
        self.activity_feedback(["vbdt_interconnect.mail_activity_type_exchange_review"])
        return True

    def action_vbdt_dispatch(self):
        """Send (again) an issued document to its recipients electronically."""
        self._vbdt_check_clerk()
        for document in self:
            self.env["vbdt.exchange.engine"]._vbdt_queue_document(document)
        return True

    def action_view_exchange_records(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "vbdt_interconnect.vbdt_exchange_record_action"
        )
        action["domain"] = [("document_id", "in", self.ids)]
        action["context"] = {}
        return action
