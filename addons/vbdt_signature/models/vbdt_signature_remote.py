"""Remote signing (VNPT SmartCA, Viettel MySign, CSC services) on top of the
deferred signing sessions: the server prepares each PDF (phase 1), asks the
provider to sign the digests (one confirmation for a batch), and finishes
each document (phase 2) when the result comes, by polling or by webhook.

A session stays ``pending`` while the signer has not confirmed; its
``remote_outcome`` says what the provider answered. Nothing is written to a
document before its signature value arrived, matched the registered
certificate and the session's digest, and the signed PDF verified.
"""

import base64
import logging
import secrets
from collections import defaultdict
from datetime import timedelta

from cryptography import x509

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.vbdt_document import secret_store

from ..pades import PersonAppearance, RemoteBackend, begin_signing
from ..pades.errors import PadesError
from ..pades.remote import Account, Authorisation, Job, Outcome, raw_signature
from ..pades.remote.base import split_batches
from ..pades.remote.immediate import ImmediateSigningService
from ..tools import user_error
from .vbdt_document import _with_fields

_logger = logging.getLogger(__name__)
secret_store.register("vbdt.signature.certificate", "remote_totp_sealed")
MANAGER = "vbdt_document.vbdt_document_group_manager"
OUTCOMES = [
    ("code", "Waiting for Your Code"),
    ("waiting", "Waiting for Confirmation"),
    ("signed", "Confirmed and Signed"),
    ("rejected", "Rejected by the Signer"),
    ("expired", "Expired"),
    ("timeout", "Timed Out"),
    ("certificate", "Certificate Refused"),
    ("failed", "Failed"),
]
POLL_LIMIT = 200
"""Transactions polled per cron run (each costs a call to the provider)."""
STATUS_POLL_SECONDS = 2
"""The status route asks the provider at most this often per request (the
page asks the route every few seconds)."""
CODE_ATTEMPTS = 3
"""Codes refused by the service before the request is closed."""
CODE_KINDS = [("otp", "One-Time Code"), ("pin", "PIN")]


