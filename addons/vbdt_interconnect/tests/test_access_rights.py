from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import VbdtExchangeCommon


@tagged("post_install", "-at_install", "access_rights")
class TestExchangeAccess(VbdtExchangeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = cls._issued(cls.district.vbdt_agency_id)
        cls.config = cls.env["vbdt.exchange.transport"].create({
            "name": "Axis", "company_id": cls.province.id, "endpoint": "http://127.0.0.1:9",
            "system_id": "sys", "secret": "top-secret"})

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
            [("company_id", "=", self.province.id)])
        self.assertFalse(records)
        self.assertFalse(self.env["vbdt.exchange.transport"].search([]))

    @users("specialist")
    def test_specialist_reads_only(self):
        record = self.env["vbdt.exchange.record"].search([], limit=1)
        with self.assertRaises(AccessError):
            record.write({"handled": True})

    @users("clerk")
    def test_secret_readable_by_administrators_only(self):
        config = self.config.with_env(self.env)
        self.assertEqual(config.system_id, "sys")
        with self.assertRaises(AccessError):
            config.read(["secret"])
        with self.assertRaises(AccessError):
            self.env["vbdt.hub.system"].search([])
