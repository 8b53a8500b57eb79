from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import VbdtWorkflowCommon

HANDLE = "vbdt_workflow.vbdt_workflow_activity_type_handle"
REMIND = "vbdt_workflow.vbdt_workflow_activity_type_reminder"
ESCALATE = "vbdt_workflow.vbdt_workflow_activity_type_escalation"


@tagged("post_install", "-at_install", "vbdt")
class TestUnitSplit(VbdtWorkflowCommon):
    """The head of an assigned unit splits the unit's part: one member leads
    it (chủ trì within the unit), others help (phối hợp)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._extra_user("member", "specialist", cls.unit)

    def setUp(self):
        super().setUp()
        self.document = self._registered_incoming()
        self.document.with_user(self.clerk).action_present()

    def _direct(self, lead_unit=None, coordinate_unit=None, deadline="2026-10-20"):
        assignments = [{"role": "lead", "unit_id": (lead_unit or self.unit).id}]
        if coordinate_unit:
            assignments.append({"role": "coordinate", "unit_id": coordinate_unit.id})
        created = self.document.with_user(self.leader)._vbdt_direct(
            "Văn phòng chủ trì", deadline, assignments
        )
        return created.filtered(lambda a: a.unit_id == self.unit)

    def _split(self, part, helpers=None):
        part.with_user(self.head).action_assign_inside(
            self.specialist, "Chia việc", helpers or self.colleague | self.member
        )
        return part.child_ids

    def test_split_gives_each_member_an_activity(self):
        part = self._direct(coordinate_unit=self.other_unit)
        helpers = self._split(part)
        self.assertEqual(part.responsible_id, self.specialist)
        self.assertEqual(helpers.user_id, self.colleague | self.member)
        self.assertEqual(set(helpers.mapped("role")), {"coordinate"})
        self.assertEqual(helpers.unit_id, self.unit)
        self.assertEqual(set(helpers.mapped("deadline")), {part.deadline})
        self.assertEqual(helpers.helped_user_id, self.specialist)
        self.assertEqual(
            self._activity_users(self.document, HANDLE),
            self.specialist | self.colleague | self.member | self.other_head,
        )
        activity = self.document.sudo().activity_ids.filtered(
            lambda a: a.user_id == self.colleague
        )
        self.assertIn(self.specialist.name, activity.summary)
        self.assertIn(self.member, self.document.participant_ids)
        self.assertEqual(self.document.lead_user_id, self.specialist)
        # one 04 for the direction, one for the split (not one per member)
        self.assertEqual(self._codes(), ["04", "04"])
        mine = (
            self.env["vbdt.document.assignment"]
            .with_user(self.member)
            .search(
                [("responsible_id", "=", self.member.id), ("state", "=", "assigned")]
            )
        )
        self.assertEqual(mine, helpers.filtered(lambda a: a.user_id == self.member))

    @freeze_time("2026-10-06 03:00:00")
    def test_helper_completes_own_part_only(self):
        part = self._direct()
        helper = self._split(part).filtered(lambda a: a.user_id == self.colleague)
        document = self.document.with_user(self.colleague)
        document.action_report_progress("Đang tổng hợp số liệu")
        self.assertEqual(helper.state, "in_progress")
        self.assertEqual(part.state, "assigned")
        document.action_report_progress("Gần xong")
        document.action_complete("Đã gửi số liệu")
        self.assertEqual(helper.state, "done")
        self.assertEqual(helper.timeliness, "on_time")
        self.assertEqual(part.state, "assigned")
        self.assertEqual(self.document.state, "in_progress")
        self.assertEqual(
            self._activity_users(self.document, HANDLE), self.specialist | self.member
        )
        self.assertEqual(self._codes(), ["04", "04", "05"])
        # per-person statistics count the helper's own part
        stats = self.env["vbdt.document.assignment"].read_group(
            [
                ("document_id", "=", self.document.id),
                ("role", "!=", "info"),
                ("state", "!=", "cancelled"),
            ],
            ["responsible_id"],
            ["responsible_id"],
        )
        self.assertEqual(len(stats), 3)

    def test_lead_member_completes_and_closes_the_unit_part(self):
        part = self._direct()
        helpers = self._split(part)
        self.document.with_user(self.colleague).action_complete("Phần phối hợp xong")
        self.document.with_user(self.specialist).action_complete("Đã xử lý")
        self.assertEqual(part.state, "done")
        self.assertEqual(self.document.state, "done")
        by_user = {h.user_id: h.state for h in helpers}
        self.assertEqual(by_user, {self.colleague: "done", self.member: "cancelled"})
        self.assertFalse(self._activity_users(self.document, HANDLE))
        self.assertEqual(self._codes(), ["04", "04", "06"])

    def test_lead_member_of_coordinating_unit_closes_its_part(self):
        created = self.document.with_user(self.leader)._vbdt_direct(
            "Phòng Kinh tế chủ trì",
            "2026-10-20",
            [
                {"role": "lead", "unit_id": self.other_unit.id},
                {"role": "coordinate", "unit_id": self.unit.id},
            ],
        )
        part = created.filtered(lambda a: a.unit_id == self.unit)
        helpers = self._split(part)
        # the head still follows the unit's part after handing it on
        self.assertIn(self.head, self.document.participant_ids)
        self.document.with_user(self.specialist).action_complete("Đã góp ý")
        self.assertEqual(part.state, "done")
        self.assertEqual(set(helpers.mapped("state")), {"cancelled"})
        self.assertEqual(self.document.state, "assigned")
        self.assertEqual(self._activity_users(self.document, HANDLE), self.other_head)
        self.assertEqual(self._codes(), ["04", "04"])

    def test_access(self):
        part = self._direct(coordinate_unit=self.other_unit)
        with self.assertRaisesRegex(UserError, "head of"):
            part.with_user(self.other_head).action_assign_inside(
                self.specialist, helpers=self.colleague
            )
        with self.assertRaisesRegex(UserError, "head of"):
            part.with_user(self.colleague).action_assign_inside(
                self.colleague, helpers=self.member
            )
        with self.assertRaisesRegex(UserError, "members of"):
            part.with_user(self.head).action_assign_inside(
                self.specialist, helpers=self.outsider
            )
        helpers = self._split(part)
        with self.assertRaisesRegex(UserError, "unit's part"):
            helpers[:1].with_user(self.head).action_assign_inside(self.member)
        # a member of another unit: no part of theirs (UserError or AccessError)
        with self.assertRaises(UserError):
            self.document.with_user(self.outsider).action_complete("Xong")
        with self.assertRaises(UserError):
            self.document.with_user(self.outsider).action_report_progress("Đang làm")
        with self.assertRaises(UserError):
            self.env["vbdt.deadline.extension"].with_user(self.outsider).create(
                {
                    "assignment_id": helpers[0].id,
                    "new_deadline": "2026-10-30",
                    "reason": "Thêm thời gian",
                }
            )
        with self.assertRaisesRegex(UserError, "not to you"):
            self.env["vbdt.deadline.extension"].with_user(self.other_head).create(
                {
                    "assignment_id": helpers[0].id,
                    "new_deadline": "2026-10-30",
                    "reason": "Thêm thời gian",
                }
            )
        # the head of the co-ordinating unit closes only their own part
        self.document.with_user(self.other_head).action_complete("Đã góp ý")
        self.assertEqual(set(helpers.mapped("state")), {"assigned"})
        self.assertEqual(part.state, "assigned")
        self.assertEqual(self.document.state, "assigned")

    def test_reassignment_by_leader_cancels_the_children(self):
        part = self._direct()
        helpers = self._split(part)
        self.document.with_user(self.leader)._vbdt_direct(
            "Chuyển Phòng Kinh tế",
            "2026-10-25",
            [{"role": "lead", "unit_id": self.other_unit.id}],
        )
        self.assertEqual(part.state, "cancelled")
        self.assertEqual(set(helpers.mapped("state")), {"cancelled"})
        self.assertEqual(self._activity_users(self.document, HANDLE), self.other_head)
        self.assertEqual(self._codes(), ["04", "04", "04"])

    def test_head_splits_again(self):
        part = self._direct()
        first = self._split(part)
        part.with_user(self.head).action_assign_inside(
            self.colleague, "Đổi người chủ trì", self.member | self.specialist
        )
        kept = first.filtered(lambda a: a.user_id == self.member)
        self.assertEqual(kept.state, "assigned", "the helper keeps their part")
        self.assertEqual(
            first.filtered(lambda a: a.user_id == self.colleague).state, "cancelled"
        )
        self.assertEqual(
            part.child_ids.filtered(lambda a: a.state == "assigned").user_id,
            self.member | self.specialist,
        )
        self.assertEqual(part.responsible_id, self.colleague)
        self.assertEqual(
            self._activity_users(self.document, HANDLE),
            self.specialist | self.colleague | self.member,
        )

    def test_single_member_flow_unchanged(self):
        part = self._direct()
        part.with_user(self.head).action_assign_inside(self.colleague, "Please handle")
        self.assertFalse(part.child_ids)
        self.assertEqual(self._activity_users(self.document, HANDLE), self.colleague)

    def test_wizard_splits(self):
        part = self._direct()
        action = (
            self.document.with_user(self.head)
            .with_context(handling_action="assign")
            .action_open_handling_wizard()
        )
        with Form(
            self.env["vbdt.handling.wizard"]
            .with_user(self.head)
            .with_context(**action["context"])
        ) as form:
            form.assignment_id = part
            self.assertFalse(form.helper_ids)
            form.user_id = self.specialist
            form.helper_ids.add(self.colleague)
            form.note = "Chị Hoa phối hợp"
        form.save().action_confirm()
        self.assertEqual(part.responsible_id, self.specialist)
        self.assertEqual(part.child_ids.user_id, self.colleague)
        with Form(
            self.env["vbdt.handling.wizard"]
            .with_user(self.head)
            .with_context(**action["context"])
        ) as form:
            form.assignment_id = part
            self.assertEqual(form.user_id, self.specialist)
            self.assertEqual(len(form.helper_ids), 1)
            self.assertIn(self.colleague, form.helper_ids)
            form.note = "Giữ nguyên"

    def test_helper_overdue_goes_to_the_unit_head(self):
        with freeze_time("2026-10-05 02:00:00"):  # Monday
            part = self._direct(deadline="2026-10-07")
            self._split(part, self.colleague)
        with freeze_time("2026-10-09 02:00:00"):  # Friday: two working days late
            self.env["vbdt.document.assignment"]._cron_vbdt_deadlines()
        self.assertEqual(
            self._activity_users(self.document, REMIND),
            self.specialist | self.colleague,
        )
        self.assertEqual(
            self._activity_users(self.document, ESCALATE), self.leader | self.head
        )

    def test_extension_of_the_unit_part_extends_helpers(self):
        part = self._direct()
        helper = self._split(part, self.colleague)
        request = (
            self.env["vbdt.deadline.extension"]
            .with_user(self.specialist)
            .create(
                {
                    "assignment_id": part.id,
                    "new_deadline": "2026-10-30",
                    "reason": "Chờ số liệu",
                }
            )
        )
        request.with_user(self.leader).action_approve()
        self.assertEqual(str(part.deadline), "2026-10-30")
        self.assertEqual(str(helper.deadline), "2026-10-30")
        self.assertEqual(str(self.document.due_date), "2026-10-30")
