from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged, users

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin

from .common import VbdtExchangeCommon


@tagged("post_install", "-at_install", "access_rights")
class TestExchangeAccess(VbdtExchangeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = cls._issued(cls.district.vbdt_agency_id)
        cls.config = cls.env["vbdt.exchange.transport"].create(
            {
                "name": "Axis",
                "company_id": cls.province.id,
                "endpoint": "http://127.0.0.1:9",
                "system_id": "sys",
                "secret": "top-secret",
            }
        )

    @users("clerk")
    def test_clerk_sees_own_agency_records_and_retries(self):
        records = self.env["vbdt.exchange.record"].search([])
        self.assertTrue(records)
        self.assertEqual(records.company_id, self.province)
        records[:1].action_mark_handled()
        with self.assertRaises(AccessError):
            records[:1].unlink()

    @users("district_clerk")
    def test_other_agency_sees_nothing_of_ours(self):
        records = self.env["vbdt.exchange.record"].search(
            [("company_id", "=", self.province.id)]
        )
        self.assertFalse(records)
        self.assertFalse(self.env["vbdt.exchange.transport"].search([]))

    @users("specialist")
    def test_specialist_reads_only(self):
        """A specialist of the agency reads its exchange records (a document's
        delivery history) with their values, and changes none of them."""
        expected = (
            self.env["vbdt.exchange.record"]
            .sudo()
            .search([("company_id", "=", self.province.id)])
        )
        self.assertTrue(expected)
        records = self.env["vbdt.exchange.record"].search([])
        self.assertEqual(records, expected.with_env(self.env))
        fields = ["name", "direction", "state", "counterpart_code", "document_id"]
        self.assertEqual(records.read(fields), expected.read(fields))
        with self.assertRaises(AccessError):
            records[:1].write({"handled": True})
        self.assertFalse(expected[:1].handled)

    @users("clerk")
    def test_secret_readable_by_administrators_only(self):
        config = self.config.with_env(self.env)
        self.assertEqual(config.system_id, "sys")
        with self.assertRaises(AccessError):
            config.read(["secret"])
        with self.assertRaises(AccessError):
            self.env["vbdt.hub.system"].search([])


@tagged("post_install", "-at_install", "access_rights")
class TestExchangeAccessHttp(JsonRpcMixin, VbdtExchangeCommon, HttpCase):
    """The specialist's read-only access, tried as an attack over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = cls._issued(cls.district.vbdt_agency_id)
        cls.record = cls.env["vbdt.exchange.record"].search(
            [("company_id", "=", cls.province.id), ("direction", "=", "out")], limit=1
        )

    def test_specialist_reads_but_cannot_change_over_rpc(self):
        self.assertTrue(self.record)
        before = self.record.read(["state", "handled", "attempts", "next_attempt"])
        [read] = self.call_kw(
            self.specialist,
            "vbdt.exchange.record",
            "read",
            [self.record.ids, ["state", "counterpart_code"]],
        )
        self.assertEqual(
            (read["state"], read["counterpart_code"]),
            (self.record.state, self.record.counterpart_code),
        )
        for method, args in (
            ("write", [self.record.ids, {"handled": True}]),
            ("action_mark_handled", [self.record.ids]),
            ("action_retry", [self.record.ids]),
        ):
            self.assertRefused(
                self.specialist,
                "vbdt.exchange.record",
                method,
                args,
                error="odoo.exceptions.AccessError",
                unchanged=lambda: self.record.read(
                    ["state", "handled", "attempts", "next_attempt"]
                ),
            )
        self.record.invalidate_recordset()
        self.assertEqual(
            self.record.read(["state", "handled", "attempts", "next_attempt"]), before
        )
