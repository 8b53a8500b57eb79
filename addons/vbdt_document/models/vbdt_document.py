import base64

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..notation import (
    AUTHORITY_PREFIXES,
    URGENCY_LEVELS,
    NotationError,
    fold_text,
    format_code,
    format_document_id,
    format_notation,
    parse_code,
    urgency_rank,
)
from . import db_tuning
from .lifecycle import is_unlocked, may_create, unlocked

# Keys, order and printed prefixes of urgency and authority belong to the
# notation core (shared with edXML); the models only add the labels.
URGENCY_LABELS = {
    "normal": "Normal",
    "urgent": "Urgent",
    "very_urgent": "Very Urgent",
    "flash": "Flash",
    "flash_timed": "Flash (Timed)",
}
URGENCY = [(level, URGENCY_LABELS[level]) for level in URGENCY_LEVELS]
CONFIDENTIALITY = [
    ("normal", "Normal"),
    ("confidential", "Confidential"),
    ("secret", "Secret"),
    ("top_secret", "Top Secret"),
]
AUTHORITY_MEANINGS = {
    "tm": "on behalf of",
    "kt": "deputy for the head",
    "q": "acting",
    "tl": "by order",
    "tuq": "by authorisation",
}
AUTHORITY = [
    (key, f"{prefix} ({AUTHORITY_MEANINGS[key]})")
    for key, prefix in AUTHORITY_PREFIXES.items()
]
CHANNELS = [
    ("axis", "National Axis"),
    ("internal", "Internal"),
    ("paper", "Paper"),
    ("email", "Email"),
    ("other", "Other"),
]
# Fields only the server's action methods write (numbering, transitions):
# no client value is ever accepted for them (see lifecycle.py).
SERVER_FIELDS = {
    "state",
    "number",
    "notation",
    "register_year",
    "arrival_number",
    "dispatch_date",
    "sent_via_axis",
    "corrected_document_id",
    "direction",
    "origin_company_id",
}
# Fields the drafter or the clerk fills in while drafting or before
# registration; an issued or registered document no longer lets anyone
# change them (corrections are new documents, see action_correct).
LOCKED_FIELDS = {
    "code",
    "register_id",
    "document_date",
    "subject",
    "document_type_id",
    "company_id",
    "arrival_date",
    "register_date",
    "place",
    "legal_normative",
    "signer_id",
    "signer_name",
    "signer_position",
    "signer_authority",
    "confidentiality",
}


