from odoo import fields
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install", "vbdt")
class TestDemoScenario(BaseCommon):
    """Demo data that fails to load is dropped silently by Odoo ("installed
    without demo data"): when the demo is there, check that its scenario
    went through the real actions."""

    def setUp(self):
        super().setUp()
        module = self.env["ir.module.module"].search([("name", "=", "vbdt_workflow")])
        self.with_demo = module.demo

    def _ref(self, xmlid):
        return self.env.ref(xmlid)

    def test_demo_loaded_when_the_database_has_demo_data(self):
        document_module = self.env["ir.module.module"].search(
            [("name", "=", "vbdt_document")]
        )
        self.assertEqual(self.with_demo, document_module.demo)

    def test_outgoing_drafts_went_through_their_routes(self):
        if not self.with_demo:
            return
        qd = self._ref("vbdt_workflow.document_out_qd_to_cong_tac_demo")
        self.assertEqual(qd.state, "to_sign")
        self.assertEqual(
            qd.review_route_id,
            self._ref("vbdt_workflow.vbdt_approval_route_ubnd_quyet_dinh_demo"),
        )
        signer_row = qd._vbdt_review_current()
        self.assertEqual(
            signer_row.reviewer_ids, self._ref("vbdt_workflow.user_chutich_ubnd_demo")
        )
        self.assertEqual(
            signer_row.delegate_ids,
            self._ref("vbdt_document.user_lanhdao_ubnd_demo"),
            "KT. CHỦ TỊCH",
        )
        returned = self._ref("vbdt_workflow.document_out_cv_gop_y_ke_hoach_demo")
        self.assertEqual(
            (returned.state, returned.validation_status), ("draft", "returned")
        )
        issued = self._ref("vbdt_document.document_stttt_out_tap_huan_demo")
        self.assertEqual(issued.state, "issued")
        self.assertTrue(issued.number)
        monthly = self._ref("vbdt_workflow.document_out_cv_bao_cao_thang_demo")
        expected = "to_sign" if monthly._vbdt_requires_digital_signature() else "issued"
        self.assertEqual(monthly.state, expected)

    def test_incoming_documents_handled_on_time_late_and_overdue(self):
        if not self.with_demo:
            return
        states = {
            xmlid: self._ref(f"vbdt_document.{xmlid}")
            for xmlid in (
                "document_in_vpcp_lien_thong_demo",
                "document_in_ttg_cong_dien_demo",
                "document_in_yen_lap_to_trinh_demo",
                "document_in_stp_to_trinh_demo",
                "document_in_syt_sot_xuat_huyet_demo",
            )
        }
        lead = {
            key: doc.assignment_ids.filtered(lambda a: a.role == "lead")
            for key, doc in states.items()
        }
        self.assertEqual(lead["document_in_vpcp_lien_thong_demo"].timeliness, "on_time")
        self.assertEqual(lead["document_in_ttg_cong_dien_demo"].timeliness, "late")
        self.assertGreater(lead["document_in_ttg_cong_dien_demo"].handling_days, 0)
        overdue = states["document_in_yen_lap_to_trinh_demo"]
        self.assertEqual(overdue.state, "in_progress")
        self.assertLess(overdue.due_date, fields.Date.today())
        self.assertEqual(
            lead["document_in_yen_lap_to_trinh_demo"].escalation_level, "2"
        )
        self.assertEqual(states["document_in_stp_to_trinh_demo"].state, "presented")
        self.assertTrue(states["document_in_syt_sot_xuat_huyet_demo"].extension_ids)
        Stats = self.env["vbdt.document.statistics"]
        Stats._refresh()
        row = Stats.search(
            [("company_id", "=", self._ref("base.main_company").id)],
            order="year desc",
            limit=1,
        )
        self.assertTrue(row.handled_on_time_count and row.handled_late_count)


@tagged("post_install", "-at_install", "vbdt")
class TestDemoOutsideRuntime(BaseCommon):
    """The demo scenario is plain code under ``demo/``, not a model of the
    runtime: the demo XML reaches it through ``res.company._vbdt_demo_step``,
    which runs only the steps it names."""

    def test_no_runtime_model_for_the_demo(self):
        self.assertNotIn("vbdt.workflow.demo", self.env)

    def test_only_named_steps_run(self):
        from ..demo.scenario import STEPS

        self.assertIn("review", STEPS)
        with self.assertRaises(ValueError) as caught:
            self.env["res.company"]._vbdt_demo_step("__class__")
        self.assertIn("Unknown demo step '__class__'", str(caught.exception))
