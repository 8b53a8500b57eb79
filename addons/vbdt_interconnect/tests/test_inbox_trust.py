"""Issue 10's attacks on the inbox and the outbox: forged senders and
statuses are quarantined, unknown senders are proposed to the clerk, a
package that keeps killing its worker is not parsed forever, and only
issued, unclassified documents leave -- checked again at every attempt."""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin
from odoo.addons.vbdt_interconnect import edxml

from .common import VbdtExchangeCommon


@tagged("post_install", "-at_install")
class TestInboxTrust(JsonRpcMixin, VbdtExchangeCommon, HttpCase):
    def _arrive(self, package, delivered_for, message_type="edoc", remote_id="r1"):
        build = edxml.build_status if message_type == "status" else edxml.build_document
        record = self.Engine._vbdt_receive(
            self.district,
            build(package),
            "vxp",
            message_type=message_type,
            sender_code=delivered_for,
            remote_id=remote_id,
        )
        record._vbdt_process_inbox()
        return record

    def _district_documents(self):
        return self.Document.sudo().search_count(
            [("company_id", "=", self.district.id)]
        )

    def test_forged_sender_is_quarantined(self):
        """A system delivers a package "from" the province it does not serve."""
        forged = self._package(sender=self.province.vbdt_agency_code)
        record = self._arrive(forged, delivered_for=self.external.code)
        self.assertEqual(record.state, "in_quarantine")
        self.assertEqual(record.quarantine_kind, "forged_sender")
        self.assertIn(self.external.code, record.last_error)
        self.assertEqual(self._district_documents(), 0)
        self.assertFalse(record.child_ids, "nothing is answered to the claimed sender")
        self.assertIn(
            record,
            self.Record.search(
                [
                    ("state", "in", ("out_failed", "in_rejected", "in_quarantine")),
                    ("handled", "=", False),
                ]
            ),
        )

    def test_forged_status_is_quarantined(self):
        document = self._issued(self.district.vbdt_agency_id)
        self._run()
        line = document.delivery_ids
        self.assertEqual(line.status_code, "01")
        for code in ("06", "02"):
            forged = self._status(self.external.code, document, code, "Giả mạo")
            record = self.Engine._vbdt_receive(
                self.province,
                edxml.build_status(forged),
                "vxp",
                message_type="status",
                sender_code=self.external.code,
                remote_id=f"s{code}",
            )
            record._vbdt_process_inbox()
            self.assertEqual(record.state, "in_quarantine")
            self.assertEqual(record.quarantine_kind, "foreign_status")
        self.env.invalidate_all()
        self.assertEqual(
            (line.status_code, line.agency_id), ("01", self.district.vbdt_agency_id)
        )
        self.assertEqual(document.delivery_ids, line)

    def test_forged_take_back_is_quarantined(self):
        incoming = self._arrive(
            self._package(), delivered_for="000.00.00.G97"
        ).document_id
        self.assertTrue(incoming)
        forged = self._status(
            self.external.code, incoming, "13", "Thu hồi", organ_id="000.00.00.G97"
        )
        record = self._arrive(
            forged, self.external.code, message_type="status", remote_id="t"
        )
        self.assertEqual(record.state, "in_quarantine")
        self.assertFalse(incoming.exchange_review)

    def test_unknown_sender_is_proposed_not_created(self):
        Agency = self.env["vbdt.agency"].sudo()
        record = self._arrive(self._package(sender="000.00.00.G55"), "000.00.00.G55")
        self.assertEqual(
            (record.state, record.quarantine_kind), ("in_quarantine", "unknown_sender")
        )
        self.assertFalse(Agency._vbdt_find_by_code("000.00.00.G55"))
        self.assertEqual(self._district_documents(), 0)
        # The weakest role cannot accept it (JSON-RPC), nothing changes.
        self.assertRefused(
            "specialist",
            "vbdt.exchange.record",
            "action_vbdt_accept_sender",
            [record.ids],
            error="odoo.exceptions.AccessError",
        )
        self.assertEqual(record.state, "in_quarantine")
        self.assertFalse(Agency._vbdt_find_by_code("000.00.00.G55"))
        # The district's clerk checks it and accepts it.
        record.with_user(self.district_clerk).action_vbdt_accept_sender()
        self.assertEqual(record.state, "in_parsed")
        self.assertEqual(record.document_id.sender_agency_id.code, "000.00.00.G55")

    def test_unsigned_package_from_an_agency_that_must_sign(self):
        self.outside.vbdt_require_signed_packages = True
        record = self._arrive(self._package(), delivered_for="000.00.00.G97")
        self.assertEqual(
            (record.state, record.quarantine_kind), ("in_quarantine", "signature")
        )
        self.assertIn("no XML signature", record.last_error)
        self.assertEqual(self._district_documents(), 0)

    def test_package_that_kills_its_worker_is_not_parsed_forever(self):
        record = self.Engine._vbdt_receive(
            self.district,
            edxml.build_document(self._package()),
            "vxp",
            sender_code="000.00.00.G97",
            remote_id="k",
        )
        # Three workers died in the parser (out of memory, time limit).
        record.sudo().attempts = 3
        self.Engine._vbdt_run_inbox(commit=False)
        self.assertEqual(record.state, "in_rejected")
        self.assertIn("stopped 3 times", record.last_error)
        self.assertEqual(self._district_documents(), 0)
        self.Engine._vbdt_run_inbox(commit=False)
        self.assertEqual(record.attempts, 3)

    def test_only_issued_documents_are_dispatched(self):
        draft = self._outgoing(
            recipient_agency_ids=[(6, 0, self.district.vbdt_agency_id.ids)]
        )
        with self.assertRaisesRegex(UserError, "only issued documents"):
            draft.with_user(self.clerk).action_vbdt_dispatch()
        self.assertFalse(self.Record.search([("document_id", "=", draft.id)]))

    def test_classified_after_queueing_never_leaves(self):
        document, record = self._queued_then_classified()
        self._run()
        self.assertEqual(record.state, "out_failed")
        self._assert_refused_as_classified(record)
        self.assertFalse(record.package_attachment_id, "the package was never built")
        self.assertEqual(self._district_documents(), 0)
        self.assertEqual(document.delivery_ids.status_code, "failed")