class VbdtDocument(models.Model):
    """An official document, incoming (văn bản đến) or outgoing (văn bản đi).

    One model for both directions: they share almost every field (B5 maps the
    same header to both), one table gives province-wide search, statistics and
    exchange a single place to look, and ``direction`` plus the states keep
    the two flows apart."""

    _name = "vbdt.document"
    _description = "Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "register_date desc, urgency_rank desc, id desc"
    _check_company_auto = True
    # Whoever can read a document may comment on it in the chatter.
    _mail_post_access = "read"
    _rec_names_search = ["code", "subject"]

    direction = fields.Selection(
        [("incoming", "Incoming"), ("outgoing", "Outgoing")],
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.context.get("default_direction", "outgoing"),
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("issued", "Issued"),
            ("received", "Waiting for Registration"),
            ("registered", "Registered"),
            ("returned", "Returned"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
        default=lambda self: "received"
        if self._default_direction() == "incoming"
        else "draft",
    )
    is_closed = fields.Boolean(compute="_compute_is_closed", store=True, index=True)
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    origin_company_id = fields.Many2one(
        "res.company",
        string="Registered By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Ended agency whose register numbered this document before it was "
        "carried over to its successor; statistics keep counting it there.",
    )
    register_id = fields.Many2one(
        "vbdt.register",
        check_company=True,
        index=True,
        tracking=True,
        domain="[('direction', '=', direction)]",
    )
    register_year = fields.Integer(readonly=True, copy=False)
    register_date = fields.Date(
        default=fields.Date.context_today,
        index=True,
        copy=False,
        help="Date the document entered its register: issue date or arrival date.",
    )
    # Number and notation of the issuing agency (số, ký hiệu).
    number = fields.Integer(readonly=True, copy=False, tracking=True)
    notation = fields.Char(copy=False, readonly=True)
    code = fields.Char(
        string="Number and Notation", copy=False, tracking=True, index="trigram"
    )
    document_date = fields.Date(copy=False, tracking=True)
    place = fields.Char(string="Place of Issue")
    legal_normative = fields.Boolean(
        string="Legal Normative Document",
        help=(
            "Legal normative documents carry the year in their number: "
            "09/2025/QĐ-TTg."
        ),
    )
    document_type_id = fields.Many2one("vbdt.document.type", string="Type", index=True)
    subject = fields.Char(string="Summary", required=True, tracking=True)
    content = fields.Text(string="Content Summary")
    search_text = fields.Char(
        compute="_compute_search_text",
        store=True,
        help="Accent-free, lower-case copy of code, summary and sender for search.",
    )
    # Signature block
    signer_id = fields.Many2one("res.users", string="Signer")
    signer_name = fields.Char(index="trigram")
    signer_position = fields.Char()
    signer_authority = fields.Selection(AUTHORITY, string="Authority Prefix")
    # Drafting
    unit_id = fields.Many2one(
        "vbdt.unit",
        string="Unit",
        index=True,
        check_company=True,
        tracking=True,
        default=lambda self: self._vbdt_default_unit(self.env.user),
        help="Drafting unit of an outgoing document, lead unit of an incoming one.",
    )
    drafter_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    drafter_initials = fields.Char(
        help="Drafter's initials, printed after the list of recipients."
    )
    participant_ids = fields.Many2many(
        "res.users",
        "vbdt_document_participant_rel",
        "document_id",
        "user_id",
        compute="_compute_participant_ids",
        store=True,
        help="People working on the document; they can read it.",
    )
    user_is_participant = fields.Boolean(
        compute="_compute_user_is_participant", search="_search_user_is_participant"
    )
    # Recipients and sender
    recipient_agency_ids = fields.Many2many(
        "vbdt.agency",
        "vbdt_document_recipient_rel",
        "document_id",
        "agency_id",
        string="Recipients",
    )
    recipient_note = fields.Text(string="Other Recipients")
    sender_agency_id = fields.Many2one("vbdt.agency", string="Sender", index=True)
    sender_name = fields.Char(
        compute="_compute_sender_name", store=True, readonly=False, index="trigram"
    )
    # Incoming
    arrival_number = fields.Integer(
        readonly=True, copy=False, tracking=True, index=True
    )
    arrival_date = fields.Datetime(
        copy=False,
        default=lambda self: fields.Datetime.now()
        if self._default_direction() == "incoming"
        else False,
    )
    next_arrival_number = fields.Integer(
        compute="_compute_next_arrival_number",
        help="Arrival number the document will get if it is registered now.",
    )
    arrival_channel = fields.Selection(CHANNELS, default="paper")
    # Handling attributes
    urgency = fields.Selection(URGENCY, default="normal", required=True, tracking=True)
    urgency_rank = fields.Integer(compute="_compute_urgency_rank", store=True)
    confidentiality = fields.Selection(
        CONFIDENTIALITY, default="normal", required=True, tracking=True
    )
    confidential_user_ids = fields.Many2many(
        "res.users",
        "vbdt_document_confidential_user_rel",
        "document_id",
        "user_id",
        string="Named Readers",
        help="Only these people see a secret document.",
    )
    user_is_named_reader = fields.Boolean(
        compute="_compute_user_is_named_reader", search="_search_user_is_named_reader"
    )
    page_count = fields.Integer(string="Pages")
    copy_count = fields.Integer(string="Copies")
    due_date = fields.Date(tracking=True, index=True)
    paper_copy = fields.Boolean(string="Paper Copy Sent")
    directed_date = fields.Datetime(
        copy=False,
        readonly=True,
        help="When a leader directed the document in the system.",
    )
    sent_via_axis = fields.Boolean(copy=False, readonly=True)
    dispatch_date = fields.Date(
        copy=False,
        readonly=True,
        help="Day the issued document left the agency (electronically or on paper).",
    )
    # Files and links
    file_ids = fields.One2many("vbdt.document.file", "document_id", string="Files")
    main_file_id = fields.Many2one("vbdt.document.file", compute="_compute_main_file")
    has_main_file = fields.Boolean(compute="_compute_has_main_file", store=True)
    response_for_ids = fields.Many2many(
        "vbdt.document",
        "vbdt_document_response_rel",
        "document_id",
        "original_id",
        string="In Reply To",
    )
    edxml_document_id = fields.Char(
        string="edXML DocumentId",
        compute="_compute_edxml_document_id",
        store=True,
        readonly=False,
        index=True,
        copy=False,
    )
    corrected_document_id = fields.Many2one(
        "vbdt.document",
        string="Corrects",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The issued document this one corrects (đính chính).",
    )
    correction_ids = fields.One2many(
        "vbdt.document", "corrected_document_id", string="Corrections"
    )
    duplicate_of_id = fields.Many2one(
        "vbdt.document",
        compute="_compute_duplicate_of",
        store=True,
        copy=False,
        help="An earlier document with the same sender, number and date.",
    )

    @api.model
    def _default_direction(self):
        return self.env.context.get("default_direction", "outgoing")

    @api.model
    def _vbdt_default_unit(self, user, company=None):
        """The drafter's unit in the agency: an outgoing draft belongs to the
        unit of whoever drafts it (its route's head of unit reviews it)."""
        if self._default_direction() != "outgoing":
            return self.env["vbdt.unit"]
        company = company or self.env.company
        return user.vbdt_unit_ids.filtered(lambda u: u.company_id == company)[:1]

    # ------------------------------------------------------------------ computes
    @api.depends("state")
    def _compute_is_closed(self):
        closed = self._vbdt_closed_states()
        for document in self:
            document.is_closed = document.state in closed

    @api.depends("urgency")
    def _compute_urgency_rank(self):
        for document in self:
            document.urgency_rank = urgency_rank(document.urgency)

    @api.depends("code", "subject", "sender_name")
    def _compute_search_text(self):
        for document in self:
            parts = (document.code, document.subject, document.sender_name)
            document.search_text = fold_text(" ".join(p for p in parts if p))

    @api.depends("drafter_id", "signer_id", "create_uid")
    def _compute_participant_ids(self):
        for document in self:
            document.participant_ids = (
                document.drafter_id | document.signer_id | document.create_uid
            )

    @api.depends_context("uid")
    @api.depends("participant_ids")
    def _compute_user_is_participant(self):
        for document in self:
            document.user_is_participant = self.env.user in document.participant_ids

    @api.depends_context("uid")
    @api.depends("confidential_user_ids")
    def _compute_user_is_named_reader(self):
        for document in self:
            document.user_is_named_reader = (
                self.env.user in document.confidential_user_ids
            )

    @api.depends("register_id", "state", "direction")
    def _compute_next_arrival_number(self):
        for document in self:
            waiting = document.direction == "incoming" and document.state == "received"
            # sudo: the register's yearly counter lives on ir.sequence.date_range,
            # which clerks may not read; only the number is shown.
            document.next_arrival_number = (
                document.register_id.sudo().next_number if waiting else 0
            )

    @api.depends("sender_agency_id")
    def _compute_sender_name(self):
        for document in self:
            if document.sender_agency_id:
                document.sender_name = document.sender_agency_id.name

    @api.depends("file_ids.role")
    def _compute_main_file(self):
        for document in self:
            document.main_file_id = document.file_ids.filtered(
                lambda f: f.role == "main"
            )[:1]

    @api.depends("file_ids.role")
    def _compute_has_main_file(self):
        for document in self:
            document.has_main_file = "main" in document.file_ids.mapped("role")

    @api.depends(
        "direction",
        "code",
        "document_date",
        "company_id.vbdt_agency_code",
        "sender_agency_id.code",
    )
    def _compute_edxml_document_id(self):
        """Outgoing: built from our code. Incoming: the DocumentId the sender
        sent is kept as received (status packages must echo it); only paper
        documents without one get it built from the sender's code."""
        for document in self:
            if document.direction == "incoming" and document.edxml_document_id:
                continue
            issuer = (
                document.company_id.vbdt_agency_code
                if document.direction == "outgoing"
                else document.sender_agency_id.code
            )
            document.edxml_document_id = document._vbdt_build_document_id(issuer)

    def _vbdt_build_document_id(self, issuer):
        if not (issuer and self.code and self.document_date):
            return False
        try:
            return format_document_id(issuer, self.document_date, self.code)
        except NotationError:
            return False

    @api.depends(
        "direction", "code", "sender_agency_id", "document_date", "edxml_document_id"
    )
    def _compute_duplicate_of(self):
        for document in self:
            document.duplicate_of_id = (
                document._vbdt_find_duplicates()[:1]
                if document.direction == "incoming"
                else False
            )

    def _vbdt_find_duplicates(self):
        """Earlier incoming documents of the same agency that are this one again:
        same sender, number/notation and date, or same edXML DocumentId."""
        self.ensure_one()
        same = []
        if self.sender_agency_id and self.code and self.document_date:
            same.append(
                [
                    ("sender_agency_id", "=", self.sender_agency_id.id),
                    ("code", "=ilike", self.code),
                    ("document_date", "=", self.document_date),
                ]
            )
        if self.edxml_document_id:
            same.append([("edxml_document_id", "=", self.edxml_document_id)])
        if not same:
            return self.browse()
        domain = expression.AND(
            [
                [
                    ("direction", "=", "incoming"),
                    ("company_id", "=", self.company_id.id),
                    ("state", "!=", "cancelled"),
                ],
                [("id", "<", self.id)] if isinstance(self.id, int) else [],
                expression.OR(same),
            ]
        )
        # sudo: duplicates are looked for among all the agency's documents; only the
        # record is returned, shown by the neutral label to non-readers of a secret one
        return self.sudo().search(domain, order="id", limit=1).sudo(False)

    @api.depends("code", "subject")
    def _compute_display_name(self):
        for document in self:
            subject = document.subject or ""
            document.display_name = (
                f"{document.code} - {subject}" if document.code else subject
            )

    # ------------------------------------------------------------------ search
    def _search_text_domain(self, value):
        # search_text is lower-case and accent-free, so "like" finds what
        # "ilike" would, and Odoo never wraps "like" in unaccent() (which no
        # trigram index serves).
        return [("search_text", "like", fold_text(value))]

    def _search_user_is_participant(self, operator, value):
        return self._vbdt_search_user_rows(
            "vbdt_document_participant_rel", operator, value
        )

    def _search_user_is_named_reader(self, operator, value):
        return self._vbdt_search_user_rows(
            "vbdt_document_confidential_user_rel", operator, value
        )

    def _vbdt_search_user_rows(self, table, operator, value):
        """``id IN (SELECT document_id FROM table WHERE user_id = uid)``: for
        the record rules, one hashed subplan, where ``(m2m, 'in', [uid])``
        would be a correlated EXISTS per document (bench/ at 1M documents)."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        rows = SQL(
            "(SELECT document_id FROM %s WHERE user_id = %s)",
            SQL.identifier(table),
            self.env.uid,
        )
        return [("id", "in" if (operator == "=") == value else "not in", rows)]

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ("ilike", "not ilike") and isinstance(value, str) and value:
            domain = self._search_text_domain(value)
            return domain if operator == "ilike" else ["!", *domain]
        return super()._search_display_name(operator, value)

    # ------------------------------------------------------------------ onchange
    @api.onchange("code")
    def _onchange_code(self):
        if self.direction == "incoming" and self.code:
            self._vbdt_apply_code(self.code)

    @api.onchange("file_ids")
    def _onchange_file_ids_main(self):
        """The first file of a document is its main text (the clerk files the
        document itself before any annex)."""
        files = self.file_ids
        if files and "main" not in files.mapped("role"):
            files[:1].role = "main"

    @api.onchange("confidentiality", "direction", "document_type_id")
    def _onchange_register(self):
        self.register_id = self.env["vbdt.register"]._default_for(
            self.company_id,
            self.direction,
            self.confidentiality != "normal",
            self.document_type_id,
        )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            incoming = vals.get("direction", self._default_direction()) == "incoming"
            self._vbdt_check_create_vals(vals, incoming)
            vals.setdefault("state", "received" if incoming else "draft")
            if vals.get("code") and incoming:
                vals.update(self._vbdt_code_vals(vals["code"]))
            if not incoming and not vals.get("unit_id"):
                vals["unit_id"] = self._vbdt_create_default_unit(vals).id
            if vals.get("confidentiality", "normal") != "normal":
                # The author must pass the secret-document rule from the start.
                vals["confidential_user_ids"] = [
                    *vals.get("confidential_user_ids", []),
                    Command.link(self.env.uid),
                ]
        documents = super().create(vals_list)
        if not may_create(self):
            # An ended agency drafts and receives nothing new: it goes to the successor.
            documents.company_id._vbdt_check_acting()
        for document in documents:
            if not document.register_id:
                # The server's own choice; a document created with lifecycle
                # values (a fond taken over, a correction) is already locked.
                with unlocked(document):
                    document.register_id = document._vbdt_default_register()
        return documents

    @api.model
    def _vbdt_create_default_unit(self, vals):
        drafter = self.env["res.users"].browse(vals.get("drafter_id") or self.env.uid)
        company = self.env["res.company"].browse(
            vals.get("company_id") or self.env.company.id
        )
        return self.with_context(default_direction="outgoing")._vbdt_default_unit(
            drafter, company
        )

    def write(self, vals):
        self._check_write_locked_fields(vals)
        if vals.get("code") and any(d.direction == "incoming" for d in self):
            vals = {**vals, **self._vbdt_code_vals(vals["code"])}
        return super().write(vals)

    def _vbdt_refuse_fields(self, names):
        labels = ", ".join(
            sorted(
                self._fields[name]._description_string(self.env)
                for name in names
                if name in self._fields
            )
        )
        raise UserError(
            self.env._(
                "%(fields)s of a document change only through its actions (issue, "
                "register, approval, correction...), never by editing the record.",
                fields=labels,
            )
        )

    @api.model
    def _vbdt_check_create_vals(self, vals, incoming):
        """A client creates a document as a draft (outgoing) or as waiting for
        registration (incoming), never with a number, a year or a later state."""
        if may_create(self):
            return
        initial = "received" if incoming else "draft"
        # Empty values are what a new record holds anyway (the web client sends them).
        refused = {
            name
            for name in (self._vbdt_server_fields() - {"direction"}) & set(vals)
            if vals[name]
        }
        if vals.get("state", initial) == initial:
            refused.discard("state")
        if not incoming and vals.get("code"):
            refused.add("code")
        if refused:
            self._vbdt_refuse_fields(refused)

    def _check_write_locked_fields(self, vals):
        if not vals or is_unlocked(self):
            return
        refused = self._vbdt_server_fields() & set(vals)
        if vals.get("code") and any(d.direction == "outgoing" for d in self):
            refused.add("code")
        if refused:
            self._vbdt_refuse_fields(refused)
        if not self._vbdt_locked_fields() & set(vals):
            return
        editable = self._vbdt_editable_states()
        locked = self.filtered(lambda d: d.state not in editable)
        if locked:
            raise UserError(
                self.env._(
                    "%(document)s is past drafting or registration: its number, date, "
                    "summary and signer can no longer be changed.",
                    document=locked[0].display_name,
                )
            )

    def _vbdt_write_lifecycle(self, vals):
        """The one path by which the action methods write guarded fields. Every
        change of state is appended to the audit log. Private: not reachable
        over RPC, and the permission it grants ends with the call."""
        before = {document.id: document.state for document in self}
        with unlocked(self):
            result = self.write(vals)
        new_state = vals.get("state")
        if new_state:
            moved = self.filtered(lambda d: before[d.id] != new_state)
            for document in moved:
                self.env["vbdt.audit.log"]._log(
                    document, "transition", f"{before[document.id]} -> {new_state}"
                )
        return result

    def _vbdt_store_number(self, vals):
        """Store the number the register just drew. Only the register's
        action numbers (under the sequence's row lock), so a clash can only
        come from data written outside the application: it is reported in
        words, never as a raw unique-violation."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._vbdt_write_lifecycle(vals)
                self.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            raise UserError(
                self.env._(
                    "Number %(number)s of register %(register)s (%(year)s) is "
                    "already held by "
                    "another document, written outside the application: ask the "
                    "administrator "
                    "to check the register before numbering again.",
                    number=vals.get("number") or vals.get("arrival_number"),
                    register=self.register_id.name,
                    year=vals.get("register_year"),
                )
            ) from None

    @api.model
    def _vbdt_create_lifecycle(self, vals_list):
        """Create documents with server-decided lifecycle values (corrections)."""
        with unlocked(self, create=True):
            return self.create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        # A withdrawn (cancelled) document that was numbered stays evidence.
        if any(
            d.state not in ("draft", "received", "cancelled")
            or d.number
            and d.direction == "outgoing"
            or d.arrival_number
            for d in self
        ):
            raise UserError(
                self.env._(
                    "Issued or registered documents are records of the agency and "
                    "cannot be deleted."
                )
            )

    @api.constrains("confidentiality", "register_id")
    def _check_confidential_register(self):
        for document in self.filtered("register_id"):
            secret = document.confidentiality != "normal"
            if secret != document.register_id.confidential:
                raise ValidationError(
                    self.env._(
                        "Secret documents are kept in secret registers and normal "
                        "documents in normal ones (register %(register)s).",
                        register=document.register_id.name,
                    )
                )

    @api.constrains("signer_id")
    def _check_signer(self):
        """The competent person who signs an outgoing document is a head of
        unit or a leader of its agency: a drafter cannot name a specialist
        (themselves) or someone of another agency, who would then be the
        signer a route without a signer step expects."""
        for document in self.filtered(
            lambda d: d.direction == "outgoing" and d.signer_id
        ):
            signer = document.signer_id
            if document.company_id not in signer.company_ids or not signer.has_group(
                "vbdt_document.vbdt_document_group_head"
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot sign documents of %(agency)s: the signer is "
                        "a head of unit or a leader of the agency.",
                        user=signer.name,
                        agency=document.company_id.name,
                    )
                )

    @api.constrains("register_id", "direction")
    def _check_register_direction(self):
        for document in self.filtered("register_id"):
            if document.register_id.direction != document.direction:
                raise ValidationError(
                    self.env._(
                        "Register %(register)s does not take %(direction)s documents.",
                        register=document.register_id.name,
                        direction=dict(
                            self._fields["direction"]._description_selection(self.env)
                        )[document.direction],
                    )
                )

    # ------------------------------------------------------------------ helpers
    def _vbdt_default_register(self):
        self.ensure_one()
        return self.env["vbdt.register"]._default_for(
            self.company_id,
            self.direction,
            self.confidentiality != "normal",
            self.document_type_id,
        )

    def _vbdt_code_vals(self, code):
        """Number and notation read from a code typed or received as text."""
        try:
            parsed = parse_code(code)
        except NotationError as error:
            raise ValidationError(self.env._(error.template, **error.params)) from error
        return {"number": parsed.number or 0, "notation": parsed.notation}

    def _vbdt_apply_code(self, code):
        self.update(self._vbdt_code_vals(code))

    def _vbdt_format_notation(self):
        self.ensure_one()
        agency = self.company_id.vbdt_short_name
        if not agency:
            raise UserError(
                self.env._(
                    "Set the short name used in notations (e.g. UBND) on agency "
                    "%(agency)s "
                    "before issuing documents.",
                    agency=self.company_id.name,
                )
            )
        abbreviation = self.document_type_id.abbreviation or None
        # Công văn carries the drafting unit instead of a type (15/UBND-VP).
        unit = None if abbreviation else (self.unit_id.code or None)
        try:
            return format_notation(abbreviation, agency, unit)
        except NotationError as error:
            raise UserError(self.env._(error.template, **error.params)) from error

    def _vbdt_add_file(self, name, raw, role="attachment", description=False):
        """Attach ``raw`` bytes as a file of the document (used by imports)."""
        self.ensure_one()
        return self.env["vbdt.document.file"].create(
            {
                "document_id": self.id,
                "name": name,
                "role": role,
                "description": description,
                "datas": base64.b64encode(raw),
            }
        )

    def _vbdt_flag_rerouted(self, ended_company):
        """A package addressed to an ended agency landed here, at its
        successor: say so on the document and in the audit log, and ask the
        clerks to check it (called by vbdt_interconnect)."""
        self.ensure_one()
        note = self.env._(
            "Addressed to %(agency)s, which ended on %(date)s: received by its "
            "successor %(successor)s. Check the sender knows the current agency.",
            agency=ended_company.name,
            date=ended_company.vbdt_date_end.strftime("%d/%m/%Y"),
            successor=self.company_id.name,
        )
        self.message_post(body=note)
        self.env["vbdt.audit.log"]._log(
            self, "reorganise", f"rerouted from {ended_company.name}"[:250]
        )

    def _vbdt_reorg_return_draft(self):
        """Extension point: the document was carried over to a successor
        under the policy "return drafts"; vbdt_workflow ends its approval and
        gives it back to its drafter."""
        return True

    def _vbdt_check_clerk(self):
        if not self.env.user.has_group("vbdt_document.vbdt_document_group_clerk"):
            raise UserError(
                self.env._(
                    "Only the clerk (văn thư) can number, register or return documents."
                )
            )

    # ------------------------------------------------------------------ actions
    def action_issue(self):
        """Issue (phát hành): number from the outgoing register at this moment,
        date set, document locked; then hooks for seal and dispatch."""
        self._vbdt_check_clerk()
        for document in self:
            document._vbdt_check_issuable()
            day = fields.Date.context_today(document)
            number = document.register_id._allocate_number(day)
            document._vbdt_store_number(document._vbdt_prepare_issue_vals(number, day))
            self.env["vbdt.audit.log"]._log(document, "number", document.code)
            document.message_post(
                body=self.env._("Issued as %(code)s.", code=document.code)
            )
            document._vbdt_post_issue()
        return True

    def _vbdt_prepare_issue_vals(self, number, day):
        notation = self._vbdt_format_notation()
        year = day.year if self.legal_normative else None
        return {
            "number": number,
            "notation": notation,
            "code": format_code(number, notation, year),
            "document_date": day,
            "register_date": day,
            "register_year": day.year,
            "place": self.place or self.company_id.vbdt_place,
            "dispatch_date": day,
            "state": "issued",
        }

    def action_register(self):
        """Register an incoming document (vào sổ): arrival number and date."""
        self._vbdt_check_clerk()
        for document in self:
            document._vbdt_check_registrable()
            day = fields.Date.context_today(document)
            number = document.register_id._allocate_number(day)
            document._vbdt_store_number(
                {
                    "arrival_number": number,
                    "arrival_date": document.arrival_date or fields.Datetime.now(),
                    "register_date": day,
                    "register_year": day.year,
                    "state": "registered",
                }
            )
            self.env["vbdt.audit.log"]._log(
                document, "register", f"{number} - {document.code or ''}"
            )
            document.message_post(
                body=self.env._(
                    "Registered with arrival number %(number)s.", number=number
                )
            )
            document._vbdt_processing_event("03")
        return True

    def _vbdt_check_registrable(self):
        self.ensure_one()
        if self.direction != "incoming" or self.state != "received":
            raise UserError(
                self.env._(
                    "%(document)s is not waiting for registration.",
                    document=self.display_name,
                )
            )
        if self.duplicate_of_id:
            raise UserError(
                self.env._(
                    "%(document)s repeats %(existing)s, which is already in the "
                    "system: "
                    "return or cancel it instead of registering it twice.",
                    document=self.display_name,
                    existing=self.duplicate_of_id.display_name,
                )
            )
        if (
            not (self.sender_agency_id or self.sender_name)
            or not self.code
            or not self.document_date
            or not self.register_id
        ):
            raise UserError(
                self.env._(
                    "Fill in the sender, number and notation, document date and "
                    "register "
                    "before registering %(document)s.",
                    document=self.display_name,
                )
            )

    def action_return_wizard(self):
        self._vbdt_check_clerk()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return Document"),
            "res_model": "vbdt.document.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_ids": self.ids},
        }

    def _vbdt_return(self, reason):
        """Return a received document to its sender (status 02, reason required)."""
        self._vbdt_check_clerk()
        for document in self:
            if document.direction != "incoming" or document.state != "received":
                raise UserError(
                    self.env._(
                        "Only documents waiting for registration can be returned."
                    )
                )
            document._vbdt_write_lifecycle({"state": "returned"})
            self.env["vbdt.audit.log"]._log(document, "return", reason)
            document.message_post(
                body=self.env._("Returned to the sender: %(reason)s", reason=reason)
            )
            document._vbdt_processing_event("02", reason)
        return True

    def _vbdt_check_may_drop(self):
        """Who may cancel or restore a document: the clerk, or for an
        outgoing draft the people drafting it (Document Office
        administrators too)."""
        user = self.env.user
        if self.env.su:  # server code (demo data, withdrawals) decided already
            return
        for document in self:
            if user.has_group(
                "vbdt_document.vbdt_document_group_clerk"
            ) or user.has_group("vbdt_document.vbdt_document_group_manager"):
                continue
            if (
                document.direction == "outgoing"
                and user in document.drafter_id | document.create_uid
            ):
                continue
            raise UserError(
                self.env._(
                    "Only the clerk or the drafter can cancel or restore %(document)s.",
                    document=document.display_name,
                )
            )

    def action_cancel(self):
        self._vbdt_check_may_drop()
        for document in self:
            if document.state not in ("draft", "received"):
                raise UserError(
                    self.env._(
                        "Only drafts and documents waiting for registration can be "
                        "cancelled."
                    )
                )
        self._vbdt_write_lifecycle({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        """Restore a cancelled draft. A document that was numbered (issued,
        registered, then withdrawn) stays cancelled: reusing it would give
        one number two contents."""
        self._vbdt_check_may_drop()
        if any(d.state != "cancelled" for d in self):
            raise UserError(self.env._("Only cancelled documents can be restored."))
        for document in self:
            if (
                (document.number and document.direction == "outgoing")
                or document.arrival_number
                or document.register_year
            ):
                raise UserError(
                    self.env._(
                        "%(document)s was numbered before it was cancelled: draft a "
                        "new "
                        "document instead.",
                        document=document.display_name,
                    )
                )
            document._vbdt_write_lifecycle(
                {"state": "draft" if document.direction == "outgoing" else "received"}
            )
        return True

    def action_save_and_new(self):
        """Lưu và thêm mới: the record was saved by the button; open an empty
        form of the same direction for the next document of the pile."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Incoming Document")
            if self.direction == "incoming"
            else self.env._("New Outgoing Document"),
            "res_model": "vbdt.document",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_direction": self.direction,
                "default_arrival_channel": self.arrival_channel,
                "default_register_id": self.register_id.id,
            },
        }

    # ------------------------------------------------------------------ corrections
    def _vbdt_check_correctable(self, reason):
        self.ensure_one()
        user = self.env.user
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the correction."))
        if self.direction != "outgoing" or self.state != "issued":
            raise UserError(
                self.env._("Only an issued document can be corrected (đính chính).")
            )
        if not (
            user.has_group("vbdt_document.vbdt_document_group_clerk")
            or user.has_group("vbdt_document.vbdt_document_group_leader")
            or user == self.drafter_id
        ):
            raise UserError(
                self.env._(
                    "Only the clerk, a leader or the drafter can start a correction of "
                    "%(document)s.",
                    document=self.display_name,
                )
            )

    def action_correct_wizard(self):
        self._vbdt_check_correctable("-")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct an Issued Document"),
            "res_model": "vbdt.document.correct",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def action_correct(self, reason):
        """Correct an issued document (đính chính): the issued one stays as it
        is; a new outgoing draft linked to it goes through approval, signature
        and issue like any other. Returns the new draft's form."""
        self._vbdt_check_correctable(reason)
        reason = reason.strip()
        correction = self._vbdt_create_lifecycle(
            [
                {
                    "direction": "outgoing",
                    "company_id": self.company_id.id,
                    "subject": self.env._(
                        "Correction of %(code)s: %(subject)s",
                        code=self.code,
                        subject=self.subject,
                    ),
                    "content": reason,
                    "document_type_id": self.document_type_id.id,
                    "register_id": self.register_id.id,
                    "unit_id": self.unit_id.id,
                    "confidentiality": self.confidentiality,
                    "recipient_agency_ids": [
                        Command.set(self.recipient_agency_ids.ids)
                    ],
                    "drafter_id": self.env.uid,
                    "corrected_document_id": self.id,
                }
            ]
        )
        self.env["vbdt.audit.log"]._log(
            self, "correct", f"{correction.id}: {reason}"[:250]
        )
        self.message_post(
            body=self.env._(
                "Correction started (%(correction)s): %(reason)s",
                correction=correction.display_name,
                reason=reason,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "vbdt.document",
            "res_id": correction.id,
            "view_mode": "form",
            "context": {"default_direction": "outgoing"},
        }

    # ------------------------------------------------------------------ database
    def init(self):
        """Integrity of the numbering here; speed in ``db_tuning.py``."""
        cr = self.env.cr
        # A number is held by one document per register and year: the last
        # guard behind the register's row lock, for data written outside the
        # application (reported in words by _vbdt_store_number).
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS vbdt_document_outgoing_number_uniq "
                "ON vbdt_document (register_id, register_year, number) "
                "WHERE direction = 'outgoing' AND number IS NOT NULL "
                "AND number > 0"
            )
        )
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS vbdt_document_arrival_number_uniq "
                "ON vbdt_document (register_id, register_year, arrival_number) "
                "WHERE direction = 'incoming' AND arrival_number IS NOT NULL "
                "AND arrival_number > 0"
            )
        )
        db_tuning.tune_document_table(self)

    # ==================================================================
    # EXTENSION POINTS
    #
    # The only places where vbdt_workflow, vbdt_signature, vbdt_interconnect
    # and vbdt_records change what a document does; docs/HOOKS.md maps each
    # one (defined in, overridden by, called from, ordering) and must stay
    # in sync with this section. No addon looks for another: a feature that
    # needs two addons meets here.
    #
    # Rules for overriders:
    # - all hooks are private (``_vbdt_``): RPC cannot call them;
    # - a hook that checks or prepares works before ``super()``, a hook that
    #   follows up (dispatch, status packages, route steps) calls ``super()``
    #   first, so that the load order of sibling addons does not matter;
    # - state-set and field-set hooks return new sets: widen with
    #   ``super() | {...}`` or replace; never mutate what super() returned;
    # - each docstring says when the hook is called (Called) and what an
    #   override must do and return (Override).
    # ==================================================================

    # ---------------------------------------------------- states
    @api.model
    def _vbdt_closed_states(self):
        """States in which a document needs nobody's action.

        Called: by ``_compute_is_closed`` (stored ``is_closed``).
        Override: return ``super() | {...}`` (vbdt_workflow adds ``done``).
        """
        return {"issued", "returned", "cancelled"}

    @api.model
    def _vbdt_editable_states(self):
        """States in which the locked fields (number, date, summary, signer…,
        ``_vbdt_locked_fields``) may still change.

        Called: by the write guard ``_check_write_locked_fields``.
        Override: return ``super() | {...}`` (vbdt_workflow adds ``review``).
        """
        return {"draft", "received"}

    @api.model
    def _vbdt_signable_states(self):
        """States in which the competent person signs an outgoing document
        (digitally, vbdt_signature).

        Called: before a person signature (``_vbdt_check_person_can_sign``).
        Override: return the set that replaces this one (vbdt_workflow:
        ``{"to_sign"}``, the signer step of the approval route).
        """
        return {"draft"}

    @api.model
    def _vbdt_issuable_states(self):
        """States from which the clerk may issue an outgoing document.

        Called: by ``_vbdt_check_issuable``.
        Override: return the set that replaces this one (vbdt_workflow:
        ``{"signed"}``: a draft must be approved and signed first).
        """
        return {"draft"}

    # ---------------------------------------------------- guarded fields
    @api.model
    def _vbdt_server_fields(self):
        """Fields only the action methods write (through
        ``_vbdt_write_lifecycle``); no client value is ever accepted.

        Called: by the create and write guards.
        Override: return ``super() | {...}`` with the addon's own fields.
        """
        return set(SERVER_FIELDS)

    @api.model
    def _vbdt_locked_fields(self):
        """Fields frozen once a document leaves ``_vbdt_editable_states``.

        Called: by the write guard ``_check_write_locked_fields``.
        Override: return ``super() | {...}``.
        """
        return set(LOCKED_FIELDS)

    # ---------------------------------------------------- signing
    def _vbdt_requires_digital_signature(self):
        """True when the signer must sign digitally rather than confirm
        having signed the paper original.

        Called: by vbdt_workflow (refuses a mere confirmation, shows the
        confirm button) and vbdt_signature (seal plan at issue).
        Override: return a bool (vbdt_signature: the agency's setting).
        """
        return False

    def _vbdt_signing_delegation(self, user):
        """Whether ``user`` may sign this document as its competent person:
        ``(True, delegation or None)``, or ``(False, None)``.

        Called: by vbdt_signature before a person signature and for the
        "may sign" flag; the delegation returned is passed on to
        ``_vbdt_signer_block_vals``.
        Override: vbdt_workflow answers on the signer step of the route, for
        the signer or a deputy under a valid delegation (whose authority
        prefix then goes on the signature block, §B3). Return the pair.
        """
        self.ensure_one()
        return (self.signer_id == user, None)

    def _vbdt_expected_signers(self):
        """Who is expected to sign this document as its competent person.
        Not the signature block: ``signer_id`` is the drafted signer until a
        signature is made, then who signed (``_vbdt_write_signer_block``).

        Called: by vbdt_signature when it refuses a person signature (the
        message names who may sign).
        Override: vbdt_workflow answers the signers of the route's signer
        step once the draft is there. Return ``res.users``.
        """
        self.ensure_one()
        return self.signer_id

    def _vbdt_printed_signer_name(self, user):
        """Name printed under the signature when ``user`` signs: the drafted
        printed name when the named signer signs, the deputy's own name when
        a deputy signs in their place (§B3).

        Called: by vbdt_signature before the signature image is placed, and
        by ``_vbdt_signer_block_vals``. Not overridden: one decision.
        """
        self.ensure_one()
        if user == self.signer_id:
            return self.signer_name or user.name
        return user.name

    def _vbdt_signer_block_vals(self, user, delegation=None):
        """The signature block (signer, printed name, authority prefix,
        position) of this document signed by ``user`` under ``delegation``
        (what ``_vbdt_signing_delegation`` returned).

        Called: only by ``_vbdt_write_signer_block``.
        Override: call ``super()`` first, then add or replace keys and
        return the dict; never write (vbdt_workflow adds the delegation's
        authority prefix and the position printed for the deputy).
        """
        self.ensure_one()
        return {
            "signer_id": user.id,
            "signer_name": self._vbdt_printed_signer_name(user),
        }

    def _vbdt_write_signer_block(self, user, delegation=None, printed_name=None):
        """The one writer of the signature block once a signature is made;
        ``printed_name`` is the name already printed in a signed PDF, which
        the record must repeat. Writes only the values that change, so a
        second caller within the same action writes nothing.

        Called: by vbdt_signature after a valid person signature (before
        ``_vbdt_mark_signed``) and by vbdt_workflow when the signer step is
        completed (confirmation, or the digital signature above).
        Override: none; extend ``_vbdt_signer_block_vals``.
        """
        self.ensure_one()
        vals = self._vbdt_signer_block_vals(user, delegation)
        if printed_name:
            vals["signer_name"] = printed_name
        changed = {
            name: value
            for name, value in vals.items()
            if self._fields[name].convert_to_write(self[name], self) != value
        }
        if changed:
            self._vbdt_write_lifecycle(changed)
        return True

    def _vbdt_mark_signed(self):
        """The competent person signed and the block is written.

        Called: by vbdt_signature after a valid person signature replaced
        the main text and ``_vbdt_write_signer_block`` ran.
        Override: call ``super()`` first, then move on (vbdt_workflow
        completes the signer step: ``to_sign`` → ``signed``). Return True.
        """
        return True

    # ---------------------------------------------------- issue
    def _vbdt_check_issuable(self):
        """Refuse the issue of an outgoing document.

        Called: by ``action_issue`` before a number is drawn, so that a
        refusal loses no number.
        Override: call ``super()`` first, then raise ``UserError`` for what
        your addon refuses (vbdt_signature: no valid person signature, no
        seal certificate); return what super() returned.
        """
        self.ensure_one()
        if (
            self.direction != "outgoing"
            or self.state not in self._vbdt_issuable_states()
        ):
            raise UserError(
                self.env._(
                    "%(document)s cannot be issued in its current state.",
                    document=self.display_name,
                )
            )
        if not self.document_type_id or not self.register_id:
            raise UserError(
                self.env._(
                    "Set the document type and the register before issuing "
                    "%(document)s.",
                    document=self.display_name,
                )
            )

    def _vbdt_post_issue(self):
        """Follow-ups of an issued document (seal, dispatch).

        Called: by ``action_issue`` once number and date are written.
        Override: the seal (vbdt_signature) works **before** ``super()``,
        dispatch (vbdt_interconnect) **after** it, so dispatch always sees
        the sealed files whatever the load order. Return super()'s value.
        """
        return True

    # ---------------------------------------------------- incoming processing
    def _vbdt_processing_event(self, status_code, note=False):
        """A processing step of an incoming document, with its edXML status
        code (02 returned, 03 registered, 04 assigned, 05 processing, 06
        completed; docs/DOMAIN.md §B5).

        Called: by ``action_register`` (03) and ``_vbdt_return`` (02), by
        vbdt_workflow for 04, 05, 06, after the document's own write.
        Override: call ``super()`` first (vbdt_interconnect queues the
        status package to the sender); a raise rolls the step back. Return
        True.
        """
        return True

    def _vbdt_withdraw(self, note):
        """Cancel a document whatever its state because its sender took it
        back or revoked it: kept, never deleted, reason in the chatter.

        Called: by vbdt_interconnect once the clerk agreed to a take-back or
        a revocation, and for a replaced document.
        Override: close your addon's open work **before** ``super()``
        (vbdt_workflow: assignments, extensions, activities), so that
        handling is closed before the state becomes ``cancelled``.
        """
        for document in self.filtered(lambda d: d.state != "cancelled"):
            # sudo: the callers checked the clerk and the sender's request;
            # the document may be out of the clerk's record rules.
            document.sudo()._vbdt_write_lifecycle({"state": "cancelled"})
            document.message_post(body=note)
        return True
