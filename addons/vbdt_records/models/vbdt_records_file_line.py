from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

ITEM_KINDS = [
    ("document", "Document"),
    ("copy", "Copy"),
    ("note", "Note"),
    ("minutes", "Minutes"),
    ("scan", "Scan"),
    ("other", "Other item"),
]


class VbdtRecordsFileLine(models.Model):
    """One item of a case file, in order: a document of the office, a copy
    the agency made (sao y, trích sao, sao lục) or another item (note,
    minutes, scan). A document or a copy may sit in several files."""

    _name = "vbdt.records.file.line"
    _description = "Case File Item"
    _order = "file_id, sequence, id"
    _check_company_auto = True

    file_id = fields.Many2one(
        "vbdt.records.file", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="file_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=0)
    ordinal = fields.Integer(
        compute="_compute_ordinal",
        store=True,
        help="Position of the item in the file (số thứ tự), the same for every reader.",
    )
    kind = fields.Selection(ITEM_KINDS, required=True, default="document")
    document_id = fields.Many2one(
        "vbdt.document", index=True, ondelete="restrict", check_company=True
    )
    copy_id = fields.Many2one(
        "vbdt.records.copy",
        string="Copy",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="A copy made by the agency: the item is read by exactly those who "
        "read the copy's original.",
    )
    name = fields.Char(
        string="Description", help="Description of an item that is not a document."
    )
    item_date = fields.Date()
    date = fields.Date(compute="_compute_date", store=True)
    page_count = fields.Integer(string="Pages")
    attachment = fields.Binary(attachment=True)
    attachment_name = fields.Char()

    _sql_constraints = [
        (
            "document_once",
            "UNIQUE(file_id, document_id)",
            "A document is in a case file once.",
        ),
        (
            "copy_once",
            "UNIQUE(file_id, copy_id)",
            "A copy is in a case file once.",
        ),
    ]

    @api.constrains("kind", "document_id", "copy_id", "name")
    def _check_kind(self):
        for line in self:
            if (line.kind == "document") != bool(line.document_id):
                raise ValidationError(
                    self.env._(
                        "A document item points to a document; other items do not."
                    )
                )
            if (line.kind == "copy") != bool(line.copy_id):
                raise ValidationError(
                    self.env._("A copy item points to a copy; other items do not.")
                )
            if line.kind not in ("document", "copy") and not line.name:
                raise ValidationError(
                    self.env._("Describe the item that is not a document.")
                )

    @api.depends("sequence", "file_id.line_ids.sequence")
    def _compute_ordinal(self):
        ranks = {}
        # Ordinals count every item of the file, so that they are the same for
        # every reader; only the number is stored.
        all_lines = self.file_id._all_lines()
        for case_file in self.file_id:
            ordered = case_file._lines_of(all_lines).sorted(
                key=lambda line: (line.sequence, line.id)
            )
            ranks.update({line.id: rank for rank, line in enumerate(ordered, start=1)})
        for line in self:
            line.ordinal = ranks.get(line.id, 0)

    @api.depends(
        "kind",
        "item_date",
        "document_id.document_date",
        "document_id.register_date",
        "copy_id.original_id.document_date",
        "copy_id.original_id.register_date",
    )
    def _compute_date(self):
        for line in self:
            # sudo: the line keeps its document's (or its copy's original's)
            # date, readable or not.
            document = line._original().sudo()
            line.date = (
                document.document_date or document.register_date
                if document
                else line.item_date
            )

    @api.depends("kind", "name", "document_id", "copy_id")
    def _compute_display_name(self):
        for line in self:
            if line.copy_id:
                # The user reads the item, hence the copy and its original.
                line.display_name = self.env._(
                    "Copy %(copy)s of %(original)s",
                    copy=line.copy_id.name or "",
                    original=line.copy_id.original_id.display_name,
                )
            else:
                line.display_name = (
                    line.document_id.display_name if line.document_id else line.name
                )

    def _original(self):
        """The document the item is or copies (empty for other items)."""
        self.ensure_one()
        return self.document_id or self.copy_id.original_id

    def _page_total(self):
        """Pages of the item: as entered, else its document's; a full copy or
        a sao lục has the pages of its original, an extract only those
        entered."""
        self.ensure_one()
        # sudo: only a number comes out (counts cover hidden items too).
        line = self.sudo()
        if line.page_count:
            return line.page_count
        if line.copy_id and line.copy_id.form == "trich_sao":
            return 0
        return line._original().page_count or 0

    # ------------------------------------------------------------------ guards
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("sequence") and vals.get("file_id"):
                vals["sequence"] = self._next_sequence(vals["file_id"])
        lines = super().create(vals_list)
        lines._check_may_change()
        lines._check_may_file_copy()
        return lines

    def write(self, vals):
        self._check_may_change()
        result = super().write(vals)
        if {"file_id", "document_id", "copy_id"} & set(vals):
            self._check_may_change()
            self._check_may_file_copy()
        return result

    def unlink(self):
        self._check_may_change()
        return super().unlink()

    def _check_may_change(self):
        """Items change only in open files the user may edit, and nobody files
        a document or a copy they cannot read."""
        if self.env.su:
            return
        self.file_id.check_access("write")
        self.file_id._check_open()
        self.document_id.check_access("read")
        self.copy_id.check_access("read")

    def _check_may_file_copy(self):
        """A copy goes into a file by a clerk or records officer of the copy's
        agency (the copy register is theirs), who reads the copy."""
        if self.env.su or not self.copy_id:
            return
        self.copy_id._vbdt_check_may_file()

    @api.model
    def _next_sequence(self, file_id):
        # sudo: new items go after every existing item, seen or not.
        last = self.sudo().search(
            [("file_id", "=", file_id)], order="sequence desc", limit=1
        )
        return (last.sequence or 0) + 10

    def action_move_up(self):
        self._move(-1)

    def action_move_down(self):
        self._move(1)

    def _move(self, step):
        """Swap the item with its neighbour among the items this user sees."""
        self.ensure_one()
        self._check_may_change()
        siblings = self.file_id.line_ids.sorted(
            key=lambda line: (line.sequence, line.id)
        )
        index = list(siblings).index(self) + step
        if not 0 <= index < len(siblings):
            raise UserError(self.env._("The item is already at that end of the file."))
        other = siblings[index]
        first, second = self.sequence, other.sequence
        if first == second:
            second = first + step
        self.sequence, other.sequence = second, first
        # The cached order of the file's items is stale now.
        self.file_id.invalidate_recordset(["line_ids"])
