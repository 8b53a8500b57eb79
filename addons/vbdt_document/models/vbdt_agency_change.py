from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..reorg import (
    ReorgError,
    check_change,
    check_new_agency,
    check_rename,
    check_transfer,
    check_undo,
    work_action,
)
from .lifecycle import unlocked

OPERATIONS = [
    ("end", "End (dissolve)"),
    ("merge", "Merge into another agency"),
    ("merge_new", "Merge into a new agency"),
    ("split", "Split among several agencies"),
    ("rename", "Rename"),
    ("transfer", "Transfer units to another agency"),
]
# Operations after which the agencies chosen no longer act (the others keep
# acting: a renamed agency, the agency a unit leaves).
ENDING_OPERATIONS = ("end", "merge", "merge_new", "split")
INCOMING_POLICY = [
    ("move", "Move to the successor (arrival number, deadline and history kept)"),
    ("keep", "Keep in the ended agency's fond"),
]
DRAFT_POLICY = [
    ("move", "Move to the successor as they are (with their approval route)"),
    ("return", "Return to their drafters as drafts at the successor"),
]


class VbdtAgencyChange(models.Model):
    """A reorganisation decided by the administrator: agencies ended (with
    or without successor) or merged into another, on an effective date D.

    Scheduling writes the end date and the successor on the agencies at once
    (so their codes route and their numbering refuses from D on its own);
    the carry-over of open work runs on D (scheduled action, or at once for
    a date already reached), one transaction per agency, and re-running it
    finds nothing left to do. Until D the change can be undone."""

    _name = "vbdt.agency.change"
    _description = "Agency Reorganisation"
    _inherit = ["mail.thread"]
    _order = "date_effective desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    operation = fields.Selection(OPERATIONS, required=True, readonly=True)
    agency_ids = fields.Many2many(
        "res.company",
        "vbdt_agency_change_company_rel",
        "change_id",
        "company_id",
        string="Agencies Concerned",
        required=True,
        readonly=True,
        help="The agencies that end or merge, the agency renamed, or the agency "
        "the transferred units leave.",
    )
    successor_id = fields.Many2one(
        "res.company",
        string="Successor",
        readonly=True,
        help="The agency that takes over (for a transfer: receives the units).",
    )
    new_name = fields.Char(
        readonly=True, help="Name of the new agency, or the new name of a renamed one."
    )
    old_name = fields.Char(
        string="Former Name",
        readonly=True,
        help="Name of the renamed agency before the effective date: documents "
        "issued before keep it.",
    )
    code_from_id = fields.Many2one(
        "res.company",
        string="Keeps the Code Of",
        readonly=True,
        help="The merged agency whose name the new agency takes and whose "
        "identifier code it keeps (Decision 09/2025/QĐ-TTg); the others' codes "
        "become its aliases.",
    )
    unit_ids = fields.Many2many("vbdt.unit", string="Units Transferred", readonly=True)
    date_effective = fields.Date(string="Effective Date", required=True, readonly=True)
    incoming_policy = fields.Selection(
        INCOMING_POLICY, string="Incoming Documents in Handling", readonly=True
    )
    draft_policy = fields.Selection(
        DRAFT_POLICY, string="Drafts Not Yet Issued", readonly=True
    )
    state = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("done", "Carried Over"),
            ("cancelled", "Undone"),
        ],
        default="scheduled",
        required=True,
        readonly=True,
        tracking=True,
    )
    preview = fields.Html(
        string="What It Does",
        readonly=True,
        sanitize=True,
        help="The preview as approved.",
    )

    @api.depends("operation", "agency_ids", "successor_id", "new_name", "old_name")
    def _compute_name(self):
        labels = dict(self._fields["operation"]._description_selection(self.env))
        for change in self:
            names = change.agency_ids.mapped("name")
            if change.operation == "rename":
                names = [change.old_name or ", ".join(names)]
            name = f"{labels.get(change.operation, '')}: " + ", ".join(names)
            if change.operation == "rename":
                name += f" → {change.new_name}"
            elif change.successor_id:
                name += f" → {change.successor_id.name}"
            change.name = name

    # ------------------------------------------------------------ rights
    @api.model
    def _vbdt_check_reorg_right(self):
        """Only the platform operator (base.group_system) reorganises: a
        change moves users, codes and other agencies' work, beyond what one
        agency's Document Office administrator may decide."""
        if not self.env.su and not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._(
                    "Only the system administrator can end, merge or reorganise "
                    "agencies."
                )
            )

    def _vbdt_reorg_error(self, error):
        return UserError(self.env._(error.template, **error.params))

    # ------------------------------------------------------------ preview
    @api.model
    def _vbdt_plan(
        self,
        agencies,
        successor,
        incoming_policy,
        draft_policy,
        units=None,
        exclude_units=None,
    ):
        """What carrying over would do, per agency concerned: the records each
        step touches (shared by the preview and the carry-over itself). With
        ``units`` (a transfer, a part of a split) only those units, their
        users and their documents move, and the agency keeps acting. With
        ``exclude_units`` (the named successor of a split) everything but
        those units, their documents and their users."""
        plan = []
        # sudo: a reorganisation carries every document of the agency over, whoever
        # starts it
        Document = self.env["vbdt.document"].sudo().with_context(active_test=False)
        for agency in agencies:
            domain = [("company_id", "=", agency.id)]
            if units is not None:
                domain.append(("unit_id", "in", units.ids))
            if exclude_units:
                domain.append(("unit_id", "not in", exclude_units.ids))
            documents = Document.search(domain)
            actions = {"move": Document, "return": Document, "stay": Document}
            for document in documents.filtered(lambda d: not d.is_closed):
                action = work_action(
                    document.direction,
                    document.is_closed,
                    document.state,
                    incoming_policy or "move",
                    draft_policy or "move",
                )
                if not successor:
                    action = "stay"
                actions[action] |= document
            # sudo: every unit of the ending agency moves; the reorganisation right is
            # checked first
            moving_units = agency.sudo().vbdt_unit_ids if units is None else units
            users = self._vbdt_agency_users(agency, units) if successor else None
            if exclude_units:
                moving_units -= exclude_units
                users = users and users - self._vbdt_agency_users(agency, exclude_units)
            plan.append(
                {
                    "agency": agency,
                    "transfer": units is not None,
                    # sudo: every register of the ending agency closes; the right is
                    # checked first
                    "registers": agency.sudo().vbdt_register_ids
                    if units is None
                    else agency.browse().vbdt_register_ids,
                    "units": moving_units if successor else None,
                    "users": users,
                    "move": actions["move"],
                    "return": actions["return"],
                    "fond_count": len(documents)
                    - len(actions["move"] | actions["return"]),
                    "codes": self._vbdt_codes(agency),
                    "extra": self._vbdt_plan_extra(agency),
                }
            )
        return plan

    @api.model
    def _vbdt_plan_extra(self, agency):
        """Further lines of the preview, ``[(label, count)]``; vbdt_workflow
        adds the delegations and approval routes that end."""
        return []

    @api.model
    def _vbdt_agency_users(self, agency, units=None):
        """The agency's internal users; with ``units`` only those who work in
        the transferred units and in no unit that stays."""
        # sudo: the administrator sees every agency's users in the preview.
        users = (
            self.env["res.users"]
            .sudo()
            .search([("company_id", "=", agency.id), ("share", "=", False)])
        )
        if units is None:
            return users
        return users.filtered(
            lambda user: user.vbdt_unit_ids and not (user.vbdt_unit_ids - units)
        )

    @api.model
    def _vbdt_render_preview(self, plan, successor, date_effective, intro=()):
        """The preview: ``intro`` lines on the operation itself, then every
        step per agency concerned."""
        _ = self.env._
        day = date_effective.strftime("%d/%m/%Y") if date_effective else "?"
        rows = Markup()
        if intro:
            rows += Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>") % line for line in intro
            )
        for item in plan:
            agency = item["agency"]
            lines = self._vbdt_preview_ending_lines(item, day)
            if successor:
                lines += self._vbdt_preview_moving_lines(item, successor)
            lines += [f"{label}: {count}" for label, count in item["extra"]]
            rows += Markup("<h4>%s</h4><ul>%s</ul>") % (
                agency.name,
                Markup().join(Markup("<li>%s</li>") % line for line in lines),
            )
        return rows

    @api.model
    def _vbdt_preview_ending_lines(self, item, day):
        """Preview lines of an agency that ends: none for the agency a unit
        leaves, which keeps acting."""
        _ = self.env._
        if item["transfer"]:
            return []
        return [
            _(
                "Ends on %(date)s: from that day it numbers, issues and "
                "registers nothing.",
                date=day,
            ),
            _(
                "%(count)s registers close; their register books stay printable.",
                count=len(item["registers"]),
            ),
            _(
                "%(count)s documents stay intact and read-only in its fond.",
                count=item["fond_count"],
            ),
        ]

    @api.model
    def _vbdt_preview_moving_lines(self, item, successor):
        """Preview lines of what moves to the successor (or, for a transfer,
        to the agency receiving the units)."""
        _ = self.env._
        lines = []
        if not item["transfer"]:
            lines.append(
                _(
                    "Codes %(codes)s stay as aliases of %(successor)s: packages "
                    "sent to them are routed there and flagged.",
                    codes=", ".join(item["codes"]) or "-",
                    successor=successor.name,
                )
            )
        moved = item["move"]
        incoming = moved.filtered(lambda d: d.direction == "incoming")
        return lines + [
            _(
                "%(count)s units move to %(successor)s.",
                count=len(item["units"]),
                successor=successor.name,
            ),
            _(
                "%(count)s users move to %(successor)s and keep reading "
                "their former agency's documents.",
                count=len(item["users"]),
                successor=successor.name,
            ),
            _(
                "%(count)s incoming documents in handling move with their "
                "arrival number, deadline and history: %(list)s",
                count=len(incoming),
                list=", ".join(str(d.arrival_number or "-") for d in incoming[:20])
                or "-",
            ),
            _("%(count)s drafts move as they are.", count=len(moved - incoming)),
            _(
                "%(count)s drafts under approval return to their drafters.",
                count=len(item["return"]),
            ),
        ]

    # ------------------------------------------------------------ schedule
    @api.model
    def _vbdt_schedule(self, vals):
        """Record the change and, for an ending one, end the agencies from
        ``date_effective``; carry over at once when that day has come.
        Returns the change."""
        self._vbdt_check_reorg_right()
        vals = {
            **vals,
            "date_effective": fields.Date.to_date(vals.get("date_effective")),
        }
        # sudo: the right was checked above; companies are written by the server.
        Company = self.env["res.company"].sudo()
        agencies = Company.browse(vals["agency_ids"])
        successor = Company.browse(vals.get("successor_id") or [])
        units = self.env["vbdt.unit"].sudo().browse(vals.get("unit_ids") or [])
        operation = vals["operation"]
        try:
            self._vbdt_check_operation(vals, agencies, successor, units)
        except ReorgError as error:
            raise self._vbdt_reorg_error(error) from error
        if operation == "merge_new":
            successor = self._vbdt_create_new_agency(vals, agencies)
            vals["successor_id"] = successor.id
        if operation in ("merge", "merge_new") and not successor:
            raise UserError(self.env._("A merger needs the agency it merges into."))
        if successor and successor._vbdt_is_ended(vals["date_effective"]):
            raise UserError(
                self.env._(
                    "%(successor)s itself ends by that date: choose the agency that "
                    "acts after it.",
                    successor=successor.name,
                )
            )
        if operation == "rename":
            vals["old_name"] = agencies.name
        # sudo: the change record is written by the server after _vbdt_check_reorg_right
        change = self.sudo().create(
            {
                **vals,
                "agency_ids": [fields.Command.set(agencies.ids)],
                "unit_ids": [fields.Command.set(units.ids)],
                "preview": self._vbdt_preview(vals, agencies, successor, units),
            }
        )
        if operation in ENDING_OPERATIONS:
            agencies.write(
                {
                    "vbdt_date_end": vals["date_effective"],
                    "vbdt_successor_id": successor.id or False,
                }
            )
        for agency in agencies:
            change._vbdt_log(
                agency,
                f"scheduled {change.operation} on {vals['date_effective']}"
                f" -> {successor.name or vals.get('new_name') or '-'}"
                f" (change {change.id})",
            )
        if vals["date_effective"] <= fields.Date.context_today(self):
            change._vbdt_carry_over()
        return change.sudo(False)

    @api.model
    def _vbdt_check_operation(self, vals, agencies, successor, units):
        """Refuse what the rules forbid, per operation (raises ReorgError)."""
        operation = vals["operation"]
        if operation == "rename":
            check_rename(agencies.ids, agencies[:1].name, vals.get("new_name"))
        elif operation == "transfer":
            check_transfer(
                agencies.ids, successor.id or None, units.mapped("company_id").ids
            )
        elif operation == "merge_new":
            check_new_agency(
                vals.get("new_name"), vals.get("code_from_id") or None, agencies.ids
            )
        check_change(
            agencies.ids,
            None if operation == "transfer" else successor.id or None,
            vals.get("date_effective"),
            lambda cid: bool(agencies.browse(cid).vbdt_date_end),
            name_of=lambda cid: agencies.browse(cid).name,
        )

    @api.model
    def _vbdt_create_new_agency(self, vals, agencies):
        """The agency a merger creates, established on the effective date,
        under the new name and in the place of the predecessor whose name it
        takes; that predecessor's identifier codes pass to it on that day
        (before, the predecessor still acts under them)."""
        # sudo: the reorganisation right was checked by the caller.
        code_from = self.env["res.company"].sudo().browse(vals["code_from_id"])
        return (
            self.env["res.company"]
            .sudo()
            .create(
                {
                    "name": vals["new_name"].strip(),
                    "vbdt_tier": code_from.vbdt_tier,
                    "vbdt_short_name": code_from.vbdt_short_name,
                    "vbdt_place": code_from.vbdt_place,
                    "vbdt_parent_agency_id": code_from.vbdt_parent_agency_id.id,
                    "vbdt_date_start": vals["date_effective"],
                    "email": code_from.email,
                    "country_id": code_from.country_id.id,
                    "state_id": code_from.state_id.id,
                    "currency_id": code_from.currency_id.id,
                }
            )
        )

    @api.model
    def _vbdt_preview(self, vals, agencies, successor, units):
        """The preview of a change described by ``vals`` (the wizard's and
        the scheduling's), ``successor`` possibly a new record not yet saved."""
        operation = vals["operation"]
        plan = []
        if operation != "rename":
            plan = self._vbdt_plan(
                agencies,
                successor,
                vals.get("incoming_policy"),
                vals.get("draft_policy"),
                units=units if operation == "transfer" else None,
            )
        return self._vbdt_render_preview(
            plan,
            successor,
            vals["date_effective"],
            intro=self._vbdt_preview_intro(vals, agencies, successor, units),
        )

    @api.model
    def _vbdt_preview_intro(self, vals, agencies, successor, units):
        _ = self.env._
        day = vals["date_effective"].strftime("%d/%m/%Y")
        operation = vals["operation"]
        if operation == "rename":
            return [
                _(
                    "%(agency)s is named %(name)s from %(date)s; documents issued "
                    "before keep the name they were issued under, and the former "
                    "name stays in its history.",
                    agency=agencies.name,
                    name=vals.get("new_name"),
                    date=day,
                )
            ]
        if operation == "transfer":
            return [
                _(
                    "On %(date)s the units %(units)s move from %(agency)s to "
                    "%(target)s; %(agency)s keeps acting.",
                    date=day,
                    units=", ".join(units.mapped("name")),
                    agency=agencies.name,
                    target=successor.name,
                )
            ]
        if operation == "merge_new":
            code_from = agencies.browse(vals.get("code_from_id"))
            return [
                _(
                    "A new agency %(name)s is created, established on %(date)s. On "
                    "that day it takes the identifier codes %(codes)s of "
                    "%(agency)s (Decision 09/2025/QĐ-TTg); the other agencies' codes "
                    "become its aliases.",
                    name=vals.get("new_name"),
                    date=day,
                    codes=", ".join(self._vbdt_codes(code_from)) or "-",
                    agency=code_from.name,
                )
            ]
        return []

    @api.model
    def _vbdt_codes(self, agency):
        return sorted(
            {agency.vbdt_agency_code, agency.vbdt_agency_code_qd20} - {False, None, ""}
        )

    def _vbdt_log(self, agency, description):
        """One audit entry on the ended agency's directory entry (its chain)."""
        # sudo: only the server writes the audit log.
        self.env["vbdt.audit.log"].sudo().with_company(agency)._log(
            agency.vbdt_agency_id, "reorganise", description[:250]
        )

    # ------------------------------------------------------------ undo
    def action_undo(self):
        """Undo a change before its effective date: the agencies act again."""
        self._vbdt_check_reorg_right()
        today = fields.Date.context_today(self)
        # sudo: undoing touches every agency of the change; _vbdt_check_reorg_right
        # passed
        for change in self.sudo():
            if change.state == "cancelled":
                continue
            try:
                check_undo(change.date_effective, today, change.state == "done")
            except ReorgError as error:
                raise self._vbdt_reorg_error(error) from error
            if change.operation in ENDING_OPERATIONS:
                change.agency_ids.write(
                    {"vbdt_date_end": False, "vbdt_successor_id": False}
                )
            if change.operation == "merge_new":
                # The agency the merger created never acted (D not reached):
                # archived with its directory entry, kept for the audit trail.
                change.successor_id.vbdt_agency_id.active = False
                change.successor_id.active = False
            change.state = "cancelled"
            for agency in change.agency_ids:
                change._vbdt_log(agency, f"undone (change {change.id})")
        return True

    # ------------------------------------------------------------ carry-over
    @api.model
    def _cron_vbdt_carry_over(self):
        """Daily: carry over the changes whose effective date has come."""
        today = fields.Date.context_today(self)
        changes = self.search(
            [("state", "=", "scheduled"), ("date_effective", "<=", today)]
        )
        changes._vbdt_carry_over(commit=not self.env.registry.in_test_mode())

    def _vbdt_carry_over(self, commit=False):
        """Close the registers and carry the open work over, one agency per
        transaction (``commit`` from the scheduled action); every step only
        touches what is still at the ended agency, so a re-run is a no-op."""
        # sudo: the change was decided by the system administrator (checked at
        # scheduling); the carry-over moves records of several agencies.
        for change in self.sudo():
            for agency in change.agency_ids:
                change._vbdt_carry_over_agency(agency)
                if commit:
                    # One transaction per agency (scheduled action only).
                    self.env.cr.commit()  # pylint: disable=invalid-commit
            change.state = "done"

    def _vbdt_carry_over_agency(self, agency):
        """Apply the change to one agency on D; each step only touches what
        is still to do, so a re-run is a no-op."""
        self.ensure_one()
        if self.operation == "rename":
            return self._vbdt_apply_rename(agency)
        if self.operation == "transfer":
            return self._vbdt_apply_transfer(agency)
        if self.operation == "merge_new" and agency == self.code_from_id:
            self._vbdt_pass_codes(agency, self.successor_id)
        successor = self.successor_id
        registers = agency.with_context(active_test=False).vbdt_register_ids
        registers.filtered("active").write({"active": False})
        if successor:
            self._vbdt_move_units(agency, successor)
            self._vbdt_move_users(agency, successor)
        plan = self._vbdt_plan(
            agency, successor, self.incoming_policy, self.draft_policy
        )[0]
        for document in plan["move"]:
            self._vbdt_move_document(document, successor)
        for document in plan["return"]:
            self._vbdt_move_document(document, successor)
            document._vbdt_reorg_return_draft()
        self._vbdt_carry_over_extra(agency, successor)
        self._vbdt_log(
            agency,
            f"carried over (change {self.id}): {len(registers)} registers closed, "
            f"{len(plan['move'])} moved, {len(plan['return'])} returned",
        )

    def _vbdt_apply_rename(self, agency):
        if agency.name == self.new_name:
            return
        agency.write({"name": self.new_name})
        self._vbdt_log(
            agency, f"renamed {self.old_name} -> {self.new_name} (change {self.id})"
        )

    def _vbdt_apply_transfer(self, agency):
        """Move the units, their users and their open work to the receiving
        agency; the agency they leave keeps acting, its registers open."""
        target = self.successor_id
        plan = self._vbdt_plan(
            agency,
            target,
            self.incoming_policy,
            self.draft_policy,
            units=self.unit_ids,
        )[0]
        self._vbdt_move_users(agency, target, plan["users"])
        self._vbdt_move_units(agency, target, self.unit_ids)
        for document in plan["move"] | plan["return"]:
            self._vbdt_move_document(document, target)
        for document in plan["return"]:
            document._vbdt_reorg_return_draft()
        self._vbdt_log(
            agency,
            f"transferred (change {self.id}): {len(self.unit_ids)} units, "
            f"{len(plan['users'])} users, {len(plan['move'])} moved, "
            f"{len(plan['return'])} returned -> {target.name}",
        )

    def _vbdt_pass_codes(self, agency, successor):
        """Decision 09/2025/QĐ-TTg: the new agency keeps the identifier codes
        of the predecessor whose name it takes (released first: a code
        belongs to one directory entry)."""
        codes = {
            "vbdt_agency_code": agency.vbdt_agency_code,
            "vbdt_agency_code_qd20": agency.vbdt_agency_code_qd20,
        }
        if not any(codes.values()):
            return
        agency.write(dict.fromkeys(codes, False))
        # Release the codes in the database before the successor takes them:
        # the unique constraints are checked statement by statement.
        self.env.flush_all()
        successor.write(codes)
        self._vbdt_log(
            agency,
            f"codes {', '.join(filter(None, codes.values()))} passed to "
            f"{successor.name} (change {self.id})",
        )

    def _vbdt_carry_over_extra(self, agency, successor):
        """Extension point: vbdt_workflow ends delegations and routes."""
        return True

    def _vbdt_move_units(self, agency, successor, units=None):
        Unit = self.env["vbdt.unit"].with_context(active_test=False)
        taken = set(Unit.search([("company_id", "=", successor.id)]).mapped("code"))
        prefix = agency.vbdt_short_name or str(agency.id)
        if units is None:
            units = Unit.search([("company_id", "=", agency.id)])
        for unit in units.filtered(lambda u: u.company_id == agency):
            code = unit.code if unit.code not in taken else f"{unit.code}-{prefix}"
            taken.add(code)
            unit.write({"company_id": successor.id, "code": code})

    def _vbdt_move_users(self, agency, successor, users=None):
        if users is None:
            users = self._vbdt_agency_users(agency)
        for user in users:
            # Keeping the former agency lets them read their own history.
            user.write(
                {
                    "company_ids": [fields.Command.link(successor.id)],
                    "company_id": successor.id,
                }
            )

    def _vbdt_move_document(self, document, successor):
        """Move one document to the successor keeping its numbers: a numbered
        incoming document goes to a carried-over copy of its register (its
        arrival number stays unique there), an unnumbered one to the
        successor's default register."""
        agency = document.company_id
        old_register = document.register_id
        numbered = document.arrival_number or document.number
        # The agency that registered it stays its origin through a chain of
        # changes (its figures and fond are that agency's).
        origin = document.origin_company_id or agency
        vals = {"company_id": successor.id, "origin_company_id": origin.id}
        with unlocked(document):
            document.write({"register_id": False, **vals})
            register = (
                self._vbdt_carried_register(old_register, successor)
                if numbered and old_register
                else document._vbdt_default_register()
            )
            document.write({"register_id": register.id})
        document.message_post(
            body=self.env._(
                "Carried over from %(agency)s to %(successor)s on %(date)s "
                "(%(change)s).",
                agency=agency.name,
                successor=successor.name,
                date=self.date_effective.strftime("%d/%m/%Y"),
                change=self.name,
            )
        )
        self.env["vbdt.audit.log"]._log(
            document,
            "reorganise",
            f"{agency.name} -> {successor.name}; "
            f"register {old_register.id} -> {register.id}",
        )

    def _vbdt_carried_register(self, register, successor):
        """The successor's closed copy of an ended agency's register, holding
        the documents carried over with their numbers."""
        Register = self.env["vbdt.register"].with_context(active_test=False)
        carried = Register.search(
            [("company_id", "=", successor.id), ("carried_from_id", "=", register.id)],
            limit=1,
        )
        return carried or Register.create(
            {
                "name": f"{register.name} ({register.company_id.name})",
                "company_id": successor.id,
                "direction": register.direction,
                "confidential": register.confidential,
                "carried_from_id": register.id,
                "active": False,
                "sequence": 900,
            }
        )
