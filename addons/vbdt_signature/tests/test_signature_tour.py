from odoo.tests import HttpCase, tagged

from ..demo import testpki
from ..pades import verify_pdf
from .common import VbdtSignatureCommon


@tagged("post_install", "-at_install", "vbdt")
class TestSignatureTour(HttpCase, VbdtSignatureCommon):
    """Sign (leader) then issue (clerk) through the web client."""

    def test_sign_and_issue(self):
        document = self._signable()
        self._reach_signing_step(document)
        self.assertIn(document.state, document._vbdt_signable_states())
        self.start_tour(
            f"/odoo/vbdt.document/{document.id}",
            "vbdt_signature_sign_tour",
            login=self.leader.login,
        )
        self.assertEqual(document.signature_status, "incomplete")
        self.start_tour(
            f"/odoo/vbdt.document/{document.id}",
            "vbdt_signature_issue_tour",
            login=self.clerk.login,
        )
        self.assertEqual(document.state, "issued")
        report = verify_pdf(document.main_file_id._get_raw(), self.pki.trust_anchors)
        self.assertTrue(report.complete)
        self.assertEqual(
            {s.signer.name for s in report.signatures},
            {testpki.PERSON_NAME, testpki.AGENCY_NAME},
        )
