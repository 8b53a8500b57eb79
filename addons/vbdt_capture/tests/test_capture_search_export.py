"""Saved searches, chosen columns and exports of full-text results, through
the real JSON-RPC API and the real download and report routes: a saved
search is its owner's unless shared (and sharing shares the words, never
the results), searches and result lines are their creator's alone, and an
export holds the chosen columns of the documents the exporting user may
read, nothing else."""

import io
import json

import openpyxl

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon
from odoo.addons.vbdt_document.tests.pdftext import pdf_text
from odoo.addons.vbdt_document.tests.rpc import INJECTED_CONTEXT, JsonRpcMixin

from . import letters
from .common import CaptureDocumentsMixin

SECRET_WORDS = "phương án sơ tán kho lưu trữ"
COMMON_WORDS = "quan ly van ban"
NORMAL_SUBJECT = "Công văn về kết nối hệ thống"
SECRET_SUBJECT = "Phương án bảo mật số 9"


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
    def _xlsx_rows(self, user, search_id):
        action = self.call_kw(
            user, "vbdt.capture.search", "action_export_xlsx", [[search_id]]
        )
        self.assertEqual(action["type"], "ir.actions.act_url")
        status, body = self.fetch(user, action["url"])
        self.assertEqual(status, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        rows = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
        return action["url"], rows[0], rows[1:]

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
