from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.vbdt_interconnect import edxml

from .common import VbdtExchangeCommon


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
