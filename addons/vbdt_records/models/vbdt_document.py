from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

# States in which a document has not entered its register, or left the flow:
# nothing to file yet.
NOT_FILEABLE_STATES = {"draft", "received", "returned", "cancelled"}
# The moment the handler is asked to file the document: an incoming document
# completed, an outgoing one issued.
FILING_MOMENTS = {("incoming", "done"), ("outgoing", "issued")}


class VbdtDocument(models.Model):
    _inherit = "vbdt.document"

    records_line_ids = fields.One2many(
        "vbdt.records.file.line", "document_id", string="Case File Items"
    )
    records_copy_ids = fields.One2many(
        "vbdt.records.copy", "original_id", string="Copies Made"
    )
    records_proposed_file_id = fields.Many2one(
        "vbdt.records.file",
        string="Proposed Case File",
        compute="_compute_records_proposed_file_id",
        help="An open case file holding a document this one answers or that answers "
        "it, else an open case file of the file plan that collects documents of "
        "this type (the unit's first, then the user's own); the handler confirms "
        "before the document is filed.",
    )
    records_filing_noticed = fields.Boolean(
        string="Filing Notice Sent",
        readonly=True,
        copy=False,
        help="The handler was asked once to file the document in its proposed "
        "case file.",
    )

    def _vbdt_server_fields(self):
        return super()._vbdt_server_fields() | {"records_filing_noticed"}

    def _records_fileable(self):
        """Registered, being handled or done (incoming), issued (outgoing)."""
        self.ensure_one()
        if not self.id or self.state in NOT_FILEABLE_STATES:
            return False
        return self.direction == "incoming" or self.state == "issued"

    @api.depends_context("uid")
    @api.depends("state", "response_for_ids", "document_type_id", "unit_id")
    def _compute_records_proposed_file_id(self):
        Line = self.env["vbdt.records.file.line"]
        for document in self:
            document.records_proposed_file_id = (
                document._records_proposals(Line)[:1]
                if document._records_fileable()
                else False
            )

    def _records_proposals(self, Line):
        """Open files this user may see that do not hold this document yet: the
        files of related documents first, then the files of the plan items
        that collect its type. Searched as the user, so the rules of files
        apply."""
        filed = Line.search([("document_id", "=", self.id)]).file_id
        return (self._records_related_files(Line) | self._records_plan_files()) - filed

    def _records_related_files(self, Line):
        """Open files holding a document this one answers or that answers it."""
        replies = self.search([("response_for_ids", "in", self.ids)])
        related = (self.response_for_ids | replies) - self
        if not related:
            return self.env["vbdt.records.file"]
        lines = Line.search(
            [("document_id", "in", related.ids), ("file_id.state", "=", "open")],
            order="id desc",
        )
        return lines.file_id

    def _records_plan_files(self):
        """Open files of the document's agency whose planned file collects its
        type: the document's unit first, then the files this user is
        responsible for, the newest year first."""
        Files = self.env["vbdt.records.file"]
        if not self.document_type_id or not self.env[
            "vbdt.records.plan.item"
        ].has_access("read"):
            return Files
        files = Files.search(
            [
                ("state", "=", "open"),
                ("company_id", "=", self.company_id.id),
                ("plan_item_id.document_type_ids", "in", self.document_type_id.ids),
            ]
        )
        user = self.env.user
        return files.sorted(
            key=lambda case_file: (
                not self.unit_id or case_file.unit_id != self.unit_id,
                case_file.responsible_id != user,
                -case_file.year,
                case_file.id,
            )
        )

    def action_records_file_proposed(self):
        """The handler confirms the proposed file: the document is added to it."""
        self.ensure_one()
        case_file = self.records_proposed_file_id
        if not case_file:
            raise UserError(self.env._("No case file is proposed for this document."))
        self.env["vbdt.records.file.line"].create(
            {"file_id": case_file.id, "document_id": self.id}
        )
        return True

    # ------------------------------------------------------------ filing notice
    def _vbdt_write_lifecycle(self, vals):
        before = {document.id: document.state for document in self}
        result = super()._vbdt_write_lifecycle(vals)
        if vals.get("state"):
            self.filtered(
                lambda document: before.get(document.id) != document.state
                and (document.direction, document.state) in FILING_MOMENTS
            )._records_notify_filing()
        return result

    def _records_handler(self):
        """Who files the document: the drafter of an outgoing document, the
        user completing the handling of an incoming one."""
        self.ensure_one()
        if self.direction == "outgoing":
            return self.drafter_id
        return self.env.user if self.env.uid != SUPERUSER_ID else self.drafter_id

    def _records_notify_filing(self):
        """Once, when an incoming document is completed or an outgoing one is
        issued: a to-do for the handler to file the document in the file
        proposed to them, if it is in no case file yet and they may read it."""
        activity_type = self.env.ref("mail.mail_activity_data_todo", False)
        for document in self:
            # sudo: only whether the notice was sent and whether the document
            # sits in some case file come out of these two reads.
            if document.sudo().records_filing_noticed or (
                self.env["vbdt.records.file.line"]
                .sudo()
                .search_count([("document_id", "=", document.id)], limit=1)
            ):
                continue
            handler = document._records_handler()
            if (
                not handler
                or handler.share
                or document.company_id not in handler.company_ids
            ):
                continue
            as_handler = document.with_user(handler).with_context(
                allowed_company_ids=document.company_id.ids, lang=handler.lang
            )
            # A secret document's non-readers get no notice (and no file name).
            if not as_handler._filtered_access("read"):
                continue
            case_file = as_handler.records_proposed_file_id
            if not case_file:
                continue
            # The code only: the summary is shown to every reader of the
            # document, and a file holding a secret document shows its title
            # to that document's readers alone.
            summary = as_handler.env._(
                "File this document in case file %(code)s", code=case_file.code
            )
            # sudo: the server leaves the handler a to-do on a document they
            # read; whoever issued or completed it need not manage activities.
            document.sudo().activity_schedule(
                activity_type_id=activity_type.id if activity_type else False,
                summary=summary,
                user_id=handler.id,
            )
            # sudo: the notice flag is a server field, written only here.
            document.sudo()._vbdt_write_lifecycle({"records_filing_noticed": True})

    def action_records_make_copy(self):
        """Open the Make a Copy form; the copy itself checks who may make it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Make a Copy"),
            "res_model": "vbdt.records.copy.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }
