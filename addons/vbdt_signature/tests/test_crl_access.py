from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.rpc import INJECTED_CONTEXT, JsonRpcCase

from .common import VbdtSignatureCommon, b64

CRL = "vbdt.signature.crl"
ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("vbdt", "vbdt_signature", "access_rights", "post_install", "-at_install")
class TestRevocationListAccessHttp(JsonRpcCase, VbdtSignatureCommon):
    """Revocation lists decide whether a revoked certificate may still sign
    or verify, and their download addresses make the server fetch: only
    system administrators manage them. Every other role, the agency's own
    vbdt administrator included, is refused through the real JSON-RPC API,
    and nothing changes (re-read as superuser)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency_admin = cls._user("crl_agency_admin", "manager")
        cls.env["ir.config_parameter"].sudo().set_param(
            "vbdt_signature.crl_download_hosts", "127.0.0.1"
        )
        cls.crl = cls.env[CRL].create(
            {"crl_file": b64(cls.pki.crl), "name": "CA phục vụ các cơ quan Nhà nước"}
        )
        cls.crl.sudo().url = f"{cls.pki.url}/vbdt/crls/ca/latest.crl"

    def _snapshot(self):
        lists = self.env[CRL].sudo().with_context(active_test=False).search([])
        return sorted(
            (crl.id, crl.name, crl.url, crl.active, crl.crl_pem, crl.this_update)
            for crl in lists
        )

    def _roles(self):
        return (self.clerk, self.specialist, self.head, self.leader, self.agency_admin)

    def test_others_cannot_manage_revocation_lists(self):
        attempts = (
            ("create", [{"crl_file": b64(self.pki.root_crl).decode()}]),
            ("create", [{"url": "http://127.0.0.1:1/x.crl"}]),
            ("write", [self.crl.ids, {"url": "http://127.0.0.1:2/x.crl"}]),
            ("write", [self.crl.ids, {"active": False}]),
            ("write", [self.crl.ids, {"crl_file": b64(self.pki.root_crl).decode()}]),
            ("unlink", [self.crl.ids]),
            ("action_download", [self.crl.ids]),
        )
        for user in self._roles():
            for method, args in attempts:
                self.assertRefused(
                    user,
                    CRL,
                    method,
                    args,
                    contexts=[None, INJECTED_CONTEXT],
                    error=ACCESS_ERROR,
                    unchanged=self._snapshot,
                )

    def test_they_may_read_them(self):
        """Reading is harmless (public data of the CAs) and the report shows
        the lists a check relied on."""
        rows = self.call_kw(self.clerk, CRL, "read", [self.crl.ids, ["name"]])
        self.assertEqual(rows[0]["name"], "CA phục vụ các cơ quan Nhà nước")

    def test_system_administrator_may(self):
        before = self.crl.this_update
        self.call_kw(
            self.env.ref("base.user_admin"), CRL, "action_download", [self.crl.ids]
        )
        self.crl.invalidate_recordset()
        self.assertEqual(self.crl.revoked_count, 1)
        self.assertTrue(self.crl.this_update >= before)
