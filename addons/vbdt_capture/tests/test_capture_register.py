from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon

from . import letters


@tagged("post_install", "-at_install", "vbdt", "vbdt_capture")
class TestCaptureRegister(VbdtDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.letter = letters.make_letters(2)[1]  # Quyết định of Sở Tài chính, KHẨN
        cls.agencies = cls.env["vbdt.agency"].create(
            [{"code": code, "name": name} for code, name, *_ in letters.AGENCIES]
        )

    def _received(self, pdf):
        document = self.Document.with_user(self.clerk).create(
            {
                "direction": "incoming",
                "company_id": self.province.id,
                "subject": "Văn bản quét chưa nhập",
            }
        )
        file = document.sudo()._vbdt_add_file("ban-quet.pdf", pdf, "main")
        file.capture_text_ids._vbdt_extract()
        return document

    def _wizard(self, document):
        return (
            self.env["vbdt.capture.register"]
            .with_user(self.clerk)
            .with_context(default_document_id=document.id)
            .create({})
        )

    def test_clerk_confirms_the_proposed_fields(self):
        document = self._received(self.letter.pdf)
        wizard = self._wizard(document)
        # The directory may hold the agency under its short name too
        # ("Sở Tài chính"): either is the sender the header names.
        self.assertTrue(wizard.sender_agency_id.name.startswith("Sở Tài chính"))
        sender = wizard.sender_agency_id
        self.assertEqual(wizard.sender_agency_source, "SỞ TÀI CHÍNH")
        self.assertEqual(wizard.code, f"{self.letter.number}/{self.letter.notation}")
        self.assertEqual(wizard.document_date, self.letter.document_date)
        self.assertEqual(wizard.document_type_id, self.doc_type)
        self.assertEqual(wizard.subject, self.letter.subject)
        self.assertEqual(wizard.signer_name, self.letter.signer_name)
        self.assertEqual(wizard.urgency, "urgent")
        self.assertEqual(wizard.urgency_source, "KHẨN")
        self.assertFalse(wizard.duplicate_of_id)
        wizard.subject = "Quyết định về báo cáo dự toán (đã sửa)"  # the clerk corrects
        wizard.action_apply()
        self.assertEqual(
            (
                document.sender_agency_id,
                document.code,
                document.subject,
                document.urgency,
            ),
            (
                sender,
                f"{self.letter.number}/{self.letter.notation}",
                "Quyết định về báo cáo dự toán (đã sửa)",
                "urgent",
            ),
        )

    def test_duplicate_check_runs_on_the_proposal(self):
        first = self._received(self.letter.pdf)
        self._wizard(first).action_apply()
        again = self._received(self.letter.pdf)
        self.assertEqual(self._wizard(again).duplicate_of_id, first)

    def test_text_not_ready(self):
        document = self.Document.with_user(self.clerk).create(
            {"direction": "incoming", "company_id": self.province.id, "subject": "Chờ"}
        )
        document.sudo()._vbdt_add_file("cho.pdf", self.letter.pdf, "main")
        with self.assertRaises(UserError) as caught:
            self._wizard(document)
        self.assertIn("not ready yet", str(caught.exception))
