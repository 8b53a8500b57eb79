import base64
import hashlib
import io

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..agent import vbdt_sign_agent as agent
from ..pades import verify_pdf
from .common import VbdtSignatureCommon, b64
from .softhsm import SOFTHSM_LIBRARY, TOKEN_PIN, softhsm_token


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestLocalTokenSigning(HttpCase, VbdtSignatureCommon):
    """A person certificate on a USB token of the signer's own computer:
    Sign Digitally opens a session, the reference agent signs the digest
    with the token (SoftHSM2) over real HTTP, the server finishes, verifies
    and signs the document; every refusal leaves the document untouched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        softhsm_token(cls.pki)
        cls._register_local_certificate()

    def setUp(self):
        super().setUp()
        self.document = self._signable()
        self._reach_signing_step(self.document)
        self.original = self._main_raw(self.document)

    def _open_session(self):
        action = self.document.with_user(self.leader).action_sign_person()
        self.assertEqual(action["res_model"], "vbdt.signature.session")
        self.assertEqual(action["target"], "new")
        return (
            self.env["vbdt.signature.session"]
            .with_user(self.leader)
            .browse(action["res_id"])
        )

    def _run_agent(self, session, **kwargs):
        self.env.flush_all()  # the server reads the same cursor
        return agent.run(
            session.agent_url, SOFTHSM_LIBRARY, TOKEN_PIN, out=io.StringIO(), **kwargs
        )

    def test_agent_signs_with_the_token(self):
        session = self._open_session()
        self.assertEqual(session.state, "pending")
        self.assertIn(f"/vbdt_signature/agent/{session.id}/", session.agent_url)
        self.assertEqual(self.document.signature_status, "unsigned")  # nothing yet

        answer = self._run_agent(session)

        self.assertEqual(answer["status"], "done")
        self.env.invalidate_all()
        self.assertEqual(session.state, "done")
        self.assertEqual(session.action_check()["type"], "ir.actions.act_window_close")
        self.assertEqual(self.document.signature_status, "incomplete")
        report = verify_pdf(
            self._main_raw(self.document),
            self.env["vbdt.signature.trust.anchor"]._vbdt_anchors(),
        )
        self.assertTrue(report.has_valid_person_signature)
        self.assertEqual(
            report.signatures[0].signer.serial_number, self.token_cert.serial_number
        )
        self.assertIn(
            self.document.main_file_id.checksum_sha256,
            self.env["vbdt.audit.log"]
            .search([("document_id", "=", self.document.id), ("event", "=", "sign")])
            .description,
        )
        self.assertTrue(
            any(
                "Signed digitally by" in (m.body or "")
                for m in self.document.message_ids
            )
        )
        if (
            "review_ids" in self.document._fields
        ):  # vbdt_workflow: the signer step is done
            self.assertEqual(self.document.state, "signed")
        # one-time: the link is spent
        with self.assertRaisesRegex(agent.AgentError, "already completed"):
            self._run_agent(session)

    def test_raw_mechanism(self):
        session = self._open_session()
        self.assertEqual(self._run_agent(session, raw=True)["status"], "done")
        self.env.invalidate_all()
        self.assertEqual(self.document.signature_status, "incomplete")

    def test_check_before_the_agent_and_cancel(self):
        session = self._open_session()
        self.assertEqual(session.action_check()["tag"], "display_notification")
        session.action_cancel()
        self.assertEqual(session.state, "cancelled")
        with self.assertRaisesRegex(agent.AgentError, "closed"):
            self._run_agent(session)
        self._assert_untouched()

    def test_expired_session(self):
        session = self._open_session()
        session.sudo().expires_at = "2020-01-01 00:00:00"
        with self.assertRaisesRegex(agent.AgentError, "expired"):
            self._run_agent(session)
        with self.assertRaisesRegex(UserError, "expired"):
            session.action_check()
        self._assert_untouched()

    def test_wrong_user(self):
        session = self._open_session()
        # the session is invisible to anyone else
        with self.assertRaises(AccessError):
            session.with_user(self.clerk).action_check()
        # a browser logged in as someone else cannot use the link
        self.env.flush_all()
        self.authenticate(self.clerk.login, self.clerk.login)
        response = self.url_open(session.agent_url.split("?")[0])
        self.assertEqual(response.status_code, 409)
        self.assertIn("belongs to", response.json()["error"])
        self._assert_untouched()

    def test_signature_by_another_certificate(self):
        session = self._open_session()
        with self.assertRaisesRegex(agent.AgentError, "another certificate"):
            self._run_agent(session, key_label="other")
        self.env.invalidate_all()
        self.assertEqual(session.state, "failed")
        self._assert_untouched()

    def test_another_key_without_its_certificate(self):
        session = self._open_session()
        self.env.flush_all()
        client = agent.SessionClient(session.agent_url)
        job = client.fetch()
        signature, _certificate = agent.sign_with_token(
            job, SOFTHSM_LIBRARY, TOKEN_PIN, key_label="other"
        )
        with self.assertRaisesRegex(agent.AgentError, "does not match"):
            client.post(job, signature, None)
        self._assert_untouched()

    def test_tampered_digest(self):
        session = self._open_session()
        self.env.flush_all()
        client = agent.SessionClient(session.agent_url)
        job = client.fetch()
        # someone between the server and the agent swaps what is signed
        forged = base64.b64decode(job["signed_attributes"]) + b"\x00"
        job = dict(
            job,
            signed_attributes=base64.b64encode(forged).decode(),
            digest=base64.b64encode(hashlib.sha256(forged).digest()).decode(),
        )
        signature, certificate = agent.sign_with_token(job, SOFTHSM_LIBRARY, TOKEN_PIN)
        with self.assertRaisesRegex(agent.AgentError, "digest signed is not"):
            client.post(job, signature, certificate)
        self._assert_untouched()

    def test_bad_token_link(self):
        session = self._open_session()
        response = self.url_open(f"/vbdt_signature/agent/{session.id}/not-the-token")
        self.assertEqual(response.status_code, 404)

    def test_only_persons_use_local_tokens(self):
        with self.assertRaisesRegex(UserError, "Only a person certificate"):
            self.Certificate.create(
                {
                    "kind": "organisation",
                    "company_id": self.province.id,
                    "backend": "local",
                    "certificate_file": b64(self.pki.organisation.certificate_pem),
                }
            )
        with self.assertRaisesRegex(UserError, "signing agent"):
            self.token_cert._vbdt_backend_unchecked()
