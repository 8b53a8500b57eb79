"""Access statistics (Decree 30 Appendix VI): openings, downloads and prints
of every document are recorded through the real web client's routes, and
only the agency's administrators read them, without learning the summary of
a document they may not read."""

import json
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from ..models.vbdt_document_access import ACCESS_EVENT_KEYS, OPEN_WINDOW
from .common import VbdtDocumentCommon
from .rpc import JsonRpcCase

MARKER = "Phương án bảo vệ MẬT-4K"
LETTER = "Tăng cường thống kê truy cập văn bản"
REPORT = "vbdt_document.access_statistics_test_print"


class AccessStatisticsCommon(JsonRpcCase, VbdtDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls._user("admin_a", "manager")
        cls.other_admin = cls._user("admin_b", "manager", company=cls.department)
        cls.letter = cls._incoming(subject=LETTER, unit_id=cls.unit.id)
        cls.file = cls.env["vbdt.document.file"].create(
            {
                "document_id": cls.letter.id,
                "name": "cong-van.pdf",
                "role": "main",
                "datas": cls._pdf_b64(),
            }
        )
        cls.secret = cls._outgoing(
            confidentiality="secret",
            subject=MARKER,
            drafter_id=cls.leader.id,
            confidential_user_ids=[Command.set(cls.specialist.ids)],
        )
        # A report on documents, as the addons' handling slips are.
        cls.env["ir.ui.view"].create(
            {
                "name": "access statistics test print",
                "type": "qweb",
                "key": REPORT,
                "arch": f'<t t-name="{REPORT}"><t t-foreach="docs" t-as="doc">'
                '<p t-out="doc.subject"/></t></t>',
            }
        )
        cls.env["ir.actions.report"].create(
            {
                "name": "Access statistics test print",
                "model": "vbdt.document",
                "report_type": "qweb-html",
                "report_name": REPORT,
            }
        )
        cls.env.flush_all()

    def _accesses(self, document, event=None):
        self._vbdt_sync()
        domain = [("document_id", "=", document.id), ("event", "in", ACCESS_EVENT_KEYS)]
        if event:
            domain.append(("event", "=", event))
        return self.env["vbdt.audit.log"].search(domain)

    def _open(self, user, document, context=None):
        return self.call_kw(
            user,
            "vbdt.document",
            "web_read",
            [[document.id]],
            {"specification": {"subject": {}, "state": {}}},
            context=context,
        )


@tagged("post_install", "-at_install", "vbdt", "access_rights", "access_statistics")
class TestAccessRecording(AccessStatisticsCommon):
    def test_open_download_print_recorded_over_http(self):
        self._open(self.clerk, self.letter)
        opened = self._accesses(self.letter, "open")
        self.assertEqual(len(opened), 1)
        self.assertEqual(
            (opened.user_id, opened.company_id), (self.clerk, self.province)
        )
        # The form read again after a save or a button is the same visit.
        self._open(self.clerk, self.letter)
        self.assertEqual(len(self._accesses(self.letter, "open")), 1)
        status, body = self.fetch(
            self.clerk, f"/web/content/{self.file.attachment_id.id}"
        )
        self.assertEqual((status, body[:4]), (200, b"%PDF"))
        downloaded = self._accesses(self.letter, "download")
        self.assertEqual(downloaded.user_id, self.clerk)
        status, body = self.fetch(self.clerk, f"/report/html/{REPORT}/{self.letter.id}")
        self.assertEqual(status, 200)
        self.assertIn(LETTER.encode(), body)
        printed = self._accesses(self.letter, "print")
        self.assertEqual(printed.user_id, self.clerk)
        # Another user's opening is theirs.
        self._open(self.specialist, self.letter)
        self.assertEqual(
            self._accesses(self.letter, "open").user_id, self.clerk | self.specialist
        )

    def test_opening_a_form_is_served_read_write_at_once(self):
        """The opening is recorded without a failed read-only attempt: Odoo
        logs each retry as a warning with a traceback."""
        with self.assertNoLogs("odoo.http", level="WARNING"):
            self._open(self.specialist, self.letter)
        self.assertEqual(self._accesses(self.letter, "open").user_id, self.specialist)

    def test_lists_record_nothing(self):
        """List, kanban and multi-record reads never write: only a form
        opened on one document is an opening (the clerk's list below has
        one row: the secret document is not theirs)."""
        self.call_kw(
            self.clerk,
            "vbdt.document",
            "web_search_read",
            [],
            {
                "domain": [("id", "in", (self.letter | self.secret).ids)],
                "specification": {"subject": {}, "display_name": {}},
            },
        )
        self.call_kw(
            self.specialist,
            "vbdt.document",
            "web_read",
            [(self.letter | self.secret).ids],
            {"specification": {"subject": {}}},
        )
        self.call_kw(
            self.clerk,
            "vbdt.document",
            "web_read",
            [[self.letter.id]],
            {"specification": {"display_name": {}}},
        )
        self.assertFalse(self._accesses(self.letter))
        self.assertFalse(self._accesses(self.secret))

    def test_refused_access_records_nothing(self):
        self.assertRefused(
            self.other_clerk,
            "vbdt.document",
            "web_read",
            [[self.letter.id]],
            {"specification": {"subject": {}}},
        )
        status, body = self.fetch(
            self.other_clerk, f"/web/content/{self.file.attachment_id.id}"
        )
        self.assertNotEqual(status, 200)
        self.assertNotIn(b"%PDF", body)
        self.assertFalse(self._accesses(self.letter))

    def test_secret_document_every_opening_is_audited(self):
        self._open(self.specialist, self.secret)
        # A context the caller writes does not pass a form off as a list.
        self._open(self.specialist, self.secret, {"vbdt_listing": True})
        self.assertEqual(len(self._accesses(self.secret, "open")), 2)

    def test_a_new_visit_after_the_window_is_recorded(self):
        letter = self.letter.with_user(self.clerk)
        now = fields.Datetime.now()
        with freeze_time(now):
            letter._vbdt_log_access("open")
            letter._vbdt_log_access("open")
        self.assertEqual(len(self._accesses(self.letter, "open")), 1)
        with freeze_time(now + OPEN_WINDOW + timedelta(minutes=1)):
            letter._vbdt_log_access("open")
        self.assertEqual(len(self._accesses(self.letter, "open")), 2)


@tagged("post_install", "-at_install", "vbdt", "access_rights", "access_statistics")
class TestAccessStatisticsVisibility(AccessStatisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Log = cls.env["vbdt.audit.log"]
        Log.with_user(cls.clerk)._log(cls.letter, "open")
        Log.with_user(cls.clerk)._log(cls.letter, "download")
        Log.with_user(cls.specialist)._log(cls.secret, "open")
        Log.with_user(cls.specialist)._log(cls.secret, "print")
        cls.env.flush_all()

    def _no_marker(self, payload, what):
        self.assertNotIn(
            MARKER, json.dumps(payload, ensure_ascii=False, default=str), what
        )

    def test_agency_administrator_reads_statistics(self):
        """Per document, per user, per day; the secret document the
        administrator may not read is counted under the neutral label."""
        domain = [("event", "in", ACCESS_EVENT_KEYS)]
        per_document = self.call_kw(
            self.admin,
            "vbdt.audit.log",
            "read_group",
            [domain, ["document_id"], ["document_id", "event"]],
            {"lazy": False},
        )
        counts = {
            (row["document_id"][0], row["event"]): row["__count"]
            for row in per_document
        }
        self.assertEqual(
            counts,
            {
                (self.letter.id, "open"): 1,
                (self.letter.id, "download"): 1,
                (self.secret.id, "open"): 1,
                (self.secret.id, "print"): 1,
            },
        )
        self._no_marker(per_document, "statistics leak the secret summary")
        label = self.env["vbdt.document"]._vbdt_secret_label()
        self.assertIn(
            label,
            {
                row["document_id"][1]
                for row in per_document
                if row["document_id"][0] == self.secret.id
            },
        )
        per_user_day = self.call_kw(
            self.admin,
            "vbdt.audit.log",
            "read_group",
            [domain, ["user_id"], ["user_id", "date:day"]],
            {"lazy": False},
        )
        self.assertEqual(
            {row["user_id"][0]: row["__count"] for row in per_user_day},
            {self.clerk.id: 2, self.specialist.id: 2},
        )
        rows = self.call_kw(
            self.admin,
            "vbdt.audit.log",
            "search_read",
            [domain],
            {"fields": ["document_id", "description", "event", "user_id"]},
        )
        self.assertEqual(len(rows), 4)
        self._no_marker(rows, "access entries leak the secret summary")

    def test_other_roles_and_agencies_see_no_statistics(self):
        domain = [("event", "in", ACCESS_EVENT_KEYS)]
        for user in (self.other_admin, self.clerk, self.leader):
            rows = self.call_kw(
                user,
                "vbdt.audit.log",
                "search_read",
                [domain],
                {"fields": ["document_id", "event"]},
            )
            self.assertEqual(rows, [], f"{user.login} reads access statistics")
            groups = self.call_kw(
                user,
                "vbdt.audit.log",
                "read_group",
                [domain, ["document_id"], ["document_id"]],
            )
            self.assertEqual(groups, [], f"{user.login} counts accesses")
        # The rule hides the accesses only: the clerk still reads the rest.
        self.assertTrue(
            self.call_kw(
                self.clerk,
                "vbdt.audit.log",
                "search_count",
                [[("document_id", "=", self.secret.id)]],
            )
        )
        for user in (self.specialist, self.head):
            self.assertRefused(
                user,
                "vbdt.audit.log",
                "search_read",
                [domain],
                {"fields": ["document_id", "event"]},
                error="odoo.exceptions.AccessError",
            )

    def test_nobody_writes_statistics(self):
        Log = self.env["vbdt.audit.log"]
        entry = Log.search(
            [("document_id", "=", self.letter.id), ("event", "=", "open")]
        )

        def snapshot():
            entries = Log.search([("event", "in", ACCESS_EVENT_KEYS)])
            return sorted(entries.mapped(lambda e: (e.id, e.event, e.user_id.id)))

        for method, args in (
            ("create", [{"document_id": self.letter.id, "event": "open"}]),
            ("write", [entry.ids, {"user_id": self.admin.id}]),
            ("unlink", [entry.ids]),
        ):
            self.assertRefused(
                self.admin, "vbdt.audit.log", method, args, unchanged=snapshot
            )
