from odoo import api, fields, models
from odoo.exceptions import UserError

# States in which a document has not entered its register, or left the flow:
# nothing to file yet.
NOT_FILEABLE_STATES = {"draft", "received", "returned", "cancelled"}


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
        "it; the handler confirms before the document is filed.",
    )

    @api.depends_context("uid")
    @api.depends("state", "response_for_ids")
    def _compute_records_proposed_file_id(self):
        Line = self.env["vbdt.records.file.line"]
        for document in self:
            document.records_proposed_file_id = (
                document._records_proposals(Line)[:1]
                if document.id and document.state not in NOT_FILEABLE_STATES
                else False
            )

    def _records_proposals(self, Line):
        """Open files this user may see that hold a related document and not
        this one yet; searched as the user, so the rules of files apply."""
        replies = self.search([("response_for_ids", "in", self.ids)])
        related = (self.response_for_ids | replies) - self
        if not related:
            return self.env["vbdt.records.file"]
        lines = Line.search(
            [("document_id", "in", related.ids), ("file_id.state", "=", "open")],
            order="id desc",
        )
        filed = Line.search([("document_id", "=", self.id)]).file_id
        return lines.file_id - filed

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
