from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import GROUP
from .rpc import JsonRpcCase
from .test_agency_reorganisations import ReorganisationCommon


class SplitCommon(ReorganisationCommon):
    """Sở Thử nghiệm splits: its Phòng Kế hoạch goes to Sở Thử nghiệm Hai,
    its Văn phòng to the province's committee, the named successor, which
    also takes what no line names (Thanh tra, documents without a unit, the
    clerk who works in no unit)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Unit = cls.env["vbdt.unit"]
        cls.plan_unit = Unit.create(
            {"name": "Phòng Kế hoạch", "code": "KH", "company_id": cls.department.id}
        )
        cls.inspection = Unit.create(
            {"name": "Thanh tra Sở", "code": "TT", "company_id": cls.department.id}
        )
        cls.plan_specialist = cls._user(
            "plan_specialist", "specialist", cls.plan_unit, cls.department
        )

    def _split_vals(self, day=None, **vals):
        return {
            "operation": "split",
            "agency_ids": self.department.ids,
            "successor_id": self.province.id,
            "date_effective": day or self.today,
            "incoming_policy": "move",
            "draft_policy": "move",
            "line_ids": [
                Command.create(
                    {"successor_id": self.second.id, "unit_ids": self.plan_unit.ids}
                ),
                Command.create(
                    {"successor_id": self.province.id, "unit_ids": self.dept_unit.ids}
                ),
            ],
            **vals,
        }

    def _split(self, day=None, **vals):
        return self.Change._vbdt_schedule(self._split_vals(day, **vals))

    def _document(self, direction, unit, **vals):
        create = self._incoming if direction == "incoming" else self._outgoing
        return create(company_id=self.department.id, unit_id=unit.id, **vals)

    def _registered(self, unit):
        document = self._document(
            "incoming",
            unit,
            due_date=self.today + timedelta(9),
            code=f"{unit.id}/VPCP-TTĐT",
        )
        document.with_user(self.other_clerk).action_register()
        return document

    @staticmethod
    def _section(preview, heading):
        """The part of the preview under the heading that contains
        ``heading``, up to the next heading."""
        for section in preview.split("<h4>")[1:]:
            if heading in section.split("</h4>")[0]:
                return section
        raise AssertionError(f"no section {heading!r} in {preview}")


@tagged("post_install", "-at_install")
class TestAgencySplit(SplitCommon):
    def test_split_moves_each_part_where_the_preview_said(self):
        at_office = self._registered(self.dept_unit)
        at_plan = self._registered(self.plan_unit)
        office_number, plan_number = at_office.arrival_number, at_plan.arrival_number
        plan_register, deadline = at_plan.register_id, at_plan.due_date
        plan_draft = self._document("outgoing", self.plan_unit)
        no_unit_draft = self._document("outgoing", self.plan_unit.browse())
        issued = self._document(
            "outgoing", self.plan_unit, document_type_id=self.letter_type.id
        )
        issued.sudo()._vbdt_write_lifecycle(
            {"state": min(issued._vbdt_issuable_states())}
        )
        issued.with_user(self.other_clerk).action_issue()

        change = self._split()

        # The preview: the agency that ends, then one line per agency taking
        # a part, with its units and the open work that goes to it.
        preview = change.preview
        self.assertIn(self.today.strftime("%d/%m/%Y"), preview)
        second = self._section(preview, self.second.name)
        self.assertIn(self.plan_unit.name, second)
        self.assertIn(str(plan_number), second)
        self.assertNotIn(self.dept_unit.name, second)
        province = self._section(preview, self.province.name)
        self.assertIn(self.dept_unit.name, province)
        self.assertIn(self.inspection.name, province)
        self.assertIn(str(office_number), province)
        self.assertIn("000.00.12.H99", province, "codes are the successor's aliases")
        self.assertNotIn("000.00.12.H99", second)
        self.assertIn(self.second.name, change.name)

        self.assertEqual(change.state, "done")
        self.assertEqual(change.line_ids.successor_id, self.second | self.province)
        # The agency ended into the named successor; its codes are aliases.
        self.assertEqual(self.department.vbdt_date_end, self.today)
        self.assertEqual(self.department.vbdt_successor_id, self.province)
        Agency = self.env["vbdt.agency"]
        self.assertEqual(
            Agency._vbdt_resolve_code("000.00.12.H99", self.today),
            (self.province.vbdt_agency_id, self.department.vbdt_agency_id),
        )
        # Units, users and open work went by the unit mapping.
        self.assertEqual(self.plan_unit.company_id, self.second)
        self.assertEqual(self.dept_unit.company_id, self.province)
        self.assertEqual(self.inspection.company_id, self.province)
        self.assertEqual(self.plan_specialist.company_id, self.second)
        self.assertIn(self.department, self.plan_specialist.company_ids)
        self.assertEqual(self.dept_specialist.company_id, self.province)
        self.assertEqual(self.other_clerk.company_id, self.province)
        self.assertEqual(at_plan.company_id, self.second)
        self.assertEqual(at_plan.arrival_number, plan_number)
        self.assertEqual(at_plan.due_date, deadline)
        self.assertEqual(at_plan.origin_company_id, self.department)
        self.assertEqual(at_plan.register_id.carried_from_id, plan_register)
        self.assertEqual(at_plan.register_id.company_id, self.second)
        self.assertEqual(at_office.company_id, self.province)
        self.assertEqual(at_office.arrival_number, office_number)
        self.assertEqual(plan_draft.company_id, self.second)
        self.assertEqual(no_unit_draft.company_id, self.province)
        self.assertEqual(issued.company_id, self.department, "the fond stays")
        # Registers closed; numbering refused naming the successor.
        registers = self.department.with_context(active_test=False).vbdt_register_ids
        self.assertTrue(registers)
        self.assertFalse(registers.filtered("active"))
        with self.assertRaises(UserError) as caught:
            self.env["vbdt.register"].with_context(active_test=False)._default_for(
                self.department, "outgoing"
            )._allocate_number(self.today)
        self.assertIn(self.province.name, str(caught.exception))
        # Every step is in the audit log of the ended agency.
        logs = (
            self.env["vbdt.audit.log"]
            .sudo()
            .search([("agency_id", "=", self.department.vbdt_agency_id.id)])
        )
        descriptions = " ".join(logs.mapped("description"))
        self.assertIn(f"scheduled split on {self.today}", descriptions)
        self.assertIn(f"-> {self.second.name}", descriptions)
        self.assertIn("split among 2 agencies", descriptions)
        moved = (
            self.env["vbdt.audit.log"]
            .sudo()
            .search([("document_id", "=", at_plan.id), ("event", "=", "reorganise")])
        )
        self.assertIn(self.second.name, moved.description)
        # A re-run finds nothing left to move.
        count = self.env["vbdt.register"].with_context(active_test=False).search_count
        before = count([])
        change._vbdt_carry_over_agency(self.department)
        self.assertEqual(count([]), before)
        self.assertEqual(at_plan.company_id, self.second)
        self.assertEqual(self.plan_unit.company_id, self.second)

    def test_split_refused_when_the_rules_forbid_it(self):
        other = self.env["vbdt.unit"].create(
            {"name": "Phòng khác", "code": "PK", "company_id": self.second.id}
        )
        one_line = [Command.create({"successor_id": self.second.id})]
        cases = (
            ({"agency_ids": (self.department | self.second).ids}, "exactly one"),
            ({"line_ids": one_line}, "at least two"),
            ({"successor_id": self.env.ref("base.main_company").id}, "Choose, among"),
            (
                {
                    "line_ids": [
                        Command.create(
                            {"successor_id": self.second.id, "unit_ids": other.ids}
                        ),
                        Command.create({"successor_id": self.province.id}),
                    ]
                },
                "must belong",
            ),
        )
        changes = self.Change.search_count([])
        for vals, message in cases:
            with self.subTest(message=message), self.assertRaises(UserError) as caught:
                self._split(**vals)
            self.assertIn(message, str(caught.exception))
        self.assertEqual(self.Change.search_count([]), changes)
        self.assertFalse(self.department.vbdt_date_end)
        self.assertEqual(self.plan_unit.company_id, self.department)

    def test_split_refused_into_an_agency_that_ends_by_then(self):
        self._schedule(
            "end", self.today + timedelta(days=1), agency_ids=self.second.ids
        )
        with self.assertRaises(UserError) as caught:
            self._split(self.today + timedelta(days=2))
        self.assertIn(self.second.name, str(caught.exception))
        self.assertFalse(self.department.vbdt_date_end)

    def test_undo_before_the_effective_date_only(self):
        waiting = self._registered(self.plan_unit)
        later = self._split(self.today + timedelta(days=3))
        self.assertEqual(later.state, "scheduled")
        self.assertEqual(self.department.vbdt_successor_id, self.province)
        self.assertEqual(self.plan_unit.company_id, self.department, "moves on D")
        self.assertEqual(waiting.company_id, self.department)
        later.action_undo()
        self.assertEqual(later.state, "cancelled")
        self.assertFalse(self.department.vbdt_date_end)
        self.assertFalse(self.department.vbdt_successor_id)
        now = self._split()
        self.assertEqual(waiting.company_id, self.second)
        with self.assertRaises(UserError) as caught:
            now.action_undo()
        self.assertIn(self.today.strftime("%d/%m/%Y"), str(caught.exception))
        self.assertEqual(now.state, "done")
        self.assertEqual(self.department.vbdt_date_end, self.today)

    def test_scheduled_split_carries_over_by_its_stored_lines_on_its_day(self):
        waiting = self._registered(self.plan_unit)
        change = self._split(self.today + timedelta(days=2))
        self.assertEqual(change.state, "scheduled")
        self.assertEqual(waiting.company_id, self.department)
        # D comes (the daily scheduled action runs the same method, committing
        # per agency; a test may not commit).
        change.write({"date_effective": self.today})
        change._vbdt_carry_over()
        self.assertEqual(change.state, "done")
        self.assertEqual(waiting.company_id, self.second)
        self.assertEqual(self.plan_unit.company_id, self.second)
        self.assertEqual(self.inspection.company_id, self.province)


@tagged("post_install", "-at_install")
class TestAgencySplitRpc(SplitCommon, JsonRpcCase):
    """Over JSON-RPC: only base.group_system splits an agency through the
    wizard; every other role is refused and nothing moves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        companies = [cls.province.id, cls.department.id, cls.second.id]
        cls.doc_admin = new_test_user(
            cls.env,
            login="split_doc_admin",
            groups=GROUP + "manager",
            company_id=cls.department.id,
            company_ids=companies,
        )
        cls.system = new_test_user(
            cls.env,
            login="split_sysadmin",
            groups="base.group_system," + GROUP + "manager",
            company_id=cls.province.id,
            company_ids=companies,
        )

    def _wizard_vals(self):
        return {
            "operation": "split",
            "agency_ids": [Command.set(self.department.ids)],
            "successor_id": self.province.id,
            "date_effective": str(self.today),
            "split_line_ids": [
                Command.create(
                    {
                        "successor_id": self.second.id,
                        "unit_ids": [Command.set(self.plan_unit.ids)],
                    }
                ),
                Command.create(
                    {
                        "successor_id": self.province.id,
                        "unit_ids": [Command.set(self.dept_unit.ids)],
                    }
                ),
            ],
        }

    def _snapshot(self):
        self.env.invalidate_all()
        return (
            self.department.vbdt_date_end,
            self.department.vbdt_successor_id.id,
            (self.plan_unit | self.dept_unit | self.inspection)
            .mapped("company_id")
            .ids,
            self.plan_specialist.company_id.id,
            self.Change.sudo().search_count([]),
            self.env["vbdt.agency.change.line"].sudo().search_count([]),
        )

    def test_roles_refused(self):
        waiting = self._registered(self.plan_unit)
        line = {
            "change_id": self.Change.sudo().search([], limit=1).id or 0,
            "successor_id": self.second.id,
        }
        for user in (
            self.dept_specialist,
            self.plan_specialist,
            self.other_clerk,
            self.leader,
            self.doc_admin,
        ):
            self.assertRefused(
                user,
                "vbdt.agency.change.wizard",
                "create",
                [self._wizard_vals()],
                unchanged=self._snapshot,
            )
            self.assertRefused(
                user,
                "vbdt.agency.change.wizard.line",
                "create",
                [{"successor_id": self.second.id}],
                unchanged=self._snapshot,
            )
            self.assertRefused(
                user,
                "vbdt.agency.change.line",
                "create",
                [line],
                unchanged=self._snapshot,
            )
        self.env.invalidate_all()
        self.assertEqual(waiting.company_id, self.department)
        self.assertFalse(self.department.vbdt_date_end)

    def test_system_administrator_previews_then_applies(self):
        waiting = self._registered(self.plan_unit)
        wizard_id = self.call_kw(
            self.system, "vbdt.agency.change.wizard", "create", [self._wizard_vals()]
        )
        preview = self.call_kw(
            self.system,
            "vbdt.agency.change.wizard",
            "read",
            [[wizard_id], ["preview"]],
        )[0]["preview"]
        section = self._section(preview, self.second.name)
        self.assertIn(self.plan_unit.name, section)
        self.assertIn(str(waiting.arrival_number), section)
        action = self.call_kw(
            self.system, "vbdt.agency.change.wizard", "action_apply", [[wizard_id]]
        )
        self.env.invalidate_all()
        change = self.Change.browse(action["res_id"])
        self.assertEqual((change.operation, change.state), ("split", "done"))
        self.assertEqual(change.preview, preview)
        self.assertEqual(waiting.company_id, self.second)
        self.assertEqual(self.plan_unit.company_id, self.second)
        self.assertEqual(self.department.vbdt_successor_id, self.province)
