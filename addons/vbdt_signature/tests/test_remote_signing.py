"""Remote signing through local fakes of VNPT SmartCA and Viettel MySign
(real HTTP on 127.0.0.1, keys of the test PKI): the signer starts, the
provider answers by polling or webhook, each document is signed as its owner
and verified; refusals, expiry, batches and attacks over JSON-RPC."""

import base64
import json
import time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin

from ..demo.fake_remote import (
    CLIENT_ID,
    CLIENT_SECRET,
    CONFIRM,
    EXPIRED_CERTIFICATE,
    REJECT,
    TIMEOUT,
    FakeProviders,
    account_from_credential,
)
from ..pades import verify_pdf
from .common import VbdtSignatureCommon, start_signing

CCCD = "025090000123"  # the leader's account at the provider (a CCCD number)


class RemoteSigningCase(JsonRpcMixin, VbdtSignatureCommon, HttpCase):
    """The leader's certificate at the fake VNPT SmartCA (and a MySign
    service), a draft waiting for their signature; helpers to start, confirm
    and check. No test of its own: shared by the remote signing classes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeProviders(
            {CCCD: account_from_credential(cls.pki.person)}, delay=0.2, timeout=60
        )
        cls.fake.__enter__()
        cls.addClassCleanup(cls.fake.__exit__, None, None, None)
        Providers = cls.env["vbdt.signature.remote.provider"]
        cls.smartca = Providers.create(
            {
                "name": "VNPT SmartCA (thử nghiệm)",
                "provider": "vnpt_smartca",
                "base_url": cls.fake.url + "/sca/sp769",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "company_id": cls.province.id,
            }
        )
        cls.mysign = Providers.create(
            {
                "name": "Viettel MySign (thử nghiệm)",
                "provider": "viettel_mysign",
                "base_url": cls.fake.url,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "profile_id": "adss:ras:profile:001",
                "company_id": cls.province.id,
            }
        )
        cls.person_cert.active = False
        cls.remote_cert = cls.Certificate.create(
            {
                "kind": "person",
                "user_id": cls.leader.id,
                "company_id": cls.province.id,
                "backend": "remote",
                "remote_provider_id": cls.smartca.id,
                "remote_account": CCCD,
            }
        )
        cls.remote_cert.action_read_remote_certificate()

    def setUp(self):
        super().setUp()
        self.account = self.fake.accounts[CCCD]
        self.account.scenario, self.account.fail_index = CONFIRM, None
        self.document = self._signable()
        self._reach_signing_step(self.document)
        self.original = self._main_raw(self.document)

    # ------------------------------------------------------------ helpers
    def _start(self, documents=None):
        return start_signing(documents or self.document, self.leader)

    def _confirmed(self):
        time.sleep(self.fake.delay + 0.1)  # the signer confirms on the phone
        self.env["vbdt.signature.session"]._cron_poll_remote_sessions()
        self.env.invalidate_all()

    def _sign_events(self, document):
        return self.env["vbdt.audit.log"].search(
            [("document_id", "=", document.id), ("event", "=", "sign")]
        )

    def _assert_untouched(self, document=None):
        document = document or self.document
        self.env.invalidate_all()
        self.assertEqual(self._main_raw(document), self.original)
        self.assertEqual(document.signature_status, "unsigned")
        self.assertFalse(self._sign_events(document))

    def _assert_signed(self, document=None):
        document = document or self.document
        report = verify_pdf(
            self._main_raw(document),
            self.env["vbdt.signature.trust.anchor"]._vbdt_anchors(),
        )
        self.assertTrue(report.has_valid_person_signature)
        self.assertEqual(
            report.signatures[0].signer.serial_number, self.remote_cert.serial_number
        )
        self.assertEqual(len(self._sign_events(document)), 1)

    def _service(self, provider, **values):
        return self.env["vbdt.signature.remote.provider"].create(
            {
                "name": provider,
                "provider": provider,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "company_id": self.province.id,
                **values,
            }
        )


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestRemoteSigning(RemoteSigningCase):
    # ------------------------------------------------------------ flows
    def test_certificate_read_from_the_service(self):
        self.assertEqual(
            self.remote_cert.serial_number,
            format(self.pki.person.certificate.serial_number, "X"),
        )
        self.assertIn("BEGIN CERTIFICATE", self.remote_cert.chain_pem)

    def test_smartca_confirmed_on_the_phone_then_polled(self):
        session = self._start()
        self.assertEqual(session.channel, "remote")
        self.assertEqual(session.state, "pending")
        self.assertEqual(session.remote_outcome, "waiting")
        self.assertEqual(session.remote_message, "sig_wait_for_user_confirm")
        self.assertEqual(session.remote_service, "VNPT SmartCA")
        # the clerk sees the request waiting, nothing is signed yet
        waiting = self.document.with_user(self.clerk).vbdt_remote_signing
        self.assertIn(self.leader.name, waiting)
        self.assertIn("Waiting for Confirmation", waiting)
        self._assert_untouched()

        self._confirmed()

        self.assertEqual(session.state, "done")
        self.assertEqual(session.remote_outcome, "signed")
        self.assertFalse(self.document.vbdt_remote_signing)
        self.assertEqual(self.document.signature_status, "incomplete")
        self._assert_signed()

    def test_mysign(self):
        # The administrator names the account only: Read from Service keeps
        # the credential MySign answered, which signHash needs.
        self.remote_cert.write(
            {"remote_provider_id": self.mysign.id, "remote_credential_id": False}
        )
        self.remote_cert.action_read_remote_certificate()
        self.assertEqual(
            self.remote_cert.remote_credential_id, self.account.credential_id
        )
        session = self._start()
        self.assertEqual(session.remote_service, "Viettel MySign")
        self.assertEqual(session.remote_outcome, "waiting")
        session.with_user(self.leader).action_remote_check()  # too early
        self.assertEqual(session.state, "pending")
        time.sleep(self.fake.delay + 0.1)
        session.with_user(self.leader).action_remote_check()
        self.env.invalidate_all()
        self.assertEqual(session.state, "done")
        self._assert_signed()

    def test_rejected_then_sent_again(self):
        self.account.scenario = REJECT
        session = self._start()
        self._confirmed()
        self.assertEqual(session.state, "failed")
        self.assertEqual(session.remote_outcome, "rejected")
        self.assertIn("refused the request", session.error)
        self.assertTrue(
            any(
                "was not applied" in (m.body or "")
                and self.leader.partner_id in m.partner_ids
                for m in self.document.message_ids
            )
        )
        self._assert_untouched()

        self.account.scenario = CONFIRM
        action = session.with_user(self.leader).action_remote_retry()
        again = self.env["vbdt.signature.session"].browse(action["res_id"])
        self.assertNotEqual(again, session)
        self._confirmed()
        self.assertEqual(again.state, "done")
        self._assert_signed()

    def test_stuck_request_expires_by_cron(self):
        self.account.scenario = TIMEOUT
        session = self._start()
        self._confirmed()
        self.assertEqual(session.state, "pending")  # still waiting
        session.sudo().expires_at = "2020-01-01 00:00:00"
        self._confirmed()
        self.assertEqual(session.state, "failed")
        self.assertEqual(session.remote_outcome, "timeout")
        self.assertIn("no answer before the time allowed", session.error)
        self._assert_untouched()
        self._assert_untouched()

    def test_certificate_refused_by_the_service(self):
        self.account.scenario = EXPIRED_CERTIFICATE
        with self.assertRaises(UserError) as caught:
            self._start()
        self.assertIn("refused the signing request", str(caught.exception))
        self.assertFalse(
            self.env["vbdt.signature.session"].search(
                [("document_id", "=", self.document.id)]
            )
        )
        self._assert_untouched()

    def test_service_signs_with_another_certificate(self):
        """The service's certificate must be the one registered for the signer."""
        self.fake.accounts[CCCD] = account_from_credential(self.pki.revoked)
        self.addCleanup(self.fake.accounts.__setitem__, CCCD, self.account)
        with self.assertRaises(UserError) as caught:
            self._start()
        self.assertIn("with another certificate", str(caught.exception))
        self._assert_untouched()

    def test_batch_of_20_one_failing(self):
        documents = self.document
        for _index in range(19):
            document = self._signable()
            self._reach_signing_step(document)
            documents |= document
        self.account.fail_index = 7  # the service's value for one is wrong
        requests_before = len(self.fake.requests)
        sessions = self._start(documents)
        self.assertEqual(len(sessions), 20)
        self.assertEqual(
            len(self.fake.requests), requests_before + 1
        )  # one confirmation
        self.assertEqual(set(sessions.mapped("remote_batch_size")), {20})

        self._confirmed()

        failed = sessions.filtered(lambda s: s.state == "failed")
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed.remote_index, 7)
        self.assertIn("does not match", failed.error)
        self._assert_untouched(failed.document_id)
        for session in sessions - failed:
            self.assertEqual(session.state, "done")
            self._assert_signed(session.document_id)

    def test_batch_needs_a_remote_certificate(self):
        self.remote_cert.active = False
        self.person_cert.active = True
        with self.assertRaises(UserError) as caught:
            self.document.with_user(self.leader).action_sign_person_batch()
        self.assertIn("remote signing service", str(caught.exception))

    def test_neac_gateway_result_by_webhook(self):
        """The national gateway, the CA addressed by name; its webhook names
        our transaction."""
        neac = self._service(
            "neac_esign", base_url=self.fake.url + "/neac", ca_name="VNPT-CA"
        )
        self.remote_cert.remote_provider_id = neac
        session = self._start()
        self.assertEqual(session.remote_service, "NEAC eSign")
        self.assertEqual(session.remote_outcome, "waiting")
        self.assertEqual(session.remote_transaction, session.remote_reference)
        self._assert_untouched()
        time.sleep(self.fake.delay + 0.1)
        payload = self.fake.webhook_payload(session.remote_transaction)
        token = neac.sudo().webhook_token
        response = self._post(f"/vbdt_signature/remote/{neac.id}/{token}", payload)
        self.assertEqual(response.json(), {"status": "applied"})
        self.assertEqual(session.state, "done")
        self._assert_signed()

    def test_neac_without_ca_name_refused_before_any_call(self):
        neac = self._service("neac_esign", base_url=self.fake.url + "/neac")
        self.remote_cert.remote_provider_id = neac
        calls = len(self.fake.calls)
        with self.assertRaises(UserError) as caught:
            self._start()
        self.assertIn("no CA name", str(caught.exception))
        self.assertEqual(len(self.fake.calls), calls)
        self._assert_untouched()

    def test_totp_service_needs_a_code(self):
        """SmartCA's TOTP variant without an enrolled secret: the documents
        are prepared and wait for the code the signer types; nothing is sent
        before it, nothing signed (TestRemoteCode types it)."""
        totp = self._service("vnpt_smartca_totp", base_url=self.fake.url + "/sca/sp769")
        self.remote_cert.remote_provider_id = totp
        session = self._start()
        self.assertEqual(session.state, "pending")
        self.assertEqual(session.remote_outcome, "code")
        self.assertEqual(session.remote_code_kind, "otp")
        self.assertNotIn("/sca/sp769/v2/signatures/sign", self.fake.calls)
        self._assert_untouched()

    # ------------------------------------------------------------ webhook
    def _webhook_path(self, token=None):
        token = token or self.smartca.sudo().webhook_token
        return f"/vbdt_signature/remote/{self.smartca.id}/{token}"

    def _post(self, path, payload):
        self.env.flush_all()
        response = self.url_open(
            path,
            data=json.dumps(payload) if not isinstance(payload, bytes) else payload,
            headers={"Content-Type": "application/json"},
        )
        self.env.invalidate_all()
        return response

    def test_webhook_applies_once(self):
        session = self._start()
        time.sleep(self.fake.delay + 0.1)
        payload = self.fake.webhook_payload(session.remote_transaction)
        self.assertEqual(payload["transaction_id"], session.remote_reference)

        # a wrong secret is refused and changes nothing
        response = self._post(self._webhook_path("x" * 43), payload)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(session.state, "pending")
        self.assertEqual(
            self._post(self._webhook_path(), b"{not json").status_code, 400
        )

        response = self._post(self._webhook_path(), payload)
        self.assertEqual(response.json(), {"status": "applied"})
        self.assertEqual(session.state, "done")
        self._assert_signed()
        signed = self._main_raw(self.document)

        # replayed: nothing happens again
        response = self._post(self._webhook_path(), payload)
        self.assertEqual(response.json(), {"status": "ignored"})
        self.assertEqual(self._main_raw(self.document), signed)
        self.assertEqual(len(self._sign_events(self.document)), 1)

    def test_forged_webhook_value_never_signs(self):
        """A webhook with the right secret but a value that is not the
        signer's over this digest closes the session, the PDF untouched."""
        session = self._start()
        time.sleep(self.fake.delay + 0.1)
        payload = self.fake.webhook_payload(session.remote_transaction)
        forged = base64.b64encode(bytes(range(256))).decode()
        payload["signed_files"][0]["signature_value"] = forged
        response = self._post(self._webhook_path(), payload)
        self.assertEqual(response.json(), {"status": "applied"})
        self.assertEqual(session.state, "failed")
        self._assert_untouched()

    # ------------------------------------------------------------ attacks
    def test_only_the_signer_starts_and_follows(self):
        for login in ("clerk", "specialist", "head"):
            self.assertRefused(
                login, "vbdt.document", "action_sign_person", [[self.document.id]]
            )
            self.assertRefused(
                login,
                "vbdt.document",
                "action_sign_person_batch",
                [[self.document.id]],
            )
        self.env.invalidate_all()
        self.assertFalse(
            self.env["vbdt.signature.session"].search(
                [("document_id", "=", self.document.id)]
            )
        )
        session = self._start()
        for method in ("action_remote_check", "action_remote_retry", "action_cancel"):
            self.assertRefused(
                "clerk", "vbdt.signature.session", method, [[session.id]]
            )
        self.assertRefused(
            "clerk",
            "vbdt.signature.session",
            "write",
            [[session.id], {"state": "done"}],
        )
        self.env.invalidate_all()
        self.assertEqual(session.state, "pending")
        self._assert_untouched()
        # the clerk follows it on the document
        result = self.call_kw(
            "clerk",
            "vbdt.document",
            "read",
            [[self.document.id], ["vbdt_remote_signing"]],
        )
        self.assertIn(self.leader.name, result[0]["vbdt_remote_signing"])

    def test_service_settings_are_administrators_only(self):
        for login in ("leader", "clerk"):
            self.assertRefused(
                login,
                "vbdt.signature.remote.provider",
                "read",
                [[self.smartca.id], ["name"]],
            )
            self.assertRefused(
                login,
                "vbdt.signature.remote.provider",
                "write",
                [[self.smartca.id], {"base_url": "https://evil.example"}],
            )
        self.assertRefused(
            "leader",
            "vbdt.signature.certificate",
            "write",
            [[self.remote_cert.id], {"remote_account": "someone-else"}],
        )
        self.env.invalidate_all()
        self.assertEqual(self.smartca.base_url, self.fake.url + "/sca/sp769")
        self.assertEqual(self.remote_cert.remote_account, CCCD)
        sealed = self.smartca.sudo().client_secret_sealed
        self.assertTrue(sealed)
        self.assertNotIn(CLIENT_SECRET, sealed)
