import base64
import shutil
import unittest

from odoo.tests import tagged

from odoo.addons.vbdt_document.pdfa import pdfa_claim
from odoo.addons.vbdt_document.pdfa.samples import make_pdf
from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon

from ..capture import ocr_available

SIG_DICT = (
    b"9 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter "
    b"/ETSI.CAdES.detached /ByteRange [0 100 200 50] /Contents <3082> >>\nendobj\n"
)


@tagged("post_install", "-at_install", "vbdt", "vbdt_capture")
@unittest.skipUnless(
    shutil.which("ocrmypdf") and ocr_available(), "ocrmypdf/tesseract-vie missing"
)
class TestCaptureScanToPdfa(VbdtDocumentCommon):
    """Unsigned scans of drafts become PDF/A-2b in the OCR job when the
    agency asks for it; a signed PDF is never converted."""

    def _draft_scan(self, raw):
        document = self.Document.create(
            {
                "direction": "incoming",
                "company_id": self.province.id,
                "subject": "Bản quét thử",
                "document_type_id": self.letter_type.id,
                "sender_agency_id": self.sender.id,
            }
        )
        file = self.env["vbdt.document.file"].create(
            {
                "document_id": document.id,
                "name": "ban-quet.pdf",
                "role": "main",
                "datas": base64.b64encode(raw),
            }
        )
        before = (file.checksum_sha256, file._get_raw())
        text = self.env["vbdt.capture.text"].search([("file_id", "=", file.id)])
        text._vbdt_extract()
        self.assertEqual(text.state, "done")
        self.assertEqual(text.ocr_page_count, 1, "a page without text is a scan")
        return file, before

    def _switch(self, on):
        self.env["ir.config_parameter"].set_param(
            "vbdt_capture.scan_to_pdfa", "True" if on else "False"
        )

    def test_unsigned_scan_becomes_pdfa_2b(self):
        self._switch(True)
        file, (checksum, raw) = self._draft_scan(make_pdf())
        self.assertEqual(file.pdfa_level, "2b")
        self.assertNotEqual(file.checksum_sha256, checksum)
        new_raw = file._get_raw()
        self.assertNotEqual(new_raw, raw)
        self.assertEqual(pdfa_claim(new_raw), "2b")

    def test_signed_pdf_is_never_converted(self):
        self._switch(True)
        plain = make_pdf()
        head, tail = plain.split(b"xref\n", 1)
        signed = head + SIG_DICT + b"xref\n" + tail
        file, before = self._draft_scan(signed)
        self.assertFalse(file.pdfa_level)
        self.assertEqual((file.checksum_sha256, file._get_raw()), before)

    def test_nothing_is_converted_unless_asked(self):
        self._switch(False)
        file, before = self._draft_scan(make_pdf())
        self.assertFalse(file.pdfa_level)
        self.assertEqual((file.checksum_sha256, file._get_raw()), before)