class VbdtSignatureCertificate(models.Model):
    _inherit = "vbdt.signature.certificate"

    remote_provider_id = fields.Many2one(
        "vbdt.signature.remote.provider",
        string="Remote Signing Service",
        groups=MANAGER,
        check_company=True,
    )
    remote_account = fields.Char(
        string="Account at the Service",
        groups=MANAGER,
        help="How the service names the signer: the CCCD number at VNPT "
        "SmartCA, the user id at Viettel MySign or a CSC service.",
    )
    remote_credential_id = fields.Char(
        string="Credential",
        groups=MANAGER,
        help="Which of the account's certificates: its serial number at "
        "SmartCA, its credential id at MySign or a CSC service. Read from "
        "Service fills it in when the account has one.",
    )
    remote_totp_secret = fields.Char(
        string="TOTP Secret",
        store=False,
        groups=MANAGER,
        compute="_compute_remote_totp_secret",
        inverse="_inverse_remote_totp_secret",
        help="VNPT SmartCA (TOTP), agency seal: the base32 secret enrolled for "
        "the seal's account; the server computes each one-time code, so the "
        "clerk's issuing seals without a phone. Stored encrypted with the "
        "server key; never shown again.",
    )
    remote_totp_sealed = fields.Text(
        groups="base.group_system", copy=False, readonly=True
    )

    def _compute_remote_totp_secret(self):
        for certificate in self:
            certificate.remote_totp_secret = False

    def _inverse_remote_totp_secret(self):
        for certificate in self:
            if certificate.remote_totp_secret:
                # sudo: the sealed column is system-only; managers only write it
                certificate.sudo().remote_totp_sealed = (
                    certificate._vbdt_encrypt_secret(
                        "remote_totp_sealed",
                        certificate.remote_totp_secret.replace(" ", "").encode(),
                    )
                )

    def _vbdt_remote_service(self):
        """``(client, account)`` of a remote certificate, or ``None``."""
        self.ensure_one()
        # sudo: the connection and the account id are administrators'
        # settings; the signer only uses them through this certificate
        record = self.sudo()
        if record.backend != "remote" or not record.remote_provider_id:
            return None
        account = Account(
            (record.remote_account or "").strip(),
            (record.remote_credential_id or "").strip(),
            totp_secret=record._vbdt_decrypt_secret("remote_totp_sealed").decode(),
        )
        if not account.user_id:
            raise UserError(
                self.env._(
                    "Certificate %(certificate)s has no account at its remote signing "
                    "service: an administrator must set it.",
                    certificate=self.display_name,
                )
            )
        try:
            return record.remote_provider_id._vbdt_client(), account
        except PadesError as err:
            raise user_error(self.env, err) from None

    def _vbdt_remote_chain(self, client, account):
        """The provider's chain for ``account``; its certificate must be the
        one registered for the owner (their identity in the product)."""
        self.ensure_one()
        try:
            chain = client.certificate_chain(account)
        except PadesError as err:
            raise user_error(self.env, err) from None
        if not self.certificate_pem:
            raise UserError(
                self.env._(
                    "Certificate %(certificate)s was never read from its remote "
                    "signing service: an administrator must click Read from Service.",
                    certificate=self.display_name,
                )
            )
        if chain[0] != self._vbdt_certificate_chain()[0]:
            raise UserError(
                self.env._(
                    "The remote signing service signs for %(account)s with another "
                    "certificate (%(holder)s) than the one registered (%(registered)s, "
                    "serial %(serial)s): nothing was signed. An administrator must "
                    "read the certificate from the service again.",
                    account=account.user_id,
                    holder=_holder(chain[0]),
                    registered=self.display_name,
                    serial=self.serial_number,
                )
            )
        return chain

    def _vbdt_remote_backend(self):
        """An agency seal at a remote service that signs at once (SmartCA
        TOTP with the enrolled secret): issuing seals through it. A service
        that waits for a confirmation on a phone cannot seal while the clerk
        issues."""
        service = self._vbdt_remote_service()
        if not service:
            return super()._vbdt_remote_backend()
        client, account = service
        try:
            needs_code = client.code_needed(account)
        except PadesError as err:
            raise user_error(self.env, err) from None
        if self.kind != "organisation" or needs_code or client.authorisation != "otp":
            raise UserError(
                self.env._(
                    "Certificate %(certificate)s is at %(service)s, which asks for a "
                    "confirmation for each signature: an agency seal needs a service "
                    "that signs at once (VNPT SmartCA TOTP with the enrolled secret).",
                    certificate=self.display_name,
                    service=client.label,
                )
            )
        chain = self._vbdt_remote_chain(client, account)
        return RemoteBackend(
            ImmediateSigningService(client, account, chain, self.display_name)
        )

    def action_read_remote_certificate(self):
        """Administrators: fetch the certificate from the service (checks the
        connection, expiry and key usage) and register it."""
        for certificate in self:
            service = certificate._vbdt_remote_service()
            if not service:
                continue
            client, account = service
            try:
                credential, chain = client.read_credential(account)
            except PadesError as err:
                raise user_error(self.env, err) from None
            parsed = [x509.load_der_x509_certificate(der) for der in chain]
            vals = certificate._vbdt_certificate_vals(parsed[0], parsed[1:])
            if credential and not account.credential_id:
                # The service named the credential it read: later requests name it.
                vals["remote_credential_id"] = credential
            # sudo: the certificate's details are read from the service by the server
            certificate.sudo().write(vals)
        return True


