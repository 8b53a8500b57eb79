from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.phone import PhoneTourMixin

from ..demo import testpki
from ..pades import verify_pdf
from .common import VbdtSignatureCommon


@tagged("post_install", "-at_install", "vbdt")
class TestPhoneSignTour(PhoneTourMixin, HttpCase, VbdtSignatureCommon):
    """The leader signs a draft at 390x844 with a certificate kept on the
    server (PKCS#12): from the home page's queue when vbdt_workflow routes the
    draft to them, then one tap on the form."""

    def test_sign_with_server_certificate(self):
        document = self._signable()
        self._reach_signing_step(document)
        self.assertEqual(document.signature_status, "unsigned")
        if "vbdt.approval.route" in self.env:
            self.phone_tour(
                "/odoo/viec-can-lam", "vbdt_signature_phone_queue_tour", self.leader
            )
        self.phone_tour(
            f"/odoo/vbdt.document/{document.id}",
            "vbdt_signature_phone_sign_tour",
            self.leader,
        )
        self.assertEqual(document.signature_status, "incomplete")
        report = verify_pdf(self._main_raw(document), self.pki.trust_anchors)
        self.assertEqual(
            [s.signer.name for s in report.signatures], [testpki.PERSON_NAME]
        )
        self.assertTrue(all(s.intact and s.trusted for s in report.signatures))
