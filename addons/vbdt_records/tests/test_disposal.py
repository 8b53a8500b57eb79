"""Retention and disposal: deadlines listed ahead, the archive told 30 days
before hand-over, disposal only through an approved list and never while a
file is on legal hold or not yet handed over (attacked over JSON-RPC)."""

from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.common import PDF
from odoo.addons.vbdt_document.tests.rpc import JsonRpcCase

from .common import VbdtRecordsCommon


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestRecordsDisposal(VbdtRecordsCommon, JsonRpcCase):
    @classmethod
    def _registered(cls, **vals):
        # Only electronic files are handed over in a package.
        document = super()._registered(**vals)
        document._vbdt_add_file("van-ban.pdf", PDF, "main")
        return document

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_document = cls._registered(
            code="12/UBND-VP", document_date="2010-05-04"
        )
        cls.old_file = cls._file([cls.old_document], code="05.TH", year=2010)
        cls.old_file.with_user(cls.officer).action_close()
        cls.Disposal = cls.env["vbdt.records.disposal"]

    def _hand_over(self, files):
        handover = self.env["vbdt.records.handover"].create(
            {
                "name": "Giao nộp",
                "company_id": self.province.id,
                "file_ids": [(6, 0, files.ids)],
            }
        )
        handover.with_user(self.officer).action_build_package()
        handover.with_user(self.officer).action_hand_over()
        return handover

    def _list(self, files):
        return self.Disposal.create(
            {
                "name": "Danh mục tài liệu hết giá trị 2026",
                "company_id": self.province.id,
                "decision": "15/QĐ-UBND",
                "file_ids": [(6, 0, files.ids)],
            }
        )

    def _assert_intact(self, case_file, state):
        self._vbdt_sync()
        self.assertEqual(case_file.state, state)
        self.assertEqual(case_file.sudo()._all_lines().document_id, self.old_document)

    def test_deadlines_are_computed_and_listed(self):
        self.assertEqual(self.old_file.handover_due_date, date(2011, 5, 4))
        self.assertEqual(self.old_file.retention_end_year, 2020)
        self.assertEqual(self.old_file.disposal_due_date, date(2021, 1, 1))
        due = self.File.search(
            [("state", "=", "closed"), ("handover_due_date", "<=", date.today())]
        )
        self.assertIn(self.old_file, due)

    def test_archive_is_notified_thirty_days_before_hand_over_once(self):
        soon = self._registered(
            code="13/UBND-VP", document_date=date.today() - timedelta(days=340)
        )
        later = self._registered(
            code="14/UBND-VP", document_date=date.today() - timedelta(days=200)
        )
        soon_file = self._file([soon], code="06.TH")
        later_file = self._file([later], code="07.TH")
        (soon_file | later_file).with_user(self.officer).action_close()
        cron = self.env.ref("vbdt_records.vbdt_records_cron_notify_handover")
        cron.method_direct_trigger()
        activities = soon_file.activity_ids.filtered(
            lambda a: a.user_id == self.officer
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.date_deadline, soon_file.handover_due_date)
        self.assertIn("06.TH", activities.note)
        self.assertFalse(later_file.activity_ids)
        count = len(soon_file.activity_ids)
        cron.method_direct_trigger()
        soon_file.invalidate_recordset(["activity_ids"])
        self.assertEqual(len(soon_file.activity_ids), count)

    def test_nothing_is_disposed_of_before_hand_over(self):
        disposal = self._list(self.old_file)
        self.assertRefused(
            self.leader, disposal._name, "action_approve", [disposal.ids]
        )
        with self.assertRaises(UserError) as caught:
            disposal.with_user(self.leader).action_approve()
        self.assertIn("has not been handed over", str(caught.exception))
        self._assert_intact(self.old_file, "closed")
        self.assertEqual(disposal.state, "draft")

    def test_legal_hold_blocks_disposal_even_after_approval(self):
        self._hand_over(self.old_file)
        disposal = self._list(self.old_file)
        disposal.with_user(self.leader).action_approve()
        # Only a records administrator places a hold, with a reason.
        self.assertRefused(
            self.officer,
            "vbdt.records.file",
            "action_legal_hold",
            [self.old_file.ids, "Thanh tra"],
        )
        self.assertRefused(
            self.records_admin,
            "vbdt.records.file",
            "action_legal_hold",
            [self.old_file.ids, " "],
        )
        self.assertRefused(
            self.records_admin,
            "vbdt.records.file",
            "write",
            [self.old_file.ids, {"legal_hold": True}],
        )
        self._vbdt_sync()
        self.assertFalse(self.old_file.legal_hold)
        self.call_kw(
            self.records_admin,
            "vbdt.records.file",
            "action_legal_hold",
            [self.old_file.ids, "Thanh tra năm 2026"],
        )
        self._vbdt_sync()
        self.assertTrue(self.old_file.legal_hold)
        self.assertRefused(
            self.officer, disposal._name, "action_dispose", [disposal.ids]
        )
        with self.assertRaises(UserError) as caught:
            disposal.with_user(self.officer).action_dispose()
        self.assertIn("on legal hold", str(caught.exception))
        # Nor may anyone lift the hold but the records administrator.
        self.assertRefused(
            self.officer,
            "vbdt.records.file",
            "action_release_hold",
            [self.old_file.ids],
        )
        self._assert_intact(self.old_file, "handed_over")
        self.assertEqual(disposal.state, "approved")
        events = self.env["vbdt.audit.log"].search(
            [("document_id", "=", self.old_document.id), ("event", "=", "records_hold")]
        )
        self.assertEqual(len(events), 1)

    def test_disposal_only_through_an_approved_list_and_leaves_a_record(self):
        self._hand_over(self.old_file)
        disposal = self._list(self.old_file)
        # Not before approval, not by a specialist, not by writing the state.
        self.assertRefused(
            self.officer, disposal._name, "action_dispose", [disposal.ids]
        )
        self.assertRefused(
            self.officer, disposal._name, "action_approve", [disposal.ids]
        )
        self.assertRefused(
            self.specialist, disposal._name, "action_approve", [disposal.ids]
        )
        self.assertRefused(
            self.officer, disposal._name, "write", [disposal.ids, {"state": "approved"}]
        )
        self.assertRefused(
            self.officer,
            "vbdt.records.file",
            "write",
            [self.old_file.ids, {"state": "disposed"}],
        )
        self.assertRefused(
            self.officer, "vbdt.records.file", "unlink", [self.old_file.ids]
        )
        self._assert_intact(self.old_file, "handed_over")
        self.assertEqual(disposal.state, "draft")

        self.call_kw(self.leader, disposal._name, "action_approve", [disposal.ids])
        self.assertRefused(
            self.leader, disposal._name, "action_dispose", [disposal.ids]
        )
        self.assertRefused(
            self.officer, disposal._name, "write", [disposal.ids, {"file_ids": [(5,)]}]
        )
        self.call_kw(self.officer, disposal._name, "action_dispose", [disposal.ids])
        self._vbdt_sync()
        self.assertEqual(disposal.state, "done")
        self.assertEqual(self.old_file.state, "disposed")
        self.assertFalse(self.old_file.sudo()._all_lines())
        self.assertIn("05.TH (2010)", disposal.minutes)
        self.assertIn("15/QĐ-UBND", disposal.minutes)
        self.assertTrue(self.old_document.exists())
        events = self.env["vbdt.audit.log"].search(
            [
                ("document_id", "=", self.old_document.id),
                ("event", "=", "records_dispose"),
            ]
        )
        self.assertEqual(len(events), 1)
        # The list is evidence: it stays.
        self.assertRefused(self.officer, disposal._name, "unlink", [disposal.ids])
        with self.assertRaises(AccessError):
            disposal.with_user(self.clerk).read(["minutes"])

    def test_retention_not_over_blocks_disposal(self):
        recent = self._registered(code="15/UBND-VP")
        recent_file = self._file([recent], code="08.TH")
        recent_file.with_user(self.officer).action_close()
        self._hand_over(recent_file)
        disposal = self._list(recent_file)
        with self.assertRaises(UserError) as caught:
            disposal.with_user(self.leader).action_approve()
        self.assertIn("must be kept until the end of", str(caught.exception))
        permanent_file = self._file(
            [self._registered(code="16/UBND-VP", document_date="2001-01-05")],
            code="09.TH",
            retention_id=self.permanent.id,
        )
        permanent_file.with_user(self.officer).action_close()
        self._hand_over(permanent_file)
        disposal.file_ids = [(6, 0, permanent_file.ids)]
        with self.assertRaises(UserError) as caught:
            disposal.with_user(self.leader).action_approve()
        self.assertIn("kept permanently", str(caught.exception))
