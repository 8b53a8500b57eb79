"""The exchange record owns its states: every move follows the lifecycle
(``TRANSITIONS``), a retry goes back through ``_rollback_state_mapping``,
document packages are generated before they are queued, and no client
writes a record over JSON-RPC (as an attacker would try, with injected
context keys)."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.rpc import INJECTED_CONTEXT, JsonRpcCase
from odoo.addons.vbdt_interconnect import edxml

from .common import VbdtExchangeCommon

WATCHED = [
    "state",
    "quarantine_kind",
    "delivered_by_code",
    "counterpart_code",
    "handled",
    "last_error",
    "attempts",
]


@tagged("post_install", "-at_install")
class TestRecordLifecycle(VbdtExchangeCommon, JsonRpcCase):
    def _quarantined(self):
        """A package "from" the province delivered for the ministry."""
        record = self.Engine._vbdt_receive(
            self.district,
            edxml.build_document(self._package(sender=self.province.vbdt_agency_code)),
            "vxp",
            sender_code=self.external.code,
            remote_id="forged",
        )
        record._vbdt_process_inbox()
        self.assertEqual(record.state, "in_quarantine")
        return record

    def test_no_client_writes_a_record_over_rpc(self):
        """Set back to "received", a quarantined package would be processed
        by the next inbox run as if it were genuine: the clerk who may
        retry it and mark it handled may not write it."""
        record = self._quarantined()
        before = record.sudo().read(WATCHED)
        for vals in (
            {"state": "in_received"},
            {"delivered_by_code": self.province.vbdt_agency_code},
            {"quarantine_kind": False, "handled": True},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    self.district_clerk,
                    "vbdt.exchange.record",
                    "write",
                    [record.ids, vals],
                    context=INJECTED_CONTEXT,
                )
        self.assertEqual(record.sudo().read(WATCHED), before)
        self.Engine._vbdt_run_inbox(commit=False)
        self.assertEqual(record.state, "in_quarantine")

        # Retry is the clerk's way: every check runs again.
        self.call_kw(
            self.district_clerk, "vbdt.exchange.record", "action_retry", [record.ids]
        )
        self.assertEqual(
            (record.state, record.quarantine_kind), ("in_quarantine", "forged_sender")
        )
        self.assertEqual(
            self.Document.sudo().search_count([("company_id", "=", self.district.id)]),
            0,
        )

    def test_moves_outside_the_lifecycle_are_refused(self):
        record = self._quarantined()
        with self.assertRaises(ValidationError) as caught:
            record.sudo().write({"state": "in_registered"})
        self.assertIn("from in_quarantine to in_registered", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self.Record.sudo().create(
                {
                    "direction": "out",
                    "state": "out_sent",
                    "company_id": self.province.id,
                    "transport": "local",
                }
            )
        self.assertIn("not in state out_sent", str(caught.exception))
        self.assertEqual(record.state, "in_quarantine")

    def test_document_package_is_generated_then_queued_then_sent(self):
        document = self._issued(self.district.vbdt_agency_id)
        record = self.Record.search([("document_id", "=", document.id)])
        self.assertEqual(record.state, "out_generate")
        self.assertFalse(record.package_attachment_id)
        self.assertEqual(document.delivery_ids.status_code, "queued")
        self.assertGreaterEqual(self.Engine._vbdt_run_generate(commit=False), 1)
        self.assertEqual(record.state, "out_queued")
        self.assertTrue(record.package_attachment_id)
        self._run()
        self.assertEqual(record.state, "out_acknowledged")
        self.assertEqual(document.delivery_ids.status_code, "01")

    def test_retry_of_a_package_never_built_generates_it_again(self):
        """Generation failed (classified meanwhile): Retry goes back to
        "generate", not to a queue without package; the checks run again."""
        _document, record = self._queued_then_classified()
        self._run()
        self.assertEqual(record.state, "out_failed")
        self.assertFalse(record.package_attachment_id)
        # The record of a classified document is hidden from the clerks:
        # the administrator retries it.
        record.action_retry()
        self.assertEqual(record.state, "out_generate")
        self._run()
        self.assertEqual(record.state, "out_failed", "still classified: still refused")
        self._assert_refused_as_classified(record)
        self.assertFalse(record.package_attachment_id)
