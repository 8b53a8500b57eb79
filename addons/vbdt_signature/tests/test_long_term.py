from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..pades import verify_pdf
from ..pades.archive import RENEWAL_MARGIN
from .common import VbdtSignatureCommon
from .tsa import start_tsa


@tagged("vbdt", "vbdt_signature")
class TestLongTermValidation(VbdtSignatureCommon):
    """With a timestamp authority configured, signatures are B-LT and issued
    documents B-LTA, and the archival timestamp is renewed without
    invalidating anything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        url, server = start_tsa(cls.pki)
        cls.addClassCleanup(server.server_close)
        cls.addClassCleanup(server.shutdown)
        cls.env["ir.config_parameter"].sudo().set_param(
            "vbdt_signature.timestamp_url", url
        )

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
