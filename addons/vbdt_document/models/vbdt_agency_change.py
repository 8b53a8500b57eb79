from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..reorg import (
    ReorgError,
    check_change,
    check_undo,
    work_action,
)
from .lifecycle import unlocked

OPERATIONS = [
    ("end", "End (dissolve)"),
    ("merge", "Merge into another agency"),
]
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
        string="Ended Agencies",
        required=True,
        readonly=True,
    )
    successor_id = fields.Many2one("res.company", string="Successor", readonly=True)
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

    @api.depends("operation", "agency_ids", "successor_id")
    def _compute_name(self):
        labels = dict(self._fields["operation"]._description_selection(self.env))
        for change in self:
            name = f"{labels.get(change.operation, '')}: " + ", ".join(
                change.agency_ids.mapped("name")
            )
            if change.successor_id:
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
    def _vbdt_plan(self, agencies, successor, incoming_policy, draft_policy):
        """What carrying over would do, per ended agency: the records each
        step touches (shared by the preview and the carry-over itself)."""
        plan = []
        Document = self.env["vbdt.document"].sudo().with_context(active_test=False)
        for agency in agencies:
            documents = Document.search([("company_id", "=", agency.id)])
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
            plan.append(
                {
                    "agency": agency,
                    "registers": agency.sudo().vbdt_register_ids,
                    "units": agency.sudo().vbdt_unit_ids if successor else None,
                    "users": self._vbdt_agency_users(agency) if successor else None,
                    "move": actions["move"],
                    "return": actions["return"],
                    "fond_count": len(documents)
                    - len(actions["move"] | actions["return"]),
                    "codes": sorted(
                        {agency.vbdt_agency_code, agency.vbdt_agency_code_qd20}
                        - {False, None, ""}
                    ),
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
    def _vbdt_agency_users(self, agency):
        # sudo: the administrator sees every agency's users in the preview.
        return (
            self.env["res.users"]
            .sudo()
            .search([("company_id", "=", agency.id), ("share", "=", False)])
        )

    @api.model
    def _vbdt_render_preview(self, plan, successor, date_effective):
        _ = self.env._
        day = date_effective.strftime("%d/%m/%Y") if date_effective else "?"
        rows = Markup()
        for item in plan:
            agency = item["agency"]
            lines = [
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
            if successor:
                lines += [
                    _(
                        "Codes %(codes)s stay as aliases of %(successor)s: packages "
                        "sent to them are routed there and flagged.",
                        codes=", ".join(item["codes"]) or "-",
                        successor=successor.name,
                    ),
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
                ]
                moved = item["move"]
                incoming = moved.filtered(lambda d: d.direction == "incoming")
                lines.append(
                    _(
                        "%(count)s incoming documents in handling move with their "
                        "arrival number, deadline and history: %(list)s",
                        count=len(incoming),
                        list=", ".join(
                            str(d.arrival_number or "-") for d in incoming[:20]
                        )
                        or "-",
                    )
                )
                lines.append(
                    _("%(count)s drafts move as they are.", count=len(moved - incoming))
                )
                lines.append(
                    _(
                        "%(count)s drafts under approval return to their drafters.",
                        count=len(item["return"]),
                    )
                )
            lines += [f"{label}: {count}" for label, count in item["extra"]]
            rows += Markup("<h4>%s</h4><ul>%s</ul>") % (
                agency.name,
                Markup().join(Markup("<li>%s</li>") % line for line in lines),
            )
        return rows

    # ------------------------------------------------------------ schedule
    @api.model
    def _vbdt_schedule(self, vals):
        """Record the change and end the agencies from ``date_effective``;
        carry over at once when that day has come. Returns the change."""
        self._vbdt_check_reorg_right()
        vals = {
            **vals,
            "date_effective": fields.Date.to_date(vals.get("date_effective")),
        }
        # sudo: the right was checked above; companies are written by the server.
        Company = self.env["res.company"].sudo()
        agencies = Company.browse(vals["agency_ids"])
        successor = Company.browse(vals.get("successor_id") or [])
        today = fields.Date.context_today(self)
        try:
            check_change(
                agencies.ids,
                successor.id or None,
                vals.get("date_effective"),
                lambda cid: bool(Company.browse(cid).vbdt_date_end),
                name_of=lambda cid: Company.browse(cid).name,
            )
        except ReorgError as error:
            raise self._vbdt_reorg_error(error) from error
        if vals["operation"] == "merge" and not successor:
            raise UserError(self.env._("A merger needs the agency it merges into."))
        if successor and successor._vbdt_is_ended(vals["date_effective"]):
            raise UserError(
                self.env._(
                    "%(successor)s itself ends by that date: choose the agency that "
                    "acts after it.",
                    successor=successor.name,
                )
            )
        plan = self._vbdt_plan(
            agencies, successor, vals.get("incoming_policy"), vals.get("draft_policy")
        )
        change = self.sudo().create(
            {
                **vals,
                "agency_ids": [fields.Command.set(agencies.ids)],
                "preview": self._vbdt_render_preview(
                    plan, successor, vals["date_effective"]
                ),
            }
        )
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
                f" -> {successor.name or '-'} (change {change.id})",
            )
        if vals["date_effective"] <= today:
            change._vbdt_carry_over()
        return change.sudo(False)

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
        for change in self.sudo():
            if change.state == "cancelled":
                continue
            try:
                check_undo(change.date_effective, today, change.state == "done")
            except ReorgError as error:
                raise self._vbdt_reorg_error(error) from error
            change.agency_ids.write(
                {"vbdt_date_end": False, "vbdt_successor_id": False}
            )
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
        self.ensure_one()
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

    def _vbdt_carry_over_extra(self, agency, successor):
        """Extension point: vbdt_workflow ends delegations and routes."""
        return True

    def _vbdt_move_units(self, agency, successor):
        Unit = self.env["vbdt.unit"].with_context(active_test=False)
        taken = set(Unit.search([("company_id", "=", successor.id)]).mapped("code"))
        prefix = agency.vbdt_short_name or str(agency.id)
        for unit in Unit.search([("company_id", "=", agency.id)]):
            code = unit.code if unit.code not in taken else f"{unit.code}-{prefix}"
            taken.add(code)
            unit.write({"company_id": successor.id, "code": code})

    def _vbdt_move_users(self, agency, successor):
        for user in self._vbdt_agency_users(agency):
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
        vals = {"company_id": successor.id, "origin_company_id": agency.id}
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
                "Carried over from %(agency)s to %(successor)s (ended on %(date)s).",
                agency=agency.name,
                successor=successor.name,
                date=self.date_effective.strftime("%d/%m/%Y"),
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
