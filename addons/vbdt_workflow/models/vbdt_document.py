from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

ACTIVITY_DIRECT = "vbdt_workflow.vbdt_workflow_activity_type_direct"
ACTIVITY_ESCALATE = "vbdt_workflow.vbdt_workflow_activity_type_escalation"
LEADER = "vbdt_document.vbdt_document_group_leader"
SPECIALIST = "vbdt_document.vbdt_document_group_specialist"
AUTHORITY_PREFIX = {"tm": "TM.", "kt": "KT.", "q": "Q.", "tl": "TL.", "tuq": "TUQ."}


def _reset_to(state):
    """ondelete handler of the added states (module uninstall)."""

    def reset(records):
        records._vbdt_write_lifecycle({"state": state})

    return reset


class VbdtDocument(models.Model):
    """Approval of outgoing drafts (review mixin) and direction, assignment
    and handling of incoming documents."""

    _name = "vbdt.document"
    _inherit = ["vbdt.document", "vbdt.review.mixin"]
    # Whoever may read a document may comment on it (reviewers, co-ordinators).

    state = fields.Selection(
        selection_add=[
            ("draft",),
            ("review", "Under Review"),
            ("to_sign", "To Sign"),
            ("signed", "Signed, Waiting for Issue"),
            ("issued",),
            ("registered",),
            ("presented", "Presented to Leader"),
            ("assigned", "Assigned"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
        ],
        ondelete={
            **dict.fromkeys(("review", "to_sign", "signed"), _reset_to("draft")),
            **dict.fromkeys(
                ("presented", "assigned", "in_progress", "done"),
                _reset_to("registered"),
            ),
        },
    )
    review_confirm_sign = fields.Boolean(
        compute="_compute_review_confirm_sign",
        help="The signer confirms the signature in the system (no digital signature "
        "required).",
    )
    version_ids = fields.One2many(
        "vbdt.document.version", "document_id", string="Draft Versions"
    )
    # Incoming: direction and handling
    directing_leader_id = fields.Many2one(
        "res.users",
        string="Presented To",
        tracking=True,
        copy=False,
        domain=lambda self: self._vbdt_leader_domain(),
        help="Leader who directs the handling of this incoming document.",
    )
    presented_date = fields.Datetime(copy=False, readonly=True)
    direction_note = fields.Text(
        string="Direction (ý kiến chỉ đạo)", copy=False, tracking=True
    )
    assignment_ids = fields.One2many(
        "vbdt.document.assignment", "document_id", string="Assignments", copy=False
    )
    lead_user_id = fields.Many2one(
        "res.users",
        string="Lead Handler",
        compute="_compute_lead_user_id",
        store=True,
        index=True,
    )
    handling_result = fields.Text(copy=False)
    done_date = fields.Date(string="Completed On", copy=False, readonly=True)
    handling_days = fields.Integer(
        string="Handling Time (working days)",
        compute="_compute_handling_days",
        store=True,
        copy=False,
        help="Working days of the agency's calendar from the leader's direction to the "
        "completion of the handling.",
    )
    handled_late = fields.Boolean(
        compute="_compute_handled_late",
        search="_search_handled_late",
        help="Completed after its deadline (the dashboard's late figure).",
    )
    extension_ids = fields.One2many(
        "vbdt.deadline.extension", "document_id", string="Extension Requests"
    )
    review_sign_summary = fields.Char(
        string="You Sign As",
        compute="_compute_review_sign_summary",
        help="What the current user signs, and with which signature block.",
    )
    user_handles = fields.Boolean(
        compute="_compute_user_handles",
        help="The current user has an open part of the handling (lead or co-ordinate).",
    )
    handling_flow = fields.Html(
        compute="_compute_handling_flow",
        sanitize=False,
        help="Who sent the document to whom, when, with what direction: built from "
        "the presentation and the assignments.",
    )
    deadline_state = fields.Selection(
        [
            ("none", "No Deadline"),
            ("ok", "On Time"),
            ("soon", "Due Soon"),
            ("overdue", "Overdue"),
        ],
        compute="_compute_deadline_state",
        help="Overdue, or due within the agency's warning period (working days).",
    )

    @api.model
    def _vbdt_leader_domain(self):
        """The leaders of the document's agency (string domain: evaluated on
        the form against its company)."""
        leader_group = self.env.ref(LEADER, raise_if_not_found=False)
        return (
            f"[('groups_id', 'in', {leader_group.id if leader_group else 0}), "
            "('company_ids', 'in', company_id), ('share', '=', False)]"
        )

    @api.model
    def _vbdt_staff_domain(self, unit_field=None):
        """The Document Office staff of the document's agency, for the pickers
        of people (string domain, evaluated on the form against its company):
        a province's database holds every agency's users, far too many to
        scroll on a phone. With ``unit_field``, only the members of the unit
        chosen in that field, while one is chosen."""
        staff_group = self.env.ref(SPECIALIST, raise_if_not_found=False)
        domain = (
            f"[('groups_id', 'in', {staff_group.id if staff_group else 0}), "
            "('company_ids', 'in', company_id), ('share', '=', False)]"
        )
        if unit_field:
            domain += (
                f" + ([('vbdt_unit_ids', 'in', {unit_field})] if {unit_field} else [])"
            )
        return domain

    # ------------------------------------------------------------ hooks
    def _vbdt_review_write(self, vals):
        return self._vbdt_write_lifecycle(vals)

    def _vbdt_review_mark(self, review, status, delegation, comment):
        result = super()._vbdt_review_mark(review, status, delegation, comment)
        # Each decision on the route is a lifecycle action, even when the
        # state does not move (a step of several approvals).
        self.env["vbdt.audit.log"]._log(
            self, "review", f"{review.name}: {status}"[:250]
        )
        return result

    @api.model
    def _vbdt_server_fields(self):
        return super()._vbdt_server_fields() | {
            "presented_date",
            "directed_date",
            "done_date",
            "handling_result",
        }

    @api.model
    def _vbdt_editable_states(self):
        return super()._vbdt_editable_states() | {"review"}

    def _vbdt_reorg_return_draft(self):
        """Carried over to a successor under "return drafts": the approval
        round ends and the drafter gets the draft back to route it again."""
        result = super()._vbdt_reorg_return_draft()
        for document in self.filtered(
            lambda d: d.state in (d._state_review, d._state_to_sign, "signed")
        ):
            document._vbdt_review_cancel_open()
            document._vbdt_review_set_state(document._state_from[0], "returned")
            document.message_post(
                body=self.env._(
                    "Returned to its drafter: the agency ended and its approval "
                    "route ended with it. Route it again at %(agency)s.",
                    agency=document.company_id.name,
                ),
                partner_ids=document._vbdt_review_drafter().partner_id.ids,
            )
        return result

    @api.model
    def _vbdt_closed_states(self):
        return super()._vbdt_closed_states() | {"done"}

    @api.model
    def _vbdt_signable_states(self):
        return {self._state_to_sign}

    @api.model
    def _vbdt_issuable_states(self):
        return {self._state_signed}

    def _vbdt_review_document_type(self):
        return self.document_type_id

    def _vbdt_review_unit(self):
        return self.unit_id

    def _vbdt_review_drafter(self):
        return self.drafter_id or self.create_uid

    def _vbdt_review_default_signer(self):
        return self.signer_id

    def _vbdt_review_is_restricted(self):
        return self.confidentiality != "normal"

    def _vbdt_review_locked_fields(self):
        return {
            "subject",
            "content",
            "document_type_id",
            "recipient_agency_ids",
            "recipient_note",
            "unit_id",
            "confidentiality",
            "legal_normative",
            "file_ids",
        }

    def _vbdt_review_on_submit(self):
        """Keep the draft's main file as it was submitted."""
        for document in self:
            main = document.main_file_id
            if main and main.datas:
                self.env["vbdt.document.version"].create(
                    {
                        "document_id": document.id,
                        "name": main.name,
                        "datas": main.datas,
                        "note": self.env._(
                            "Submitted (round %(round)s)", round=document.review_round
                        ),
                    }
                )
        return super()._vbdt_review_on_submit()

    def _vbdt_expected_signers(self):
        """On the signer step, its signers (the route's, or the drafted
        signer when the route has no signer step). The signature block is
        left as drafted until someone signs: ``_vbdt_write_signer_block``
        alone rewrites it, with who signed."""
        if self.state == self._state_to_sign and self.review_ids:
            # sudo: the review rows of a document the user already reads (a
            # restricted draft's rows are hidden from others); only the
            # signers' users are returned, in the caller's environment
            rows = self.sudo()._vbdt_review_current().filtered("is_signer_step")
            if rows:
                return rows.reviewer_ids.with_env(self.env)
        return super()._vbdt_expected_signers()

    def _vbdt_sign(self, review, delegation):
        if self._vbdt_requires_digital_signature():
            raise UserError(
                self.env._(
                    "%(document)s must be signed digitally: sign its main file with "
                    "your "
                    "certificate.",
                    document=self.display_name,
                )
            )
        return super()._vbdt_sign(review, delegation)

    def _vbdt_signing_delegation(self, user):
        """On the signer step, whoever may sign it under the route: the
        signer or a deputy holding a valid signing delegation."""
        allowed, delegation = super()._vbdt_signing_delegation(user)
        if self.state != self._state_to_sign or not self.review_ids:
            return allowed, delegation
        try:
            _review, delegation = self.with_user(user)._vbdt_check_review_action("sign")
        except UserError:
            return False, None
        return True, delegation or None

    def _vbdt_mark_signed(self):
        """A valid person signature was applied (vbdt_signature): complete the
        signer step of the route as if the signer had confirmed."""
        result = super()._vbdt_mark_signed()
        for document in self.filtered(lambda d: d.state == d._state_to_sign):
            review, delegation = document._vbdt_check_review_action("sign")
            document._vbdt_review_complete_signature(review, delegation)
        return result

    @api.depends_context("uid")
    def _compute_review_confirm_sign(self):
        for document in self:
            document.review_confirm_sign = (
                not document._vbdt_requires_digital_signature()
            )

    def _vbdt_signer_block_vals(self, user, delegation=None):
        """A deputy signs under the delegation's authority prefix and the
        position printed for them (B3)."""
        vals = super()._vbdt_signer_block_vals(user, delegation)
        if delegation:
            vals["signer_authority"] = delegation.authority
            if delegation.delegate_position:
                vals["signer_position"] = delegation.delegate_position
        return vals

    def _vbdt_review_post_sign(self, review, delegation):
        """The signer step is complete: the signature block follows who
        signed (already written when the signature was digital)."""
        self._vbdt_write_signer_block(self.env.user, delegation)
        return super()._vbdt_review_post_sign(review, delegation)

    # ------------------------------------------------------------ computes
    @api.depends(
        "review_ids.reviewer_ids",
        "review_ids.delegate_ids",
        "assignment_ids.responsible_id",
        "assignment_ids.unit_id.manager_id",
        "directing_leader_id",
    )
    def _compute_participant_ids(self):
        result = super()._compute_participant_ids()
        for document in self:
            # Heads of assigned units follow their unit's part after handing
            # it to members (they hear of a helper's delay).
            document.participant_ids |= (
                document.review_ids.reviewer_ids
                | document.review_ids.delegate_ids
                | document.assignment_ids.responsible_id
                | document.directing_leader_id
                | document.assignment_ids.unit_id.manager_id
            )
        return result

    @api.depends("done_date", "due_date")
    def _compute_handled_late(self):
        for document in self:
            document.handled_late = bool(
                document.done_date
                and document.due_date
                and document.done_date > document.due_date
            )

    def _search_handled_late(self, operator, value):
        # Two columns compared: no domain says it, so a subquery on the same
        # table, narrowed to completed documents (the state index).
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        late = SQL(
            "(SELECT id FROM vbdt_document WHERE state = 'done' "
            "AND done_date > due_date)"
        )
        wanted = (operator == "=") == value
        return [("id", "in" if wanted else "not in", late)]

    @api.depends("state", "done_date", "directed_date")
    def _compute_handling_days(self):
        for document in self:
            if (
                document.state != "done"
                or not document.done_date
                or not document.directed_date
            ):
                document.handling_days = 0
                continue
            company = document.company_id
            document.handling_days = company._vbdt_count_working_days(
                company._vbdt_local_date(document.directed_date), document.done_date
            )

    @api.depends(
        "assignment_ids.role", "assignment_ids.state", "assignment_ids.responsible_id"
    )
    def _compute_lead_user_id(self):
        for document in self:
            lead = document.assignment_ids.filtered(
                lambda a: a.role == "lead" and a.state != "cancelled"
            )[:1]
            document.lead_user_id = lead.responsible_id

    @api.depends_context("uid")
    @api.depends("state", "signer_authority", "signer_position", "signer_name")
    def _compute_review_sign_summary(self):
        for document in self:
            summary = False
            if document.state == document._state_to_sign:
                allowed, delegation = document._vbdt_signing_delegation(self.env.user)
                if allowed:
                    summary = document._vbdt_sign_summary(delegation)
            document.review_sign_summary = summary

    def _vbdt_sign_summary(self, delegation):
        """``KT. — Phó Chủ tịch — Nguyễn Văn A``: the signature block the
        current user's signature will carry (B3)."""
        authority = delegation.authority if delegation else self.signer_authority
        position = (delegation and delegation.delegate_position) or self.signer_position
        block = " — ".join(
            part
            for part in (
                AUTHORITY_PREFIX.get(authority or ""),
                position,
                self._vbdt_printed_signer_name(self.env.user),
            )
            if part
        )
        return self.env._(
            "You sign %(document)s as: %(block)s",
            document=self.display_name,
            block=block,
        )

    @api.depends_context("uid")
    @api.depends("assignment_ids.responsible_id", "assignment_ids.state")
    def _compute_user_handles(self):
        for document in self:
            # sudo: only whether the user holds an open part is returned.
            document.user_handles = bool(document.sudo()._vbdt_my_assignments())

    @api.depends(
        "presented_date",
        "directing_leader_id",
        "direction_note",
        "assignment_ids.state",
        "assignment_ids.responsible_id",
    )
    def _compute_handling_flow(self):
        for document in self:
            rows = document._vbdt_handling_flow_rows()
            document.handling_flow = (
                Markup("<ol class='list-unstyled mb-0'>%s</ol>")
                % Markup("").join(
                    Markup(
                        "<li class='mb-2'><span class='text-muted'>%s</span> "
                        "<b>%s</b> → <b>%s</b>: %s</li>"
                    )
                    % row
                    for row in rows
                )
                if rows
                else False
            )

    def _vbdt_handling_flow_rows(self):
        """``(date, from, to, what)`` per step, oldest first; values escaped
        by Markup's ``%``, dates dd/mm/yyyy."""
        self.ensure_one()
        rows = []
        if self.presented_date:
            rows.append(
                (
                    self.presented_date.date(),
                    self.env._("Clerk"),
                    self.directing_leader_id.name or "-",
                    self.env._("presented for direction"),
                )
            )
        roles = dict(
            self.env["vbdt.document.assignment"]
            ._fields["role"]
            ._description_selection(self.env)
        )
        states = dict(
            self.env["vbdt.document.assignment"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        for part in self.assignment_ids.sorted(lambda a: (a.assigned_date, a.id)):
            what = [roles.get(part.role, part.role), states.get(part.state, "")]
            if part.deadline:
                what.append(
                    self.env._(
                        "deadline %(date)s", date=format_date(self.env, part.deadline)
                    )
                )
            if part.role != "info" and not part.parent_id and self.direction_note:
                what.append(self.direction_note)
            rows.append(
                (
                    part.assigned_date,
                    part.assigned_by_id.name or "-",
                    " — ".join(filter(None, [part.unit_id.name, part.user_id.name]))
                    or "-",
                    ", ".join(w for w in what if w),
                )
            )
        return [
            (escape(format_date(self.env, day) if day else ""), *map(escape, rest))
            for day, *rest in rows
        ]

    @api.depends("due_date", "is_closed", "company_id")
    def _compute_deadline_state(self):
        today = fields.Date.context_today(self)
        horizon = {}
        for document in self:
            company = document.company_id
            if company not in horizon:
                horizon[company] = company._vbdt_add_working_days(
                    today, company.vbdt_due_soon_days
                )
            due = document.due_date
            if document.is_closed or not due:
                document.deadline_state = "none"
            elif due < today:
                document.deadline_state = "overdue"
            elif due <= horizon[company]:
                document.deadline_state = "soon"
            else:
                document.deadline_state = "ok"

    # ------------------------------------------------------------ incoming guards
    def _vbdt_check_handling(self, action):
        """All role checks of the incoming flow."""
        user = self.env.user
        for document in self:
            if document.direction != "incoming":
                raise UserError(self.env._("Only incoming documents are directed."))
            if action == "present":
                document._vbdt_check_clerk()
                if document.state not in ("registered", "presented"):
                    raise UserError(
                        self.env._(
                            "Register %(document)s before presenting it.",
                            document=document.display_name,
                        )
                    )
                document._vbdt_check_directing_leader()
            elif action == "direct":
                if document.state not in (
                    "registered",
                    "presented",
                    "assigned",
                    "in_progress",
                ):
                    raise UserError(
                        self.env._(
                            "%(document)s cannot be directed in its current state.",
                            document=document.display_name,
                        )
                    )
                if user != document.directing_leader_id and not user.has_group(LEADER):
                    raise UserError(self.env._("Only a leader can direct documents."))
            elif action in ("progress", "complete"):
                if document.state not in ("assigned", "in_progress"):
                    raise UserError(
                        self.env._(
                            "%(document)s is not being handled.",
                            document=document.display_name,
                        )
                    )
                mine = document._vbdt_my_assignments()
                if not mine and user != document.directing_leader_id:
                    raise UserError(
                        self.env._(
                            "%(document)s is not assigned to you.",
                            document=document.display_name,
                        )
                    )

    def _vbdt_check_directing_leader(self, leader=None):
        self.ensure_one()
        leader = leader or self.directing_leader_id
        if not leader:
            raise UserError(self.env._("Choose the leader to present it to."))
        if not leader.has_group(LEADER) or self.company_id not in leader.company_ids:
            raise UserError(
                self.env._(
                    "%(user)s is not a leader of %(agency)s: present the document "
                    "to one of its leaders.",
                    user=leader.name,
                    agency=self.company_id.name,
                )
            )

    def _vbdt_check_assignees(self, users):
        """Work on a document goes to the Document Office staff of its agency
        only: the direction dialog offers no one else (``_vbdt_staff_domain``)
        and this refuses the same people sent over RPC."""
        self.ensure_one()
        outside = users.filtered(
            lambda user: user.share
            or self.company_id not in user.company_ids
            or not user.has_group(SPECIALIST)
        )
        if outside:
            raise UserError(
                self.env._(
                    "%(users)s cannot be given %(document)s: only the staff of "
                    "%(agency)s can.",
                    users=", ".join(outside.mapped("name")),
                    document=self.display_name,
                    agency=self.company_id.name,
                )
            )

    def _vbdt_my_assignments(self):
        self.ensure_one()
        return self.assignment_ids.filtered(
            lambda a: a.responsible_id == self.env.user
            and a.role != "info"
            and a.state in ("assigned", "in_progress")
        )

    # ------------------------------------------------------------ incoming actions
    def action_present(self):
        """The clerk presents a registered document to a leader (trình)."""
        self._vbdt_check_handling("present")
        for document in self:
            urgent = document.urgency != "normal"
            document._vbdt_write_lifecycle(
                {"state": "presented", "presented_date": fields.Datetime.now()}
            )
            document.activity_schedule(
                ACTIVITY_DIRECT,
                user_id=document.directing_leader_id.id,
                date_deadline=fields.Date.context_today(document)
                if urgent
                else document.company_id._vbdt_add_working_days(
                    fields.Date.context_today(document), 1
                ),
                summary=self.env._("Urgent: direct now") if urgent else False,
            )
            document.message_post(
                body=self.env._(
                    "Presented to %(leader)s.", leader=document.directing_leader_id.name
                ),
                partner_ids=document.directing_leader_id.partner_id.ids,
            )
        return True

    def action_register_and_present(self):
        """Vào sổ và trình: register the document and present it to the
        chosen leader in one step (each step keeps its own checks)."""
        self._vbdt_check_clerk()
        for document in self:
            # Checked before numbering, so that a missing leader draws no number.
            document._vbdt_check_directing_leader()
        self.action_register()
        self.action_present()
        return True

    def action_pass_to_leader(self, leader, note=False):
        """Pass the document to another leader of the agency, who directs it
        from now on (chuyển lãnh đạo khác)."""
        self._vbdt_check_handling("direct")
        leader = self.env["res.users"].browse(getattr(leader, "id", leader))
        for document in self:
            if document.state not in ("presented", "assigned", "in_progress"):
                raise UserError(
                    self.env._(
                        "%(document)s cannot be passed on in its current state.",
                        document=document.display_name,
                    )
                )
            document._vbdt_check_directing_leader(leader)
            if leader == document.directing_leader_id:
                raise UserError(
                    self.env._(
                        "%(document)s is already with %(leader)s.",
                        document=document.display_name,
                        leader=leader.name,
                    )
                )
            document.activity_unlink([ACTIVITY_DIRECT])
            document._vbdt_write_lifecycle({"directing_leader_id": leader.id})
            document.activity_schedule(
                ACTIVITY_DIRECT,
                user_id=leader.id,
                date_deadline=fields.Date.context_today(document),
                summary=self.env._("Passed on by %(user)s", user=self.env.user.name),
            )
            document.message_post(
                body=self.env._(
                    "%(user)s passed the document to %(leader)s: %(note)s",
                    user=self.env.user.name,
                    leader=leader.name,
                    note=note or "-",
                ),
                partner_ids=leader.partner_id.ids,
            )
        return True

    def action_add_for_information(self, units=None, users=None, note=False):
        """Add units or persons "for information" (để biết) to a directed
        document, without touching the parts already given."""
        self._vbdt_check_handling("direct")
        units = self.env["vbdt.unit"].browse(getattr(units, "ids", units or []))
        users = self.env["res.users"].browse(getattr(users, "ids", users or []))
        if not units and not users:
            raise UserError(self.env._("Choose the units or persons to inform."))
        for document in self:
            document._vbdt_check_assignees(users)
            if document.state not in ("assigned", "in_progress"):
                raise UserError(
                    self.env._(
                        "Direct %(document)s before adding units for information.",
                        document=document.display_name,
                    )
                )
            # sudo: the leader passed the checks above; assignments are
            # written only by the flow's actions (as in _vbdt_direct).
            created = (
                self.env["vbdt.document.assignment"]
                .sudo()
                .create(
                    [
                        {
                            "document_id": document.id,
                            "role": "info",
                            "unit_id": unit.id,
                            "assigned_by_id": self.env.uid,
                        }
                        for unit in units
                    ]
                    + [
                        {
                            "document_id": document.id,
                            "role": "info",
                            "user_id": user.id,
                            "assigned_by_id": self.env.uid,
                        }
                        for user in users
                    ]
                )
            )
            created._vbdt_notify_assignee()
            document.message_post(
                body=self.env._(
                    "%(user)s added for information: %(names)s. %(note)s",
                    user=self.env.user.name,
                    names=", ".join(units.mapped("name") + users.mapped("name")),
                    note=note or "",
                )
            )
        return True

    def _vbdt_direct(self, note, deadline, assignments):
        """Record the leader's direction and (re-)assign the handling.
        ``assignments``: list of dicts (role, unit_id, user_id)."""
        self._vbdt_check_handling("direct")
        self.ensure_one()
        if not any(a["role"] == "lead" for a in assignments):
            raise UserError(self.env._("Choose the lead unit or person (chủ trì)."))
        if sum(a["role"] == "lead" for a in assignments) > 1:
            raise UserError(self.env._("Only one unit or person leads the handling."))
        self._vbdt_check_assignees(
            self.env["res.users"].browse(
                [a["user_id"] for a in assignments if a.get("user_id")]
            )
        )
        previous = self.assignment_ids.filtered(
            lambda a: a.state not in ("done", "cancelled")
        )
        previous._vbdt_close_activities()
        # sudo: assignments change only through the direction, written by the server
        previous.sudo().state = "cancelled"
        created = (
            self.env["vbdt.document.assignment"]
            # sudo: assignments change only through the direction, written by the server
            .sudo()
            .create(
                [
                    {
                        **vals,
                        "document_id": self.id,
                        "deadline": deadline,
                        "assigned_by_id": self.env.uid,
                    }
                    for vals in assignments
                ]
            )
        )
        lead = created.filtered(lambda a: a.role == "lead")
        self._vbdt_write_lifecycle(
            {
                "direction_note": note,
                "due_date": deadline,
                "state": "assigned",
                "directed_date": fields.Datetime.now(),
                "directing_leader_id": self.directing_leader_id.id or self.env.uid,
                "unit_id": lead.unit_id.id or self.unit_id.id,
            }
        )
        self.activity_feedback([ACTIVITY_DIRECT])
        created._vbdt_notify_assignee()
        summary = "; ".join(
            "{}: {}".format(
                dict(a._fields["role"]._description_selection(self.env))[a.role],
                a.user_id.name or a.unit_id.name,
            )
            for a in created
        )
        self.message_post(
            body=self.env._(
                "Direction: %(note)s. %(summary)s. Deadline %(deadline)s.",
                note=note or "-",
                summary=summary,
                # dd/mm/yyyy in Vietnamese, not the ISO date the wizard passes
                deadline=format_date(self.env, deadline) if deadline else "-",
            )
        )
        self._vbdt_processing_event("04", note or summary)
        return created

    def action_report_progress(self, note):
        self._vbdt_check_handling("progress")
        for document in self:
            mine = document._vbdt_my_assignments()
            # sudo: the user's own assignments; their state is a server field
            mine.sudo().write({"state": "in_progress", "progress_note": note})
            document.message_post(
                body=self.env._(
                    "Progress by %(user)s: %(note)s", user=self.env.user.name, note=note
                )
            )
            if document.state == "assigned":
                document._vbdt_write_lifecycle({"state": "in_progress"})
                document._vbdt_processing_event("05", note)
        return True

    def action_complete(self, result):
        """Complete the handling: a co-ordinator closes their own part, the
        lead handler (or the leader) closes the document."""
        if not (result or "").strip():
            raise UserError(self.env._("Describe the result of the handling."))
        self._vbdt_check_handling("complete")
        today = fields.Date.context_today(self)
        for document in self:
            mine = document._vbdt_my_assignments()
            mine._vbdt_close_activities()
            # sudo: the user's own assignments; their state is a server field
            mine.sudo().write({"state": "done", "result": result, "done_date": today})
            mine._vbdt_cancel_open_helpers()
            if (
                not mine.filtered(lambda a: a.role == "lead")
                and self.env.user != document.directing_leader_id
            ):
                document.message_post(
                    body=self.env._(
                        "%(user)s completed their part: %(result)s",
                        user=self.env.user.name,
                        result=result,
                    )
                )
                continue
            rest = document.assignment_ids.filtered(
                lambda a: a.state in ("assigned", "in_progress")
            )
            rest._vbdt_close_activities()
            # sudo: the lead's completion closes the rest, by the server
            rest.filtered(lambda a: a.role == "lead").sudo().write(
                {"state": "done", "result": result, "done_date": today}
            )
            # Parts nobody finished are moot once the lead closed the document.
            rest.filtered(lambda a: a.role != "lead").sudo().state = "cancelled"
            document._vbdt_write_lifecycle(
                {"state": "done", "handling_result": result, "done_date": today}
            )
            document.activity_unlink([ACTIVITY_ESCALATE])
            document.message_post(
                body=self.env._(
                    "Handling completed by %(user)s: %(result)s",
                    user=self.env.user.name,
                    result=result,
                )
            )
            document._vbdt_processing_event("06", result)
        return True

    def _vbdt_withdraw(self, note):
        """The sender took the document back: its handling stops and nobody
        keeps a to-do for it."""
        for document in self.filtered(lambda d: d.state != "cancelled"):
            open_parts = document.assignment_ids.filtered(
                lambda a: a.state in ("assigned", "in_progress")
            )
            open_parts._vbdt_close_activities()
            # sudo: withdrawal closes the open assignments, by the server
            open_parts.sudo().state = "cancelled"
            document.extension_ids.filtered(
                lambda r: r.state == "requested"
                # sudo: withdrawal refuses the open extension requests, by the server
            ).sudo().state = "refused"
            # sudo: withdrawal removes every activity of the document, whoever owns it
            document.sudo().activity_ids.unlink()
        return super()._vbdt_withdraw(note)

    def action_start_reply(self):
        """Start an outgoing draft answering this incoming document."""
        self.ensure_one()
        if self.direction != "incoming":
            raise UserError(self.env._("Only incoming documents are replied to."))
        letter = self.env.ref(
            "vbdt_document.vbdt_document_type_cong_van", raise_if_not_found=False
        )
        reply = self.with_context(default_direction="outgoing").create(
            {
                "direction": "outgoing",
                "state": "draft",
                "company_id": self.company_id.id,
                "subject": self.env._(
                    "Reply to %(code)s: %(subject)s",
                    code=self.code or "",
                    subject=self.subject,
                ),
                "document_type_id": letter.id if letter else False,
                "unit_id": (
                    self.unit_id
                    if self.env.user in self.unit_id.member_ids
                    else self.env.user.vbdt_unit_ids[:1]
                ).id
                or self.unit_id.id,
                "response_for_ids": [fields.Command.link(self.id)],
                "drafter_id": self.env.uid,
            }
        )
        self.message_post(
            body=self.env._("Reply drafted: %(reply)s", reply=reply.display_name)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "vbdt.document",
            "res_id": reply.id,
            "view_mode": "form",
            "context": {"default_direction": "outgoing"},
        }

    def _vbdt_upsert_activity(self, xmlid, user, summary, deadline):
        """Schedule an activity of this type for ``user``, or update the one
        already there so that repeated follow-ups never pile up. Returns True
        when an existing activity was updated."""
        self.ensure_one()
        activity_type = self.env.ref(xmlid)
        # sudo: the activity of another user is updated by the server
        activity = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type and a.user_id == user
        )[:1]
        if activity:
            activity.write({"summary": summary, "date_deadline": deadline})
            return True
        self.activity_schedule(
            xmlid, user_id=user.id, summary=summary, date_deadline=deadline
        )
        return False

    # ------------------------------------------------------------ wizard openers
    def _vbdt_open_wizard(self, model, name, **context):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id, **context},
        }

    def action_open_review_wizard(self):
        action = self.env.context.get("review_action", "approve")
        return self._vbdt_open_wizard(
            "vbdt.review.wizard", self.env._("Review"), default_action=action
        )

    def action_open_direction_wizard(self):
        mode = self.env.context.get("direction_mode", "direct")
        titles = {
            "pass": self.env._("Pass to Another Leader"),
            "inform": self.env._("Add for Information"),
        }
        return self._vbdt_open_wizard(
            "vbdt.direction.wizard",
            titles.get(mode, self.env._("Direction")),
            default_mode=mode,
        )

    def action_print_handling_slip(self):
        """In phiếu xử lý: the handling slip, from a button on the form."""
        return self.env.ref("vbdt_workflow.vbdt_handling_slip_report").report_action(
            self
        )

    def action_review_sign(self):
        """Confirmed signature, then a message that says what happens next."""
        super().action_review_sign()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(document)s is signed: the clerk will number and issue it.",
                    document=self.display_name,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_open_handling_wizard(self):
        action = self.env.context.get("handling_action", "progress")
        return self._vbdt_open_wizard(
            "vbdt.handling.wizard", self.env._("Handling"), default_action=action
        )
