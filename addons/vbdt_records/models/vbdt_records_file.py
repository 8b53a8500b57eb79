from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError

from .vbdt_records_lifecycle import agency_field

# Fields a closed file keeps as they were when it was closed.
LOCKED_WHEN_CLOSED = {
    "code",
    "title",
    "year",
    "company_id",
    "unit_id",
    "responsible_id",
    "plan_item_id",
    "retention_id",
}
# Fields only the close and re-open actions write.
LIFECYCLE_FIELDS = {
    "state",
    "closed_date",
    "closed_uid",
    "stored_title",
    "legal_hold",
    "legal_hold_reason",
    "handover_id",
    "handed_over_date",
    "disposal_id",
    "handover_notified",
}
# Document states that have not entered a register yet, or left the flow.
UNFINISHED_STATES = {"draft", "received"}
DROPPED_STATES = {"returned", "cancelled"}


class VbdtRecordsFile(models.Model):
    """A case file (hồ sơ): documents and other items about one matter, in order.

    A file inherits the strictest access of its documents: its lines follow
    the documents' rules, and someone who may not open one of its secret
    documents sees a neutral title instead of the real one."""

    _name = "vbdt.records.file"
    _description = "Case File"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "vbdt.records.lifecycle.mixin",
    ]
    _order = "year desc, code, id"
    _check_company_auto = True
    _rec_names_search = ["code", "title"]

    code = fields.Char(required=True, index=True, tracking=True)
    # The real title lives in a field no ordinary user can read or search;
    # everybody goes through ``title``, which hides it when needed.
    stored_title = fields.Char(groups="base.group_system", copy=False)
    title = fields.Char(
        compute="_compute_title", inverse="_inverse_title", search="_search_title"
    )
    title_restricted = fields.Boolean(compute="_compute_title_restricted")
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    company_id = agency_field()
    unit_id = fields.Many2one(
        "vbdt.unit", string="Unit", check_company=True, index=True
    )
    responsible_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        index=True,
    )
    plan_item_id = fields.Many2one(
        "vbdt.records.plan.item", string="Planned File", check_company=True, index=True
    )
    retention_id = fields.Many2one(
        "vbdt.records.retention", string="Retention", required=True
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("closed", "Closed"),
            ("handed_over", "Handed Over"),
            ("disposed", "Disposed"),
        ],
        required=True,
        default="open",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("vbdt.records.file.line", "file_id", string="Contents")
    document_count = fields.Integer(compute="_compute_counts")
    item_count = fields.Integer(compute="_compute_counts")
    start_date = fields.Date(compute="_compute_dates", store=True)
    end_date = fields.Date(compute="_compute_dates", store=True)
    retention_end_year = fields.Integer(
        compute="_compute_retention_end_year",
        store=True,
        help=(
            "Last year the file must be kept; empty for permanent files and open "
            "ones."
        ),
    )
    closed_date = fields.Datetime(readonly=True, copy=False)
    closed_uid = fields.Many2one(
        "res.users", string="Closed By", readonly=True, copy=False
    )

    _sql_constraints = [
        (
            "code_unique",
            "UNIQUE(company_id, year, code)",
            "An agency uses a file code once per year.",
        ),
    ]

    # ------------------------------------------------------------------ items
    def _all_lines(self):
        """Every item of these files, hidden ones included, read from the
        database: the cached ``line_ids`` hold only what the current user may
        see, even through ``sudo()``."""
        # sudo: the callers compute counts, dates, checks and audit entries
        # from these items and return none of their content.
        return (
            self.env["vbdt.records.file.line"]
            .sudo()
            .search([("file_id", "in", self._origin.ids)])
        )

    def _lines_of(self, lines):
        self.ensure_one()
        return lines.filtered(lambda line: line.file_id.id == self._origin.id)

    @staticmethod
    def _originals(lines):
        """The documents these items are or copy (a copy carries its
        original's secrecy)."""
        return lines.document_id | lines.copy_id.original_id

    # ------------------------------------------------------------------ title
    def _title_visible(self):
        """Files whose real title this user may read: no secret document, or
        the user is a named reader of every secret document in the file.

        Decided on the user, not on ``sudo()``: the web client reads the
        display names of many2one values as superuser (``web_read``), and
        those must stay neutral for the user too. Only the superuser account
        itself (crons, installation) reads every title."""
        if self.env.uid == SUPERUSER_ID:
            return self
        user = self.env.user
        # The decision needs every document of the file, including the ones
        # this user cannot open; only a yes/no comes out of it.
        lines = self._all_lines()
        return self.filtered(
            lambda case_file: all(
                user in document.confidential_user_ids
                for document in self._originals(case_file._lines_of(lines))
                if document.confidentiality != "normal"
            )
        )

    @api.depends_context("uid")
    @api.depends(
        "stored_title",
        "code",
        "line_ids.document_id.confidentiality",
        "line_ids.document_id.confidential_user_ids",
        "line_ids.copy_id",
    )
    def _compute_title(self):
        visible = self._title_visible()
        for case_file in self:
            # sudo: the real title sits in a system-only field; it is read
            # only for the files this user is entitled to.
            case_file.title = (
                case_file.sudo().stored_title
                if case_file in visible
                else self.env._(
                    "Case file %(code)s (contains a restricted document)",
                    code=case_file.code or "",
                )
            )

    @api.depends_context("uid")
    @api.depends(
        "line_ids.document_id.confidentiality",
        "line_ids.document_id.confidential_user_ids",
        "line_ids.copy_id",
    )
    def _compute_title_restricted(self):
        visible = self._title_visible()
        for case_file in self:
            case_file.title_restricted = case_file not in visible

    def _inverse_title(self):
        if self - self._title_visible():
            raise AccessError(
                self.env._(
                    "You may not change the title of a file holding documents you "
                    "cannot read."
                )
            )
        for case_file in self:
            # sudo: the title is kept in a system-only field; the write access
            # to the file and to its title were checked just above.
            case_file.sudo()._vbdt_write_lifecycle({"stored_title": case_file.title})

    def _search_title(self, operator, value):
        # sudo: match the real titles, then keep only the files whose real
        # title this user may read, so that a hidden title never matches.
        matches = (
            self.sudo()
            .with_context(active_test=False)
            .search([("stored_title", operator, value)])
        )
        return [("id", "in", matches.with_env(self.env)._title_visible().ids)]

    @api.depends_context("uid")
    @api.depends("code", "title", "title_restricted")
    def _compute_display_name(self):
        for case_file in self:
            # The neutral title already names the file by its code.
            parts = (
                [case_file.title]
                if case_file.title_restricted
                else [case_file.code, case_file.title]
            )
            case_file.display_name = " ".join(part for part in parts if part)

    # ------------------------------------------------------------------ computes
    @api.depends("line_ids.document_id", "line_ids.copy_id")
    def _compute_counts(self):
        all_lines = self._all_lines()
        for case_file in self:
            # Counts cover every item, the hidden ones included; a copy is a
            # document of the file (văn bản) like the originals.
            lines = case_file._lines_of(all_lines)
            case_file.document_count = len(lines.document_id) + len(lines.copy_id)
            case_file.item_count = len(lines)

    @api.depends("line_ids.date")
    def _compute_dates(self):
        all_lines = self._all_lines()
        for case_file in self:
            # The file's span covers every item; only two dates come out.
            dates = [
                date for date in case_file._lines_of(all_lines).mapped("date") if date
            ]
            case_file.start_date = min(dates, default=False)
            case_file.end_date = max(dates, default=False)

    @api.depends("state", "end_date", "retention_id.permanent", "retention_id.years")
    def _compute_retention_end_year(self):
        for case_file in self:
            last_year = (
                case_file.end_date.year if case_file.end_date else case_file.year
            )
            case_file.retention_end_year = (
                case_file.retention_id._end_year(last_year)
                if case_file.state != "open" and case_file.retention_id
                else 0
            )

    # ------------------------------------------------------------------ CRUD guards
    _vbdt_lifecycle_fields = frozenset(LIFECYCLE_FIELDS)

    def _vbdt_lifecycle_refusal(self):
        return self.env._(
            "The state of a case file changes only through its Close and "
            "Re-open actions."
        )

    def write(self, vals):
        if LOCKED_WHEN_CLOSED & set(vals) and not self._vbdt_lifecycle_unlocked():
            self._check_open()
        return super().write(vals)

    def unlink(self):
        # A file that holds items stays, whoever can see them.
        if (
            self.filtered(lambda case_file: case_file.state != "open")
            or self._all_lines()
        ):
            raise UserError(self.env._("Only an open, empty case file can be deleted."))
        return super().unlink()

    def _check_open(self):
        closed = self.filtered(lambda case_file: case_file.state != "open")
        if closed:
            raise UserError(
                self.env._(
                    "Case file %(code)s is closed: re-open it before changing it.",
                    code=closed[0].code,
                )
            )

    # ------------------------------------------------------------------ actions
    def _completeness_problems(self):
        """Why the file is not complete yet, item by item; empty when it is."""
        self.ensure_one()
        # The check covers every item; messages name items by ordinal only.
        lines = self._all_lines().sorted(key=lambda line: (line.ordinal, line.id))
        problems = []
        if not lines.document_id and not lines.copy_id:
            problems.append(self.env._("The file holds no document."))
        for line in lines.filtered("document_id"):
            if line.document_id.state in UNFINISHED_STATES:
                problems.append(
                    self.env._(
                        "Item %(ordinal)s is not registered or issued yet.",
                        ordinal=line.ordinal,
                    )
                )
            elif line.document_id.state in DROPPED_STATES:
                problems.append(
                    self.env._(
                        "Item %(ordinal)s was returned or cancelled: remove it from "
                        "the file.",
                        ordinal=line.ordinal,
                    )
                )
        # sudo: only whether the system-only title is set comes out.
        if not self.sudo().stored_title:
            problems.append(self.env._("The file has no title."))
        return problems

    def _check_may_close(self):
        self.check_access("write")
        # The superuser (data loading, crons) acts as a records officer; no
        # RPC caller reaches it.
        officer = self.env.su or self.env.user.has_group(
            "vbdt_records.vbdt_records_group_officer"
        )
        for case_file in self:
            if not officer and case_file.responsible_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only the person responsible for case file %(code)s or a "
                        "records "
                        "officer may close it.",
                        code=case_file.code,
                    )
                )
            if case_file.state != "open":
                raise UserError(
                    self.env._(
                        "Case file %(code)s is already closed.", code=case_file.code
                    )
                )
            problems = case_file._completeness_problems()
            if problems:
                raise UserError(
                    self.env._(
                        "Case file %(code)s cannot be closed yet:\n%(problems)s",
                        code=case_file.code,
                        problems="\n".join(problems),
                    )
                )

    def action_close(self):
        """Close the file (kết thúc hồ sơ) once it is complete."""
        self._check_may_close()
        # sudo: the lifecycle fields are written only here, after the checks.
        self.sudo()._vbdt_write_lifecycle(
            {
                "state": "closed",
                "closed_date": fields.Datetime.now(),
                "closed_uid": self.env.uid,
            }
        )
        for case_file in self:
            case_file._log_event("records_close", case_file.code)
            case_file.message_post(body=self.env._("Case file closed."))
        return True

    def action_reopen(self, reason):
        """Re-open a closed file; records administrators only, with a reason."""
        if not self.env.user.has_group("vbdt_records.vbdt_records_group_manager"):
            raise AccessError(
                self.env._("Only a records administrator may re-open a case file.")
            )
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give the reason for re-opening the case file."))
        self.check_access("write")
        if self.filtered(lambda case_file: case_file.state != "closed"):
            raise UserError(self.env._("Only a closed case file can be re-opened."))
        # sudo: the lifecycle fields are written only here, after the checks.
        self.sudo()._vbdt_write_lifecycle(
            {"state": "open", "closed_date": False, "closed_uid": False}
        )
        for case_file in self:
            case_file._log_event("records_reopen", f"{case_file.code}: {reason[:200]}")
            case_file.message_post(
                body=self.env._("Case file re-opened: %(reason)s", reason=reason)
            )
        return True

    def action_reopen_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "vbdt.records.file.reopen",
            "view_mode": "form",
            "target": "new",
            "context": {"default_file_id": self.id},
        }

    def _log_event(self, event, description):
        # The entry covers every document of the file, those this user cannot
        # open included; nothing of them is returned.
        documents = self._originals(self._all_lines())
        self.env["vbdt.audit.log"]._log(documents, event, description)
