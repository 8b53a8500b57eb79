from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.common import PDF, VbdtDocumentCommon

from . import letters


@tagged("post_install", "-at_install", "vbdt", "vbdt_capture")
class TestCaptureDigitisation(VbdtDocumentCommon):
    """The dashboard's digitisation share counts documents whose text was
    read, not documents that merely carry a file."""

    def _registered_with_file(self, code, pdf):
        document = self._incoming(code=code)
        file = document._vbdt_add_file(f"{code.replace('/', '-')}.pdf", pdf, "main")
        document.action_register()
        return document, file.capture_text_ids

    def test_only_documents_with_text_read_count_as_digitised(self):
        letter = letters.make_letters(1)[0].pdf
        read, read_text = self._registered_with_file("11/UBND-VP", letter)
        read_text._vbdt_extract()
        self._registered_with_file("12/UBND-VP", PDF)  # its text still queued
        _blank, blank_text = self._registered_with_file("13/UBND-VP", PDF)
        # A blank page: read, but no words (as the extraction stores it).
        blank_text.write({"state": "done", "content": " \n\f "})
        self._incoming(code="14/UBND-VP").action_register()  # no file at all
        self.assertTrue(read_text.has_text)
        self.assertFalse(blank_text.has_text)

        Stats = self.env["vbdt.document.statistics"]
        Stats._refresh()
        row = Stats.search(
            [
                ("company_id", "=", self.province.id),
                ("year", "=", read.register_date.year),
            ]
        )
        self.assertEqual((row.document_count, row.digitised_count), (4, 3))
        self.assertEqual(row.captured_count, 1)
        self.assertEqual(row.captured_rate, 25.0)
        # The figure opens exactly the documents it counts.
        action = row.with_context(vbdt_figure="captured_rate").action_open_figure()
        self.assertEqual(self.env["vbdt.document"].search(action["domain"]), read)
