from odoo import api, fields, models

REVIEW_STATUS = [
    ("waiting", "Waiting"),
    ("pending", "To Review"),
    ("approved", "Approved"),
    ("returned", "Returned"),
    ("rejected", "Rejected"),
    ("skipped", "Not Needed"),
    ("cancelled", "Cancelled"),
]


class VbdtReview(models.Model):
    """One reviewer slot of one step of an approval round, on any record
    that opts in (generic ``model``/``res_id`` as in tier.review)."""

    _name = "vbdt.review"
    _description = "Review"
    _order = "round desc, sequence, id"

    model = fields.Char(required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        model_field="model", required=True, index=True, readonly=True
    )
    res_name = fields.Char(compute="_compute_res_name")
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    route_id = fields.Many2one("vbdt.approval.route", readonly=True)
    step_id = fields.Many2one(
        "vbdt.approval.route.step",
        string="Route Step",
        readonly=True,
        ondelete="set null",
    )
    name = fields.Char(string="Step", readonly=True)
    round = fields.Integer(
        default=1, readonly=True, help="Submission this review belongs to."
    )
    sequence = fields.Integer(readonly=True)
    mode = fields.Selection(
        [("all", "All"), ("any", "Any")], default="any", readonly=True
    )
    is_signer_step = fields.Boolean(readonly=True)
    reviewer_ids = fields.Many2many(
        "res.users",
        "vbdt_review_reviewer_rel",
        "review_id",
        "user_id",
        string="Reviewers",
    )
    delegate_ids = fields.Many2many(
        "res.users",
        "vbdt_review_delegate_rel",
        "review_id",
        "user_id",
        string="Delegates",
        help="People who may act for the reviewers by delegation.",
    )
    status = fields.Selection(
        REVIEW_STATUS, default="waiting", required=True, index=True
    )
    deadline = fields.Date()
    done_by_id = fields.Many2one("res.users", string="Done By", readonly=True)
    done_date = fields.Datetime(readonly=True)
    delegation_id = fields.Many2one(
        "vbdt.delegation",
        readonly=True,
        help="Delegation under which the action was taken.",
    )
    forwarded_from_id = fields.Many2one("res.users", readonly=True)
    comment = fields.Text()
    restricted = fields.Boolean(
        readonly=True,
        help="The reviewed record is secret: only its reviewers see this row.",
    )
    user_can_read_record = fields.Boolean(
        compute="_compute_user_can_read_record",
        search="_search_user_can_read_record",
        help=(
            "The current user may read the reviewed record (the record rule of "
            "reviews)."
        ),
    )

    @api.depends("model", "res_id")
    def _compute_res_name(self):
        for review in self:
            record = review._get_record()
            review.res_name = (
                record.display_name if record and record.has_access("read") else False
            )

    @api.depends_context("uid")
    def _compute_user_can_read_record(self):
        for review in self:
            record = review._get_record()
            # Record rules evaluate this field on a superuser copy of the
            # review (filtered_domain): ask for the real user, not sudo.
            review.user_can_read_record = bool(record) and record.sudo(
                False
            ).has_access("read")

    def _search_user_can_read_record(self, operator, value):
        """Reviews carry their record's content (comments): they are read by
        whoever may read the record. Documents, the only records reviewed
        today, answer with their own rules (``user_can_read``)."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        readable = self.env["vbdt.document"].sudo(False)._search([])
        domain = ["|", ("model", "!=", "vbdt.document"), ("res_id", "in", readable)]
        return domain if (operator == "=") == value else ["!", *domain]

    def _get_record(self):
        self.ensure_one()
        if not self.model or not self.res_id or self.model not in self.env:
            return None
        return self.env[self.model].browse(self.res_id)

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