class VbdtSignatureSession(models.Model):
    _inherit = "vbdt.signature.session"

    channel = fields.Selection(
        [("agent", "USB Token Agent"), ("remote", "Remote Signing Service")],
        required=True,
        default="agent",
        readonly=True,
    )
    remote_provider_id = fields.Many2one(
        "vbdt.signature.remote.provider",
        string="Remote Signing Service",
        readonly=True,
        ondelete="set null",
    )
    remote_service = fields.Char(string="Service", readonly=True)
    remote_reference = fields.Char(
        readonly=True, index=True, copy=False, help="Our id of the request."
    )
    remote_transaction = fields.Char(
        string="Provider Transaction",
        readonly=True,
        index=True,
        copy=False,
        help="The provider's id of the request.",
    )
    remote_index = fields.Integer(readonly=True)
    remote_batch_size = fields.Integer(string="Documents in the Request", readonly=True)
    remote_outcome = fields.Selection(OUTCOMES, string="Provider Answer", readonly=True)
    remote_message = fields.Char(string="Message from the Service", readonly=True)
    remote_checked_at = fields.Datetime(string="Last Checked", readonly=True)
    remote_code_kind = fields.Selection(
        CODE_KINDS,
        string="Code to Type",
        readonly=True,
        help="What the signer types before the request is sent (the code itself "
        "is passed to the service and never stored).",
    )
    remote_code_attempts = fields.Integer(string="Codes Refused", readonly=True)

    # ------------------------------------------------------------------ start
    @api.model
    def _vbdt_remote_start(self, prepared, certificate, client, account, code_kind=""):
        """Send the prepared documents to the provider, as few requests as it
        allows; ``prepared`` is a list of ``(session, pending)``. A refusal or
        an unreachable service raises (the caller's transaction, sessions
        included, is rolled back: nothing half-done). With ``code_kind``
        ("otp", "pin") nothing is sent yet: the signer types the code first
        (:meth:`_vbdt_remote_submit_code`)."""
        # sudo: the service's configuration (with its secrets) is used by the server
        config = certificate.sudo().remote_provider_id
        expires = fields.Datetime.now() + timedelta(minutes=config.request_minutes or 5)
        for group in split_batches(prepared, client.max_batch):
            reference = f"vbdt-{secrets.token_hex(12)}"
            for index, (session, _pending) in enumerate(group):
                # sudo: sessions are read-only to their owner; the server
                # records the request it makes for them
                session.sudo().write(
                    {
                        "channel": "remote",
                        "remote_provider_id": config.id,
                        "remote_service": client.label,
                        "remote_reference": reference,
                        "remote_transaction": reference,
                        "remote_index": index,
                        "remote_batch_size": len(group),
                        "remote_outcome": "code" if code_kind else "waiting",
                        "remote_code_kind": code_kind or False,
                        "remote_message": False,
                        "expires_at": expires,
                    }
                )
            if not code_kind:
                request = self.browse([s.id for s, _pending in group])
                request._vbdt_remote_send(client, account)

    def _vbdt_remote_send(self, client, account, authorisation=None):
        """Send the request these sessions make up; returns the provider's
        first answer. Raises ``UserError`` when the service cannot be reached,
        or refuses the request outright (but not a typed code: a FAILED
        answer to a request with a code is returned, for the signer to type
        it again)."""
        ordered, job = self._vbdt_remote_job()
        # sudo: the confirmation time is an administrator's setting
        config = ordered[0].sudo().remote_provider_id
        try:
            progress = client.start(account, job, authorisation)
        except PadesError as err:
            raise user_error(self.env, err) from None
        if progress.outcome is Outcome.CERTIFICATE or (
            progress.outcome is Outcome.FAILED and not authorisation
        ):
            raise UserError(
                self.env._(
                    "%(service)s refused the signing request: %(message)s",
                    service=client.label,
                    message=progress.message or progress.outcome.value,
                )
            )
        if progress.outcome is Outcome.FAILED:
            return progress
        # sudo: sessions are read-only to their owner; the server records the
        # request it made for them
        ordered.sudo().write(
            {
                "remote_transaction": progress.transaction_id or job.transaction_id,
                "remote_outcome": "waiting",
                "remote_message": (progress.message or "")[:250],
                "remote_checked_at": fields.Datetime.now(),
                "expires_at": fields.Datetime.now()
                + timedelta(minutes=config.request_minutes or 5),
            }
        )
        if progress.outcome is not Outcome.WAITING:  # answered at once
            ordered._vbdt_remote_apply(progress)
        return progress

    @api.model
    def _vbdt_remote_description(self, group):
        documents = [session.document_id for session, _pending in group]
        if len(documents) == 1:
            return documents[0].display_name
        return self.env._(
            "%(count)s documents of %(agency)s",
            count=len(documents),
            agency=documents[0].company_id.name,
        )

    # ------------------------------------------------------------------ result
    def _vbdt_remote_job(self):
        """The job these sessions (one request) were sent as."""
        ordered = self.sorted("remote_index")
        pendings = [session._vbdt_pending() for session in ordered]
        return ordered, Job(
            ordered[0].remote_reference,
            tuple(p.digest for p in pendings),
            pendings[0].digest_algorithm,
            description=self._vbdt_remote_description(
                [(session, None) for session in ordered]
            ),
            document_ids=tuple(_document_ref(s) for s in ordered),
        )

    def _vbdt_remote_apply(self, progress):
        """Apply the provider's answer to the sessions of one request:
        finish each document (its own savepoint), or close them all."""
        # sudo: the server records the provider's answer on the sessions (read-
        # only to their owner); each document is signed as its owner by
        # _vbdt_agent_finish, with the owner's rights
        request = self.sudo().search(
            [
                ("channel", "=", "remote"),
                ("remote_reference", "in", self.mapped("remote_reference")),
            ]
        )
        sessions = request._vbdt_lock_pending()
        if not sessions:
            return  # already settled (a replayed webhook, a cron racing it)
        now = fields.Datetime.now()
        message = (progress.message or "")[:250]
        if progress.outcome is Outcome.WAITING:
            # sudo: the session's progress is a server field
            sessions.sudo().write({"remote_message": message, "remote_checked_at": now})
            return
        if progress.outcome is not Outcome.SIGNED:
            reason = self._vbdt_outcome_text(progress.outcome, message)
            for session in sessions:
                session._vbdt_remote_close(progress.outcome.value, reason)
            return
        # the values answer the whole request, sessions cancelled meanwhile
        # included: match them on all of it, apply them to those still open
        ordered, job = request._vbdt_remote_job()
        try:
            values = progress.values_for(job)
        except PadesError as err:
            reason = user_error(self.env, err).args[0]
            for session in sessions:
                session._vbdt_remote_close("failed", reason)
            return
        for session, value in zip(ordered, values, strict=True):
            if session in sessions:
                session._vbdt_remote_finish(value)

    def _vbdt_lock_pending(self):
        """These sessions, locked, that are still pending remote ones."""
        if not self:
            return self
        self.env.cr.execute(
            "SELECT id FROM vbdt_signature_session WHERE id IN %s FOR UPDATE",
            [tuple(self.ids)],
        )
        self.invalidate_recordset()
        return self.filtered(lambda s: s.state == "pending" and s.channel == "remote")

    def _vbdt_remote_finish(self, value):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._vbdt_agent_finish(raw_signature(value), None, None)
        except PadesError as err:
            self._vbdt_remote_close("failed", user_error(self.env, err).args[0])
        except (UserError, AccessError) as err:
            self._vbdt_remote_close("failed", str(err.args[0]))
        else:
            # sudo: the session's outcome is a server field
            self.sudo().write(
                {"remote_outcome": "signed", "remote_checked_at": fields.Datetime.now()}
            )

    def _vbdt_remote_close(self, outcome, reason):
        """The session is over without a signature: say why, to the signer
        (inbox) and on the document (for the clerk)."""
        self.ensure_one()
        _logger.info("remote signing session %s closed: %s", self.id, outcome)
        # sudo: the session's outcome is a server field
        self.sudo().write(
            {
                "state": "failed",
                "error": reason,
                "remote_outcome": outcome,
                "remote_checked_at": fields.Datetime.now(),
            }
        )
        owner = self.user_id
        document = self.document_id.with_context(lang=owner.lang)
        # sudo: a note on the document the signer was signing, addressed to them
        document.sudo().message_post(
            body=self.env._(
                "The remote signature of %(signer)s was not applied: %(reason)s",
                signer=owner.name,
                reason=reason,
            ),
            partner_ids=owner.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _vbdt_outcome_text(self, outcome, message):
        texts = {
            Outcome.REJECTED: self.env._("the signer refused the request on the phone"),
            Outcome.EXPIRED: self.env._(
                "nobody confirmed the request in time; sign again to send a new one"
            ),
            Outcome.CERTIFICATE: self.env._(
                "the service refused the certificate (expired, revoked or suspended)"
            ),
            Outcome.FAILED: self.env._("the service could not sign"),
            "timeout": self.env._(
                "the service gave no answer before the time allowed ran out; "
                "nothing was signed: send the request again"
            ),
        }
        text = texts[outcome]
        return f"{text} ({message})" if message else text

    # ------------------------------------------------------------------ poll
    def _vbdt_remote_poll(self):
        """Ask the provider where each request of these sessions stands."""
        by_request = defaultdict(lambda: self.browse())
        waiting_code = self.filtered(
            lambda s: s.channel == "remote" and s.remote_outcome == "code"
        )
        waiting_code.filtered("is_expired")._vbdt_remote_expire()  # nothing sent
        for session in self.filtered(lambda s: s.channel == "remote") - waiting_code:
            by_request[(session.remote_provider_id, session.remote_transaction)] |= (
                session
            )
        for (config, transaction), sessions in by_request.items():
            sessions._vbdt_remote_poll_one(config, transaction)

    def _vbdt_remote_poll_one(self, config, transaction):
        certificate = self[:1].certificate_id
        expired = all(s.is_expired for s in self)
        try:
            service = certificate._vbdt_remote_service()
            if not service:  # the certificate left its remote service
                self._vbdt_remote_expire()
                return
            client, account = service
            progress = client.poll(account, transaction)
        except (PadesError, UserError) as err:
            message = err.args[0] if isinstance(err, UserError) else str(err)
            _logger.info("remote signing: poll of %s failed: %s", transaction, message)
            if expired:
                self._vbdt_remote_expire()
            else:
                # sudo: the server records when it last asked the provider
                self.sudo().write({"remote_checked_at": fields.Datetime.now()})
            return
        if expired and progress.outcome is Outcome.WAITING:
            self._vbdt_remote_expire(client, account, transaction)
            return
        self._vbdt_remote_apply(progress)

    def _vbdt_remote_expire(self, client=None, account=None, transaction=None):
        if client:
            try:
                client.cancel(account, transaction)
            except PadesError as err:
                _logger.info("remote signing: cancel failed: %s", err)
        # our deadline passed while the provider was still waiting (or could
        # not be reached): "timeout", not the provider's own "expired"
        reason = self._vbdt_outcome_text("timeout", "")
        for session in self._vbdt_lock_pending():
            session._vbdt_remote_close("timeout", reason)

    @api.model
    def _cron_poll_remote_sessions(self):
        """Poll pending remote requests; expire those nobody confirmed."""
        # sudo: the polling job covers every user's pending sessions
        sessions = self.sudo().search(
            [("state", "=", "pending"), ("channel", "=", "remote")],
            order="id",
        )
        done = set()
        for session in sessions:
            key = (session.remote_provider_id.id, session.remote_transaction)
            if key in done:
                continue
            done.add(key)
            if len(done) > POLL_LIMIT:
                break
            group = sessions.filtered(
                lambda s, k=key: (s.remote_provider_id.id, s.remote_transaction) == k
            )
            group._vbdt_remote_poll()

    # ------------------------------------------------------------------ webhook
    @api.model
    def _vbdt_remote_webhook(self, config, payload):
        """A provider's callback, authenticated by its URL: apply it to the
        request it names (ours or the provider's id); replays and unknown
        requests change nothing. Returns what happened, for the answer."""
        try:
            progress = config._vbdt_client().parse_webhook(payload)
        except (PadesError, NotImplementedError, AttributeError, TypeError, ValueError):
            return "malformed"
        if not progress.transaction_id:
            return "unknown"
        # sudo: a service callback names its session by transaction id only
        sessions = self.sudo().search(
            [
                ("channel", "=", "remote"),
                ("remote_provider_id", "=", config.id),
                "|",
                ("remote_reference", "=", progress.transaction_id),
                ("remote_transaction", "=", progress.transaction_id),
            ]
        )
        if not sessions:
            return "unknown"
        if not sessions._vbdt_lock_pending():
            return "ignored"
        sessions._vbdt_remote_apply(progress)
        return "applied"

    # ------------------------------------------------------------------ UI
    def _vbdt_remote_dialog_action(self):
        """One document: the session's dialog; a batch: the list of its
        documents with their state."""
        if len(self) == 1:
            action = self._vbdt_dialog_action()
            action["name"] = self.env._(
                "Sign with %(service)s", service=self.remote_service
            )
            action["views"] = [
                (
                    self.env.ref(
                        "vbdt_signature.vbdt_signature_session_view_form_remote"
                    ).id,
                    "form",
                )
            ]
            return action
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Batch Signature (%(count)s documents)", count=len(self)
            ),
            "res_model": self._name,
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "vbdt_signature.vbdt_signature_session_view_list_remote"
                    ).id,
                    "list",
                ),
                (
                    self.env.ref(
                        "vbdt_signature.vbdt_signature_session_view_form_remote"
                    ).id,
                    "form",
                ),
            ],
            "domain": [("id", "in", self.ids)],
            "target": "current",
        }

    def action_remote_check(self):
        """The signer's "Check Now": ask the provider at once."""
        own = self._vbdt_remote_own()
        own.filtered(lambda s: s.state == "pending")._vbdt_remote_poll()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def action_remote_retry(self):
        """Send a new request for the documents of closed sessions."""
        own = self._vbdt_remote_own()
        documents = own.filtered(
            lambda s: s.state in ("failed", "cancelled")
        ).document_id
        if not documents:
            raise UserError(self.env._("Only a closed request can be sent again."))
        return documents.with_user(self.env.user)._vbdt_remote_sign()

    # ------------------------------------------------------------------ routes
    def _vbdt_remote_status(self):
        """Where the signer's request stands, for the page that follows it
        (``/vbdt_signature/remote/status``): asks the provider when the last
        answer is a few seconds old, closes a request past its time
        ("timeout"). Only the signer's own sessions."""
        self.ensure_one()
        session = self._vbdt_remote_own()
        if not session:
            raise UserError(self.env._("This is not a remote signing session."))
        if session.state == "pending":
            now = fields.Datetime.now()
            fresh = session.remote_checked_at and (
                now - session.remote_checked_at
            ) < timedelta(seconds=STATUS_POLL_SECONDS)
            if session.is_expired or (
                session.remote_outcome == "waiting" and not fresh
            ):
                session._vbdt_remote_poll()
                session.invalidate_recordset()
        return session._vbdt_remote_status_values()

    def _vbdt_remote_status_values(self):
        self.ensure_one()
        outcomes = dict(self._fields["remote_outcome"]._description_selection(self.env))
        states = dict(self._fields["state"]._description_selection(self.env))
        seconds_left = 0
        if self.state == "pending" and self.expires_at:
            seconds_left = max(
                0, int((self.expires_at - fields.Datetime.now()).total_seconds())
            )
        return {
            "id": self.id,
            "state": self.state,
            "state_label": states.get(self.state, ""),
            "outcome": self.remote_outcome or "",
            "outcome_label": outcomes.get(self.remote_outcome, ""),
            "message": self.remote_message or "",
            "error": self.error or "",
            "service": self.remote_service or "",
            "document": self.document_id.display_name,
            "batch_size": self.remote_batch_size,
            "verification_code": self.verification_code or "",
            "code_kind": self.remote_code_kind or ""
            if self.remote_outcome == "code"
            else "",
            "seconds_left": seconds_left,
            "retryable": self.state in ("failed", "cancelled"),
        }

    def _vbdt_remote_submit_code(self, code):
        """The signer typed the code (OTP or PIN) the service asks for: send
        the request with it, for this call only. The code is never stored,
        logged nor repeated in a message. Returns the status, with
        ``code_error`` when the code was not accepted."""
        self.ensure_one()
        session = self._vbdt_remote_own()
        if not session:
            raise UserError(self.env._("This is not a remote signing session."))
        # sudo: the whole request (a batch shares one reference) is locked and
        # sent by the server; the caller's own session was checked just above
        request = (
            self.sudo()
            .search(
                [
                    ("channel", "=", "remote"),
                    ("remote_reference", "=", session.remote_reference),
                ]
            )
            ._vbdt_lock_pending()
        )
        session.invalidate_recordset()
        if session not in request or session.remote_outcome != "code":
            raise UserError(
                self.env._("This request does not wait for a code any more.")
            )
        if session.is_expired:
            request._vbdt_remote_expire()
            return session._vbdt_remote_status_values()
        code = (code or "").strip() if isinstance(code, str) else ""
        if not code or len(code) > 64:
            values = session._vbdt_remote_status_values()
            values["code_error"] = self.env._("Type the code the service gave you.")
            return values
        certificate = session.certificate_id
        client, account = certificate._vbdt_remote_service()
        kind = session.remote_code_kind
        authorisation = Authorisation(
            pin=code if kind == "pin" else "", otp=code if kind == "otp" else ""
        )
        try:
            progress = request.with_env(self.env)._vbdt_remote_send(
                client, account, authorisation
            )
        except UserError as err:
            # a code of the wrong shape, an unreachable service: type it again
            values = session._vbdt_remote_status_values()
            values["code_error"] = str(err.args[0])
            return values
        session.invalidate_recordset()
        if progress.outcome is not Outcome.FAILED:
            return session._vbdt_remote_status_values()
        attempts = session.remote_code_attempts + 1
        # sudo: the server counts the codes the service refused
        request.write({"remote_code_attempts": attempts})
        if attempts >= CODE_ATTEMPTS:
            reason = self.env._(
                "the service refused the code %(count)s times (%(message)s)",
                count=attempts,
                message=progress.message or "?",
            )
            for each in request:
                each._vbdt_remote_close("failed", reason)
            return session._vbdt_remote_status_values()
        values = session._vbdt_remote_status_values()
        values["code_error"] = self.env._(
            "The service did not accept the code (%(message)s): type it again "
            "(%(left)s attempt(s) left).",
            message=progress.message or "?",
            left=CODE_ATTEMPTS - attempts,
        )
        return values

    def _vbdt_remote_own(self):
        for session in self:
            if session.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "This signing session belongs to %(owner)s: only they can "
                        "use it.",
                        owner=session.user_id.name,
                    )
                )
        return self.filtered(lambda s: s.channel == "remote")


