"""Exchange and hub secrets at rest: sealed with the server key in the
database, write-only over the API, and still authenticating over real HTTP."""

import json
import os
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin
from odoo.addons.vbdt_interconnect.vxp import VxpClient, VxpError

from .common import VbdtExchangeCommon

HUB_SECRET = "hub-shared-secret-of-the-province"


@tagged("post_install", "-at_install", "access_rights")
class TestSecretsAtRest(JsonRpcMixin, VbdtExchangeCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.docadmin = cls._user("docadmin", "manager")
        cls.sysadmin = new_test_user(
            cls.env,
            login="sysadmin",
            company_id=cls.province.id,
            company_ids=[cls.province.id],
            groups="base.group_system,vbdt_document.vbdt_document_group_manager",
        )
        cls.system = cls.env["vbdt.hub.system"].create(
            {
                "name": "Province",
                "system_id": "sys-sealed",
                "secret": HUB_SECRET,
                "agency_ids": [(6, 0, cls.province.vbdt_agency_id.ids)],
            }
        )

    def setUp(self):
        super().setUp()
        self.transport = self.env["vbdt.exchange.transport"].create(
            {
                "name": "Hub",
                "company_id": self.province.id,
                "endpoint": self.base_url() + "/vxp",
                "system_id": "sys-sealed",
                "secret": HUB_SECRET,
                "timeout": 20,
            }
        )

    def _raw(self, table, record):
        self.env.flush_all()
        self.env.cr.execute(f"SELECT * FROM {table} WHERE id = %s", [record.id])  # noqa: S608
        names = [column.name for column in self.env.cr.description]
        return dict(zip(names, self.env.cr.fetchone(), strict=True))

    def test_secrets_are_not_in_clear_in_the_database(self):
        for table, record in (
            ("vbdt_hub_system", self.system),
            ("vbdt_exchange_transport", self.transport),
        ):
            row = self._raw(table, record)
            self.assertNotIn(HUB_SECRET, json.dumps(row, default=str))
            self.assertTrue(row["secret_sealed"].startswith("vbdt1$"))
            self.assertNotIn("secret", row)  # the clear column is gone

    def test_sealed_secret_still_authenticates_with_the_hub(self):
        self.env.flush_all()
        self.assertEqual(self.transport._vbdt_open_secret(), HUB_SECRET)
        client = VxpClient(
            self.base_url() + "/vxp", "sys-sealed", HUB_SECRET, timeout=20, retries=0
        )
        self.addCleanup(client.close)
        self.assertEqual(client.get_received_edoc_list("edoc"), [])
        self.env["vbdt.exchange.engine"]._vbdt_poll(self.transport)
        self.assertFalse(self.transport.last_error)

    def test_without_server_key_the_hub_refuses_instead_of_failing(self):
        self.env.flush_all()
        client = VxpClient(
            self.base_url() + "/vxp", "sys-sealed", HUB_SECRET, timeout=20, retries=0
        )
        self.addCleanup(client.close)
        with (
            patch.dict(os.environ, {"VBDT_SECRET_KEY": ""}),
            patch.dict(config.options, {"vbdt_secret_key": ""}),
            self.assertLogs(
                "odoo.addons.vbdt_interconnect.models.vbdt_hub_system", "ERROR"
            ),
        ):
            with self.assertRaises(VxpError) as caught:
                client.get_received_edoc_list("edoc")
        self.assertEqual(caught.exception.error_code, "401")

    def test_document_office_admin_cannot_read_or_replace_secrets(self):
        before = self._raw("vbdt_exchange_transport", self.transport)["secret_sealed"]
        for fields in (["secret"], ["secret_sealed"]):
            error = self.assertRefused(
                "docadmin",
                "vbdt.exchange.transport",
                "read",
                [[self.transport.id], fields],
            ).data
            self.assertIn("AccessError", error["name"])
        self.assertRefused(
            "docadmin",
            "vbdt.exchange.transport",
            "write",
            [[self.transport.id], {"secret": "mine"}],
        )
        self.assertRefused(
            "docadmin",
            "vbdt.hub.system",
            "write",
            [[self.system.id], {"secret": "mine"}],
        )
        self.assertEqual(
            self._raw("vbdt_exchange_transport", self.transport)["secret_sealed"],
            before,
        )
        self.assertEqual(
            self.env["vbdt.hub.system"]._vbdt_secret_of("sys-sealed"), HUB_SECRET
        )

    def test_secret_is_write_only_even_for_system_administrators(self):
        result = self.call_kw(
            "sysadmin",
            "vbdt.exchange.transport",
            "read",
            [[self.transport.id], ["secret"]],
        )
        self.assertFalse(result[0]["secret"])
