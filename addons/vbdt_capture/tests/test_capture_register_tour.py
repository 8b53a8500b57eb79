import datetime
import logging
import time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.browser import ScreenshotMixin
from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon

from . import letters

_logger = logging.getLogger(__name__)

# What the tour (static/tests/tours/vbdt_capture_register_tour.js) expects
# to read from the scan of letters.make_letters(2)[1].
LETTER = {
    "number": 2346,
    "notation": "QĐ-STC",
    "document_date": datetime.date(2026, 9, 27),
    "sender": "000.00.08.H42",
    "document_type": "quyet_dinh",
    "subject": "báo cáo tình hình thực hiện dự toán ngân sách",
    "signer_name": "Hoàng Thị Lan Anh",
    "signer_position": "Chánh Văn Phòng",
    "urgency": "urgent",
}
CORRECTED = "Quyết định về báo cáo tình hình thực hiện dự toán ngân sách năm 2026"

# the proposal dialog as the screenshot shows it: {field: shown value or text}
SHOWN_FIELDS = (
    "({title: document.querySelector('.modal .modal-title').textContent.trim(),"
    " fields: Object.fromEntries([...document.querySelectorAll("
    "'.modal .o_form_view .o_field_widget[name]')].map((w) => [w.getAttribute('name'),"
    " (w.querySelector('input, select') || {}).value ?? w.textContent.trim()]))})"
)


@tagged("post_install", "-at_install", "vbdt", "vbdt_capture")
class TestCaptureRegisterTour(ScreenshotMixin, VbdtDocumentCommon, HttpCase):
    """Scan-to-register in the browser: a clerk reads the fields of a scanned
    letter (OCR by the extraction job), checks them against their source
    text, corrects the summary, fills the form and registers the document."""

    browser_size = "1366x768"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.letter = letters.make_letters(2)[1]  # Quyết định of Sở Tài chính, KHẨN
        # a flatbed scan: image only, a little rotated, a few specks
        cls.scan = letters.scan(cls.letter.pdf, dpi=300, angle=0.7, noise=0.001, seed=5)
        cls.env["vbdt.agency"].create(
            [{"code": code, "name": name} for code, name, *_ in letters.AGENCIES]
        )
        cls.Text = cls.env["vbdt.capture.text"]

    def setUp(self):
        super().setUp()
        self.document = self._received(self.scan)

    def _received(self, pdf):
        """An incoming scanned letter the clerk entered (waiting for
        registration), its text read by the extraction job as the cron
        would."""
        document = self.Document.with_user(self.clerk).create(
            {
                "direction": "incoming",
                "company_id": self.province.id,
                "subject": "Văn bản quét chờ vào sổ",
            }
        )
        file = document._vbdt_add_file("ban-quet.pdf", pdf, "main")
        text = file.capture_text_ids
        self.assertEqual(text.state, "queued")
        # files stored before (demo data, queued by the backfill) wait elsewhere
        self.Text._vbdt_backfill(batch_size=100_000)
        (self.Text.search([("state", "=", "queued")]) - text).write(
            {"state": "unsupported"}
        )
        started = time.monotonic()
        self.Text._cron_extract()
        _logger.info("scan read by OCR in %.1f s", time.monotonic() - started)
        self.assertEqual((text.state, text.ocr_page_count), ("done", 1))
        return document

    def test_clerk_reads_corrects_fills_and_registers(self):
        self.assertEqual(self.letter.truth, LETTER, "the tour expects this letter")
        document = self.document
        register = document.register_id
        self.assertTrue(register, "the clerk's agency has an incoming register")
        started = time.monotonic()
        self.start_tour(
            "/odoo/van-ban-cho-vao-so",
            "vbdt_capture_register_tour",
            login=self.clerk.login,
        )
        _logger.info("scan-to-register tour took %.1f s", time.monotonic() - started)
        document.invalidate_recordset()
        self.assertRecordValues(
            document,
            [
                {
                    "code": f"{LETTER['number']}/{LETTER['notation']}",
                    "document_date": LETTER["document_date"],
                    "document_type_id": self.doc_type.id,
                    "subject": CORRECTED,
                    "signer_name": LETTER["signer_name"],
                    "signer_position": LETTER["signer_position"],
                    "urgency": "urgent",
                    "state": "registered",
                    "arrival_number": 1,
                    "register_id": register.id,
                }
            ],
        )
        # the directory may hold the agency under its short name too
        # ("Sở Tài chính"): either is the sender the header names
        self.assertTrue(document.sender_agency_id.name.startswith("Sở Tài chính"))
        log = self.env["vbdt.audit.log"].search(
            [("event", "=", "register"), ("document_id", "=", document.id)]
        )
        self.assertEqual(log.user_id, self.clerk)
        # The duplicate check ran on the filled fields: it found no earlier
        # copy for this one, and the same letter scanned again is named as
        # a repeat of it, in the proposal and on the form, and is refused.
        self.assertFalse(document.duplicate_of_id)
        again = self._received(self.scan)
        wizard = (
            self.env["vbdt.capture.register"]
            .with_user(self.clerk)
            .with_context(default_document_id=again.id)
            .create({})
        )
        self.assertEqual(wizard.duplicate_of_id, document)
        wizard.action_apply()
        self.assertEqual(again.duplicate_of_id, document)
        with self.assertRaisesRegex(UserError, "already in the system"):
            again.with_user(self.clerk).action_register()
        self.assertEqual(again.state, "received")

    def test_proposal_dialog_in_vietnamese(self):
        """The readme's picture: the proposal dialog in Vietnamese, each
        field with the line of the scan it was read from, the date
        dd/mm/yyyy."""
        self.assertEqual(self.letter.truth, LETTER, "the picture shows this letter")
        self.env["res.lang"]._activate_lang("vi_VN")
        self.clerk.lang = "vi_VN"
        image, shown = self.screenshot(
            f"/odoo/van-ban-cho-vao-so/{self.document.id}",
            self.clerk,
            "button.o_vbdt_capture_read_scan",
            "scan_to_register.png",
            click="button.o_vbdt_capture_read_scan",
            then=".modal .o_field_widget[name=signer_name_source]",
            read=SHOWN_FIELDS,
        )
        self.assertScreenPng(image)
        self.assertEqual(shown["title"], "Thông tin đọc từ bản quét")
        fields = shown["fields"]
        self.assertEqual(
            {
                name: fields.get(name)
                for name in (
                    "code",
                    "code_source",
                    "document_date",
                    "document_date_source",
                    "subject",
                    "subject_source",
                    "signer_name",
                    "signer_name_source",
                    "urgency_source",
                )
            },
            {
                "code": "2346/QĐ-STC",
                "code_source": "Số: 2346/QĐ-STC",
                "document_date": "27/09/2026",
                "document_date_source": "ngày 27 tháng 09 năm 2026",
                "subject": LETTER["subject"],
                "subject_source": f"Về việc {LETTER['subject']}",
                "signer_name": LETTER["signer_name"],
                "signer_name_source": LETTER["signer_name"],
                "urgency_source": "KHẨN",
            },
        )
        self.assertTrue(fields["sender_agency_id"].startswith("Sở Tài chính"))
        self.assertIn("SỞ TÀI CHÍNH", fields["sender_agency_source"])
