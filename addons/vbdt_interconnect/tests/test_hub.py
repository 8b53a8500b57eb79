from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_interconnect import edxml
from odoo.addons.vbdt_interconnect.vxp import VxpError

from .common import VbdtHubCommon


@tagged("post_install", "-at_install")
class TestHub(VbdtHubCommon, HttpCase):
    """The real ``VxpClient`` and the ``vxp`` transport against our hub over HTTP."""

    def setUp(self):
        super().setUp()
        self.config = self._hub_transport()

    def _ministry_package(self, number="31"):
        return edxml.build_document(
            self._package(
                recipient=self.province.vbdt_agency_code,
                sender=self.external.code,
                number=number,
            )
        )

    def test_wrong_hmac_refused(self):
        intruder = self._hub_client("sys-ministry", "wrong")
        with self.assertRaises(VxpError) as caught:
            intruder.get_received_edoc_list("edoc")
        self.assertEqual(caught.exception.error_code, "401")
        unknown = self._hub_client("nobody", "x")
        with self.assertRaises(VxpError):
            unknown.send_edoc(self.province.vbdt_agency_code, self._ministry_package())
        self.assertFalse(self.env["vbdt.hub.message"].search([]))

    def test_receive_through_hub_and_status_back(self):
        self.env.flush_all()
        doc_id = self.ministry.send_edoc(
            self.province.vbdt_agency_code, self._ministry_package()
        )
        received = self.Engine._vbdt_poll(self.config)
        self.assertEqual(len(received), 1)
        self.assertEqual(received.state, "in_parsed")
        self.assertEqual(received.remote_id, doc_id)
        document = received.document_id
        self.assertEqual(document.company_id, self.province)
        self.assertEqual(document.arrival_channel, "axis")
        self.env.invalidate_all()
        message = self.env["vbdt.hub.message"].search([("doc_id", "=", doc_id)])
        self.assertEqual(message.state, "done")
        # Status 01 goes back through the hub.
        self._run()
        statuses = self.ministry.get_received_edoc_list("status")
        self.assertEqual(len(statuses), 1)
        status = edxml.parse(self.ministry.get_edoc(statuses[0]["docId"]))
        self.assertEqual(status.status_code, edxml.StatusCode.ARRIVED)
        self.assertEqual(status.response_for.document_id, document.edxml_document_id)
        self.ministry.update_status(statuses[0]["docId"], "done")
        tracking = self.ministry.get_sent_edoc_list(doc_id)
        self.assertEqual(tracking[0]["receiveStatus"], "done")
        # Re-delivery of the same axis document is recorded as a duplicate.
        self.env["vbdt.hub.message"].search([("doc_id", "=", doc_id)]).state = "pending"
        self.env.flush_all()
        again = self.Engine._vbdt_poll(self.config)
        self.assertEqual(again.state, "in_duplicate")
        self.assertEqual(
            self.Document.search_count(
                [("company_id", "=", self.province.id), ("direction", "=", "incoming")]
            ),
            1,
        )

    def test_send_through_hub_and_statuses(self):
        document = self._issued(self.external)
        record = self.Record.search([("document_id", "=", document.id)])
        self.assertEqual(record.transport_id, self.config)
        self._run()
        self.assertEqual(record.state, "out_sent", record.last_error)
        waiting = self.ministry.get_received_edoc_list("edoc")
        self.assertEqual(len(waiting), 1)
        package = edxml.parse(
            self.ministry.get_edoc(waiting[0]["docId"]),
            expected_recipient=self.external.code,
        )
        self.assertEqual(str(package.code), document.code)
        self.ministry.update_status(waiting[0]["docId"], "done")
        for code in ("01", "03"):
            status = self._status(
                self.external.code, document, code, document_id=package.document_id
            )
            self.ministry.send_edoc(
                self.province.vbdt_agency_code,
                edxml.build_status(status),
                messagetype="status",
            )
        self.Engine._vbdt_poll(self.config)
        self.assertEqual(document.delivery_ids.status_code, "03")
        self.assertEqual(document.delivery_ids.transport_status, "done")
        self.assertEqual(record.state, "out_acknowledged")

    def test_agency_directory_sync(self):
        self.env["vbdt.agency"].search([("code", "=", self.external.code)]).name = "Old"
        agencies = self.ministry.get_agencies_list()
        self.assertIn(self.external.code, [a["code"] for a in agencies])
        self.ministry.register_agency(
            {"id": "9", "code": "000.00.00.G91", "name": "Bộ Mới"}
        )
        # A claim only: nothing is routed to the ministry's system until the
        # hub operator approves it.
        claim = self.env["vbdt.hub.agency.claim"].search(
            [("code", "=", "000.00.00.G91")]
        )
        self.assertEqual(claim.state, "pending")
        self.assertFalse(self.env["vbdt.agency"]._vbdt_find_by_code("000.00.00.G91"))
        claim.action_approve()
        self.config._vbdt_sync_agencies()
        agency = self.env["vbdt.agency"]._vbdt_find_by_code("000.00.00.G91")
        self.assertTrue(agency)
        self.assertEqual(
            self.env["vbdt.hub.system"]._vbdt_for_agency_code("000.00.00.G91"),
            claim.system_id,
        )

    def test_hub_down_send_retried(self):
        self.config.endpoint = "http://127.0.0.1:9/vxp"
        document = self._issued(self.external)
        record = self.Record.search([("document_id", "=", document.id)])
        self._run()
        self.assertEqual(record.state, "out_queued")
        self.assertTrue(record.last_error and record.next_attempt)
        self.config.endpoint = self.url
        record.next_attempt = False
        self._run()
        self.assertEqual(record.state, "out_sent", record.last_error)
        self.assertEqual(record.attempts, 2)
