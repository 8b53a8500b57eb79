"""Issue 10's attacks on the hub, over real HTTP: each is refused and
changes nothing (re-read as superuser)."""

import hashlib
import http.client
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

import requests

from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin
from odoo.addons.vbdt_interconnect import edxml
from odoo.addons.vbdt_interconnect.vxp import VxpError, sign_headers
from odoo.addons.vbdt_interconnect.vxp.signing import format_timestamp

from .common import MINISTRY_SECRET, PROVINCE_SECRET, VbdtHubCommon


@tagged("post_install", "-at_install")
class TestHubAttacks(JsonRpcMixin, VbdtHubCommon, HttpCase):
    # ------------------------------------------------------------ helpers
    def _signed(
        self,
        operation,
        body=b"",
        secret=MINISTRY_SECRET,
        system="sys-ministry",
        **values,
    ):
        values = {
            "systemid": system,
            "timestamp": format_timestamp(datetime.now(timezone.utc)),
            "operation": operation,
            "nonce": hashlib.sha256(
                repr((operation, body, values)).encode()
            ).hexdigest()[:32],
            "hash-body": hashlib.sha256(body).hexdigest(),
            **values,
        }
        return sign_headers(values, secret)

    def _post(self, operation, headers, body=b""):
        return requests.post(
            f"{self.url}/{operation}", headers=headers, data=body or None, timeout=20
        )

    def _claims(self):
        return self.env["vbdt.hub.agency.claim"].sudo().search_count([])

    def _package(self, sender, recipient=None, number="31"):
        return edxml.build_document(
            super()._package(
                recipient=recipient or self.province.vbdt_agency_code,
                sender=sender,
                number=number,
            )
        )

    # ------------------------------------------------------------ item 1
    def test_replayed_request_is_refused(self):
        body = json.dumps({"code": "000.00.00.G91", "name": "Bộ Mới"}).encode()
        headers = self._signed("registerAgency", body)
        self.assertEqual(self._post("registerAgency", headers, body).status_code, 200)
        claims = self._claims()
        replay = self._post("registerAgency", headers, body)
        self.assertEqual(replay.status_code, 401)
        self.assertIn("replay", replay.json()["ErrorDesc"])
        self.assertEqual(self._claims(), claims)

    def test_captured_request_against_another_operation_with_forged_body(self):
        """The issue's attack: a captured getReceivedEdocList request replayed
        against /registerAgency with a forged body."""
        captured = self._signed(
            "getReceivedEdocList", servicetype="eDoc", messagetype="edoc"
        )
        forged = json.dumps({"code": self.province.vbdt_agency_code}).encode()
        answer = self._post("registerAgency", captured, forged)
        self.assertEqual(answer.status_code, 401)
        self.assertIn(
            "signed for operation getReceivedEdocList", answer.json()["ErrorDesc"]
        )
        self.assertEqual(self._claims(), 0)

    def test_forged_body_is_refused(self):
        body = json.dumps({"code": "000.00.00.G91"}).encode()
        headers = self._signed("registerAgency", body)
        forged = json.dumps({"code": self.province.vbdt_agency_code}).encode()
        answer = self._post("registerAgency", headers, forged)
        self.assertEqual(answer.status_code, 401)
        self.assertIn("hash-body", answer.json()["ErrorDesc"])
        self.assertEqual(self._claims(), 0)

    def test_stale_timestamp_is_refused(self):
        old = format_timestamp(datetime.now(timezone.utc) - timedelta(minutes=10))
        headers = self._signed("getAgenciesList", timestamp=old)
        answer = self._post("getAgenciesList", headers)
        self.assertEqual(answer.status_code, 401)
        self.assertIn("outside the accepted window", answer.json()["ErrorDesc"])

    def test_oversize_upload_is_refused_before_the_body_is_read(self):
        """128 MiB announced, a few bytes sent: the answer comes at once."""
        url = urlparse(self.base_url())

        def announce(headers):
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
            self.addCleanup(connection.close)
            connection.putrequest("POST", "/vxp/sendEdoc")
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.putheader("Content-Type", "multipart/form-data; boundary=xx")
            connection.putheader("Content-Length", str(128 << 20))
            connection.endheaders()
            connection.send(b"--xx\r\n")
            return connection.getresponse()

        anonymous = announce({})
        self.assertEqual(anonymous.status, 401)
        self.ministry_system.max_request_mb = 1
        self.env.flush_all()
        over_quota = announce(self._signed("sendEdoc", **{"hash-file": "0" * 64}))
        self.assertEqual(over_quota.status, 413)
        self.assertEqual(json.loads(over_quota.read())["ErrorCode"], "413")
        self.assertFalse(self.env["vbdt.hub.message"].search([]))
        # Other operations take a small JSON body only.
        body = json.dumps({"code": "000.00.00.G91", "name": "x" * 100_000}).encode()
        answer = self._post(
            "registerAgency", self._signed("registerAgency", body), body
        )
        self.assertEqual(answer.status_code, 413)
        self.assertEqual(self._claims(), 0)

    def test_rate_quota_answers_429(self):
        self.ministry_system.requests_per_minute = 2
        self.env.flush_all()
        self.ministry.get_agencies_list()
        self.ministry.get_agencies_list()
        with self.assertRaises(VxpError) as caught:
            self.ministry.get_agencies_list()
        self.assertEqual(caught.exception.error_code, "429")

    # ------------------------------------------------------------ item 2
    def test_hijacking_an_agency_code_is_a_pending_claim_only(self):
        self.ministry.register_agency(
            {"code": self.province.vbdt_agency_code, "name": "X"}
        )
        claim = self.env["vbdt.hub.agency.claim"].search([])
        self.assertEqual(claim.state, "pending")
        self.assertEqual(claim.current_system_id, self.province_system)
        # Routing is unchanged: the province's code still goes to the province.
        Systems = self.env["vbdt.hub.system"]
        self.assertEqual(
            Systems._vbdt_for_agency_code(self.province.vbdt_agency_code),
            self.province_system,
        )
        with self.assertRaisesRegex(Exception, "served by"):
            claim.action_approve()
        with (
            self.assertRaisesRegex(Exception, "already served"),
            self.env.cr.savepoint(),
        ):
            self.ministry_system.agency_ids = [(4, self.province.vbdt_agency_id.id)]
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(self.ministry_system.agency_ids, self.external)
        self.assertTrue(
            self.province_system.message_ids.filtered(
                lambda m: self.province.vbdt_agency_code in (m.body or "")
            )
        )

    def test_claims_and_routing_are_the_operator_s_alone(self):
        """A specialist (weakest role) over JSON-RPC: no approval, no routing."""
        self.ministry.register_agency({"code": "000.00.00.G91", "name": "Bộ Mới"})
        claim = self.env["vbdt.hub.agency.claim"].search([])
        self.assertRefused(
            "specialist",
            "vbdt.hub.agency.claim",
            "action_approve",
            [claim.ids],
            error="odoo.exceptions.UserError",
            message="Only the hub operator decides agency claims.",
        )
        self.assertRefused(
            "specialist",
            "vbdt.hub.system",
            "write",
            [
                self.ministry_system.ids,
                {"agency_ids": [(4, self.province.vbdt_agency_id.id)]},
            ],
            error="odoo.exceptions.AccessError",
        )
        self.assertEqual(claim.state, "pending")
        self.assertEqual(self.ministry_system.agency_ids, self.external)

    def test_every_routing_change_is_in_the_audit_log(self):
        """Assigning, approving and refusing go to the append-only audit
        log of the directory entry (or of the claim for an unknown code)."""
        AuditLog = self.env["vbdt.audit.log"].sudo()
        start = AuditLog.search([], order="id desc", limit=1).id or 0
        self.ministry.register_agency({"code": "000.00.00.G91", "name": "Bộ Mới"})
        self.ministry.register_agency({"code": "000.00.00.G92", "name": "Bộ Khác"})
        approved, refused = self.env["vbdt.hub.agency.claim"].search([], order="id")
        approved.action_approve()
        refused.action_refuse()
        self.province_system.agency_ids = [(5, 0, 0)]
        entries = AuditLog.search(
            [("id", ">", start), ("event", "=", "hub_routing")], order="id"
        )
        new_agency = self.env["vbdt.agency"]._vbdt_find_by_code("000.00.00.G91")
        self.assertEqual(
            [(e.agency_id, e.description) for e in entries],
            [
                (
                    new_agency,
                    "claim of 000.00.00.G91 by hub system sys-ministry approved",
                ),
                (
                    new_agency,
                    "000.00.00.G91 assigned to hub system sys-ministry (Ministry)",
                ),
                (
                    self.env["vbdt.agency"],
                    "claim of 000.00.00.G92 by hub system sys-ministry refused",
                ),
                (
                    self.province.vbdt_agency_id,
                    f"{self.province.vbdt_agency_code} removed from hub system "
                    "sys-province (Province)",
                ),
            ],
        )
        self.assertTrue(all(entry.user_id == self.env.user for entry in entries))

    # ------------------------------------------------------------ item 3 (hub)
    def test_system_cannot_send_for_an_agency_it_does_not_serve(self):
        forged = self._package(
            sender=self.province.vbdt_agency_code,
            recipient=self.province.vbdt_agency_code,
        )
        with self.assertRaises(VxpError) as caught:
            self.ministry.send_edoc(self.province.vbdt_agency_code, forged)
        self.assertEqual(caught.exception.error_code, "401")
        self.assertFalse(self.env["vbdt.hub.message"].search([]))

    # ------------------------------------------------------------ items 6, 7
    def test_idempotent_upload_and_collapsed_recipients(self):
        package = self._package(sender=self.external.code)
        code = self.province.vbdt_agency_code
        first = self.ministry.send_edoc(
            [code, code, code.lower()], package, idempotency_key="k1"
        )
        again = self.ministry.send_edoc([code], package, idempotency_key="k1")
        self.assertEqual(first, again)
        messages = self.env["vbdt.hub.message"].search([])
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages.sender_code, self.external.code)

    def test_undelivered_messages_expire_with_a_report(self):
        self.ministry.send_edoc(
            self.province.vbdt_agency_code, self._package(sender=self.external.code)
        )
        message = self.env["vbdt.hub.message"].search([])
        self.env.cr.execute(
            "UPDATE vbdt_hub_message SET create_date = now() - interval '40 days'"
            " WHERE id = %s",
            [message.id],
        )
        self.env.invalidate_all()
        expired = self.env["vbdt.hub.message"]._vbdt_expire_undelivered()
        self.assertEqual(expired, message)
        self.assertEqual(message.state, "expired")
        report = self.ministry_system.message_ids[:1]
        self.assertIn(message.doc_id, report.body)
        self.assertIn(self.env.ref("base.user_admin").partner_id, report.partner_ids)
        # Not offered any more.
        province = self._hub_client("sys-province", PROVINCE_SECRET)
        self.assertEqual(province.get_received_edoc_list("edoc"), [])

    def test_crash_mid_send_is_sent_once(self):
        """The worker died after the hub stored the package: the record is
        found at once (no 30-minute wait) and the repeat is not stored again."""
        self._hub_transport()
        document = self._issued(self.external)
        record = self.Record.search([("document_id", "=", document.id)])
        record._vbdt_send()  # the hub stores it...
        first_remote = record.remote_id
        # ...and the worker dies before its commit: the record is left sending.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE vbdt_exchange_record SET state = 'out_sending', remote_id = NULL, "
            "write_date = now() - interval '3 minutes' WHERE id = %s",
            [record.id],
        )
        self.env.invalidate_all()
        self._run()
        self.assertEqual(record.state, "out_sent", record.last_error)
        self.assertEqual(record.remote_id, first_remote)
        self.assertEqual(len(self.env["vbdt.hub.message"].search([])), 1)
        self.assertEqual(document.delivery_ids.status_code, "sent")
