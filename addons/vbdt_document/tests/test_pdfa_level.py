import base64

from ..pdfa.samples import PDFA_2B
from .common import PDF, VbdtDocumentCommon


class TestPdfaLevel(VbdtDocumentCommon):
    """The PDF/A level a file declares is stored with its content and
    backfilled in batches for files stored before."""

    def _document_with_files(self):
        document = self._outgoing()
        files = self.env["vbdt.document.file"].create(
            [
                {
                    "document_id": document.id,
                    "name": "chinh.pdf",
                    "role": "main",
                    "datas": base64.b64encode(PDFA_2B),
                },
                {
                    "document_id": document.id,
                    "name": "phu-luc.pdf",
                    "role": "attachment",
                    "datas": base64.b64encode(PDF),
                },
            ]
        )
        return document, files

    def test_level_is_read_when_content_is_stored(self):
        _document, (pdfa, plain) = self._document_with_files()
        self.assertEqual(pdfa.pdfa_level, "2b")
        self.assertFalse(plain.pdfa_level)
        self.assertTrue(pdfa.pdfa_checked and plain.pdfa_checked)
        # Replacing the content (still a draft) reads the level again.
        plain.write({"datas": base64.b64encode(PDFA_2B)})
        self.assertEqual(plain.pdfa_level, "2b")
        pdfa.write({"datas": base64.b64encode(PDF)})
        self.assertFalse(pdfa.pdfa_level)

    def test_backfill_reads_older_files_in_batches(self):
        _document, files = self._document_with_files()
        checksums = files.mapped("checksum_sha256")
        # Files stored before the field existed: nothing read yet.
        files.flush_recordset()
        self.env.cr.execute(
            "UPDATE vbdt_document_file SET pdfa_level = NULL, pdfa_checked = FALSE "
            "WHERE id IN %s",
            [tuple(files.ids)],
        )
        files.invalidate_recordset()
        self.assertFalse(files.filtered("pdfa_checked"))
        Files = self.env["vbdt.document.file"]
        done = Files._cron_pdfa_backfill(batch_size=1)
        self.assertEqual(len(done), 1)
        for _run in range(5):
            if not Files._cron_pdfa_backfill(batch_size=1):
                break
        self.assertFalse(Files.search_count([("pdfa_checked", "=", False)]))
        self.assertEqual(files.mapped("pdfa_level"), ["2b", False])
        # The evidence is untouched.
        self.assertEqual(files.mapped("checksum_sha256"), checksums)
