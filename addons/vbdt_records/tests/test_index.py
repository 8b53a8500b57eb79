"""The document index and the file index: PDF (rendered by wkhtmltopdf and
read back with pdftotext), XLSX and CSV, through the download route."""

import csv
import io
import shutil

import openpyxl

from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.pdftext import pdf_text
from odoo.addons.vbdt_document.tests.rpc import JsonRpcCase

from .common import VbdtRecordsCommon

SECRET_SUBJECT = "Phương án bảo vệ mục tiêu trọng yếu"


@tagged("vbdt", "post_install", "-at_install")
class TestRecordsIndex(VbdtRecordsCommon, JsonRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.normal = cls._registered_letter()
        cls.secret = cls._registered(
            code="41/VPCP-TTĐT",
            subject=SECRET_SUBJECT,
            confidentiality="secret",
            confidential_user_ids=[(6, 0, cls.officer.ids)],
        )
        cls.case_file = cls._file([cls.normal, cls.secret])
        cls.Line.create(
            {
                "file_id": cls.case_file.id,
                "kind": "minutes",
                "name": '=HYPERLINK("http://x") biên bản họp',
                "item_date": "2026-03-05",
                "page_count": 2,
            }
        )
        cls.other_file = cls._file(code="02.TH", title="Hồ sơ hội nghị tổng kết")

    def _render(self, report, files, user):
        if not shutil.which("wkhtmltopdf"):
            self.fail("wkhtmltopdf is required to print the indexes")
        Report = self.env["ir.actions.report"].with_user(user)
        pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report, files.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_text(pdf)

    def test_document_index_pdf_lists_items_in_order_and_hides_the_secret(self):
        report = "vbdt_records.vbdt_records_document_index_report"
        text = self._render(report, self.case_file, self.clerk)
        self.assertIn("DOCUMENT INDEX", text)
        self.assertIn("40/VPCP-TTĐT", text)
        self.assertIn("02/03/2026", text)
        self.assertIn("kết nối liên thông", text)
        self.assertIn("Restricted item", text)
        self.assertNotIn("mục tiêu trọng yếu", text)
        self.assertNotIn("41/VPCP-TTĐT", text)
        # Ordinals 1, 2, 3 for every reader: the hidden item keeps its place.
        ordinals = [
            line.split()[0]
            for line in text.splitlines()
            if line.strip()[:2] in ("1 ", "2 ", "3 ")
        ]
        self.assertEqual(ordinals[:3], ["1", "2", "3"])
        # The named reader reads it all.
        text = self._render(report, self.case_file, self.officer)
        self.assertIn("mục tiêu trọng yếu", text)
        self.assertIn("41/VPCP-TTĐT", text)

    def test_file_index_pdf_lists_the_files(self):
        report = "vbdt_records.vbdt_records_file_index_report"
        text = self._render(report, self.case_file | self.other_file, self.clerk)
        self.assertIn("FILE INDEX", text)
        self.assertIn("Hồ sơ hội nghị tổng kết", text)
        self.assertIn("02.TH", text)
        # The secret document's file shows its neutral title, never the real one.
        self.assertIn("contains a restricted document", text)
        self.assertNotIn("Hồ sơ kết nối, liên thông", text)

    def test_xlsx_and_csv_through_the_download_route(self):
        url = f"/vbdt_records/index/documents.xlsx?ids={self.case_file.id}"
        status, body = self.fetch(self.clerk, url)
        self.assertEqual(status, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
        self.assertEqual([row[0] for row in rows], ["1", "2", "3"])
        self.assertEqual(rows[0][1], "40/VPCP-TTĐT")
        self.assertEqual(rows[1][4], "Restricted item")
        self.assertNotIn(SECRET_SUBJECT, str(rows))
        # A user-typed formula stays text.
        self.assertEqual(sheet.cell(6, 5).data_type, "s")

        ids = f"{self.case_file.id},{self.other_file.id}"
        status, body = self.fetch(
            self.clerk, f"/vbdt_records/index/files.csv?ids={ids}"
        )
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        self.assertEqual(rows[0][0], "File Code")
        self.assertEqual({row[0] for row in rows[1:]}, {"01.TH", "02.TH"})
        status, body = self.fetch(
            self.clerk, f"/vbdt_records/index/documents.csv?ids={self.case_file.id}"
        )
        minutes = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[3]
        self.assertTrue(
            minutes[4].startswith("Minutes: =HYPERLINK") or minutes[4].startswith("'")
        )

    def test_route_refuses_files_of_another_agency_and_bad_input(self):
        status, body = self.fetch(
            self.other_clerk, f"/vbdt_records/index/files.xlsx?ids={self.case_file.id}"
        )
        self.assertNotEqual(status, 200)
        self.assertNotIn(b"01.TH", body)
        status, _body = self.fetch(self.clerk, "/vbdt_records/index/files.csv?ids=1;2")
        self.assertEqual(status, 404)
