from odoo.tests import HttpCase, tagged

from ..pades import testpki, verify_pdf
from .common import VbdtSignatureCommon


@tagged("post_install", "-at_install", "vbdt")
class TestSignatureTour(HttpCase, VbdtSignatureCommon):
    """Sign (leader) then issue (clerk) through the web client."""

    def test_sign_and_issue(self):
        document = self._signable()
        if document.state not in document._vbdt_signable_states():
            # vbdt_workflow is installed: signing happens in its "to sign"
            # step, reached through an approval route (its own tours); the
            # signer must then be the reviewer of that step.
            self.skipTest("the approval workflow owns the steps before signing")
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
