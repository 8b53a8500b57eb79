"""Following a remote signature from the web client: the status route the
session form polls (the signer's own sessions only), a stuck request ending
as "timeout" and sent again, the code (OTP / PIN) some services need, typed
once and never kept; browser tours on a desktop and a phone-sized screen
against the fake VNPT SmartCA."""

import base64
import json
import logging
import os
import time
from contextlib import contextmanager

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.vbdt_document.tests.phone import PhoneTourMixin
from odoo.addons.vbdt_document.tests.rpc import RpcError

from ..demo.fake_remote import (
    CLIENT_ID,
    CLIENT_SECRET,
    CONFIRM,
    TIMEOUT,
    account_from_credential,
)
from ..pades import verify_pdf
from ..pades.remote.smartca_totp import totp_code
from .test_remote_signing import RemoteSigningCase

STATUS = "/vbdt_signature/remote/status/%s"
CODE = "/vbdt_signature/remote/code/%s"
REFUSED = (
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.http.SessionExpiredException",
)


class RemoteRouteMixin:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # another leader of the same agency: not the signer of the session
        cls.other_leader = cls._user("other_leader", "leader")

    def route(self, user, path, params=None):
        """POST a JSON-RPC call to ``path`` as ``user`` (None: not logged
        in); the result, or :class:`RpcError`."""
        if user is None:
            self.session = None
            self.opener.cookies.clear()
            self._vbdt_sid = None
        else:
            self.rpc_login(user)
        self._vbdt_sync()
        return self.json_rpc(path, params or {})

    def assertRouteRefused(self, user, path, params=None):
        with mute_logger("odoo.http"), self.assertRaises(RpcError) as caught:
            self.route(user, path, params)
        self.assertIn(caught.exception.name, REFUSED, caught.exception.message)
        return caught.exception

    def _snapshot(self, session):
        self.env.invalidate_all()
        return (
            session.state,
            session.remote_outcome,
            session.remote_checked_at,
            session.remote_code_attempts,
            len(self.fake.calls),
        )


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestRemoteWaitStatus(RemoteRouteMixin, RemoteSigningCase):
    def test_signer_follows_until_signed(self):
        session = self._start()
        status = self.route(self.leader, STATUS % session.id)
        self.assertEqual(status["state"], "pending")
        self.assertEqual(status["outcome"], "waiting")
        self.assertEqual(status["outcome_label"], "Waiting for Confirmation")
        self.assertEqual(status["message"], "sig_wait_for_user_confirm")
        self.assertEqual(status["service"], "VNPT SmartCA")
        self.assertGreater(status["seconds_left"], 200)
        self.assertLessEqual(status["seconds_left"], 300)
        self.assertFalse(status["retryable"])
        self._assert_untouched()

        time.sleep(self.fake.delay + 0.1)  # confirmed on the phone
        session.sudo().remote_checked_at = "2020-01-01 00:00:00"
        status = self.route(self.leader, STATUS % session.id)
        self.assertEqual(status["state"], "done")
        self.assertEqual(status["outcome"], "signed")
        self.assertEqual(status["seconds_left"], 0)
        self._assert_signed()

    def test_status_asks_the_provider_at_most_every_few_seconds(self):
        session = self._start()
        self.route(self.leader, STATUS % session.id)
        calls = len(self.fake.calls)
        self.route(self.leader, STATUS % session.id)  # within 2 s: from the record
        self.assertEqual(len(self.fake.calls), calls)

    def test_only_the_signer_follows(self):
        session = self._start()
        before = self._snapshot(session)
        for user in (self.clerk, self.head, self.specialist, self.other_leader, None):
            refusal = self.assertRouteRefused(user, STATUS % session.id)
            self.assertNotIn("sig_wait_for_user_confirm", refusal.message)
            self.assertRouteRefused(user, CODE % session.id, {"code": "123456"})
        self.assertEqual(self._snapshot(session), before)
        self._assert_untouched()
        # an agent (USB token) session is not followed here either
        self.assertRouteRefused(self.leader, STATUS % 999999999)

    def test_stuck_request_times_out_and_is_sent_again(self):
        self.account.scenario = TIMEOUT
        session = self._start()
        self.assertEqual(
            self.route(self.leader, STATUS % session.id)["state"], "pending"
        )
        session.sudo().expires_at = "2020-01-01 00:00:00"  # nobody ever answered
        status = self.route(self.leader, STATUS % session.id)
        self.assertEqual(status["state"], "failed")
        self.assertEqual(status["outcome"], "timeout")
        self.assertEqual(status["outcome_label"], "Timed Out")
        self.assertIn("no answer before the time allowed", status["error"])
        self.assertTrue(status["retryable"])
        self._assert_untouched()  # never half-signed
        self.assertTrue(
            any("cancel" in call or "/status" in call for call in self.fake.calls)
        )

        self.account.scenario = CONFIRM
        action = self.call_kw(
            self.leader, "vbdt.signature.session", "action_remote_retry", [[session.id]]
        )
        again = self.env["vbdt.signature.session"].browse(action["res_id"])
        self.assertNotEqual(again, session)
        time.sleep(self.fake.delay + 0.1)
        again.sudo().remote_checked_at = "2020-01-01 00:00:00"  # asked long ago
        status = self.route(self.leader, STATUS % again.id)
        self.assertEqual(status["state"], "done")
        self._assert_signed()

    def test_late_answer_after_the_timeout_changes_nothing(self):
        """The provider signs after our deadline (and despite the
        cancellation): its webhook is ignored, the PDF untouched."""
        self.addCleanup(setattr, self.fake, "delay", self.fake.delay)
        self.fake.delay = 60  # the signer is slow
        session = self._start()
        session.sudo().expires_at = "2020-01-01 00:00:00"
        status = self.route(self.leader, STATUS % session.id)  # still waiting: out
        self.assertEqual(status["outcome"], "timeout")
        self.fake.delay = 0
        self.fake.requests[session.remote_transaction].cancelled = False
        payload = self.fake.webhook_payload(session.remote_transaction)
        self.assertTrue(payload["signed_files"][0]["signature_value"])
        self.env.flush_all()
        response = self.url_open(
            f"/vbdt_signature/remote/{self.smartca.id}/{self.smartca.sudo().webhook_token}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.env.invalidate_all()
        self.assertEqual(response.json(), {"status": "ignored"})
        self.assertEqual(session.remote_outcome, "timeout")
        self._assert_untouched()


@contextmanager
def captured_logs():
    """Every record logged meanwhile (all levels, the HTTP worker's too)."""
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        root.setLevel(level)
        root.removeHandler(handler)


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestRemoteCode(RemoteRouteMixin, RemoteSigningCase):
    def setUp(self):
        super().setUp()
        self.account.totp_secret = base64.b32encode(os.urandom(20)).decode()
        self.addCleanup(setattr, self.account, "totp_secret", "")
        self.addCleanup(setattr, self.account, "pin", "")
        self.totp = self._service(
            "vnpt_smartca_totp", base_url=self.fake.url + "/sca/sp769"
        )
        self.remote_cert.remote_provider_id = self.totp

    def _wrong_code(self):
        right = totp_code(self.account.totp_secret)
        return next(c for c in ("000000", "111111") if c != right)

    def _assert_code_nowhere(self, code, session, logs):
        self.env.invalidate_all()
        stored = json.dumps(session.sudo().read()[0], default=str)
        self.assertNotIn(code, stored)
        bodies = " ".join(self.document.sudo().message_ids.mapped("body"))
        self.assertNotIn(code, bodies)
        self.assertTrue(logs)  # the capture works: the server did log
        self.assertFalse([line for line in logs if code in line])

    def test_totp_code_typed_by_the_signer(self):
        session = self._start()
        self.assertEqual(session.remote_outcome, "code")
        calls = len(self.fake.calls)
        status = self.route(self.leader, STATUS % session.id)
        self.assertEqual(status["code_kind"], "otp")
        self.assertEqual(status["outcome_label"], "Waiting for Your Code")

        status = self.route(self.leader, CODE % session.id, {"code": "12ab"})
        self.assertIn("6 digits", status["code_error"])
        self.assertEqual(len(self.fake.calls), calls)  # nothing sent yet

        wrong = self._wrong_code()
        status = self.route(self.leader, CODE % session.id, {"code": wrong})
        self.assertIn("did not accept the code", status["code_error"])
        self.assertIn("2 attempt(s) left", status["code_error"])
        self.assertEqual(status["state"], "pending")
        self.assertEqual(status["outcome"], "code")
        self._assert_untouched()

        code = totp_code(self.account.totp_secret)
        with captured_logs() as logs:
            status = self.route(self.leader, CODE % session.id, {"code": code})
        self.assertEqual(status["state"], "done", status)
        self.assertEqual(status["outcome"], "signed")
        self._assert_signed()
        self._assert_code_nowhere(code, session, logs)

    def test_three_wrong_codes_close_the_request(self):
        session = self._start()
        for _attempt in range(3):
            status = self.route(
                self.leader, CODE % session.id, {"code": self._wrong_code()}
            )
        self.assertEqual(status["state"], "failed")
        self.assertEqual(status["outcome"], "failed")
        self.assertIn("refused the code 3 times", status["error"])
        self.assertTrue(status["retryable"])
        self._assert_untouched()
        self.assertRouteRefused(
            self.leader,
            CODE % session.id,
            {"code": totp_code(self.account.totp_secret)},
        )
        self._assert_untouched()

    def test_csc_explicit_credential_asks_for_the_pin(self):
        self.account.pin = "482916"
        csc = self._service("csc_v1", base_url=self.fake.url)
        self.remote_cert.remote_provider_id = csc
        self.remote_cert.remote_credential_id = self.account.credential_id
        session = self._start()
        self.assertEqual(session.remote_outcome, "code")
        self.assertEqual(session.remote_code_kind, "pin")
        status = self.route(self.leader, CODE % session.id, {"code": "000000"})
        self.assertIn("did not accept the code", status["code_error"])
        self._assert_untouched()
        with captured_logs() as logs:
            status = self.route(self.leader, CODE % session.id, {"code": "482916"})
        self.assertEqual(status["state"], "done", status)
        self._assert_signed()
        self._assert_code_nowhere("482916", session, logs)

    def test_only_the_signer_types_the_code(self):
        session = self._start()
        before = self._snapshot(session)
        code = totp_code(self.account.totp_secret)
        for user in (self.clerk, self.other_leader, None):
            self.assertRouteRefused(user, CODE % session.id, {"code": code})
        self.assertEqual(self._snapshot(session), before)
        self._assert_untouched()
        # nor through the ORM
        self.assertRefused(
            "clerk",
            "vbdt.signature.session",
            "_vbdt_remote_submit_code",
            [[session.id], code],
        )
        self.assertEqual(self._snapshot(session), before)


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestRemoteWaitTour(RemoteSigningCase):
    """The leader signs through the fake SmartCA and follows the request on
    the session dialog until it is signed, without clicking Check Now."""

    def test_wait_tour(self):
        self.start_tour(
            f"/odoo/vbdt.document/{self.document.id}",
            "vbdt_signature_remote_wait_tour",
            login=self.leader.login,
        )
        session = self.env["vbdt.signature.session"].search(
            [("document_id", "=", self.document.id)], limit=1
        )
        self.assertEqual(session.state, "done")
        self._assert_signed()


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestPhoneRemoteSignTour(PhoneTourMixin, RemoteSigningCase):
    """From a phone: the leader signs one draft, then a batch of two, through
    the fake SmartCA, following each request until it is signed."""

    def test_phone_sign_one_then_a_batch(self):
        self.start_tour(
            f"/odoo/vbdt.document/{self.document.id}",
            "vbdt_signature_remote_phone_tour",
            login=self.leader.login,
        )
        self._assert_signed()

        batch = self._signable() | self._signable()
        for index, document in enumerate(batch, 1):
            document.subject = f"PHONE-BATCH-{index} {document.subject}"
            self._reach_signing_step(document)
        self.start_tour(
            "/odoo/van-ban-di?view_type=list",
            "vbdt_signature_remote_batch_tour",
            login=self.leader.login,
        )
        sessions = self.env["vbdt.signature.session"].search(
            [("document_id", "in", batch.ids)]
        )
        self.assertEqual(len(sessions), 2)
        self.assertEqual(set(sessions.mapped("remote_batch_size")), {2})
        self.assertEqual(len(set(sessions.mapped("remote_reference"))), 1)
        for document in batch:
            self._assert_signed(document)


SEAL_ACCOUNT = "0100000001-SEAL"


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestRemoteSeal(RemoteSigningCase):
    """The agency seal at VNPT SmartCA's TOTP variant with its enrolled
    secret: the clerk's issuing seals through the provider at once, the
    result verifies like a server-side seal; a service that waits for a
    phone cannot seal, and nothing is issued."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        secret = base64.b32encode(os.urandom(20)).decode()
        cls.fake.accounts[SEAL_ACCOUNT] = account_from_credential(
            cls.pki.organisation, totp_secret=secret
        )
        cls.totp = cls.env["vbdt.signature.remote.provider"].create(
            {
                "name": "SmartCA TOTP",
                "provider": "vnpt_smartca_totp",
                "base_url": cls.fake.url + "/sca/sp769",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "company_id": cls.province.id,
            }
        )
        cls.seal_cert.active = False
        cls.remote_seal = cls.Certificate.create(
            {
                "kind": "organisation",
                "company_id": cls.province.id,
                "backend": "remote",
                "remote_provider_id": cls.totp.id,
                "remote_account": SEAL_ACCOUNT,
                "remote_totp_secret": secret,
            }
        )
        cls.remote_seal.action_read_remote_certificate()

    def _signed_by_the_leader(self):
        session = self._start()
        self._confirmed()
        self.assertEqual(session.state, "done")

    def test_issuing_seals_through_the_provider(self):
        self.assertNotIn(
            self.fake.accounts[SEAL_ACCOUNT].totp_secret,
            str(self.remote_seal.sudo().remote_totp_sealed),
        )
        self._signed_by_the_leader()
        calls = len(self.fake.calls)
        self.document.with_user(self.clerk).action_issue()
        self.assertEqual(self.document.state, "issued")
        self.assertIn("/sca/sp769/v2/signatures/confirm", self.fake.calls[calls:])
        report = verify_pdf(
            self._main_raw(self.document),
            self.env["vbdt.signature.trust.anchor"]._vbdt_anchors(),
        )
        self.assertTrue(report.complete)
        seal = next(s for s in report.signatures if s.kind == "organisation")
        self.assertEqual(seal.signer.serial_number, self.remote_seal.serial_number)
        self.assertEqual(self.document.signature_status, "valid")

    def test_a_service_waiting_for_a_phone_cannot_seal(self):
        self._signed_by_the_leader()
        signed = self._main_raw(self.document)
        self.remote_seal.remote_provider_id = self.smartca
        with self.assertRaises(UserError) as caught:  # rolled back (savepoint)
            self.document.with_user(self.clerk).action_issue()
        self.assertIn("asks for a confirmation", str(caught.exception))
        self.env.invalidate_all()
        self.assertNotEqual(self.document.state, "issued")
        self.assertFalse(self.document.code)
        self.assertEqual(self._main_raw(self.document), signed)
