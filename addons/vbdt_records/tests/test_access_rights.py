"""Access to case files, attacked through the real JSON-RPC API.

Each attack runs as a logged-in user of the role under test, asserts the
refusal, then re-reads as superuser to show that nothing changed."""

from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin

from .common import VbdtRecordsCommon

TITLE = "Hồ sơ tổ chức hội nghị bảo mật năm 2026"
ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestRecordsAccess(JsonRpcMixin, VbdtRecordsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.normal = cls._registered(code="40/VPCP-TTĐT")
        cls.secret = cls._registered(
            code="41/VPCP-TTĐT",
            subject="Phương án bảo vệ mục tiêu trọng yếu",
            confidentiality="secret",
            confidential_user_ids=[(6, 0, cls.officer.ids)],
        )
        cls.other_unit_doc = cls._registered(
            code="42/VPCP-TTĐT", unit_id=cls.other_unit.id
        )
        cls.case_file = cls._file([cls.normal, cls.secret], title=TITLE)
        cls.normal_line, cls.secret_line = cls.case_file.line_ids

    def _read_file(self, login):
        return self.call_kw(
            login,
            "vbdt.records.file",
            "web_read",
            [[self.case_file.id]],
            {
                "specification": {
                    "title": {},
                    "display_name": {},
                    "line_ids": {
                        "fields": {"document_id": {"fields": {"display_name": {}}}}
                    },
                }
            },
        )[0]

    def _assert_unchanged(self):
        self.case_file.invalidate_recordset()
        self.assertEqual(self.case_file.state, "open")
        self.assertEqual(self.case_file.sudo().stored_title, TITLE)
        self.assertEqual(self.case_file.line_ids.document_id, self.normal | self.secret)

    def test_named_reader_sees_the_real_title_and_the_secret_item(self):
        values = self._read_file("archivist")
        self.assertEqual(values["title"], TITLE)
        self.assertEqual(
            {line["id"] for line in values["line_ids"]},
            {self.normal_line.id, self.secret_line.id},
        )

    def test_clerk_not_named_sees_a_neutral_title_and_no_secret_item(self):
        values = self._read_file("clerk")
        self.assertNotIn("bảo mật", values["title"] + values["display_name"])
        self.assertIn("01.TH", values["title"])
        self.assertEqual(
            [line["id"] for line in values["line_ids"]], [self.normal_line.id]
        )
        self.assertNotIn(self.secret.subject, str(values))
        # The secret item cannot be read directly, nor found by the real title.
        self.assertRefused(
            "clerk",
            "vbdt.records.file.line",
            "read",
            [[self.secret_line.id], ["document_id"]],
            error=ACCESS_ERROR,
        )
        self.assertEqual(
            self.call_kw(
                "clerk",
                "vbdt.records.file",
                "search",
                [[("title", "ilike", "bảo mật")]],
            ),
            [],
        )
        self.assertEqual(
            self.call_kw("clerk", "vbdt.records.file", "name_search", ["bảo mật"]), []
        )
        self.assertEqual(
            self.call_kw(
                "clerk",
                "vbdt.records.file.line",
                "search_count",
                [[("document_id", "=", self.secret.id)]],
            ),
            0,
        )
        # The web client reads many2one display names as superuser: still neutral.
        line_values = self.call_kw(
            "clerk",
            "vbdt.records.file.line",
            "web_read",
            [[self.normal_line.id]],
            {"specification": {"file_id": {"fields": {"display_name": {}}}}},
        )
        self.assertNotIn("bảo mật", str(line_values))
        self.assertIn("01.TH", line_values[0]["file_id"]["display_name"])

    def test_clerk_not_named_cannot_rename_or_empty_the_file(self):
        self.assertRefused(
            "clerk",
            "vbdt.records.file",
            "write",
            [[self.case_file.id], {"title": "Đổi tên"}],
            error=ACCESS_ERROR,
        )
        self.assertRefused(
            "clerk",
            "vbdt.records.file.line",
            "unlink",
            [[self.secret_line.id]],
            error=ACCESS_ERROR,
        )
        self._assert_unchanged()

    def test_specialist_sees_only_items_of_documents_they_may_read(self):
        values = self._read_file("specialist")
        self.assertEqual(
            [line["id"] for line in values["line_ids"]], [self.normal_line.id]
        )
        # Filing a document the specialist cannot read is refused.
        self.assertRefused(
            "specialist",
            "vbdt.records.file.line",
            "create",
            [{"file_id": self.case_file.id, "document_id": self.other_unit_doc.id}],
            error=ACCESS_ERROR,
        )
        self._assert_unchanged()

    def test_specialist_cannot_force_the_state_or_reopen(self):
        self.assertRefused(
            "specialist",
            "vbdt.records.file",
            "write",
            [[self.case_file.id], {"state": "closed"}],
            error=ACCESS_ERROR,
        )
        self.case_file.with_user(self.officer).action_close()
        self.assertRefused(
            "specialist",
            "vbdt.records.file",
            "action_reopen",
            [[self.case_file.id], "Muốn sửa"],
            error=ACCESS_ERROR,
        )
        self.assertRefused(
            "archivist",
            "vbdt.records.file",
            "action_reopen",
            [[self.case_file.id], "Muốn sửa"],
            error=ACCESS_ERROR,
        )
        self.case_file.invalidate_recordset()
        self.assertEqual(self.case_file.state, "closed")

    def test_other_agency_sees_and_changes_nothing(self):
        self.assertEqual(
            self.call_kw(
                "other_clerk", "vbdt.records.file", "search_read", [[], ["title"]]
            ),
            [],
        )
        self.assertEqual(
            self.call_kw(
                "other_clerk",
                "vbdt.records.file.line",
                "search_read",
                [[], ["document_id"]],
            ),
            [],
        )
        self.assertRefused(
            "other_clerk",
            "vbdt.records.file",
            "read",
            [[self.case_file.id], ["title"]],
            error=ACCESS_ERROR,
        )
        self.assertRefused(
            "other_clerk",
            "vbdt.records.file",
            "write",
            [[self.case_file.id], {"code": "99.XX"}],
            error=ACCESS_ERROR,
        )
        self.assertRefused(
            "other_clerk",
            "vbdt.records.file.line",
            "create",
            [{"file_id": self.case_file.id, "kind": "note", "name": "Chèn"}],
            error=ACCESS_ERROR,
        )
        self.assertRefused(
            "other_clerk",
            "vbdt.records.file",
            "action_close",
            [[self.case_file.id]],
            error=ACCESS_ERROR,
        )
        self.assertRefused(
            "other_clerk",
            "vbdt.document",
            "action_records_file_proposed",
            [[self.normal.id]],
            error=ACCESS_ERROR,
        )
        self._assert_unchanged()
        self.assertEqual(self.case_file.code, "01.TH")

    def test_items_follow_the_document_rules_for_every_role(self):
        """The item rules copy vbdt.document's: they must agree for each role."""
        lines = self.case_file.line_ids
        for user in (
            self.specialist,
            self.outsider,
            self.clerk,
            self.leader,
            self.officer,
            self.other_clerk,
        ):
            visible_lines = self.Line.with_user(user).search([("id", "in", lines.ids)])
            readable_documents = self.Document.with_user(user).search(
                [("id", "in", lines.document_id.ids)]
            )
            files = self.File.with_user(user).search([("id", "=", self.case_file.id)])
            expected = (
                lines.filtered_domain([("document_id", "in", readable_documents.ids)])
                if files
                else lines.browse()
            )
            self.assertEqual(visible_lines.sudo(), expected, user.login)
