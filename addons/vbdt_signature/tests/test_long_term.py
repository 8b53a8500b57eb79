from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..pades import verify_pdf
from ..pades.archive import RENEWAL_MARGIN
from .common import VbdtSignatureCommon


@tagged("vbdt", "vbdt_signature")
class TestLongTermValidation(VbdtSignatureCommon):
    """With a timestamp authority configured, signatures are B-LT and issued
    documents B-LTA, and the archival timestamp is renewed without
    invalidating anything. The TSA, OCSP responder and CRLs are the test
    PKI's own, over HTTP on 127.0.0.1 (certomancer)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "vbdt_signature.timestamp_url", cls.pki.tsa_url
        )

    def test_revoked_certificate_refused_before_signing_through_ocsp(self):
        """Circular 15/2025: revocation is checked before signing, here from
        the OCSP responder the certificate names (fetching allowed)."""
        self.env["ir.config_parameter"].sudo().set_param(
            "vbdt_signature.allow_fetching", "True"
        )
        document = self._signable()
        draft = self._main_raw(document)
        self.person_cert.unlink()
        self._certificate(self.pki.revoked, user=self.leader)
        with self.assertRaises(UserError) as caught:
            document.with_user(self.leader).action_sign_person()
        self.assertIn("was revoked on", str(caught.exception))
        self.assertIn("key compromise", str(caught.exception).lower())
        self.assertEqual(self._main_raw(document), draft)
        self.assertEqual(document.state, "draft")
        self.assertFalse(document.main_file_id.history_attachment_ids)

    def test_issued_document_is_b_lta_and_renewal_keeps_it_valid(self):
        document = self._signable()
        main = document.main_file_id
        document.with_user(self.leader).action_sign_person()
        (person,) = main.signature_check_ids
        self.assertEqual((person.valid, person.time_basis), (True, "timestamp"))

        document.with_user(self.clerk).action_issue()
        self.assertEqual(main.signature_status, "valid")
        self.assertEqual(
            sorted(main.signature_check_ids.mapped("kind")),
            ["document_timestamp", "organisation", "person"],
        )
        self.assertTrue(all(main.signature_check_ids.mapped("valid")))
        tsa_expiry = self.pki.tsa.certificate.not_valid_after_utc.replace(tzinfo=None)
        self.assertAlmostEqual(
            main.archive_renewal_due,
            tsa_expiry - RENEWAL_MARGIN,
            delta=timedelta(seconds=1),
        )
        report = verify_pdf(self._main_raw(document), self.pki.trust_anchors)
        self.assertTrue(report.complete)
        self.assertTrue(
            all(s.signing_time_basis == "timestamp" for s in report.signatures)
        )

        # the renewal falls due: a new document timestamp, everything still valid
        main.sudo().write(
            {"archive_renewal_due": fields.Datetime.now() - timedelta(days=1)}
        )
        self.assertEqual(
            self.env["vbdt.document.file"]._cron_renew_archival_timestamps(), 1
        )
        self.assertEqual(main.signature_status, "valid")
        self.assertEqual(
            main.signature_check_ids.mapped("kind").count("document_timestamp"), 2
        )
        self.assertTrue(all(main.signature_check_ids.mapped("valid")))
        self.assertGreater(main.archive_renewal_due, fields.Datetime.now())
        report = verify_pdf(self._main_raw(document), self.pki.trust_anchors)
        self.assertTrue(report.complete and len(report.timestamps) == 2)
