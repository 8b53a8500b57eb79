from odoo import api, fields, models
from odoo.exceptions import ValidationError

REVIEWER_TYPES = [
    ("user", "Specific Users"),
    ("group", "Members of a Group"),
    ("unit_head", "Head of the Drafting Unit"),
    ("field", "User in a Field of the Document"),
]


class VbdtApprovalRouteStep(models.Model):
    _name = "vbdt.approval.route.step"
    _description = "Approval Route Step"
    _order = "route_id, sequence, id"

    route_id = fields.Many2one(
        "vbdt.approval.route", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="route_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    reviewer_type = fields.Selection(REVIEWER_TYPES, required=True, default="user")
    user_ids = fields.Many2many("res.users", string="Reviewers")
    group_id = fields.Many2one("res.groups", string="Group")
    field_id = fields.Many2one(
        "ir.model.fields",
        string="Field",
        ondelete="cascade",
        domain="[('model', '=', parent.model), ('relation', '=', 'res.users'), "
        "('ttype', 'in', ('many2one', 'many2many'))]",
    )
    mode = fields.Selection(
        [("all", "All must approve"), ("any", "Any one approves")],
        required=True,
        default="any",
    )
    is_signer_step = fields.Boolean(
        string="Signer Step", help="The person of this step signs the document."
    )
    deadline_days = fields.Integer(
        string="Time (working days)",
        default=2,
        help="Deadline of the reviewers' activity, in working days.",
    )

    @api.constrains("reviewer_type", "user_ids", "group_id", "field_id")
    def _check_reviewer_source(self):
        for step in self:
            missing = (
                (step.reviewer_type == "user" and not step.user_ids)
                or (step.reviewer_type == "group" and not step.group_id)
                or (step.reviewer_type == "field" and not step.field_id)
            )
            if missing:
                raise ValidationError(
                    self.env._(
                        "Step %(step)s needs its reviewers (users, group or field).",
                        step=step.name,
                    )
                )

    def _vbdt_no_reviewer_message(self, record):
        """Why this step finds nobody for ``record``, in a sentence that says
        what to configure and who can."""
        self.ensure_one()
        names = {
            "step": self.name,
            "route": self.route_id.name,
            "record": record.display_name,
        }
        if self.reviewer_type == "unit_head":
            unit = record._vbdt_review_unit()
            if not unit:
                return self.env._(
                    "Step %(step)s of route %(route)s goes to the head of the "
                    "drafting unit, but %(record)s has no unit: choose it on the "
                    "draft (Signature and Drafting tab), or ask the Document Office "
                    "administrator to add you to your unit (Configuration > Units).",
                    **names,
                )
            return self.env._(
                "Step %(step)s of route %(route)s goes to the head of %(unit)s, "
                "which has none: the Document Office administrator sets the head "
                "of the unit (Configuration > Units).",
                unit=unit.name,
                **names,
            )
        return self.env._(
            "Step %(step)s of route %(route)s finds no active reviewer of "
            "%(agency)s for %(record)s: the Document Office administrator sets "
            "its reviewers (Configuration > Approval Routes).",
            agency=record.company_id.name or "-",
            **names,
        )

    def _get_reviewers(self, record):
        """Users who review ``record`` at this step."""
        self.ensure_one()
        users = self.env["res.users"]
        if self.reviewer_type == "user":
            users = self.user_ids
        elif self.reviewer_type == "group":
            users = self.group_id.users
        elif self.reviewer_type == "unit_head":
            users = record._vbdt_review_unit().manager_id
        elif self.reviewer_type == "field":
            # sudo: the reviewer named by a field of the record, whoever submits it
            users = record.sudo()[self.field_id.name]
        company = record.company_id
        return users.filtered(lambda u: u.active and company in u.company_ids)