# Kept apart from models/vbdt_document.py, which another line of work changes:
# remote signing only adds an entry point and a status to the document.
class VbdtDocument(models.Model):
    _inherit = "vbdt.document"  # pylint: disable=consider-merging-classes-inherited

    vbdt_remote_signing = fields.Char(
        string="Remote Signature",
        compute="_compute_vbdt_remote_signing",
        help="Where the signer's last remote signature of this document stands.",
    )

    @api.depends_context("uid")
    def _compute_vbdt_remote_signing(self):
        # sudo: sessions are their owner's; the signer's name, the state and
        # the provider's message are shown to whoever reads the document
        # (the signer and the clerk), nothing of the document's content
        Sessions = self.env["vbdt.signature.session"].sudo()
        labels = dict(
            Sessions._fields["remote_outcome"]._description_selection(self.env)
        )
        for document in self:
            session = document.id and Sessions.search(
                [("document_id", "=", document.id), ("channel", "=", "remote")],
                order="id desc",
                limit=1,
            )
            if not session or session.state == "done":
                document.vbdt_remote_signing = False
                continue
            outcome = labels[session.remote_outcome or "waiting"]
            # Built outside _(): the extractor of translatable terms evaluates
            # _()'s arguments and fails on an f-string.
            message = f" — {session.remote_message}" if session.remote_message else ""
            document.vbdt_remote_signing = self.env._(
                "%(signer)s, %(service)s: %(outcome)s%(message)s",
                signer=session.user_id.name,
                service=session.remote_service or "",
                outcome=outcome,
                message=message,
            )

    def action_sign_person(self):
        """With a certificate at a remote signing service, the PDF is prepared
        and the request sent to the signer's phone."""
        self.ensure_one()
        certificate = self.env["vbdt.signature.certificate"]._vbdt_person_certificate(
            self.env.user
        )
        if not (certificate and certificate._vbdt_remote_service()):
            return super().action_sign_person()
        return self._vbdt_remote_sign()

    def action_sign_person_batch(self):
        """A leader signs the selected drafts in one confirmation."""
        if not self:
            raise UserError(self.env._("Select the documents to sign."))
        return self._vbdt_remote_sign()

    def _vbdt_remote_sign(self):
        """Phase 1 for every document of ``self``, then the request(s)."""
        user = self.env.user
        certificate = self.env["vbdt.signature.certificate"]._vbdt_person_certificate(
            user
        )
        service = certificate and certificate._vbdt_remote_service()
        if not service:
            raise UserError(
                self.env._(
                    "Signing several documents at once needs your certificate at a "
                    "remote signing service (VNPT SmartCA, Viettel MySign, …): ask an "
                    "administrator to register it."
                )
            )
        certificate._vbdt_check_usable_by(user)
        client, account = service
        chain = certificate._vbdt_remote_chain(client, account)
        try:
            code_kind = client.code_needed(account)
        except PadesError as err:
            raise user_error(self.env, err) from None
        # sudo: the signer's own image (the current user), which users may not read
        # directly
        image = base64.b64decode(user.sudo().vbdt_signature_image or b"")
        Sessions = self.env["vbdt.signature.session"]
        prepared = []
        for document in self:
            _certificate, main = document._vbdt_check_person_can_sign()
            main._vbdt_pdfa_before_signing()  # the signature covers the PDF/A bytes
            printed_name = document._vbdt_printed_signer_name(user)
            try:
                pending = begin_signing(
                    _with_fields(main._get_raw()),
                    chain,
                    PersonAppearance(image, printed_name=printed_name),
                    options=document._vbdt_signing_options(),
                )
            except PadesError as err:
                raise user_error(self.env, err) from None
            session = Sessions._vbdt_open(
                document, certificate, main, pending, printed_name
            )
            prepared.append((session, pending))
        Sessions._vbdt_remote_start(
            prepared, certificate, client, account, code_kind=code_kind
        )
        sessions = Sessions.browse([session.id for session, _pending in prepared])
        return sessions._vbdt_remote_dialog_action()


def _document_ref(session):
    """What the signer's phone shows next to a digest (drafts have no number
    yet): the document's id, unique in a batch."""
    return f"VB-{session.document_id.id}"


def _holder(der):
    names = x509.load_der_x509_certificate(der).subject.get_attributes_for_oid(
        x509.NameOID.COMMON_NAME
    )
    return names[0].value if names else "?"
