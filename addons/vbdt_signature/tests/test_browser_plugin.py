"""A USB token through the CA's browser signing plugin (VGCA Sign Service
style), simulated by a local service on 127.0.0.1: the server prepares, the
page calls the plugin, the server completes. In PDF mode the plugin's
output is validated, never trusted: another key, a changed page, a PDF
saved anew or garbage leave the document untouched."""

import base64
import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin

from ..demo import testpki
from ..pades import verify_pdf
from .common import VbdtSignatureCommon
from .fake_plugin import (
    GARBAGE,
    OTHER_KEY,
    REWRITE,
    TAMPER,
    FakeSigningPlugin,
    call_plugin,
)


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestBrowserPlugin(JsonRpcMixin, VbdtSignatureCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._register_local_certificate()
        cls.plugin = FakeSigningPlugin(
            cls.pki.person, cls.pki.organisation, testpki.PKCS12_PASSWORD
        )
        cls.plugin.__enter__()
        cls.addClassCleanup(cls.plugin.__exit__, None, None, None)

    def setUp(self):
        super().setUp()
        self.plugin.mode = "honest"
        self.document = self._signable()
        self._reach_signing_step(self.document)
        self.original = self._main_raw(self.document)

    # ------------------------------------------------------------ the page
    def _open_session(self):
        action = self.document.with_user(self.leader).action_sign_person()
        session = self.env["vbdt.signature.session"].browse(action["res_id"])
        self.env.flush_all()
        return session, f"/vbdt_signature/agent/{session.id}/{session.access_token}"

    def _get(self, path):
        self.env.flush_all()
        response = self.url_open(path, allow_redirects=False)
        self.env.invalidate_all()
        return response

    def _post(self, path, data, content_type):
        self.env.flush_all()
        response = self.url_open(
            path, data=data, headers={"Content-Type": content_type}
        )
        self.env.invalidate_all()
        return response

    def _sign_pdf_through_the_plugin(self, route):
        prepared = self._get(route + "/pdf")
        self.assertEqual(prepared.status_code, 200, prepared.text[:200])
        self.assertEqual(prepared.headers["Content-Type"], "application/pdf")
        answer = call_plugin(
            self.plugin.url,
            "/sign-pdf",
            {"pdf": base64.b64encode(prepared.content).decode()},
        )
        return self._post(
            route + "/pdf", base64.b64decode(answer["pdf"]), "application/pdf"
        )

    def _assert_signed(self):
        report = verify_pdf(
            self._main_raw(self.document),
            self.env["vbdt.signature.trust.anchor"]._vbdt_anchors(),
        )
        self.assertTrue(report.has_valid_person_signature)
        self.assertEqual(
            [s.signer.serial_number for s in report.signatures],
            [self.token_cert.serial_number],
        )
        self.assertEqual(
            len(
                self.env["vbdt.audit.log"].search(
                    [("document_id", "=", self.document.id), ("event", "=", "sign")]
                )
            ),
            1,
        )

    # ------------------------------------------------------------ flows
    def test_hash_mode(self):
        """The plugin signs the digest the server prepared (the agent route)."""
        session, route = self._open_session()
        job = self._get(route).json()
        answer = call_plugin(
            self.plugin.url,
            "/sign-hash",
            {"hash": job["digest"], "algorithm": job["digest_algorithm"]},
        )
        body = {
            "signature": answer["signature"],
            "digest": job["digest"],
            "certificate": answer["certificate"],
        }
        response = self._post(route, json.dumps(body).encode(), "application/json")
        self.assertEqual(response.json()["status"], "done", response.text)
        self.assertEqual(session.state, "done")
        self._assert_signed()

    def test_pdf_mode_validated_then_signed(self):
        session, route = self._open_session()
        response = self._sign_pdf_through_the_plugin(route)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["status"], "done")
        self.assertEqual(session.state, "done")
        self.assertEqual(self.document.signature_status, "incomplete")
        self._assert_signed()

    def test_pdf_mode_refuses_what_it_cannot_trust(self):
        expected = {
            OTHER_KEY: "The signature was not applied",
            TAMPER: "changes the document's content",
            REWRITE: "byte for byte",
            GARBAGE: "byte for byte",
        }
        for mode, message in expected.items():
            with self.subTest(mode=mode):
                self.plugin.mode = mode
                session, route = self._open_session()
                with mute_logger("pyhanko", "odoo.addons.vbdt_signature"):
                    response = self._sign_pdf_through_the_plugin(route)
                self.assertIn(response.status_code, (400, 409))
                self.assertIn(message, response.json()["error"])
                self.assertEqual(session.state, "failed")
                self._assert_untouched()

    def test_pdf_route_guarded_by_the_token_and_the_owner(self):
        session, route = self._open_session()
        wrong = f"/vbdt_signature/agent/{session.id}/{'x' * 43}/pdf"
        self.assertEqual(self._get(wrong).status_code, 404)
        self.assertEqual(
            self._post(wrong, self.original, "application/pdf").status_code, 404
        )
        # another user's browser, even with the link, is refused
        self.rpc_login(self.clerk)
        response = self._get(route + "/pdf")
        self.assertEqual(response.status_code, 409)
        self.assertIn("belongs to", response.json()["error"])
        self.assertEqual(session.state, "pending")
        self._assert_untouched()
        # and the signer's own session works afterwards
        self.rpc_login(self.leader)
        self.assertEqual(self._sign_pdf_through_the_plugin(route).status_code, 200)
        self._assert_signed()
