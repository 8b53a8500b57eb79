from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.vbdt_interconnect import edxml

from .common import PDF, VbdtExchangeCommon


@tagged("post_install", "-at_install")
class TestAgencySuccessor(VbdtExchangeCommon):
    """A package for the code of an agency that ended goes to its successor
    (vbdt_document's lifecycle change: old codes are aliases), flagged."""

    def _end_district(self, day):
        return self.env["vbdt.agency.change"]._vbdt_schedule(
            {
                "operation": "merge",
                "agency_ids": self.district.ids,
                "successor_id": self.department.id,
                "date_effective": day,
                "incoming_policy": "move",
                "draft_policy": "move",
            }
        )

    def _receive(self, remote_id):
        raw = edxml.build_document(self._package(recipient="000.00.24.H99"))
        record = self.Engine._vbdt_receive(
            self.district,
            raw,
            "local",
            sender_code="000.00.00.G97",
            remote_id=remote_id,
        )
        record._vbdt_process_inbox()
        return record

    def test_package_to_a_closed_code_goes_to_the_successor_flagged(self):
        self._end_district(fields.Date.context_today(self.district))
        record = self._receive("closed-1")
        self.assertEqual(record.state, "in_parsed", record.last_error)
        self.assertEqual(record.company_id, self.department)
        document = record.document_id
        self.assertEqual(document.company_id, self.department)
        self.assertTrue(
            any(self.district.name in (m.body or "") for m in document.message_ids)
        )
        events = (
            self.env["vbdt.audit.log"]
            .sudo()
            .search([("document_id", "=", document.id)])
        )
        self.assertIn("reorganise", events.mapped("event"))
        self.assertFalse(
            self.Document.search([("company_id", "=", self.district.id)]),
            "nothing new lands in the ended agency's fond",
        )

    def test_before_the_effective_date_the_agency_still_receives(self):
        today = fields.Date.context_today(self.district)
        self._end_district(today + timedelta(days=2))
        record = self._receive("open-1")
        self.assertEqual(record.state, "in_parsed", record.last_error)
        self.assertEqual(record.document_id.company_id, self.district)

    def test_status_for_a_document_the_ended_agency_sent_reaches_the_successor(self):
        document = self._outgoing(
            company_id=self.district.id,
            unit_id=False,
            recipient_agency_ids=[(6, 0, self.external.ids)],
            signer_name="Nguyễn Văn A",
            signer_position="Chủ tịch",
        )
        document._vbdt_add_file("cong-van.pdf", PDF, "main")
        issuable = document._vbdt_issuable_states()
        if "draft" not in issuable:
            # vbdt_workflow installed: its approval route is not the subject.
            document.sudo()._vbdt_write_lifecycle({"state": sorted(issuable)[0]})
        document.with_user(self.district_clerk).action_issue()
        self._run()
        self._end_district(fields.Date.context_today(self.district))
        status = self._status(
            self.external.code,
            document,
            "04",
            "Đã phân công",
            organ_id=self.district.vbdt_agency_code,
        )
        record = self.Engine._vbdt_receive(
            self.district,
            edxml.build_status(status),
            "vxp",
            message_type="status",
            sender_code=self.external.code,
            remote_id="status-after-end",
        )
        record._vbdt_process_inbox()
        self.assertEqual(record.state, "in_registered", record.last_error)
        self.assertEqual(record.company_id, self.department)
        self.assertEqual(record.document_id, document)
        self.assertTrue(
            any(self.district.name in (m.body or "") for m in record.message_ids)
        )
        self.assertEqual(document.company_id, self.district, "the fond stays")
        line = document.delivery_ids.filtered(lambda d: d.agency_id == self.external)
        self.assertEqual(line.status_code, "04")
        # The successor's clerk finds it among the department's exchange records.
        self.assertIn(
            record,
            self.Record.with_user(self.other_clerk).search(
                [("message_type", "=", "status")]
            ),
        )
