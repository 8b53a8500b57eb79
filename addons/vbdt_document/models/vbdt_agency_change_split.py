from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..reorg import check_change, check_split, split_targets


class VbdtAgencyChange(models.Model):
    """The split of one agency among several agencies that keep acting:
    each line names an agency and the units it takes (with their users and
    open work); the named successor keeps the ended agency's codes as
    aliases, answers for its fond and takes what no line names."""

    _inherit = "vbdt.agency.change"

    line_ids = fields.One2many(
        "vbdt.agency.change.line",
        "change_id",
        string="Parts of the Split",
        readonly=True,
    )

    @api.depends("line_ids.successor_id")
    def _compute_name(self):
        result = super()._compute_name()
        label = dict(self._fields["operation"]._description_selection(self.env))
        for change in self.filtered(lambda c: c.operation == "split"):
            change.name = "{}: {} → {}".format(
                label["split"],
                ", ".join(change.agency_ids.mapped("name")),
                ", ".join(change.line_ids.successor_id.mapped("name")),
            )
        return result

    # ------------------------------------------------------------ lines
    @api.model
    def _vbdt_split_lines(self, vals):
        """``[(agency id, [unit ids])]`` from the ``line_ids`` commands of a
        change's values (the wizard's and the scheduling's)."""
        lines = []
        for command in vals.get("line_ids") or []:
            if command[0] != fields.Command.CREATE:
                continue
            line = command[2]
            unit_ids = []
            for unit_command in line.get("unit_ids") or []:
                if isinstance(unit_command, int):
                    unit_ids.append(unit_command)
                elif unit_command[0] == fields.Command.SET:
                    unit_ids = list(unit_command[2])
                elif unit_command[0] == fields.Command.LINK:
                    unit_ids.append(unit_command[1])
            lines.append((line.get("successor_id") or None, unit_ids))
        return lines

    @api.model
    def _vbdt_split_plan(self, agency, successor, lines, incoming_policy, draft_policy):
        """``[(agency, plan item)]``, one per part of the split, the named
        successor last: it takes the units no line names, the documents
        without a unit and the users working in several parts."""
        # sudo: the administrator plans across agencies (right checked by callers).
        Company = self.env["res.company"].sudo()
        Unit = self.env["vbdt.unit"].sudo()
        parts, taken = [], Unit
        for target_id, unit_ids in split_targets(successor.id, lines).items():
            target, units = Company.browse(target_id), Unit.browse(unit_ids)
            if target != successor:
                item = self._vbdt_plan(
                    agency, target, incoming_policy, draft_policy, units=units
                )[0]
                taken |= units
            else:
                item = self._vbdt_plan(
                    agency,
                    target,
                    incoming_policy,
                    draft_policy,
                    exclude_units=taken,
                )[0]
            parts.append((target, item))
        return parts

    # ------------------------------------------------------------ checks
    @api.model
    def _vbdt_check_operation(self, vals, agencies, successor, units):
        if vals["operation"] != "split":
            return super()._vbdt_check_operation(vals, agencies, successor, units)
        lines = self._vbdt_split_lines(vals)
        # sudo: units of an agency the administrator may not be logged into.
        Unit = self.env["vbdt.unit"].sudo()
        check_split(
            agencies.ids,
            successor.id or None,
            lines,
            lambda unit_id: Unit.browse(unit_id).company_id.id,
        )
        check_change(
            agencies.ids,
            successor.id,
            vals.get("date_effective"),
            lambda cid: bool(agencies.browse(cid).vbdt_date_end),
            name_of=lambda cid: agencies.browse(cid).name,
        )
        day = vals.get("date_effective")
        for target in agencies.browse([target_id for target_id, _u in lines]):
            if target._vbdt_is_ended(day):
                raise UserError(
                    self.env._(
                        "%(successor)s itself ends by that date: choose the agency "
                        "that acts after it.",
                        successor=target.name,
                    )
                )
        return True

    # ------------------------------------------------------------ preview
    @api.model
    def _vbdt_preview(self, vals, agencies, successor, units):
        if vals["operation"] != "split":
            return super()._vbdt_preview(vals, agencies, successor, units)
        if len(agencies) != 1 or not successor:
            return Markup("<p>%s</p>") % self.env._(
                "Choose the agency that splits, its successor and, per line, the "
                "agency that takes a part with its units."
            )
        lines = [(t, u) for t, u in self._vbdt_split_lines(vals) if t]
        parts = self._vbdt_split_plan(
            agencies,
            successor,
            lines,
            vals.get("incoming_policy"),
            vals.get("draft_policy"),
        )
        return self._vbdt_render_split_preview(
            agencies, successor, parts, vals["date_effective"]
        )

    @api.model
    def _vbdt_render_split_preview(self, agency, successor, parts, date_effective):
        """The preview of a split: the agency that ends, then a line per
        agency taking a part, with its units and the open work that goes
        to it."""
        _ = self.env._
        day = date_effective.strftime("%d/%m/%Y") if date_effective else "?"
        named = parts[-1][1]
        ending = {**named, "fond_count": sum(item["fond_count"] for _t, item in parts)}
        intro = _(
            "On %(date)s %(agency)s ends and is split among %(agencies)s; "
            "%(successor)s keeps its codes as aliases, answers for its fond and "
            "takes what no line names.",
            date=day,
            agency=agency.name,
            agencies=", ".join(target.name for target, _item in parts),
            successor=successor.name,
        )
        ending_lines = self._vbdt_preview_ending_lines(ending, day) + [
            f"{label}: {count}" for label, count in named["extra"]
        ]
        html = Markup("<p>%s</p><h4>%s</h4><ul>%s</ul>") % (
            intro,
            agency.name,
            Markup().join(Markup("<li>%s</li>") % line for line in ending_lines),
        )
        for target, item in parts:
            heading = _(
                "%(agency)s takes the units: %(units)s",
                agency=target.name,
                units=", ".join(item["units"].mapped("name")) or "-",
            )
            lines = self._vbdt_preview_moving_lines(item, target)
            html += Markup("<h4>%s</h4><ul>%s</ul>") % (
                heading,
                Markup().join(Markup("<li>%s</li>") % line for line in lines),
            )
        return html

    # ------------------------------------------------------------ carry-over
    def _vbdt_carry_over_agency(self, agency):
        if self.operation != "split":
            return super()._vbdt_carry_over_agency(agency)
        return self._vbdt_apply_split(agency)

    def _vbdt_apply_split(self, agency):
        """On D: close the registers, then move each part (units, users, open
        work by the unit mapping) to the agency that takes it; a re-run finds
        nothing left at the ended agency."""
        self.ensure_one()
        successor = self.successor_id
        registers = agency.with_context(active_test=False).vbdt_register_ids
        registers.filtered("active").write({"active": False})
        lines = [(line.successor_id.id, line.unit_ids.ids) for line in self.line_ids]
        parts = self._vbdt_split_plan(
            agency, successor, lines, self.incoming_policy, self.draft_policy
        )
        for target, item in parts:
            self._vbdt_move_users(agency, target, item["users"])
            self._vbdt_move_units(agency, target, item["units"])
            for document in item["move"] | item["return"]:
                self._vbdt_move_document(document, target)
            for document in item["return"]:
                document._vbdt_reorg_return_draft()
            self._vbdt_log(
                agency,
                f"split (change {self.id}): {len(item['units'])} units, "
                f"{len(item['users'])} users, {len(item['move'])} moved, "
                f"{len(item['return'])} returned -> {target.name}",
            )
        self._vbdt_carry_over_extra(agency, successor)
        self._vbdt_log(
            agency,
            f"carried over (change {self.id}): {len(registers)} registers closed, "
            f"split among {len(parts)} agencies",
        )
