from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.vbdt_document.tests.common import PDF, VbdtDocumentCommon
from odoo.addons.vbdt_document.tests.phone import PhoneTourMixin


class WorkdayData(VbdtDocumentCommon):
    """The test data's people under the demo's names, an incoming document
    presented to the leader and two drafts submitted on an approval route
    where the leader approves, then signs: the queues of every role hold
    something (shared by the phone tours and the home screenshots)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # names as the demo's people have them (and the readme's pictures show)
        for user, name in (
            (cls.leader, "Trần Văn Lãnh"),
            (cls.head, "Hoàng Văn Trưởng"),
            (cls.specialist, "Nguyễn Thị Chuyên"),
            (cls.colleague, "Lê Văn Đồng"),
            (cls.outsider, "Phạm Văn Ngoại"),
            (cls.clerk, "Vũ Thị Thư"),
            (cls.other_clerk, "Đỗ Văn Khác"),
        ):
            user.name = name
        cls.incoming = cls._incoming(directing_leader_id=cls.leader.id)
        cls.incoming._vbdt_add_file("cong_van_den.pdf", PDF, role="main")
        cls.incoming.with_user(cls.clerk).action_register()
        cls.incoming.with_user(cls.clerk).action_present()
        cls.env["vbdt.approval.route"].create(
            {
                "name": "Letters: the leader approves, then signs",
                "company_id": cls.province.id,
                "document_type_ids": [(6, 0, cls.letter_type.ids)],
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Leader approves",
                            "sequence": 1,
                            "reviewer_type": "user",
                            "user_ids": [(6, 0, cls.leader.ids)],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Leader signs",
                            "sequence": 2,
                            "reviewer_type": "user",
                            "user_ids": [(6, 0, cls.leader.ids)],
                            "is_signer_step": True,
                        },
                    ),
                ],
            }
        )
        cls.to_approve = cls._draft_submitted("Về việc họp giao ban")
        cls.to_return = cls._draft_submitted("Về việc mua sắm")

    @classmethod
    def _draft_submitted(cls, subject):
        document = cls._outgoing(
            subject=subject,
            document_type_id=cls.letter_type.id,
            drafter_id=cls.specialist.id,
        ).with_user(cls.specialist)
        document.action_review_submit()
        return document.sudo()


@tagged("post_install", "-at_install", "vbdt")
class TestPhoneTours(PhoneTourMixin, HttpCase, WorkdayData):
    """A leader's day at 390x844: the queues on the home page, a document and
    its PDF, direction and assignment, approving one draft and returning
    another, each flow from the home page as the test data's leader."""

    def test_queues_document_and_pdf(self):
        self.phone_tour(
            "/odoo/viec-can-lam", "vbdt_workflow_phone_queues_tour", self.leader
        )
        # only looking: nothing changed
        self.assertEqual(self.incoming.state, "presented")
        self.assertEqual(
            (self.to_approve | self.to_return).mapped("state"), ["review"] * 2
        )

    def test_direct_and_assign(self):
        self.phone_tour(
            "/odoo/viec-can-lam", "vbdt_workflow_phone_direct_tour", self.leader
        )
        self.assertEqual(self.incoming.state, "assigned")
        lead = self.incoming.assignment_ids.filtered(lambda a: a.role == "lead")
        self.assertEqual(lead.user_id, self.specialist)
        self.assertEqual(lead.assigned_by_id, self.leader)
        self.assertIn("báo cáo trước hạn", self.incoming.direction_note)

    def test_approve_one_return_another(self):
        self.phone_tour(
            "/odoo/viec-can-lam", "vbdt_workflow_phone_approve_tour", self.leader
        )
        self.assertEqual(self.to_approve.state, "to_sign")
        self.assertEqual(self.to_return.state, "review")
        self.phone_tour(
            "/odoo/viec-can-lam", "vbdt_workflow_phone_return_tour", self.leader
        )
        self.assertEqual(self.to_return.state, "draft")
        self.assertEqual(self.to_approve.state, "to_sign")
        self.assertIn(
            "Bổ sung dự toán kinh phí",
            " ".join(self.to_return.message_ids.mapped("body")),
        )

    def test_pickers_offer_the_agency_staff_only(self):
        """The direction dialog's people pickers list the Document Office
        staff of the document's agency (of the lead unit, once one is
        chosen): not another agency's clerk, not a portal or public user."""
        Wizard = self.env["vbdt.direction.wizard"]
        Users = self.env["res.users"].with_user(self.leader)

        def offered(field, **values):
            domain = Wizard._fields[field]._description_domain(self.env)
            return Users.search(
                safe_eval(domain, {"company_id": self.province.id, **values})
            )

        staff = self.clerk | self.specialist | self.colleague | self.outsider
        staff |= self.head | self.leader
        for field in ("lead_user_id", "coordinate_user_ids", "info_user_ids"):
            people = offered(field, lead_unit_id=False)
            self.assertLessEqual(staff, people, field)
            self.assertNotIn(self.other_clerk, people, field)
            self.assertFalse(people.filtered("share"), field)
            self.assertFalse(
                people.filtered(lambda u: self.province not in u.company_ids), field
            )
        self.assertEqual(
            offered("lead_user_id", lead_unit_id=self.unit.id) & staff,
            self.specialist | self.colleague | self.head,
        )

    def test_phone_screenshots(self):
        """The readme's pictures (vbdt_workflow/static/description), made at
        390x844: the leader's queues, a document, the direction dialog, in
        Vietnamese as the leader works."""
        self.env["res.lang"]._activate_lang("vi_VN")
        self.leader.lang = "vi_VN"
        queues, _shown = self.screenshot(
            "/odoo/viec-can-lam",
            self.leader,
            ".o_vbdt_home .o_vbdt_queue_count[data-queue=presented_mine]",
            "phone_queues.png",
        )
        form = f"/odoo/vbdt.document/{self.incoming.id}"
        document, _shown = self.screenshot(
            form,
            self.leader,
            ".o_vbdt_phone_actions button[name=action_open_direction_wizard]",
            "phone_document.png",
        )
        dialog, _shown = self.screenshot(
            form,
            self.leader,
            ".o_vbdt_phone_actions button[name=action_open_direction_wizard]",
            "phone_direction.png",
            click=".o_vbdt_phone_actions button[name=action_open_direction_wizard]",
            then=".modal .o_field_widget[name=lead_user_id] input",
        )
        for image in (queues, document, dialog):
            self.assertScreenPng(image)
        self.assertEqual(self.incoming.state, "presented")
