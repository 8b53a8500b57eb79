import base64
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestHubRetention(TransactionCase):
    """Acknowledged hub messages are purged after the retention period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        system = cls.env["vbdt.hub.system"].create(
            {"name": "Sys", "system_id": "sys-retention", "secret": "s"}
        )
        cls.Message = cls.env["vbdt.hub.message"]
        now = fields.Datetime.now()

        def message(state, days_ago):
            return cls.Message.create(
                {
                    "doc_id": f"{state}-{days_ago}",
                    "sender_system_id": system.id,
                    "recipient_system_id": system.id,
                    "sender_code": "A",
                    "recipient_code": "B",
                    "message_type": "edoc",
                    "package": base64.b64encode(b"<edXML/>"),
                    "state": state,
                    "done_date": now - timedelta(days=days_ago)
                    if state == "done"
                    else False,
                }
            )

        cls.old = message("done", 91) | message("done", 200) | message("done", 120)
        cls.recent = message("done", 89)
        cls.waiting = (
            message("pending", 0) | message("delivered", 0) | message("failed", 0)
        )

    def _attachments(self, messages):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", "vbdt.hub.message"),
                    ("res_field", "=", "package"),
                    ("res_id", "in", messages.ids),
                ]
            )
        )

    def test_default_keeps_90_days(self):
        self.assertEqual(self._attachments(self.old), 3)
        deleted, remaining = self.Message._vbdt_purge_acknowledged(batch=2)
        self.assertEqual((deleted, remaining), (3, 0))
        self.assertFalse(self.old.exists())
        self.assertEqual(self._attachments(self.old), 0)
        self.assertEqual(self.recent.exists(), self.recent)
        self.assertEqual(self.waiting.exists(), self.waiting)

    def test_parameter_and_batches(self):
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("vbdt_interconnect.hub_retention_days", "100")
        self.assertEqual(
            self.Message._vbdt_purge_acknowledged(batch=1, max_batches=1), (1, 1)
        )
        self.assertEqual(self.Message._vbdt_purge_acknowledged(batch=1), (1, 0))
        self.assertEqual(len(self.old.exists()), 1)  # 91 days old
        param.set_param("vbdt_interconnect.hub_retention_days", "0")  # keep everything
        self.assertEqual(self.Message._vbdt_purge_acknowledged(), (0, 0))
        param.set_param("vbdt_interconnect.hub_retention_days", "soon")
        self.assertEqual(self.Message._vbdt_retention_days(), 90)

    def test_cron(self):
        cron = self.env.ref("vbdt_interconnect.ir_cron_hub_purge")
        self.assertEqual(cron.interval_type, "days")
        cron.method_direct_trigger()
        self.assertFalse(self.old.exists())
        self.assertTrue(self.recent.exists())
