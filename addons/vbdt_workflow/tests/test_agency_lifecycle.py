from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import VbdtWorkflowCommon


@tagged("post_install", "-at_install")
class TestAgencyLifecycleWorkflow(VbdtWorkflowCommon):
    """The province's committee of the shared tests merges into the
    department: its handling, drafts, delegations and routes follow the
    policies of the change."""

    def _merge(self, draft_policy):
        return self.env["vbdt.agency.change"]._vbdt_schedule(
            {
                "operation": "merge",
                "agency_ids": self.province.ids,
                "successor_id": self.department.id,
                "date_effective": self.today,
                "incoming_policy": "move",
                "draft_policy": draft_policy,
            }
        )

    def setUp(self):
        super().setUp()
        self.today = fields.Date.context_today(self.province)

    def test_handling_moves_with_its_assignments_and_deadline(self):
        document = self._registered_incoming()
        document.with_user(self.clerk).action_present()
        document.with_user(self.leader)._vbdt_direct(
            "Văn phòng chủ trì",
            self.today + timedelta(days=10),
            [{"role": "lead", "unit_id": self.unit.id, "user_id": self.specialist.id}],
        )
        number, deadline = document.arrival_number, document.due_date
        assignment = document.assignment_ids
        self._merge("move")
        self.assertEqual(document.company_id, self.department)
        self.assertEqual(document.state, "assigned")
        self.assertEqual(
            (document.arrival_number, document.due_date), (number, deadline)
        )
        self.assertEqual(assignment.company_id, self.department)
        self.assertEqual(assignment.unit_id, self.unit)
        self.assertEqual(assignment.user_id, self.specialist)
        # The specialist goes on handling it at the successor.
        document.with_user(self.specialist).action_report_progress("Đang xử lý")

    def test_drafts_return_to_their_drafters_and_routes_and_delegations_end(self):
        draft = self._submitted(document_type_id=self.doc_type.id)
        self.assertEqual(draft.state, "review")
        delegation = self.env["vbdt.delegation"].create(
            {
                "company_id": self.province.id,
                "delegator_id": self.leader.id,
                "delegate_id": self.deputy.id,
                "authority": "kt",
                "delegate_position": "PHÓ CHỦ TỊCH",
                "date_from": self.today - timedelta(days=5),
                "date_to": self.today + timedelta(days=30),
            }
        )
        change = self._merge("return")
        self.assertIn("Delegations that end: 1", change.preview)
        self.assertEqual(draft.company_id, self.department)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(draft.validation_status, "returned")
        self.assertEqual(delegation.date_to, self.today - timedelta(days=1))
        self.assertFalse(self.route.active)
