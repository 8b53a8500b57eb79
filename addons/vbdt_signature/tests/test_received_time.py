import base64
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcCase

from .common import VbdtSignatureCommon


@tagged("vbdt", "vbdt_signature", "access_rights", "post_install", "-at_install")
class TestReceivedTimeCannotBeForged(JsonRpcCase, VbdtSignatureCommon):
    """The receipt time is proof that a signature existed: a signature
    without timestamp is judged at it. A client backdating it would make a
    revoked or expired certificate look valid, so only the server sets it."""

    def _incoming_with_file(self):
        document = self._incoming()
        document._vbdt_add_file("giay_moi.pdf", self.draft_pdf, role="main")
        return document, document.main_file_id

    def test_client_cannot_backdate_the_receipt(self):
        _document, file = self._incoming_with_file()
        before = file.signature_received_at
        self.assertTrue(before)
        backdated = fields.Datetime.to_string(before - timedelta(days=400))
        self.assertRefused(
            self.clerk,
            "vbdt.document.file",
            "write",
            [file.ids, {"signature_received_at": backdated}],
            error="odoo.exceptions.AccessError",
            message="recorded by the system",
            unchanged=lambda: file.sudo().signature_received_at,
        )
        self.assertEqual(file.sudo().signature_received_at, before)

    def test_client_cannot_create_a_backdated_receipt(self):
        document, _file = self._incoming_with_file()
        backdated = "2020-01-01 00:00:00"
        self.call_kw(
            self.clerk,
            "vbdt.document",
            "write",
            [
                document.ids,
                {
                    "file_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "phu_luc.pdf",
                                "role": "attachment",
                                "datas": base64.b64encode(self.draft_pdf).decode(),
                                "signature_received_at": backdated,
                            },
                        )
                    ]
                },
            ],
        )
        created = document.sudo().file_ids.filtered(lambda f: f.name == "phu_luc.pdf")
        self.assertTrue(created)
        self.assertGreater(
            created.signature_received_at, fields.Datetime.now() - timedelta(hours=1)
        )
