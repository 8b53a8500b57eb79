import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..download_guard import AllowList, DownloadRefused, check_addresses
from .common import VbdtSignatureCommon, b64


@tagged("vbdt", "vbdt_signature")
class TestRevocationLists(VbdtSignatureCommon):
    """Revocation lists as data: loaded from a file or downloaded from an
    address, they serve revocation checks before signing (Circular 15/2025)
    and when verifying, without fetching anything a certificate names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Crl = cls.env["vbdt.signature.crl"]
        cls.env["ir.config_parameter"].sudo().set_param(
            "vbdt_signature.allow_fetching", "False"
        )

    def test_loaded_from_a_file(self):
        crl = self.Crl.create({"crl_file": b64(self.pki.crl)})
        self.assertEqual(crl.name, "Test CA phục vụ các cơ quan Nhà nước")
        self.assertEqual(crl.revoked_count, 1)
        self.assertTrue(crl.this_update < crl.next_update)
        with self.assertRaises(UserError) as caught:
            self.Crl.create({"crl_file": b64(b"not a revocation list")})
        self.assertIn("not a certificate revocation list", str(caught.exception))

    def _allow(self, hosts):
        self.env["ir.config_parameter"].sudo().set_param(
            "vbdt_signature.crl_download_hosts", hosts
        )

    def test_downloaded_from_the_cas_address(self):
        """From the test PKI's CRL repository over HTTP on 127.0.0.1 (a
        loopback address, allowed explicitly); an address that does not
        answer keeps the previous list and says why."""
        self._allow("127.0.0.1")
        crl = self.Crl.create({"url": f"{self.pki.url}/vbdt/crls/ca/latest.crl"})
        self.assertFalse(crl.crl_pem)
        crl.action_download()
        self.assertEqual(crl.revoked_count, 1)
        loaded = crl.crl_pem
        crl.url = f"{self.pki.url}/vbdt/crls/nowhere/latest.crl"
        self.Crl._cron_download()
        self.assertEqual(crl.crl_pem, loaded)
        self.assertIn("could not be downloaded", crl.download_error)
        with self.assertRaises(ValidationError) as caught:
            crl.url = "file:///etc/passwd"
        self.assertIn("http:// or https://", str(caught.exception))

    def _refused_in_vietnamese(self, url, expected, error=ValidationError):
        """``url`` is refused (in Vietnamese) when saved; nothing is stored."""
        before = self.Crl.search_count([])
        with self.assertRaises(error) as caught:
            self.Crl.with_context(lang="vi_VN").create({"url": url})
        self.assertIn(expected, str(caught.exception))
        self.assertEqual(self.Crl.search_count([]), before)

    def test_download_off_without_allow_list(self):
        """Default: no host allowed, no download at all (upload only)."""
        self._allow("")
        self._refused_in_vietnamese(
            f"{self.pki.url}/vbdt/crls/ca/latest.crl", "Tính năng tải danh sách"
        )
        crl = self.Crl.create({"crl_file": b64(self.pki.crl)})
        self.env.cr.execute(
            "UPDATE vbdt_signature_crl SET url = %s WHERE id = %s",
            ["http://127.0.0.1/", crl.id],
        )  # an address stored before the allow-list was emptied
        crl.invalidate_recordset()
        with self.assertRaises(UserError) as caught:
            crl.with_context(lang="vi_VN").action_download()
        self.assertIn("Tính năng tải danh sách", str(caught.exception))
        self.assertEqual(crl.revoked_count, 1)

    def test_host_not_allowed(self):
        self._allow("crl.ca.gov.vn")
        self._refused_in_vietnamese(
            "http://169.254.169.254/latest/meta-data/", "không nằm trong danh sách"
        )
        self._refused_in_vietnamese("http://localhost:8069/web", "localhost")
        self._refused_in_vietnamese(
            "ftp://crl.ca.gov.vn/ca.crl", "http:// hoặc https://"
        )

    def test_allowed_name_resolving_to_loopback_refused(self):
        """A name on the list does not admit the loopback address it
        resolves to: every resolved address is checked at download."""
        self._allow("localhost")
        port = self.pki.url.rsplit(":", 1)[1]
        crl = self.Crl.create(
            {"url": f"http://localhost:{port}/vbdt/crls/ca/latest.crl"}
        )
        with self.assertRaises(UserError) as caught:
            crl.with_context(lang="vi_VN").action_download()
        self.assertIn(
            "địa chỉ loopback, mạng riêng hoặc link-local", str(caught.exception)
        )
        self.assertFalse(crl.crl_pem)

    def test_private_and_link_local_addresses_refused(self):
        """Rule 3 of download_guard on given addresses (what a public name
        of an attacker's DNS could resolve to)."""
        allowed = AllowList.parse("crl.ca.gov.vn, 10.0.5.0/24")
        for address in (
            "10.1.2.3",
            "192.168.1.1",
            "172.16.0.1",
            "169.254.169.254",
            "127.0.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "0.0.0.0",
        ):
            with self.assertRaises(DownloadRefused) as caught:
                check_addresses("crl.ca.gov.vn", ["203.162.4.1", address], allowed)
            self.assertEqual(caught.exception.code, "address")
        # allowed explicitly: the agency's own CRL mirror
        self.assertEqual(
            [str(a) for a in check_addresses("crl.ca.gov.vn", ["10.0.5.7"], allowed)],
            ["10.0.5.7"],
        )

    def test_redirect_not_followed(self):
        with _redirecting_server() as port:
            self._allow("127.0.0.1")
            crl = self.Crl.create({"url": f"http://127.0.0.1:{port}/ca.crl"})
            with self.assertRaises(UserError) as caught:
                crl.with_context(lang="vi_VN").action_download()
        self.assertIn("chuyển hướng", str(caught.exception))
        self.assertFalse(crl.crl_pem)

    def test_revoked_certificate_refused_before_signing(self):
        document = self._signable()
        draft = self._main_raw(document)
        self.person_cert.unlink()
        self._certificate(self.pki.revoked, user=self.leader)
        self.Crl.create([{"crl_file": b64(crl)} for crl in self.pki.crls])
        with self.assertRaises(UserError) as caught:
            document.with_user(self.leader).action_sign_person()
        self.assertIn("was revoked on", str(caught.exception))
        self.assertEqual(self._main_raw(document), draft)
        self.assertEqual(document.state, "draft")

    def test_verification_uses_them(self):
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        (check,) = document.main_file_id.signature_check_ids
        self.assertEqual(check.revocation, "not_checked")
        self.Crl.create([{"crl_file": b64(crl)} for crl in self.pki.crls])
        document.main_file_id._vbdt_verify_signatures()
        (check,) = document.main_file_id.signature_check_ids
        self.assertEqual((check.revocation, check.valid), ("good", True))


@contextmanager
def _redirecting_server():
    """A local HTTP server that redirects every request to the cloud
    metadata address: following it would be the forgery."""

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@tagged("vbdt", "vbdt_signature")
class TestStaleRevocationLists(VbdtSignatureCommon):
    """A list whose next update has passed is flagged, the daily job alerts
    the system administrators once, and a verification relying on it alone
    says so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Crl = cls.env["vbdt.signature.crl"]
        cls.env["ir.config_parameter"].sudo().set_param(
            "vbdt_signature.allow_fetching", "False"
        )
        cls.admin = cls.env.ref("base.user_admin")

    def _stale_list(self):
        # the CA's list of a year ago: its next update was half an hour ago
        crl = self.Crl.create({"crl_file": b64(self.pki.crls[2])})
        self.assertTrue(crl.stale)
        return crl

    def test_flagged_and_alerted_once(self):
        fresh = self.Crl.create({"crl_file": b64(self.pki.crl)})
        stale = self._stale_list()
        self.assertFalse(fresh.stale)
        self.assertEqual(self.Crl.search([("stale", "=", True)]), stale)
        self.assertIn(fresh, self.Crl.search([("stale", "=", False)]))

        self.Crl.with_context(lang="vi_VN")._cron_download()
        activity = stale.activity_ids.filtered(lambda a: a.user_id == self.admin)
        self.assertEqual(len(activity), 1)
        self.assertIn("đã quá hạn", activity.summary)
        self.assertIn("đã quá hạn", stale.message_ids[:1].body)
        self.assertFalse(fresh.activity_ids)
        self.Crl._cron_download()  # the next day: no second alert
        self.assertEqual(
            len(stale.activity_ids), len(activity.user_id | activity.user_id)
        )

    def test_verification_relying_on_a_stale_list_says_so(self):
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        file = document.main_file_id.with_context(lang="vi_VN")
        # the root's current list (for the intermediate), the issuing CA's
        # only out of date
        self.Crl.create({"crl_file": b64(self.pki.root_crl)})
        self._stale_list()
        file._vbdt_verify_signatures()
        (check,) = file.signature_check_ids
        self.assertIn("danh sách thu hồi đã quá hạn", check.problems)
        # with the current list loaded too, the check no longer relies on it
        self.Crl.create({"crl_file": b64(self.pki.crl)})
        file._vbdt_verify_signatures()
        (check,) = file.signature_check_ids
        self.assertNotIn("quá hạn", check.problems or "")
