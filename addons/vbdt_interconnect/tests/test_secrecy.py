"""Exchange records and their raw edXML packages attacked through JSON-RPC:
a specialist read the package (summary, content, files) of every document of
the agency, including those the document rules hide from them."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcCase

from .common import VbdtExchangeCommon

MARKER = "Báo cáo nội bộ MẬT-9X"


@tagged("post_install", "-at_install", "vbdt", "access_rights", "secrecy")
class TestExchangeRecordAccess(JsonRpcCase, VbdtExchangeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A normal document of the unit, sent: the outsider (another unit)
        # may not read it, so neither its exchange record nor its package.
        cls.document = cls._issued(cls.district.vbdt_agency_id, subject=MARKER)
        cls.Engine._vbdt_run_outbox(commit=False)
        cls.record = cls.Record.search(
            [("document_id", "=", cls.document.id), ("direction", "=", "out")], limit=1
        )
        # A secret document's record (built by hand: packages never carry
        # secret documents, this proves the rule on its own).
        cls.secret = cls._outgoing(
            confidentiality="secret",
            subject=MARKER,
            confidential_user_ids=[Command.set(cls.specialist.ids)],
        )
        cls.secret_record = cls.Record.create(
            {
                "direction": "out",
                "state": "out_queued",
                "company_id": cls.province.id,
                "document_id": cls.secret.id,
                "transport": "local",
            }
        )
        cls.secret_record._vbdt_store_package(f"<edXML>{MARKER}</edXML>".encode())

    def _urls(self, record):
        attachment = record.package_attachment_id
        return (
            f"/web/content/{attachment.id}",
            f"/web/content/ir.attachment/{attachment.id}/datas",
        )

    def _refused_everywhere(self, user, record):
        for context in (None, {"vbdt_unlock": True, "active_test": False}):
            rows = self.call_kw(
                user,
                "vbdt.exchange.record",
                "search_read",
                [[("id", "=", record.id)]],
                {"fields": ["package_attachment_id"]},
                context=context,
            )
            self.assertEqual(rows, [], f"{user.login} lists {record.name}")
            self.assertRefused(
                user,
                "vbdt.exchange.record",
                "read",
                [[record.id], ["package_attachment_id"]],
                context=context,
            )
        self.assertEqual(
            self.call_kw(
                user,
                "ir.attachment",
                "search_read",
                [[("id", "=", record.package_attachment_id.id)]],
                {"fields": ["raw"]},
            ),
            [],
        )
        for url in self._urls(record):
            status, body = self.fetch(user, url)
            self.assertNotEqual(status, 200, f"{user.login} downloaded {url}")
            self.assertNotIn(MARKER.encode(), body)
        deliveries = self.call_kw(
            user,
            "vbdt.document.delivery",
            "search_read",
            [[("document_id", "=", record.document_id.id)]],
            {"fields": ["description"]},
        )
        self.assertEqual(deliveries, [])

    def test_specialist_of_another_unit_cannot_read_the_package(self):
        self.assertTrue(self.record.package_attachment_id)
        self._refused_everywhere(self.outsider, self.record)
        # The unit's specialist, who may read the document, reads its record.
        rows = self.call_kw(
            self.specialist,
            "vbdt.exchange.record",
            "search_read",
            [[("id", "=", self.record.id)]],
            {"fields": ["state"]},
        )
        self.assertEqual(len(rows), 1)
        status, _body = self.fetch(self.specialist, self._urls(self.record)[0])
        self.assertEqual(status, 200)

    def test_clerk_follows_deliveries_but_not_secret_packages(self):
        rows = self.call_kw(
            self.clerk,
            "vbdt.exchange.record",
            "search_read",
            [[("id", "=", self.record.id)]],
            {"fields": ["state"]},
        )
        self.assertEqual(len(rows), 1, "the clerk follows the agency's deliveries")
        for user in (
            self.clerk,
            self.leader,
            self.outsider,
            self.colleague,
            self.district_clerk,
        ):
            self._refused_everywhere(user, self.secret_record)
        raw = self.secret_record.package_attachment_id.raw
        self.assertIn(MARKER.encode(), raw, "the package itself is unchanged")
        status, body = self.fetch(self.specialist, self._urls(self.secret_record)[0])
        self.assertEqual((status, MARKER.encode() in body), (200, True))
