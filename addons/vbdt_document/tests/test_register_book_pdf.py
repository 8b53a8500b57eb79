"""The register books as they are printed: wkhtmltopdf, read back page by
page with pdftotext. Every page carries the table header, no row is split
across a page break (its number and its last word are on the same page, and
on that page only), and the page count is the one the server planned."""

import re
import shutil

from odoo.tests import HttpCase, tagged

from .common import VbdtDocumentCommon
from .pdftext import pdf_pages

WORDS = (
    "quy định chi tiết một số điều và biện pháp thi hành luật ngân sách "
    "nhà nước về công tác văn thư lưu trữ trong cơ quan hành chính"
).split()
# Subjects from a few words to a long paragraph, in a fixed order, so that
# rows from one to several lines high meet the page breaks.
LENGTHS = (4, 12, 30, 70, 9, 140, 20, 3, 55, 16)


@tagged("vbdt", "post_install", "-at_install")
class TestRegisterBookPdf(VbdtDocumentCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")

    def _subject(self, index):
        size = LENGTHS[index % len(LENGTHS)]
        words = [WORDS[(index * 7 + k) % len(WORDS)] for k in range(size)]
        # The last word marks the end of the row.
        return " ".join([*words, f"hết{index + 1:03d}"])

    def _render(self, book):
        for tool in ("wkhtmltopdf", "pdftotext"):
            if not shutil.which(tool):
                self.fail(f"{tool} is required to print (.ci/run installs it)")
        Report = self.env["ir.actions.report"].with_context(
            lang="vi_VN", force_report_rendering=True
        )
        pdf, kind = Report._render_qweb_pdf(
            "vbdt_document.vbdt_register_book_report", book.ids
        )
        self.assertEqual(kind, "pdf")
        return pdf_pages(pdf)

    def _book(self, documents):
        return (
            self.env["vbdt.register.book"]
            .with_context(lang="vi_VN")
            .create(
                {
                    "company_id": self.province.id,
                    "register_id": documents[0].register_id.id,
                    "date_from": documents[0].register_date,
                    "date_to": documents[0].register_date,
                }
            )
        )

    def _assert_paginated(self, book, pages, headers, row_start, count):
        planned = book._vbdt_pages(book._get_documents())
        self.assertEqual(len(pages), len(planned), "one sheet per planned page")
        self.assertGreater(len(pages), 2, "the book really spans pages")
        self.assertLess(len(pages), count / 2, "pages are filled, not one row each")
        found = {}
        for index, page in enumerate(pages, start=1):
            flat = " ".join(page.split())
            with self.subTest(page=index):
                for header in headers:
                    self.assertIn(header, flat, "the table header is on every page")
                self.assertIn(f"Trang {index}/{len(pages)}", flat)
                self.assertNotRegex(flat, r"\b\d{4}-\d{2}-\d{2}\b", "dates dd/mm/yyyy")
                self.assertNotIn("Page", flat)
            for number in map(int, row_start.findall(page)):
                found.setdefault(number, []).append(index)
            for end in map(int, re.findall(r"hết(\d{3})", page)):
                found.setdefault(-end, []).append(index)
        for number in range(1, count + 1):
            with self.subTest(row=number):
                self.assertEqual(len(found.get(number, [])), 1, "on exactly one page")
                self.assertEqual(
                    found[-number], found[number], "the row ends on the page it starts"
                )
        self.assertEqual(
            [len(page) for page in planned],
            [len(set(row_start.findall(page))) for page in pages],
            "each page holds the rows planned for it",
        )

    def test_incoming_book_repeats_header_and_never_splits_a_row(self):
        count = 64
        documents = self.Document
        for index in range(count):
            document = self._incoming(
                subject=self._subject(index),
                code=f"{index + 1}/VPCP-TTĐT",
                unit_id=self.unit.id,
                urgency="urgent" if index % 4 == 0 else "normal",
                due_date="2026-12-20" if index % 3 == 0 else False,
            )
            document.action_register()
            documents |= document
        self.assertEqual(documents.mapped("arrival_number"), list(range(1, count + 1)))
        book = self._book(documents)
        pages = self._render(book)
        self.assertIn("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", pages[0])
        self._assert_paginated(
            book,
            pages,
            ["Ngày đến", "Số đến", "Cơ quan gửi", "(1) (2) (3) (4) (5) (6) (7) (8)"],
            re.compile(r"^\s*\d{2}/\d{2}/\d{4}\s+(\d+)\s", re.M),
            count,
        )

    def test_outgoing_book_repeats_header_and_never_splits_a_row(self):
        count = 40
        documents = self.Document
        for index in range(count):
            documents |= self._outgoing(subject=self._subject(index))
        issuable = documents._vbdt_issuable_states()
        if "draft" not in issuable:
            # vbdt_workflow installed: its approval route is not what this
            # test is about.
            documents.sudo()._vbdt_write_lifecycle({"state": sorted(issuable)[0]})
        documents.action_issue()
        self.assertEqual(sorted(documents.mapped("number")), list(range(1, count + 1)))
        book = self._book(documents)
        pages = self._render(book)
        self.assertIn("SỔ ĐĂNG KÝ VĂN BẢN ĐI", pages[0])
        self._assert_paginated(
            book,
            pages,
            ["Số, ký hiệu", "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10)"],
            re.compile(r"^\s*(\d+)/QĐ-UBND", re.M),
            count,
        )

    def test_empty_period_prints_one_page_with_header(self):
        register = self.env["vbdt.register"]._default_for(self.province, "incoming")
        book = self.env["vbdt.register.book"].create(
            {
                "company_id": self.province.id,
                "register_id": register.id,
                "date_from": "2020-01-01",
                "date_to": "2020-12-31",
            }
        )
        pages = self._render(book)
        self.assertEqual(len(pages), 1)
        self.assertIn("Không có văn bản nào được vào sổ trong kỳ này.", pages[0])
        self.assertIn("Trang 1/1", pages[0])
