"""Saved searches, chosen columns and exports of full-text results, through
the real JSON-RPC API and the real download and report routes: a saved
search is its owner's unless shared (and sharing shares the words, never
the results), searches and result lines are their creator's alone, and an
export holds the chosen columns of the documents the exporting user may
read, nothing else."""

import io
import json
import zipfile

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from openpyxl.utils.escape import unescape

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon
from odoo.addons.vbdt_document.tests.pdftext import pdf_text
from odoo.addons.vbdt_document.tests.rpc import INJECTED_CONTEXT, JsonRpcMixin

from ..capture.export import NOT_XML, cell_text
from . import letters
from .common import CaptureDocumentsMixin

SECRET_WORDS = "phương án sơ tán kho lưu trữ"
COMMON_WORDS = "quan ly van ban"
NORMAL_SUBJECT = "Công văn về kết nối hệ thống"
SECRET_SUBJECT = "Phương án bảo mật số 9"
# A subject that tries to become a formula, a Word field and markup.
HOSTILE_SUBJECT = (
    "=cmd|' /C calc'!A0 <w:fldSimple w:instr=\"DATE\"/> { DATE } &amp;\x0b+1"
)


@tagged("vbdt", "access_rights", "post_install", "-at_install", "vbdt_capture")
class TestCaptureSearchExport(
    CaptureDocumentsMixin, JsonRpcMixin, VbdtDocumentCommon, HttpCase
):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        letter = letters.make_letters(1)[0]
        cls._normal_and_secret(
            {"subject": NORMAL_SUBJECT, "code": "15/UBND-VP"},
            letter.pdf,
            {"subject": SECRET_SUBJECT},
            letter.pdf,
            SECRET_WORDS,
        )
        cls.Saved = cls.env["vbdt.capture.saved.search"]

    def _saved_snapshot(self):
        return sorted(
            self.Saved.sudo()
            .search([])
            .mapped(lambda s: (s.id, s.name, s.query, s.user_id.id, s.shared))
        )

    def _new_search(self, user, query, **columns):
        search_id = self.call_kw(
            user, "vbdt.capture.search", "create", [{"query": query, **columns}]
        )
        self.call_kw(user, "vbdt.capture.search", "action_search", [[search_id]])
        return search_id

    def _line_documents(self, user, search_id):
        lines = self.call_kw(
            user,
            "vbdt.capture.search.line",
            "search_read",
            [[("search_id", "=", search_id)]],
            {"fields": ["document_id", "snippet", "code"]},
        )
        return lines, {line["document_id"][0] for line in lines}

    # ------------------------------------------------------------ saved searches
    def test_saved_search_is_private_and_changed_by_its_owner_only(self):
        saved_id = self.call_kw(
            self.specialist,
            "vbdt.capture.saved.search",
            "create",
            [{"name": "Của tôi", "query": COMMON_WORDS, "user_id": self.colleague.id}],
        )
        saved = self.Saved.browse(saved_id)
        self.assertEqual(saved.user_id, self.specialist, "the owner cannot be forged")
        self.assertFalse(saved.shared, "private by default")
        for user in (self.colleague, self.clerk, self.leader, self.other_clerk):
            found = self.call_kw(
                user,
                "vbdt.capture.saved.search",
                "search_read",
                [[]],
                {"fields": ["name", "query"]},
                context=INJECTED_CONTEXT,
            )
            self.assertNotIn(COMMON_WORDS, json.dumps(found), user.login)
            self.assertRefused(
                user,
                "vbdt.capture.saved.search",
                "read",
                [[saved_id], ["query"]],
                contexts=[None, INJECTED_CONTEXT],
            )
        # Shared with the agency: colleagues read and run it, never change it.
        self.call_kw(
            self.specialist,
            "vbdt.capture.saved.search",
            "write",
            [[saved_id], {"shared": True}],
        )
        found = self.call_kw(
            self.colleague,
            "vbdt.capture.saved.search",
            "search_read",
            [[]],
            {"fields": ["query"]},
        )
        self.assertEqual([row["id"] for row in found], [saved_id])
        self.assertEqual(
            self.call_kw(
                self.other_clerk,
                "vbdt.capture.saved.search",
                "search_read",
                [[]],
                {"fields": ["query"]},
            ),
            [],
            "another agency never sees a shared search",
        )
        for method, args in (
            ("write", [[saved_id], {"query": "giả mạo", "shared": False}]),
            ("unlink", [[saved_id]]),
        ):
            self.assertRefused(
                self.colleague,
                "vbdt.capture.saved.search",
                method,
                args,
                contexts=[None, INJECTED_CONTEXT],
                unchanged=self._saved_snapshot,
            )
        self.assertRefused(
            self.specialist,
            "vbdt.capture.saved.search",
            "write",
            [[saved_id], {"user_id": self.colleague.id}],
            contexts=[None, INJECTED_CONTEXT],
            unchanged=self._saved_snapshot,
        )

    def test_running_a_shared_search_shows_only_the_runners_documents(self):
        search_id = self._new_search(
            self.specialist, f'"{SECRET_WORDS}"', show_state=True
        )
        self.call_kw(
            self.specialist, "vbdt.capture.search", "action_save", [[search_id]]
        )
        saved = self.Saved.search([("user_id", "=", self.specialist.id)])
        self.assertEqual(len(saved), 1)
        self.assertTrue(saved.show_state, "the chosen columns are saved")
        saved.shared = True
        action = self.call_kw(
            self.specialist, "vbdt.capture.saved.search", "action_run", [saved.ids]
        )
        _lines, documents = self._line_documents(self.specialist, action["res_id"])
        self.assertEqual(documents, {self.secret.id})
        action = self.call_kw(
            self.colleague, "vbdt.capture.saved.search", "action_run", [saved.ids]
        )
        lines, documents = self._line_documents(self.colleague, action["res_id"])
        self.assertEqual(documents, set())
        self.assertNotIn(SECRET_SUBJECT, json.dumps(lines, ensure_ascii=False))
        runs = self.env["vbdt.capture.search"].browse(action["res_id"])
        self.assertEqual(runs.result_count, 0)
        self.assertTrue(runs.show_state, "the saved columns come with the run")

    # ------------------------------------------------------------ results
    def test_searches_and_result_lines_are_their_creators_only(self):
        search_id = self._new_search(self.specialist, COMMON_WORDS)
        lines, documents = self._line_documents(self.specialist, search_id)
        self.assertEqual(documents, {self.normal.id, self.secret.id})
        line_ids = [line["id"] for line in lines]

        def snapshot():
            Line = self.env["vbdt.capture.search.line"].sudo()
            return sorted(
                Line.search([]).mapped(lambda r: (r.id, r.document_id.id, r.snippet))
            )

        for model, ids in (
            ("vbdt.capture.search", [search_id]),
            ("vbdt.capture.search.line", line_ids),
        ):
            found = self.call_kw(
                self.colleague,
                model,
                "search_read",
                [[]],
                {"fields": ["display_name"]},
                context=INJECTED_CONTEXT,
            )
            self.assertFalse({row["id"] for row in found} & set(ids), model)
            self.assertRefused(
                self.colleague,
                model,
                "read",
                [ids, ["display_name"]],
                contexts=[None, INJECTED_CONTEXT],
            )
        self.assertRefused(
            self.colleague,
            "vbdt.capture.search",
            "write",
            [[search_id], {"query": "khác"}],
            unchanged=snapshot,
        )
        self.assertRefused(
            self.colleague,
            "vbdt.capture.search",
            "action_export_xlsx",
            [[search_id]],
            unchanged=snapshot,
        )
        # Nobody forges a result line for a document they may not read.
        own_id = self._new_search(self.other_clerk, COMMON_WORDS)
        self.assertRefused(
            self.other_clerk,
            "vbdt.capture.search.line",
            "create",
            [{"search_id": own_id, "document_id": self.normal.id}],
            contexts=[None, INJECTED_CONTEXT],
            unchanged=snapshot,
        )
        self.assertRefused(
            self.other_clerk,
            "vbdt.capture.search",
            "write",
            [
                [own_id],
                {"line_ids": [Command.create({"document_id": self.normal.id})]},
            ],
            unchanged=snapshot,
        )

    # ------------------------------------------------------------ exports
    def _download(self, user, search_id, method, context=None):
        """Export ``search_id`` as ``user`` over JSON-RPC (``method``, one of
        the export buttons) and download the file: ``(url, bytes)``."""
        action = self.call_kw(
            user, "vbdt.capture.search", method, [[search_id]], context=context
        )
        self.assertEqual(action["type"], "ir.actions.act_url")
        status, body = self.fetch(user, action["url"])
        self.assertEqual(status, 200)
        return action["url"], body

    def _xlsx_rows(self, user, search_id, context=None):
        url, body = self._download(user, search_id, "action_export_xlsx", context)
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        rows = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
        return url, rows[0], rows[1:]

    def test_export_xlsx_holds_chosen_columns_of_readable_documents(self):
        columns = {
            "show_code": True,
            "show_document_date": False,
            "show_subject": True,
            "show_snippet": False,
            "show_document_type": True,
        }
        clerk_search = self._new_search(self.clerk, COMMON_WORDS, **columns)
        url, header, rows = self._xlsx_rows(self.clerk, clerk_search)
        self.assertEqual(header, ["Number and Notation", "Summary", "Document Type"])
        self.assertEqual(rows, [["15/UBND-VP", NORMAL_SUBJECT, self.letter_type.name]])
        # The clerk is no reader of the secret document: the specialist is.
        spec_search = self._new_search(self.specialist, COMMON_WORDS, **columns)
        _url, _header, spec_rows = self._xlsx_rows(self.specialist, spec_search)
        self.assertEqual(
            sorted(row[1] for row in spec_rows),
            sorted([NORMAL_SUBJECT, SECRET_SUBJECT]),
        )
        # Another user never downloads the clerk's export.
        for user in (self.colleague, self.other_clerk):
            status, body = self.fetch(user, url)
            self.assertNotEqual(status, 200, user.login)
            self.assertNotIn(NORMAL_SUBJECT.encode(), body)

    def test_export_pdf_holds_the_results_and_is_the_creators_only(self):
        search_id = self._new_search(
            self.specialist,
            f'"{SECRET_WORDS}"',
            show_code=False,
            show_document_date=False,
            show_snippet=False,
        )
        action = self.call_kw(
            self.specialist, "vbdt.capture.search", "action_export_pdf", [[search_id]]
        )
        self.assertEqual(
            action["report_name"], "vbdt_capture.vbdt_capture_search_report_document"
        )
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = Report.with_user(self.specialist)._render_qweb_pdf(
            "vbdt_capture.vbdt_capture_search_report", [search_id]
        )
        self.assertEqual((kind, pdf[:4]), ("pdf", b"%PDF"))
        text = " ".join(pdf_text(pdf).split())
        self.assertIn(SECRET_SUBJECT, text)
        self.assertIn("Summary", text)
        self.assertIn(f"Exported by {self.specialist.name}", text)
        self.assertNotIn("Number and Notation", text, "a column not chosen")
        self.assertNotIn("Snippet", text, "a column not chosen")
        url = (
            f"/report/html/vbdt_capture.vbdt_capture_search_report_document/{search_id}"
        )
        for user in (self.colleague, self.clerk):
            with mute_logger("odoo.http"):  # the refusal is logged as an error
                status, body = self.fetch(user, url)
            self.assertNotEqual(status, 200, user.login)
            self.assertNotIn(SECRET_SUBJECT.encode(), body)
        status, body = self.fetch(self.specialist, url)
        self.assertEqual(status, 200)
        self.assertIn(SECRET_SUBJECT, body.decode())

    # ------------------------------------------------------------ .docx
    def _docx(self, user, search_id, context=None):
        """The .docx export as ``user``: ``(url, document, raw bytes)``."""
        url, body = self._download(user, search_id, "action_export_docx", context)
        return url, docx.Document(io.BytesIO(body)), body

    @staticmethod
    def _docx_table(document):
        """``(header, rows)`` of the one table, as the cells' texts."""
        (table,) = document.tables
        texts = [[cell.text for cell in row.cells] for row in table.rows]
        return texts[0], texts[1:]

    @staticmethod
    def _docx_words(body):
        """Every text part of the .docx, decompressed (what a reader of the
        file could find in it)."""
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8")
                for name in archive.namelist()
                if name.endswith((".xml", ".rels"))
            )

    def _export_snapshot(self):
        """Exports (attachments of searches) and result lines, as superuser."""
        Attachment = self.env["ir.attachment"].sudo()
        Line = self.env["vbdt.capture.search.line"].sudo()
        return (
            sorted(
                Attachment.search([("res_model", "=", "vbdt.capture.search")]).mapped(
                    lambda a: (a.id, a.name, a.res_id, a.checksum)
                )
            ),
            sorted(Line.search([]).mapped(lambda r: (r.id, r.document_id.id))),
        )

    def test_export_docx_is_a_landscape_table_in_vietnamese(self):
        hostile = self.Document.create(
            {
                "direction": "incoming",
                "company_id": self.province.id,
                "document_type_id": self.letter_type.id,
                "sender_agency_id": self.sender.id,
                "unit_id": self.unit.id,
                "subject": HOSTILE_SUBJECT,
                "code": "16/UBND-VP",
            }
        )
        hostile._vbdt_add_file("doc.pdf", letters.make_letters(1)[0].pdf, "main")
        hostile.file_ids.capture_text_ids._vbdt_extract()
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            ["vbdt_document", "vbdt_capture"], ["vi_VN"]
        )
        # As the web client sends it for a user whose language is Vietnamese.
        vietnamese = {"lang": "vi_VN"}
        columns = {
            "show_code": True,
            "show_document_date": True,
            "show_subject": True,
            "show_snippet": False,
            "show_state": True,
        }
        search_id = self._new_search(self.clerk, COMMON_WORDS, **columns)
        _url, document, body = self._docx(self.clerk, search_id, vietnamese)
        section = document.sections[0]
        self.assertEqual(section.orientation, WD_ORIENT.LANDSCAPE)
        self.assertGreater(section.page_width, section.page_height)
        header, rows = self._docx_table(document)
        self.assertEqual(
            header, ["Số, ký hiệu", "Ngày văn bản", "Trích yếu", "Trạng thái"]
        )
        first_row = document.tables[0].rows[0]._tr
        self.assertTrue(
            first_row.xpath("./w:trPr/w:tblHeader"), "the header repeats on each page"
        )
        today = fields.Date.context_today(self.clerk.with_user(self.clerk))
        title, byline = (p.text for p in document.paragraphs[:2])
        self.assertIn(COMMON_WORDS, title)
        self.assertIn(today.strftime("%d/%m/%Y"), title)
        self.assertIn("Tìm kiếm trong nội dung văn bản", title)
        self.assertEqual(byline, f"Người xuất: {self.clerk.name}, {self.province.name}")
        # The same rows as the .xlsx of the same search (run again as well).
        _xurl, _xheader, xlsx_rows = self._xlsx_rows(self.clerk, search_id, vietnamese)
        # (Excel writes a control character as _x000B_; Word drops it.)
        self.assertEqual(
            rows,
            [
                [NOT_XML.sub("", unescape(cell_text(v))) for v in row]
                for row in xlsx_rows
            ],
        )
        self.assertEqual(
            sorted(row[2] for row in rows),
            sorted([NORMAL_SUBJECT, NOT_XML.sub("", HOSTILE_SUBJECT)]),
        )
        # The hostile subject is plain text: no field, no formula, no markup.
        (hostile_row,) = (row for row in rows if row[0] == "16/UBND-VP")
        self.assertEqual(hostile_row[2], HOSTILE_SUBJECT.replace("\x0b", ""))
        fields_found = document.element.body.xpath(
            ".//w:fldSimple | .//w:instrText | .//w:fldChar | .//w:hyperlink"
        )
        self.assertEqual(fields_found, [])
        # The clerk is no reader of the secret document.
        words = self._docx_words(body)
        self.assertNotIn(SECRET_SUBJECT, words)
        self.assertNotIn(SECRET_WORDS, words)

    def _secret_snapshot(self):
        """The secret document, its readers and its text, as superuser."""
        secret = self.secret.sudo()
        return (
            secret.subject,
            secret.write_date,
            secret.confidential_user_ids.ids,
            secret.file_ids.capture_text_ids.mapped("content"),
        )

    def test_export_docx_shows_only_what_the_exporting_user_may_read(self):
        query = f'"{SECRET_WORDS}"'
        secret_before = self._secret_snapshot()
        columns = {"show_snippet": True, "show_code": False}
        spec_search = self._new_search(self.specialist, query, **columns)
        url, document, _body = self._docx(self.specialist, spec_search)
        header, rows = self._docx_table(document)
        self.assertEqual(header, ["Document Date", "Summary", "Snippet"])
        self.assertEqual([row[1] for row in rows], [SECRET_SUBJECT])
        self.assertIn("sơ tán", rows[0][2], "the snippet as plain text")
        # A colleague of the same unit, no reader of the secret document,
        # exports the same words: an empty table.
        colleague_search = self._new_search(self.colleague, query, **columns)
        _url, document, body = self._docx(self.colleague, colleague_search)
        self.assertEqual(self._docx_table(document), (header, []))
        self.assertNotIn(SECRET_SUBJECT, self._docx_words(body))
        # Nobody else exports the specialist's search nor downloads the file.
        for user in (self.colleague, self.other_clerk):
            self.assertRefused(
                user,
                "vbdt.capture.search",
                "action_export_docx",
                [[spec_search]],
                contexts=[None, INJECTED_CONTEXT],
                unchanged=self._export_snapshot,
            )
            with mute_logger("odoo.http"):
                status, body = self.fetch(user, url)
            self.assertNotEqual(status, 200, user.login)
            self.assertNotIn(SECRET_SUBJECT.encode(), body)
        # Another agency's clerk searching the same words finds nothing.
        other_search = self._new_search(self.other_clerk, query, **columns)
        _url, document, body = self._docx(self.other_clerk, other_search)
        self.assertEqual(self._docx_table(document)[1], [])
        self.assertNotIn(SECRET_SUBJECT, self._docx_words(body))
        self._vbdt_sync()
        self.assertEqual(self._secret_snapshot(), secret_before)
