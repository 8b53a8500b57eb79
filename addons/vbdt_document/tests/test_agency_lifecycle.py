from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GROUP, VbdtDocumentCommon
from .rpc import JsonRpcCase


class LifecycleCommon(VbdtDocumentCommon):
    """The department (Sở Thử nghiệm) ends into the province's committee."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.company"])
        cls.dept_unit = cls.env["vbdt.unit"].create(
            {"name": "Văn phòng Sở", "code": "VP", "company_id": cls.department.id}
        )
        cls.dept_specialist = cls._user(
            "dept_specialist", "specialist", cls.dept_unit, cls.department
        )
        cls.Change = cls.env["vbdt.agency.change"]

    @classmethod
    def _dept_document(cls, direction, **vals):
        base = {
            "direction": direction,
            "company_id": cls.department.id,
            "unit_id": cls.dept_unit.id,
        }
        if direction == "incoming":
            return cls._incoming(**base, **vals)
        return cls._outgoing(**base, **vals)

    def _registered_at_department(self):
        document = self._dept_document("incoming", due_date=self.today + timedelta(9))
        document.with_user(self.other_clerk).action_register()
        return document

    def _end(self, day=None, **vals):
        return self.Change._vbdt_schedule(
            {
                "operation": "merge",
                "agency_ids": self.department.ids,
                "successor_id": self.province.id,
                "date_effective": day or self.today,
                "incoming_policy": "move",
                "draft_policy": "move",
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestAgencyLifecycle(LifecycleCommon):
    def test_tiers_are_data_and_the_district_tier_is_historical(self):
        codes = dict(self.env["vbdt.agency.tier"]._vbdt_selection())
        self.assertIn("commune", codes)
        self.assertIn("district", codes)
        with self.assertRaises(ValidationError) as caught:
            self.env["res.company"].create(
                {"name": "UBND huyện Mới", "vbdt_tier": "district"}
            )
        self.assertIn("01/07/2025", str(caught.exception))

    def test_numbering_refused_from_the_effective_date_naming_the_successor(self):
        waiting = self._dept_document("incoming")
        self._end(incoming_policy="keep")
        self.assertEqual(waiting.company_id, self.department)
        with self.assertRaises(UserError) as caught:
            waiting.with_user(self.other_clerk).action_register()
        message = str(caught.exception)
        self.assertIn(self.department.name, message)
        self.assertIn(self.province.name, message)
        self.assertFalse(waiting.arrival_number)
        with self.assertRaises(UserError):
            self._dept_document("outgoing")

    def test_future_end_numbers_until_the_day_before(self):
        day = self.today + timedelta(days=10)
        change = self._end(day)
        self.assertEqual(change.state, "scheduled")
        register = self.env["vbdt.register"]._default_for(self.department, "incoming")
        register._allocate_number(day - timedelta(days=1))
        with self.assertRaises(UserError):
            register._allocate_number(day)
        self.assertTrue(register.active, "registers close on the day, not before")

    def test_merge_carries_open_work_over_with_numbers_and_history(self):
        handled = self._registered_at_department()
        number, deadline = handled.arrival_number, handled.due_date
        old_register = handled.register_id
        draft = self._dept_document("outgoing")
        issued = self._dept_document("outgoing", document_type_id=self.letter_type.id)
        # Past its approval route when vbdt_workflow is installed (not the subject).
        issued.sudo()._vbdt_write_lifecycle(
            {"state": min(issued._vbdt_issuable_states())}
        )
        issued.with_user(self.other_clerk).action_issue()
        change = self._end()
        self.assertIn(str(number), change.preview)
        self.assertEqual(change.state, "done")
        self.assertEqual(handled.company_id, self.province)
        self.assertEqual(handled.arrival_number, number)
        self.assertEqual(handled.due_date, deadline)
        self.assertEqual(handled.origin_company_id, self.department)
        self.assertEqual(handled.register_id.carried_from_id, old_register)
        events = (
            self.env["vbdt.audit.log"].sudo().search([("document_id", "=", handled.id)])
        )
        self.assertIn("reorganise", events.mapped("event"))
        self.assertEqual(draft.company_id, self.province)
        self.assertEqual(issued.company_id, self.department, "the fond stays")
        self.assertFalse(old_register.active)
        self.assertEqual(self.dept_unit.company_id, self.province)
        self.assertEqual(self.dept_unit.code, "VP-STN")
        self.assertEqual(self.other_clerk.company_id, self.province)
        self.assertIn(self.department, self.other_clerk.company_ids)
        # A re-run finds nothing left to do.
        logs = self.env["vbdt.audit.log"].sudo().search_count([])
        registers = (
            self.env["vbdt.register"].with_context(active_test=False).search_count([])
        )
        change._vbdt_carry_over_agency(self.department)
        self.assertEqual(
            self.env["vbdt.register"].with_context(active_test=False).search_count([]),
            registers,
        )
        self.assertEqual(self.env["vbdt.audit.log"].sudo().search_count([]), logs + 1)
        self.assertEqual(handled.company_id, self.province)

    def test_statistics_keep_each_former_agency_history(self):
        Statistics = self.env["vbdt.document.statistics"]

        def received(company):
            Statistics._refresh()
            row = Statistics.search(
                [("company_id", "=", company.id), ("year", "=", self.today.year)]
            )
            return row.received_count

        self._registered_at_department()
        before = (received(self.department), received(self.province))
        self.assertEqual(before[0], 1)
        self._end()
        self.assertEqual((received(self.department), received(self.province)), before)

    def test_undo_before_the_effective_date_only(self):
        later = self._end(self.today + timedelta(days=3))
        self.assertEqual(self.department.vbdt_successor_id, self.province)
        later.action_undo()
        self.assertEqual(later.state, "cancelled")
        self.assertFalse(self.department.vbdt_date_end)
        self.assertFalse(self.department.vbdt_agency_id.successor_id)
        now = self._end()
        with self.assertRaises(UserError) as caught:
            now.action_undo()
        self.assertIn(self.today.strftime("%d/%m/%Y"), str(caught.exception))
        self.assertEqual(self.department.vbdt_date_end, self.today)

    def test_old_codes_are_aliases_of_the_successor(self):
        Agency = self.env["vbdt.agency"]
        entry = self.department.vbdt_agency_id
        self._end(self.today + timedelta(days=1))
        acting, ended = Agency._vbdt_resolve_code("000.00.12.H99")
        self.assertEqual((acting, ended), (entry, Agency))
        tomorrow = self.today + timedelta(days=1)
        acting, ended = Agency._vbdt_resolve_code("000.00.12.h99", tomorrow)
        self.assertEqual(acting, self.province.vbdt_agency_id)
        self.assertEqual(ended, entry)
        self.assertEqual(self.department._vbdt_acting_agency(tomorrow), self.province)

    def test_end_without_successor_keeps_everything(self):
        handled = self._registered_at_department()
        self.Change._vbdt_schedule(
            {
                "operation": "end",
                "agency_ids": self.department.ids,
                "date_effective": self.today,
                "incoming_policy": "move",
                "draft_policy": "move",
            }
        )
        self.assertEqual(handled.company_id, self.department)
        self.assertEqual(self.other_clerk.company_id, self.department)
        with self.assertRaises(UserError) as caught:
            self.env["vbdt.register"].with_context(active_test=False)._default_for(
                self.department, "incoming"
            )._allocate_number(self.today)
        self.assertNotIn(self.province.name, str(caught.exception))

    def test_only_the_system_administrator_reorganises(self):
        manager = new_test_user(
            self.env,
            login="dept_manager",
            groups=GROUP + "manager",
            company_id=self.department.id,
            company_ids=[self.department.id],
        )
        with self.assertRaises(AccessError):
            self.Change.with_user(manager)._vbdt_schedule(
                {
                    "operation": "merge",
                    "agency_ids": self.department.ids,
                    "successor_id": self.province.id,
                    "date_effective": self.today,
                }
            )
        self.assertFalse(self.department.vbdt_date_end)


@tagged("post_install", "-at_install")
class TestAgencyLifecycleRpc(LifecycleCommon, JsonRpcCase):
    """Per role, over the web client's JSON-RPC: only base.group_system
    applies or undoes a change; nothing changes on a refusal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.doc_admin = new_test_user(
            cls.env,
            login="doc_admin",
            groups=GROUP + "manager",
            company_id=cls.province.id,
            company_ids=[cls.province.id, cls.department.id],
        )
        cls.system = new_test_user(
            cls.env,
            login="sysadmin",
            groups="base.group_system," + GROUP + "manager",
            company_id=cls.province.id,
            company_ids=[cls.province.id, cls.department.id],
        )

    def _wizard_vals(self):
        return {
            "operation": "merge",
            "agency_ids": [(6, 0, self.department.ids)],
            "successor_id": self.province.id,
            "date_effective": str(self.today + timedelta(days=5)),
        }

    def test_roles_refused(self):
        scheduled = self._end(self.today + timedelta(days=5))
        for user in (self.specialist, self.clerk, self.leader, self.doc_admin):
            self.assertRefused(
                user, "vbdt.agency.change.wizard", "create", [self._wizard_vals()]
            )
            self.assertRefused(
                user, "vbdt.agency.change", "action_undo", [scheduled.ids]
            )
            self.assertRefused(
                user,
                "res.company",
                "write",
                [self.province.ids, {"vbdt_date_end": str(self.today)}],
            )
            self.assertRefused(
                user,
                "vbdt.agency",
                "write",
                [self.department.vbdt_agency_id.ids, {"successor_id": False}],
            )
        self.env.invalidate_all()
        self.assertEqual(scheduled.state, "scheduled")
        self.assertFalse(self.province.vbdt_date_end)
        self.assertEqual(
            self.department.vbdt_agency_id.successor_id, self.province.vbdt_agency_id
        )

    def test_system_administrator_applies_and_undoes(self):
        wizard_id = self.call_kw(
            self.system, "vbdt.agency.change.wizard", "create", [self._wizard_vals()]
        )
        action = self.call_kw(
            self.system, "vbdt.agency.change.wizard", "action_apply", [[wizard_id]]
        )
        change = self.Change.browse(action["res_id"])
        self.assertEqual(self.department.vbdt_successor_id, self.province)
        self.call_kw(self.system, "vbdt.agency.change", "action_undo", [change.ids])
        self.env.invalidate_all()
        self.assertEqual(change.state, "cancelled")
        self.assertFalse(self.department.vbdt_date_end)
