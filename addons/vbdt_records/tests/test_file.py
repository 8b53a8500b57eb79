from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import VbdtRecordsCommon


@tagged("vbdt")
class TestFileContents(VbdtRecordsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls._registered(code="10/VPCP-TTĐT", document_date="2026-03-02")
        cls.second = cls._registered(code="11/VPCP-TTĐT", document_date="2026-01-15")
        cls.third = cls._registered(code="12/VPCP-TTĐT", document_date="2026-06-30")

    def test_items_are_numbered_in_order_and_can_be_moved(self):
        case_file = self._file([self.first, self.second, self.third])
        lines = case_file.line_ids
        self.assertEqual(lines.document_id, self.first | self.second | self.third)
        self.assertEqual(lines.mapped("ordinal"), [1, 2, 3])
        lines[0].with_user(self.specialist).action_move_down()
        self.assertEqual(
            case_file.line_ids.document_id.ids,
            [self.second.id, self.first.id, self.third.id],
        )
        self.assertEqual(case_file.line_ids.mapped("ordinal"), [1, 2, 3])
        with self.assertRaises(UserError):
            case_file.line_ids[0].action_move_up()
        case_file.line_ids[0].unlink()
        self.assertEqual(case_file.line_ids.mapped("ordinal"), [1, 2])

    def test_dates_follow_the_documents_and_other_items(self):
        case_file = self._file([self.first, self.second])
        self.assertEqual(
            (str(case_file.start_date), str(case_file.end_date)),
            ("2026-01-15", "2026-03-02"),
        )
        self.Line.create(
            {
                "file_id": case_file.id,
                "kind": "minutes",
                "name": "Biên bản họp",
                "item_date": "2026-07-10",
                "page_count": 3,
            }
        )
        self.assertEqual(str(case_file.end_date), "2026-07-10")
        self.assertEqual((case_file.document_count, case_file.item_count), (2, 3))

    def test_a_document_may_sit_in_several_files_once_each(self):
        one = self._file([self.first])
        two = self._file([self.first], code="02.TH")
        self.assertEqual(one.line_ids.document_id, two.line_ids.document_id)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self.Line.create({"file_id": one.id, "document_id": self.first.id})

    def test_items_are_documents_or_described(self):
        case_file = self._file()
        with self.assertRaises(ValidationError):
            self.Line.create({"file_id": case_file.id, "kind": "note"})
        with self.assertRaises(ValidationError):
            self.Line.create({"file_id": case_file.id, "kind": "document"})
        with self.assertRaises(ValidationError):
            self.Line.create(
                {
                    "file_id": case_file.id,
                    "kind": "scan",
                    "name": "Bản quét",
                    "document_id": self.first.id,
                }
            )


@tagged("vbdt")
class TestFileLifecycle(VbdtRecordsCommon):
    def _audit(self, event):
        # The demo data closes a file too: only this test's agency counts.
        return self.env["vbdt.audit.log"].search(
            [("event", "=", event), ("company_id", "=", self.province.id)]
        )

    def test_close_checks_completeness(self):
        empty = self._file()
        with self.assertRaisesRegex(UserError, "no document"):
            empty.with_user(self.officer).action_close()
        waiting = self._incoming(code="21/VPCP-TTĐT")
        draft = self._outgoing()
        case_file = self._file([waiting, draft], code="02.TH")
        with self.assertRaisesRegex(UserError, "Item 1 is not registered.*\n.*Item 2"):
            case_file.with_user(self.officer).action_close()
        self.assertEqual(case_file.state, "open")
        waiting.action_register()
        case_file.line_ids.filtered(lambda line: line.document_id == draft).unlink()
        case_file.with_user(self.officer).action_close()
        self.assertEqual(
            (case_file.state, case_file.closed_uid), ("closed", self.officer)
        )
        entry = self._audit("records_close")
        self.assertEqual((entry.document_id, entry.description), (waiting, "02.TH"))
        self.assertFalse(self.env["vbdt.audit.log"]._verify_chain())

    def test_closed_file_cannot_change(self):
        document = self._registered()
        case_file = self._file([document])
        case_file.with_user(self.specialist).action_close()
        other = self._registered(code="30/VPCP-TTĐT")
        for attempt in (
            lambda: self.Line.with_user(self.officer).create(
                {"file_id": case_file.id, "document_id": other.id}
            ),
            lambda: case_file.line_ids.with_user(self.officer).unlink(),
            lambda: case_file.with_user(self.officer).write({"title": "Đổi tên"}),
            lambda: case_file.with_user(self.officer).action_close(),
        ):
            with self.assertRaises(UserError):
                attempt()
        self.assertEqual(case_file.line_ids.document_id, document)
        self.assertEqual(case_file.title, "Hồ sơ kết nối, liên thông văn bản năm 2026")

    def test_only_the_responsible_or_an_officer_closes(self):
        case_file = self._file([self._registered()])
        with self.assertRaises(AccessError):
            case_file.with_user(self.colleague).action_close()
        self.assertEqual(case_file.state, "open")

    def test_reopen_needs_an_administrator_and_a_reason(self):
        document = self._registered()
        case_file = self._file([document])
        case_file.with_user(self.officer).action_close()
        with self.assertRaises(AccessError):
            case_file.with_user(self.officer).action_reopen("Bổ sung văn bản")
        with self.assertRaises(UserError):
            case_file.with_user(self.records_admin).action_reopen("   ")
        self.assertEqual(case_file.state, "closed")
        wizard = (
            self.env["vbdt.records.file.reopen"]
            .with_user(self.records_admin)
            .create({"file_id": case_file.id, "reason": "Bổ sung biên bản họp"})
        )
        wizard.action_confirm()
        self.assertEqual((case_file.state, case_file.closed_date), ("open", False))
        entry = self._audit("records_reopen")
        self.assertEqual(entry.document_id, document)
        self.assertEqual(entry.description, "01.TH: Bổ sung biên bản họp")
        self.assertTrue(
            any(
                "Bổ sung biên bản họp" in message.body
                for message in case_file.message_ids
            )
        )

    def test_state_moves_only_through_the_actions(self):
        case_file = self._file([self._registered()])
        for vals in ({"state": "closed"}, {"closed_uid": self.officer.id}):
            with self.assertRaises(AccessError):
                case_file.with_user(self.records_admin).write(vals)
        with self.assertRaises(AccessError):
            self.File.with_user(self.officer).create(
                {
                    "code": "09.TH",
                    "title": "Sai",
                    "retention_id": self.permanent.id,
                    "state": "closed",
                }
            )
        self.assertEqual(case_file.state, "open")

    def test_sudo_alone_does_not_open_the_lifecycle(self):
        """The guard is the server-held unlock of vbdt_document, not the
        superuser flag: code that merely runs sudo() writes no state."""
        case_file = self._file([self._registered()])
        handover = self.env["vbdt.records.handover"].create(
            {"name": "Giao nộp", "company_id": self.province.id}
        )
        disposal = self.env["vbdt.records.disposal"].create(
            {"name": "Danh mục hủy", "company_id": self.province.id}
        )
        for record, vals in (
            (case_file, {"state": "closed"}),
            (case_file, {"stored_title": "Khác"}),
            (handover, {"state": "done"}),
            (disposal, {"state": "approved"}),
        ):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.sudo().write(vals)
        with self.assertRaises(AccessError):
            self.File.sudo().create(
                {"code": "10.TH", "retention_id": self.permanent.id, "state": "closed"}
            )
        self.assertEqual(case_file.state, "open")
        self.assertEqual(case_file.sudo().stored_title, case_file.title)
        self.assertEqual((handover.state, disposal.state), ("draft", "draft"))


@tagged("vbdt")
class TestFileProposal(VbdtRecordsCommon):
    def test_registered_reply_proposes_the_file_of_its_original(self):
        original = self._registered(code="50/VPCP-TTĐT")
        case_file = self._file([original])
        waiting = self._incoming(
            code="51/VPCP-TTĐT",
            unit_id=self.unit.id,
            response_for_ids=[(6, 0, original.ids)],
        )
        self.assertFalse(
            waiting.with_user(self.specialist).records_proposed_file_id,
            "nothing is proposed before the document enters its register",
        )
        waiting.action_register()
        reply = waiting.with_user(self.specialist)
        self.assertEqual(reply.records_proposed_file_id, case_file)
        self.assertFalse(
            waiting.with_user(self.outsider).records_proposed_file_id,
            "a file the user cannot see is never proposed",
        )
        reply.action_records_file_proposed()
        self.assertEqual(case_file.line_ids.document_id, original | waiting)
        reply.invalidate_recordset()
        self.assertFalse(reply.records_proposed_file_id)
        with self.assertRaises(UserError):
            reply.action_records_file_proposed()
