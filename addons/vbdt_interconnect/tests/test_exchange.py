import base64

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.vbdt_interconnect import edxml

from .common import VbdtExchangeCommon


@tagged("post_install", "-at_install")
class TestExchange(VbdtExchangeCommon):
    def test_package_validates_and_round_trips(self):
        document = self._issued(self.district.vbdt_agency_id)
        raw = document._vbdt_build_edxml(document.recipient_agency_ids)
        edxml.assert_valid(raw)
        package = edxml.parse(raw)
        self.assertEqual(str(package.code), document.code)
        self.assertEqual(package.subject, document.subject)
        self.assertEqual(package.sender.organ_id, "000.00.00.H99")
        self.assertEqual([r.organ_id for r in package.recipients], ["000.00.24.H99"])
        self.assertEqual(package.document_id, document.edxml_document_id)
        self.assertEqual(package.document_type.type_name, self.doc_type.name)
        self.assertEqual(package.signer_info.full_name, "Nguyễn Văn A")
        self.assertEqual(len(package.attachments), 1)

    def test_internal_delivery_and_statuses(self):
        document = self._issued(self.district.vbdt_agency_id | self.external)
        out = self.Record.search([("document_id", "=", document.id)])
        self.assertEqual(sorted(out.mapped("transport")), ["local", "vxp"])
        # Built when it leaves, after every issue hook (seal) ran.
        self.assertFalse(out.package_attachment_id)
        self._run()
        self.assertTrue(all(r.package_attachment_id for r in out))
        local = out.filtered(lambda r: r.transport == "local")
        self.assertEqual(local.state, "out_acknowledged")
        # No axis connection configured: the delivery line says so, the
        # record is in "Needs Attention" and the clerk who issued is told.
        axis = out.filtered(lambda r: r.transport == "vxp")
        self.assertEqual(axis.state, "out_failed")
        # in the agency's language (TestVietnameseExchange checks the words)
        self.assertIn(self.province.name, axis.last_error)
        self.assertIn(
            axis,
            self.Record.search(
                [
                    ("state", "in", ("out_failed", "in_rejected", "in_quarantine")),
                    ("handled", "=", False),
                ]
            ),
        )
        external_line = document.delivery_ids.filtered(
            lambda d: d.agency_id == self.external
        )
        self.assertEqual(external_line.status_code, "not_sent")
        self.assertIn(self.clerk, document.activity_ids.user_id)
        incoming = self.Document.search(
            [("company_id", "=", self.district.id), ("direction", "=", "incoming")]
        )
        self.assertEqual(len(incoming), 1)
        self.assertEqual(incoming.state, "received")
        self.assertEqual(incoming.arrival_channel, "internal")
        self.assertEqual(incoming.code, document.code)
        self.assertEqual(incoming.sender_agency_id, self.province.vbdt_agency_id)
        self.assertEqual(incoming.edxml_document_id, document.edxml_document_id)
        self.assertEqual(len(incoming.file_ids), 1)
        delivery = document.delivery_ids.filtered(
            lambda d: d.agency_id == self.district.vbdt_agency_id
        )
        self.assertEqual(delivery.status_code, "01")
        # Registering sends 03 back.
        incoming.register_id = incoming._vbdt_default_register()
        incoming.with_user(self.district_clerk).action_register()
        self._run()
        self.assertEqual(delivery.status_code, "03")
        inbox = self.Record.search(
            [("document_id", "=", incoming.id), ("direction", "=", "in")]
        )
        self.assertEqual(inbox.state, "in_registered")
        for code in ("04", "05", "06"):
            incoming._vbdt_processing_event(code, f"note {code}")
            self._run()
            self.assertEqual(delivery.status_code, code)
        statuses = self.Record.search(
            [
                ("company_id", "=", self.province.id),
                ("direction", "=", "in"),
                ("message_type", "=", "status"),
            ]
        )
        self.assertEqual(
            sorted(statuses.mapped("status_code")), ["01", "03", "04", "05", "06"]
        )
        self.assertTrue(all(s.parent_id == local for s in statuses))

    def test_return_sends_02(self):
        document = self._issued(self.district.vbdt_agency_id)
        self._run()
        incoming = self.Document.search([("company_id", "=", self.district.id)])
        incoming.with_user(self.district_clerk)._vbdt_return("Sai địa chỉ")
        self._run()
        self.assertEqual(document.delivery_ids.status_code, "02")
        self.assertEqual(document.delivery_ids.description, "Sai địa chỉ")

    def test_duplicate_delivery_creates_one_document(self):
        document = self._issued(self.district.vbdt_agency_id)
        self._run()
        raw = document._vbdt_build_edxml(document.recipient_agency_ids)
        again = self.Engine._vbdt_receive(
            self.district, raw, "local", sender_code="000.00.00.H99", remote_id="other"
        )
        again._vbdt_process_inbox()
        self.assertEqual(again.state, "in_duplicate")
        self.assertTrue(again.duplicate_of_id)
        self.assertEqual(
            self.Document.search_count([("company_id", "=", self.district.id)]), 1
        )
        # Same transport id twice is a duplicate as well.
        first = again.duplicate_of_id
        third = self.Engine._vbdt_receive(
            self.district,
            raw,
            "local",
            sender_code="000.00.00.H99",
            remote_id=first.remote_id,
        )
        third._vbdt_process_inbox()
        self.assertEqual(third.state, "in_duplicate")

    def test_secret_document_refused(self):
        document = self._issued(
            self.district.vbdt_agency_id,
            confidentiality="secret",
            confidential_user_ids=[(6, 0, self.clerk.ids)],
        )
        self.assertFalse(self.Record.search([("document_id", "=", document.id)]))
        with self.assertRaisesRegex(UserError, "secret documents never leave"):
            document.with_user(self.clerk).action_vbdt_dispatch()

    def test_malformed_package_rejected_with_02(self):
        record = self.Engine._vbdt_receive(
            self.district,
            b"<edXML><broken",
            "local",
            sender_code="000.00.00.H99",
            remote_id="m1",
        )
        record._vbdt_process_inbox()
        self.assertEqual(record.state, "in_rejected")
        self.assertTrue(record.last_error)
        self.assertEqual(record.package_attachment_id.raw, b"<edXML><broken")
        status = record.child_ids.filtered(lambda r: r.message_type == "status")
        self.assertEqual(status.status_code, "02")
        self.assertEqual(status.status_description, record.last_error)

    def test_oversize_package_rejected(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "vbdt_interconnect.max_package_mb", "0.001"
        )
        raw = edxml.build_document(self._package())
        record = self.Engine._vbdt_receive(
            self.district, raw, "local", sender_code="000.00.00.G97", remote_id="big"
        )
        record._vbdt_process_inbox()
        self.assertEqual(record.state, "in_rejected")
        self.assertEqual(record.child_ids.status_code, "02")
        self.assertEqual(record.package_attachment_id.raw, raw)

    def test_not_addressed_to_us(self):
        raw = edxml.build_document(self._package(recipient="000.00.77.H99"))
        record = self.Engine._vbdt_receive(
            self.district, raw, "local", sender_code="000.00.00.G97", remote_id="x"
        )
        record._vbdt_process_inbox()
        self.assertEqual(record.state, "in_rejected")
        self.assertIn("not addressed", record.last_error)
        self.assertEqual(record.child_ids.status_code, "02")
        self.assertFalse(self.Document.search([("company_id", "=", self.district.id)]))

    def test_external_sender_created_and_revocation_review(self):
        raw = edxml.build_document(self._package())
        record = self.Engine._vbdt_receive(
            self.district, raw, "local", sender_code="000.00.00.G97", remote_id="e1"
        )
        record._vbdt_process_inbox()
        self.assertEqual(record.state, "in_parsed")
        document = record.document_id
        self.assertEqual(document.sender_agency_id.code, "000.00.00.G97")
        self.assertEqual(document.document_type_id.name, "Thông báo")
        revoke = self._package(
            trace_header_list=edxml.TraceHeaderList(
                bussiness=edxml.Bussiness(
                    bussiness_doc_type=edxml.BussinessDocType.REVOKE,
                    bussiness_doc_reason="Ban hành nhầm",
                    document_id=document.edxml_document_id,
                )
            )
        )
        record2 = self.Engine._vbdt_receive(
            self.district,
            edxml.build_document(revoke),
            "local",
            sender_code="000.00.00.G97",
            remote_id="e2",
        )
        record2._vbdt_process_inbox()
        self.assertEqual(record2.state, "in_parsed")
        self.assertEqual(record2.document_id, document)
        self.assertTrue(document.exchange_review)
        self.assertIn("Ban hành nhầm", document.exchange_review_note)
        self.assertTrue(document.activity_ids)
        self.assertEqual(document.state, "received")
        self.assertEqual(
            self.Document.search_count([("company_id", "=", self.district.id)]), 1
        )

    def test_retry_backoff_and_failure(self):
        self.env["vbdt.exchange.transport"].create(
            {
                "name": "Unreachable axis",
                "company_id": self.province.id,
                "endpoint": "http://127.0.0.1:9/vxp",
                "system_id": "sys",
                "secret": "s",
                "timeout": 2,
            }
        )
        document = self._issued(self.external)
        record = self.Record.search([("document_id", "=", document.id)])
        self._run()
        first = record.next_attempt
        record.next_attempt = False
        self._run()
        self.assertEqual(record.attempts, 2)
        self.assertGreater(
            record.next_attempt - record.write_date, first - record.create_date
        )
        record.write({"state": "out_failed"})
        record.with_user(self.clerk).action_retry()
        self.assertEqual(record.state, "out_queued")
        action = record.action_download_package()
        self.assertIn(str(record.package_attachment_id.id), action["url"])
        self.assertTrue(
            base64.b64decode(record._vbdt_package_b64()).startswith(b"<?xml")
        )

    def test_state_constraint(self):
        before = self.Record.search_count([])
        # Odoo's assertRaises (unlike assertRaisesRegex) rolls the refused
        # create back to a savepoint, as the RPC transaction would be.
        with self.assertRaises(ValidationError) as refused:
            self.Record.create(
                {
                    "direction": "in",
                    "state": "out_queued",
                    "company_id": self.province.id,
                    "transport": "local",
                }
            )
        self.assertEqual(
            str(refused.exception),
            "State out_queued does not belong to the in direction.",
        )
        self.assertEqual(self.Record.search_count([]), before)

    def test_crons_and_trigger(self):
        cron = self.env.ref("vbdt_interconnect.ir_cron_exchange_outbox")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        document = self._issued(self.district.vbdt_agency_id)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers,
        )
        self.Engine._cron_outbox()
        self.Engine._cron_inbox()
        record = self.Record.search(
            [("document_id", "=", document.id), ("direction", "=", "out")]
        )
        self.assertEqual(record.state, "out_acknowledged")
        self.assertTrue(self.Document.search([("company_id", "=", self.district.id)]))
