from odoo.tests import HttpCase, tagged

from ..pades import testpki, verify_pdf
from .common import VbdtSignatureCommon


@tagged("post_install", "-at_install", "vbdt")
class TestSignatureTour(HttpCase, VbdtSignatureCommon):
    """Sign (leader) then issue (clerk) through the web client."""

    def _move_to(self, document, states):
        """Put the document in one of ``states`` (vbdt_workflow, when installed,
        owns the approval steps in between; they have their own tours)."""
        if document.state not in states:
            document.with_context(vbdt_unlock=True, vbdt_review_transition=True).write(
                {"state": sorted(states)[0]})

    def test_sign_and_issue(self):
        document = self._signable()
        self._move_to(document, document._vbdt_signable_states())
        self.start_tour(f"/odoo/vbdt.document/{document.id}", "vbdt_signature_sign_tour",
                        login=self.leader.login)
        self.assertEqual(document.signature_status, "incomplete")
        self._move_to(document, document._issuable_states())
        self.start_tour(f"/odoo/vbdt.document/{document.id}", "vbdt_signature_issue_tour",
                        login=self.clerk.login)
        self.assertEqual(document.state, "issued")
        report = verify_pdf(document.main_file_id._get_raw(), self.pki.trust_anchors)
        self.assertTrue(report.complete)
        self.assertEqual({s.signer.name for s in report.signatures},
                         {testpki.PERSON_NAME, testpki.AGENCY_NAME})
