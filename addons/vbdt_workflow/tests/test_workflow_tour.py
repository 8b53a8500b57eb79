from odoo.tests import HttpCase, new_test_user, tagged

GROUP = "vbdt_document.vbdt_document_group_"


@tagged("post_install", "-at_install", "vbdt")
class TestWorkflowTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {
                "name": "UBND tỉnh Tour WF",
                "vbdt_agency_code": "000.00.00.H97",
                "vbdt_short_name": "UBND",
            }
        )
        cls.unit = cls.env["vbdt.unit"].create(
            {"name": "Văn phòng", "code": "VP", "company_id": cls.company.id}
        )
        users = {}
        for login, role in (
            ("tour_specialist", "specialist"),
            ("tour_head", "head"),
            ("tour_leader", "leader"),
            ("tour_clerk", "clerk"),
        ):
            users[role] = new_test_user(
                cls.env,
                login=login,
                groups=GROUP + role,
                company_id=cls.company.id,
                company_ids=cls.company.ids,
                vbdt_unit_ids=cls.unit.ids,
            )
        cls.users = users
        cls.unit.manager_id = users["head"]
        cls.doc_type = cls.env.ref("vbdt_document.vbdt_document_type_quyet_dinh")
        cls.env["vbdt.approval.route"].create(
            {
                "name": "Tour route",
                "company_id": cls.company.id,
                "step_ids": [
                    (
                        0,
                        0,
                        {"name": "Head", "sequence": 1, "reviewer_type": "unit_head"},
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Leader",
                            "sequence": 2,
                            "reviewer_type": "user",
                            "user_ids": [(6, 0, users["leader"].ids)],
                            "is_signer_step": True,
                        },
                    ),
                ],
            }
        )

    def _run(self, document, tour, role):
        self.start_tour(
            f"/odoo/vbdt.document/{document.id}", tour, login=self.users[role].login
        )

    def test_draft_approve_sign_issue(self):
        document = self.env["vbdt.document"].create(
            {
                "direction": "outgoing",
                "company_id": self.company.id,
                "subject": "Về việc thử nghiệm tour",
                "document_type_id": self.doc_type.id,
                "unit_id": self.unit.id,
                "drafter_id": self.users["specialist"].id,
            }
        )
        self._run(document, "vbdt_workflow_submit_tour", "specialist")
        self._run(document, "vbdt_workflow_approve_tour", "head")
        self._run(document, "vbdt_workflow_sign_tour", "leader")
        self._run(document, "vbdt_workflow_issue_tour", "clerk")
        self.assertEqual(document.state, "issued")
        self.assertEqual(document.signer_id, self.users["leader"])

    def test_present_direct_complete(self):
        sender = self.env["vbdt.agency"].create(
            {"name": "Bộ Tour WF", "code": "000.00.00.G96"}
        )
        document = self.env["vbdt.document"].create(
            {
                "direction": "incoming",
                "company_id": self.company.id,
                "subject": "V/v báo cáo",
                "code": "12/BTWF-VP",
                "document_date": "2026-10-01",
                "sender_agency_id": sender.id,
                "directing_leader_id": self.users["leader"].id,
            }
        )
        document.with_user(self.users["clerk"]).action_register()
        self._run(document, "vbdt_workflow_present_tour", "clerk")
        self._run(document, "vbdt_workflow_direct_tour", "leader")
        self._run(document, "vbdt_workflow_complete_tour", "specialist")
        self.assertEqual(document.state, "done")
        self.assertEqual(document.handling_result, "Đã báo cáo")
