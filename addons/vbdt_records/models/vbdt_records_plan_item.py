from odoo import api, fields, models
from odoo.exceptions import UserError


class VbdtRecordsPlanItem(models.Model):
    """A file planned for the year: code, title, retention, who builds it."""

    _name = "vbdt.records.plan.item"
    _description = "Planned File"
    _order = "plan_id, heading_sequence, number, id"
    _rec_names_search = ["code", "title"]

    plan_id = fields.Many2one(
        "vbdt.records.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    year = fields.Integer(related="plan_id.year", store=True)
    heading_id = fields.Many2one(
        "vbdt.records.plan.heading",
        required=True,
        ondelete="restrict",
        domain="[('plan_id', '=', plan_id)]",
    )
    heading_sequence = fields.Integer(related="heading_id.sequence", store=True)
    number = fields.Integer(required=True, copy=False)
    code = fields.Char(compute="_compute_code", store=True, index=True)
    title = fields.Char(required=True)
    retention_id = fields.Many2one(
        "vbdt.records.retention", string="Retention", required=True
    )
    responsible_id = fields.Many2one("res.users", string="Responsible")
    unit_id = fields.Many2one("vbdt.unit", string="Unit")
    file_ids = fields.One2many("vbdt.records.file", "plan_item_id", string="Case Files")
    document_type_ids = fields.Many2many(
        "vbdt.document.type",
        "vbdt_records_plan_item_document_type_rel",
        "plan_item_id",
        "document_type_id",
        string="Document Types Collected",
        help="Documents of these types are proposed for the open case files of "
        "this planned file, when they are registered, handled or issued.",
    )

    _sql_constraints = [
        (
            "code_unique",
            "UNIQUE(plan_id, code)",
            "Two planned files of a plan have the same code.",
        ),
    ]

    @api.depends("number", "heading_id.abbreviation", "plan_id.code_order")
    def _compute_code(self):
        for item in self:
            item.code = item.plan_id._format_code(
                item.number, item.heading_id.abbreviation
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if (
                not vals.get("number")
                and vals.get("plan_id")
                and vals.get("heading_id")
            ):
                plan = self.env["vbdt.records.plan"].browse(vals["plan_id"])
                heading = self.env["vbdt.records.plan.heading"].browse(
                    vals["heading_id"]
                )
                vals["number"] = plan._next_number(heading)
        return super().create(vals_list)

    @api.depends("code", "title")
    def _compute_display_name(self):
        for item in self:
            item.display_name = f"{item.code} {item.title}"

    def action_open_file(self):
        """Open the case file of this planned file (hồ sơ mở theo danh mục)."""
        self.ensure_one()
        # sudo: a file opened by someone else for this planned file counts
        # too; only whether one exists comes out.
        if (
            self.env["vbdt.records.file"]
            .sudo()
            .search_count([("plan_item_id", "=", self.id)])
        ):
            raise UserError(
                self.env._(
                    "A case file is already open for planned file %(code)s.",
                    code=self.code,
                )
            )
        case_file = self.env["vbdt.records.file"].create(self._prepare_file_vals())
        return {
            "type": "ir.actions.act_window",
            "res_model": "vbdt.records.file",
            "res_id": case_file.id,
            "view_mode": "form",
        }

    def _prepare_file_vals(self):
        return {
            "plan_item_id": self.id,
            "company_id": self.company_id.id,
            "code": self.code,
            "title": self.title,
            "year": self.year,
            "retention_id": self.retention_id.id,
            "responsible_id": (self.responsible_id or self.env.user).id,
            "unit_id": self.unit_id.id or self.heading_id.unit_id.id,
        }
