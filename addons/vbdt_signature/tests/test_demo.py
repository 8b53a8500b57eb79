from odoo.tests import TransactionCase, tagged

from ..demo.data import DEMO_DRAFT, DEMO_SIGNERS
from ..pades import verify_pdf


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestDemoWalkthrough(TransactionCase):
    """The signing walkthrough of the demo (``scripts/serve``): lanhdao.ubnd
    signs the draft waiting for them, vanthu.ubnd issues it, and the issued
    PDF carries both signatures and verifies."""

    def test_leader_signs_clerk_issues(self):
        draft = self.env.ref(f"vbdt_signature.{DEMO_DRAFT}", raise_if_not_found=False)
        if not draft:
            self.skipTest("database installed without demo data")
        leader = self.env.ref("vbdt_document.user_lanhdao_ubnd_demo")
        clerk = self.env.ref("vbdt_document.user_vanthu_ubnd_demo")
        # what the demo cron does at the server's first start
        self.env["vbdt.signature.trust.anchor"]._vbdt_demo_submit_draft()
        self.assertIn(draft.state, draft._vbdt_signable_states())
        if "validation_status" in draft._fields:
            self.assertEqual(draft.validation_status, "to_sign")
        self.assertTrue(draft.with_user(leader).vbdt_is_signer)

        draft.with_user(leader).action_sign_person()
        self.assertEqual(draft.signature_status, "incomplete")
        draft.with_user(clerk).action_issue()

        self.assertEqual(draft.state, "issued")
        self.assertEqual(draft.signature_status, "valid")
        report = verify_pdf(
            draft.main_file_id._get_raw(),
            self.env["vbdt.signature.trust.anchor"]._vbdt_anchors(),
        )
        self.assertTrue(report.complete)
        self.assertEqual(
            sorted(s.kind for s in report.signatures), ["organisation", "person"]
        )
        # the demo certificate is issued in the signer's own name
        person = next(s for s in report.signatures if s.kind == "person")
        self.assertEqual(person.signer.name, leader.name)
        self.assertEqual(person.signer.organisation, draft.company_id.name)
        self.assertEqual(draft.signer_id, leader)
        self.assertEqual(draft.signer_name, leader.name)

    def test_demo_signers_hold_certificates_in_their_names(self):
        Certificate = self.env["vbdt.signature.certificate"]
        users = [
            self.env.ref(f"vbdt_document.user_{login}_demo", raise_if_not_found=False)
            for login in DEMO_SIGNERS
        ]
        if not all(users) or not self.env.ref(
            f"vbdt_signature.{DEMO_DRAFT}", raise_if_not_found=False
        ):
            self.skipTest("database installed without demo data")
        for user in users:
            certificate = Certificate._vbdt_person_certificate(user)
            self.assertEqual(certificate.subject_common_name, user.name)
            self.assertEqual(certificate.company_id, user.company_id)
            self.assertEqual(certificate.validity, "valid")
