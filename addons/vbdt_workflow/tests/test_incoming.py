from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import VbdtWorkflowCommon

HANDLE = "vbdt_workflow.vbdt_workflow_activity_type_handle"
DIRECT = "vbdt_workflow.vbdt_workflow_activity_type_direct"


@tagged("post_install", "-at_install", "vbdt")
class TestIncomingHandling(VbdtWorkflowCommon):
    def setUp(self):
        super().setUp()
        self.document = self._registered_incoming()

    def _present_and_direct(self, **extra):
        self.document.with_user(self.clerk).action_present()
        assignments = [
            {"role": "lead", "unit_id": self.unit.id, "user_id": self.specialist.id},
            {"role": "coordinate", "unit_id": self.other_unit.id},
            {"role": "info", "user_id": self.colleague.id},
        ]
        return self.document.with_user(self.leader)._vbdt_direct(
            "Văn phòng chủ trì", extra.get("deadline", "2026-10-20"), assignments
        )

    def test_withdrawn_by_sender_stops_the_handling(self):
        self._present_and_direct()
        self.assertTrue(self.document.activity_ids)
        self.document._vbdt_withdraw("Cơ quan gửi thu hồi văn bản")
        self.assertEqual(self.document.state, "cancelled")
        self.assertEqual(
            set(self.document.assignment_ids.mapped("state")), {"cancelled"}
        )
        self.assertFalse(self.document.activity_ids)
        self.assertIn("thu hồi", self.document.message_ids[0].body)

    def test_present_schedules_leader_activity(self):
        self.document.with_user(self.clerk).action_present()
        self.assertEqual(self.document.state, "presented")
        self.assertEqual(self._activity_users(self.document, DIRECT), self.leader)
        self.assertIn(self.leader, self.document.participant_ids)
        self.assertEqual(self._codes(), [])

    @freeze_time("2026-10-05 03:00:00")
    def test_direction_wizard_assigns_and_emits_04(self):
        self.document.with_user(self.clerk).action_present()
        action = self.document.with_user(self.leader).action_open_direction_wizard()
        with Form(
            self.env["vbdt.direction.wizard"]
            .with_user(self.leader)
            .with_context(**action["context"])
        ) as form:
            form.note = "Phòng Kinh tế chủ trì, báo cáo trước hạn"
            form.lead_unit_id = self.other_unit
            form.coordinate_user_ids.add(self.specialist)
            form.days = 5
            # Monday 5 October + 5 working days = Monday 12 October
            self.assertEqual(str(form.deadline), "2026-10-12")
        form.save().action_confirm()
        document = self.document
        self.assertEqual(document.state, "assigned")
        self.assertEqual(str(document.due_date), "2026-10-12")
        self.assertTrue(document.directed_date)
        self.assertEqual(document.unit_id, self.other_unit)
        self.assertEqual(document.lead_user_id, self.other_head)
        self.assertEqual(
            self._activity_users(document, HANDLE), self.other_head | self.specialist
        )
        self.assertFalse(self._activity_users(document, DIRECT))
        self.assertEqual(self._codes(), ["04"])

    def test_progress_complete_emit_05_06_and_close(self):
        self._present_and_direct()
        self.assertIn(self.specialist, self.document.participant_ids)
        document = self.document.with_user(self.specialist)
        document.action_report_progress("Drafting the report")
        self.assertEqual(document.state, "in_progress")
        document.action_report_progress("Half done")
        with self.assertRaisesRegex(UserError, "result"):
            document.action_complete(" ")
        document.action_complete("Report sent")
        self.assertEqual(document.state, "done")
        self.assertTrue(document.is_closed)
        self.assertEqual(document.handling_result, "Report sent")
        self.assertEqual(self._codes(), ["04", "05", "06"])
        self.assertFalse(self._activity_users(document, HANDLE))
        self.assertEqual(
            document.assignment_ids.filtered(lambda a: a.role == "coordinate").state,
            "cancelled",
        )

    @freeze_time("2026-10-06 03:00:00")
    def test_coordinator_completes_own_part_only(self):
        self._present_and_direct()
        self.document.with_user(self.other_head).action_complete("Figures provided")
        self.assertEqual(self.document.state, "assigned")
        part = self.document.assignment_ids.filtered(lambda a: a.role == "coordinate")
        self.assertEqual(part.state, "done")
        self.assertEqual(part.timeliness, "on_time")

    def test_reassign_cancels_previous(self):
        first = self._present_and_direct()
        second = self.document.with_user(self.leader)._vbdt_direct(
            "Chuyển Phòng Kinh tế",
            "2026-10-25",
            [{"role": "lead", "unit_id": self.other_unit.id}],
        )
        self.assertEqual(set(first.mapped("state")), {"cancelled"})
        self.assertEqual(self.document.lead_user_id, self.other_head)
        self.assertEqual(self._activity_users(self.document, HANDLE), self.other_head)
        self.assertEqual(second.deadline.isoformat(), "2026-10-25")
        self.assertEqual(self._codes(), ["04", "04"])

    def test_one_lead_required(self):
        self.document.with_user(self.clerk).action_present()
        with self.assertRaisesRegex(UserError, "lead"):
            self.document.with_user(self.leader)._vbdt_direct(
                "x", False, [{"role": "coordinate", "user_id": self.specialist.id}]
            )
        with self.assertRaisesRegex(UserError, "one unit"):
            self.document.with_user(self.leader)._vbdt_direct(
                "x",
                False,
                [
                    {"role": "lead", "user_id": self.specialist.id},
                    {"role": "lead", "user_id": self.colleague.id},
                ],
            )

    def test_unit_head_assigns_inside_unit(self):
        self.document.with_user(self.clerk).action_present()
        self.document.with_user(self.leader)._vbdt_direct(
            "", "2026-10-20", [{"role": "lead", "unit_id": self.unit.id}]
        )
        lead = self.document.assignment_ids
        self.assertEqual(lead.responsible_id, self.head)
        with self.assertRaisesRegex(UserError, "head of"):
            lead.with_user(self.other_head).action_assign_inside(self.colleague)
        lead.with_user(self.head).action_assign_inside(self.colleague, "Please handle")
        self.assertEqual(lead.responsible_id, self.colleague)
        self.assertEqual(self._activity_users(self.document, HANDLE), self.colleague)
        self.document.with_user(self.colleague).action_complete("Done by colleague")
        self.assertEqual(self.document.state, "done")
        self.assertEqual(self._codes(), ["04", "04", "06"])

    def test_start_reply_links_response(self):
        self._present_and_direct()
        action = self.document.with_user(self.specialist).action_start_reply()
        reply = self.env["vbdt.document"].browse(action["res_id"])
        self.assertEqual(reply.direction, "outgoing")
        self.assertEqual(reply.state, "draft")
        self.assertEqual(reply.response_for_ids, self.document)
        self.assertEqual(reply.drafter_id, self.specialist)

    def test_handling_slip_renders(self):
        self._present_and_direct()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "vbdt_workflow.vbdt_handling_slip", self.document.ids
        )[0]
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", html.decode())
        self.assertIn("Văn phòng chủ trì", html.decode())
