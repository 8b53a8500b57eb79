from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from odoo.addons.vbdt_document.models.lifecycle import is_unlocked, unlocked

VALIDATION_STATUS = [
    ("none", "Not Submitted"),
    ("pending", "Under Review"),
    ("to_sign", "Waiting for Signature"),
    ("signed", "Signed"),
    ("returned", "Returned for Rework"),
    ("rejected", "Rejected"),
]
ACTIVITY_REVIEW = "vbdt_workflow.vbdt_workflow_activity_type_review"
ACTIVITY_SIGN = "vbdt_workflow.vbdt_workflow_activity_type_sign"
ACTIVITY_REWORK = "vbdt_workflow.vbdt_workflow_activity_type_rework"
# Written by the approval actions only.
REVIEW_SERVER_FIELDS = {
    "validation_status",
    "review_route_id",
    "review_round",
    "review_ids",
}


class VbdtReviewMixin(models.AbstractModel):
    """Approval along a configured route, modelled on OCA ``tier.validation``.

    A host model opts in by inheriting this mixin, declaring its state wiring
    in the class attributes below and adding its name to
    ``vbdt.approval.route._get_vbdt_review_model_names``."""

    _name = "vbdt.review.mixin"
    _description = "Approval Route Mixin"

    # State wiring, as in tier.validation.
    _state_field = "state"
    _state_from = ["draft"]
    _state_review = "review"
    _state_to_sign = "to_sign"
    _state_signed = "signed"
    _cancel_state = "cancelled"

    review_ids = fields.One2many(
        "vbdt.review",
        "res_id",
        string="Reviews",
        copy=False,
        auto_join=True,
        domain=lambda self: [("model", "=", self._name)],
    )
    review_route_id = fields.Many2one(
        "vbdt.approval.route", string="Approval Route", copy=False, readonly=True
    )
    review_round = fields.Integer(copy=False, readonly=True)
    validation_status = fields.Selection(
        VALIDATION_STATUS,
        default="none",
        required=True,
        copy=False,
        index=True,
        readonly=True,
        tracking=True,
    )
    review_holder_ids = fields.Many2many(
        "res.users",
        string="Currently With",
        compute="_compute_review_holder_ids",
        help="Reviewers who hold the draft now.",
    )
    review_can_act = fields.Boolean(compute="_compute_review_holder_ids")
    review_is_mine = fields.Boolean(
        string="Waiting for Me",
        compute="_compute_review_holder_ids",
        search="_search_review_is_mine",
    )

    # ------------------------------------------------------------ override points
    def _vbdt_review_document_type(self):
        return self.env["vbdt.document.type"]

    def _vbdt_review_unit(self):
        return self.env["vbdt.unit"]

    def _vbdt_review_drafter(self):
        return self.create_uid

    def _vbdt_review_default_signer(self):
        """Signer used when the route has no signer step."""
        return self.env["res.users"]

    @api.model
    def _validated_states(self):
        return [self._state_signed]

    @api.model
    def _review_states(self):
        return [self._state_review, self._state_to_sign]

    def _vbdt_review_is_restricted(self):
        """Reviews of restricted records are visible to their reviewers only."""
        return False

    def _vbdt_review_locked_fields(self):
        """Fields nobody may change while a draft is under review."""
        return set()

    def _prepare_review_vals(self, step, users, sequence):
        return {
            "model": self._name,
            "res_id": self.id,
            "company_id": self.company_id.id,
            "route_id": step.route_id.id,
            "step_id": step.id,
            "name": step.name,
            "round": self.review_round,
            "sequence": sequence,
            "mode": step.mode,
            "is_signer_step": step.is_signer_step,
            "restricted": self._vbdt_review_is_restricted(),
            "reviewer_ids": [fields.Command.set(users.ids)],
        }

    def _get_review_notification_subtype(self, action):
        return {
            "request": "vbdt_workflow.mt_vbdt_review_requested",
            "approve": "vbdt_workflow.mt_vbdt_review_approved",
            "return": "vbdt_workflow.mt_vbdt_review_returned",
            "reject": "vbdt_workflow.mt_vbdt_review_rejected",
            "sign": "vbdt_workflow.mt_vbdt_review_signed",
        }.get(action, "mail.mt_note")

    def _vbdt_review_on_signer_step(self, rows):
        """Called when the draft reaches its signer step."""
        return True

    def _vbdt_review_on_submit(self):
        """Called after a submission created its reviews (versions, …)."""
        return True

    def _vbdt_sign(self, review, delegation):
        """Signature of the signer step. vbdt_signature overrides this to apply
        the person's PAdES signature; here the signer only confirms."""
        return True

    def _vbdt_review_post_sign(self, review, delegation):
        return True

    # ------------------------------------------------------------ computes
    @api.depends_context("uid")
    @api.depends(
        "review_round",
        "review_ids.status",
        "review_ids.reviewer_ids",
        "review_ids.delegate_ids",
    )
    def _compute_review_holder_ids(self):
        user = self.env.user
        for record in self:
            current = record._vbdt_review_current()
            record.review_holder_ids = current.reviewer_ids
            record.review_is_mine = record.review_can_act = bool(
                current.filtered(lambda r: user in r.reviewer_ids | r.delegate_ids)
            )

    def _search_review_is_mine(self, operator, value):
        reviews = (
            self.env["vbdt.review"]
            # sudo: the user's own review rows, also those of restricted drafts
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("status", "=", "pending"),
                    "|",
                    ("reviewer_ids", "in", self.env.uid),
                    ("delegate_ids", "in", self.env.uid),
                ]
            )
        )
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", reviews.mapped("res_id"))]

    # ------------------------------------------------------------ helpers
    def _vbdt_review_round_rows(self):
        self.ensure_one()
        return self.review_ids.filtered(lambda r: r.round == self.review_round)

    def _vbdt_review_current(self):
        """Pending reviews of the current step (one sequence of the round)."""
        self.ensure_one()
        return self._vbdt_review_round_rows().filtered(lambda r: r.status == "pending")

    def _vbdt_review_set_state(self, state, status):
        self._vbdt_review_write({self._state_field: state, "validation_status": status})

    def _vbdt_review_write(self, vals):
        """The approval actions' own write path: private, and the permission
        it grants ends with the call (hosts may log transitions)."""
        with unlocked(self):
            return self.write(vals)

    def _vbdt_review_deadline(self, step):
        days = step.deadline_days if step else 1
        return self.company_id._vbdt_add_working_days(
            fields.Date.context_today(self), days
        )

    # ------------------------------------------------------------ guards
    def _vbdt_review_check_state_on_write(self, vals):
        if is_unlocked(self):
            return
        if REVIEW_SERVER_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "Use the approval buttons to move a draft through its approval "
                    "route."
                )
            )
        if self._state_field not in vals:
            return
        controlled = set(self._review_states()) | set(self._validated_states())
        new_state = vals[self._state_field]
        leaving = self.filtered(lambda r: r[self._state_field] in self._review_states())
        if new_state in controlled or (leaving and new_state != self._cancel_state):
            raise UserError(
                self.env._(
                    "Use the approval buttons to move a draft through its approval "
                    "route."
                )
            )

    def _vbdt_review_check_write_allowed(self, vals):
        if is_unlocked(self):
            return
        locked = set(vals) & self._vbdt_review_locked_fields()
        frozen = set(self._review_states()) | set(self._validated_states())
        if locked and any(r[self._state_field] in frozen for r in self):
            raise UserError(
                self.env._(
                    "%(record)s is under review or signed: return it to the drafter "
                    "to change %(fields)s.",
                    record=self[:1].display_name,
                    fields=", ".join(self._fields[f].string for f in sorted(locked)),
                )
            )

    def write(self, vals):
        self._vbdt_review_check_state_on_write(vals)
        self._vbdt_review_check_write_allowed(vals)
        return super().write(vals)

    def _vbdt_check_review_action(self, action, comment=None):
        """All role checks of the approval actions (like
        hr.leave._check_approval_update). Returns the review the current user
        acts on and the delegation used, if any."""
        self.ensure_one()
        user = self.env.user
        if action == "submit":
            if self[self._state_field] not in self._state_from:
                raise UserError(
                    self.env._(
                        "%(record)s has already been submitted.",
                        record=self.display_name,
                    )
                )
            if (
                user != self._vbdt_review_drafter()
                and not self.env.su
                # sudo: whether the user works on the record; the list is not returned
                and user not in self.sudo().participant_ids
            ):
                raise UserError(self.env._("Only the drafter can submit the draft."))
            return None, None
        if action in ("return", "reject") and not (comment or "").strip():
            raise UserError(self.env._("Give the reason in a comment."))
        expected = {"sign": [self._state_to_sign], "approve": [self._state_review]}.get(
            action, self._review_states()
        )
        if self[self._state_field] not in expected:
            raise UserError(
                self.env._(
                    "%(record)s is not waiting for this action.",
                    record=self.display_name,
                )
            )
        current = self._vbdt_review_current()
        mine = current.filtered(lambda r: user in r.reviewer_ids)[:1]
        delegation = self.env["vbdt.delegation"]
        if not mine:
            purpose = "sign" if action == "sign" else "approve"
            for review in current:
                delegation = self.env["vbdt.delegation"]._find_active(
                    review.reviewer_ids, user, self, purpose=purpose
                )
                if delegation:
                    mine = review
                    break
        if not mine:
            raise UserError(
                self.env._(
                    "%(record)s is not waiting for you: only the reviewers of the "
                    "current "
                    "step (%(reviewers)s) can act on it.",
                    record=self.display_name,
                    reviewers=", ".join(current.reviewer_ids.mapped("name")) or "-",
                )
            )
        if mine.is_signer_step != (action == "sign") and action in ("approve", "sign"):
            raise UserError(
                self.env._("This step is a signature: sign the document instead.")
                if mine.is_signer_step
                else self.env._("This step is not a signature.")
            )
        return mine, delegation

    # ------------------------------------------------------------ notifications
    def _vbdt_review_notify(self, action, body, partners=None):
        self.message_post(
            body=body,
            subtype_xmlid=self._get_review_notification_subtype(action),
            partner_ids=(partners or self.env["res.partner"]).ids,
        )

    def _vbdt_review_log_delegation(self, delegation, review):
        if delegation:
            self.message_post(
                body=self.env._(
                    "%(delegate)s acted for %(delegator)s under delegation "
                    "%(delegation)s.",
                    delegate=self.env.user.name,
                    delegator=delegation.delegator_id.name,
                    delegation=delegation.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------ transitions
    def action_review_submit(self):
        for record in self:
            record._vbdt_check_review_action("submit")
            route = self.env["vbdt.approval.route"]._find_for(record)
            if not route or not route.step_ids:
                raise UserError(
                    self.env._(
                        "No approval route fits %(record)s in %(agency)s: the "
                        "Document Office administrator adds one (Configuration > "
                        "Approval Routes) for its document type, or one without "
                        "types for every document.",
                        record=record.display_name,
                        agency=record.company_id.name or "-",
                    )
                )
            record._vbdt_review_write(
                {"review_route_id": route.id, "review_round": record.review_round + 1}
            )
            record._vbdt_review_create_rows(route)
            record._vbdt_review_set_state(record._state_review, "pending")
            record._vbdt_review_on_submit()
            record.activity_unlink([ACTIVITY_REWORK])
            record._vbdt_review_next()
        return True

    def _vbdt_review_create_rows(self, route):
        vals_list = []
        for index, step in enumerate(route.step_ids.sorted("sequence"), start=1):
            users = step._get_reviewers(self)
            if not users:
                raise UserError(step._vbdt_no_reviewer_message(self))
            groups = (
                [users]
                if step.mode == "any" or step.is_signer_step
                else [user for user in users]
            )
            vals_list += [
                self._prepare_review_vals(step, group, index) for group in groups
            ]
        if not any(v["is_signer_step"] for v in vals_list):
            signer = self._vbdt_review_default_signer()
            if not signer:
                raise UserError(
                    self.env._(
                        "Route %(route)s has no signer step: set the signer of "
                        "%(record)s.",
                        route=route.name,
                        record=self.display_name,
                    )
                )
            vals_list.append(
                {
                    **self._prepare_review_vals(
                        self.env["vbdt.approval.route.step"], signer, len(vals_list) + 1
                    ),
                    "route_id": route.id,
                    "name": self.env._("Signature"),
                    "is_signer_step": True,
                    "mode": "any",
                }
            )
        # sudo: review rows are created by the server on submit
        self.env["vbdt.review"].sudo().create(vals_list)

    def _vbdt_review_next(self):
        """Open the next step of the round, or finish when none is left."""
        self.ensure_one()
        rows = self._vbdt_review_round_rows()
        if rows.filtered(lambda r: r.status == "pending"):
            return
        waiting = rows.filtered(lambda r: r.status == "waiting")
        if not waiting:
            return
        sequence = min(waiting.mapped("sequence"))
        step_rows = waiting.filtered(lambda r: r.sequence == sequence)
        self._vbdt_review_activate(step_rows)

    def _vbdt_review_activate(self, rows):
        signing = any(rows.mapped("is_signer_step"))
        deadline = self._vbdt_review_deadline(rows[:1].step_id)
        for row in rows:
            # sudo: review rows change only through the approval actions
            row.sudo().write(
                {
                    "status": "pending",
                    "deadline": deadline,
                    "delegate_ids": [
                        fields.Command.set(
                            self.env["vbdt.delegation"]
                            ._delegates_of(row.reviewer_ids, self)
                            .ids
                        )
                    ],
                }
            )
        if signing:
            self._vbdt_review_set_state(self._state_to_sign, "to_sign")
            self._vbdt_review_on_signer_step(rows)
        for user in rows.reviewer_ids:
            self.activity_schedule(
                ACTIVITY_SIGN if signing else ACTIVITY_REVIEW,
                date_deadline=deadline,
                user_id=user.id,
                summary=rows[:1].name,
            )
        self._vbdt_review_notify(
            "request",
            self.env._(
                "%(step)s: waiting for %(reviewers)s until %(deadline)s.",
                step=rows[:1].name,
                reviewers=", ".join(rows.reviewer_ids.mapped("name")),
                deadline=format_date(self.env, deadline) if deadline else "-",
            ),
            partners=rows.reviewer_ids.partner_id,
        )

    def _vbdt_review_close_activities(self, rows, done_by):
        for user in rows.reviewer_ids:
            for xmlid in (ACTIVITY_REVIEW, ACTIVITY_SIGN):
                if user == done_by:
                    self.activity_feedback([xmlid], user_id=user.id)
                else:
                    self.activity_unlink([xmlid], user_id=user.id)

    def _vbdt_review_mark(self, review, status, delegation, comment):
        # sudo: review rows change only through the approval actions
        review.sudo().write(
            {
                "status": status,
                "done_by_id": self.env.uid,
                "done_date": fields.Datetime.now(),
                "delegation_id": delegation.id if delegation else False,
                "comment": comment,
            }
        )

    def action_review_approve(self, comment=None):
        self.ensure_one()
        review, delegation = self._vbdt_check_review_action("approve", comment)
        self._vbdt_review_mark(review, "approved", delegation, comment)
        self._vbdt_review_log_delegation(delegation, review)
        step_rows = self._vbdt_review_round_rows().filtered(
            lambda r: r.sequence == review.sequence
        )
        self._vbdt_review_close_activities(review, self.env.user)
        self._vbdt_review_notify(
            "approve",
            self.env._(
                "%(user)s approved at step %(step)s.%(comment)s",
                user=self.env.user.name,
                step=review.name,
                comment=(" " + comment) if comment else "",
            ),
        )
        if step_rows.filtered(lambda r: r.status == "pending"):
            return True
        self._vbdt_review_next()
        return True

    def action_review_sign(self):
        """The signer confirms the signature (see ``_vbdt_sign``)."""
        self.ensure_one()
        review, delegation = self._vbdt_check_review_action("sign")
        self._vbdt_sign(review, delegation)
        self._vbdt_review_complete_signature(review, delegation)
        return True

    def _vbdt_review_complete_signature(self, review, delegation):
        self._vbdt_review_mark(review, "approved", delegation, False)
        self._vbdt_review_close_activities(review, self.env.user)
        self._vbdt_review_set_state(self._state_signed, "signed")
        self._vbdt_review_post_sign(review, delegation)
        self._vbdt_review_log_delegation(delegation, review)
        self._vbdt_review_notify(
            "sign",
            self.env._("Signed by %(user)s.", user=self.env.user.name),
            partners=self._vbdt_review_drafter().partner_id,
        )

    def _vbdt_review_cancel_open(self):
        open_rows = self._vbdt_review_round_rows().filtered(
            lambda r: r.status in ("waiting", "pending")
        )
        self._vbdt_review_close_activities(
            open_rows.filtered(lambda r: r.status == "pending"), self.env["res.users"]
        )
        # sudo: review rows change only through the approval actions
        open_rows.sudo().write({"status": "cancelled"})

    def action_review_return(self, comment, target="drafter"):
        """Return for rework to the drafter, or to the previous step."""
        self.ensure_one()
        review, delegation = self._vbdt_check_review_action("return", comment)
        self._vbdt_review_mark(review, "returned", delegation, comment)
        self._vbdt_review_close_activities(review, self.env.user)
        self._vbdt_review_log_delegation(delegation, review)
        previous = self._vbdt_review_round_rows().filtered(
            lambda r: r.sequence < review.sequence and r.status == "approved"
        )
        if target == "previous" and previous:
            sequence = max(previous.mapped("sequence"))
            again = previous.filtered(lambda r: r.sequence == sequence)
            later = self._vbdt_review_round_rows().filtered(
                lambda r: r.sequence >= review.sequence
                and r.status in ("pending", "waiting")
            )
            self._vbdt_review_close_activities(
                later.filtered(lambda r: r.status == "pending"), self.env["res.users"]
            )
            # sudo: review rows change only through the approval actions
            later.sudo().write({"status": "waiting"})
            reset = {
                "status": "waiting",
                "done_by_id": False,
                "done_date": False,
                "comment": False,
                "delegation_id": False,
            }
            copies = self.env["vbdt.review"]
            for row in again:
                # sudo: review rows change only through the approval actions
                copies |= row.sudo().copy(reset)
            # sudo: review rows change only through the approval actions
            review.sudo().copy(reset)
            self._vbdt_review_set_state(self._state_review, "pending")
            self._vbdt_review_notify(
                "return",
                self.env._(
                    "%(user)s returned the draft to step %(step)s: %(comment)s",
                    user=self.env.user.name,
                    step=again[:1].name,
                    comment=comment,
                ),
            )
            self._vbdt_review_activate(copies)
            return True
        self._vbdt_review_cancel_open()
        self._vbdt_review_set_state(self._state_from[0], "returned")
        drafter = self._vbdt_review_drafter()
        self.activity_schedule(
            ACTIVITY_REWORK,
            user_id=drafter.id,
            note=comment,
            date_deadline=self._vbdt_review_deadline(review.step_id),
        )
        self._vbdt_review_notify(
            "return",
            self.env._(
                "%(user)s returned the draft for rework: %(comment)s",
                user=self.env.user.name,
                comment=comment,
            ),
            partners=drafter.partner_id,
        )
        return True

    def action_review_reject(self, comment):
        self.ensure_one()
        review, delegation = self._vbdt_check_review_action("reject", comment)
        self._vbdt_review_mark(review, "rejected", delegation, comment)
        self._vbdt_review_close_activities(review, self.env.user)
        self._vbdt_review_log_delegation(delegation, review)
        self._vbdt_review_cancel_open()
        self._vbdt_review_set_state(self._cancel_state, "rejected")
        self._vbdt_review_notify(
            "reject",
            self.env._(
                "%(user)s rejected the draft: %(comment)s",
                user=self.env.user.name,
                comment=comment,
            ),
            partners=self._vbdt_review_drafter().partner_id,
        )
        return True

    def action_review_forward(self, user, comment=None):
        """Hand the current user's review over to another person."""
        self.ensure_one()
        review, _delegation = self._vbdt_check_review_action("forward", comment)
        if not user or user in review.reviewer_ids:
            raise UserError(self.env._("Choose somebody else to forward the draft to."))
        if self.company_id not in user.company_ids:
            raise UserError(
                self.env._(
                    "%(user)s does not work in %(agency)s.",
                    user=user.name,
                    agency=self.company_id.name,
                )
            )
        self._vbdt_review_close_activities(review, self.env["res.users"])
        # sudo: review rows change only through the approval actions
        review.sudo().write(
            {
                "reviewer_ids": [fields.Command.set(user.ids)],
                "forwarded_from_id": self.env.uid,
                "delegate_ids": [
                    fields.Command.set(
                        self.env["vbdt.delegation"]._delegates_of(user, self).ids
                    )
                ],
            }
        )
        self.activity_schedule(
            ACTIVITY_SIGN if review.is_signer_step else ACTIVITY_REVIEW,
            date_deadline=review.deadline,
            user_id=user.id,
            summary=review.name,
        )
        self._vbdt_review_notify(
            "request",
            self.env._(
                "%(user)s forwarded step %(step)s to %(target)s.%(comment)s",
                user=self.env.user.name,
                step=review.name,
                target=user.name,
                comment=(" " + comment) if comment else "",
            ),
            partners=user.partner_id,
        )
        return True

    def action_review_comment(self, comment):
        self.ensure_one()
        if not (comment or "").strip():
            raise UserError(self.env._("Write a comment first."))
        self.message_post(body=comment, subtype_xmlid="mail.mt_comment")
        return True
