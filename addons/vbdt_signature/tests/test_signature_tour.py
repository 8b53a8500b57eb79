from odoo.tests import HttpCase, tagged

from ..pades import testpki, verify_pdf
from .common import VbdtSignatureCommon


@tagged("post_install", "-at_install", "vbdt")
class TestSignatureTour(HttpCase, VbdtSignatureCommon):
    """Sign (leader) then issue (clerk) through the web client."""

    def test_sign_and_issue(self):
        document = self._signable()
        self._reach_signing_step(document)
        self.assertIn(document.state, document._vbdt_signable_states())
        self.start_tour(f"/odoo/vbdt.document/{document.id}", "vbdt_signature_sign_tour",
                        login=self.leader.login)
        self.assertEqual(document.signature_status, "incomplete")
        self.start_tour(f"/odoo/vbdt.document/{document.id}", "vbdt_signature_issue_tour",
                        login=self.clerk.login)
        self.assertEqual(document.state, "issued")
        report = verify_pdf(document.main_file_id._get_raw(), self.pki.trust_anchors)
        self.assertTrue(report.complete)
        self.assertEqual({s.signer.name for s in report.signatures},
                         {testpki.PERSON_NAME, testpki.AGENCY_NAME})

    def _reach_signing_step(self, document):
        """With vbdt_workflow installed, signing is the last step of an
        approval route: give the document a route whose signer is the leader."""
        if "vbdt.approval.route" not in self.env:
            return
        self.env["vbdt.approval.route"].create({
            "name": "Leader signs", "company_id": document.company_id.id,
            "document_type_ids": [(6, 0, document.document_type_id.ids)],
            "step_ids": [(0, 0, {
                "name": "Leader signs", "sequence": 1, "reviewer_type": "user",
                "user_ids": [(6, 0, self.leader.ids)], "is_signer_step": True})],
        })
        document.action_review_submit()
