import base64
import hmac
import json
import secrets
from datetime import timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from pyhanko.sign.general import get_pyca_cryptography_hash

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..pades import PendingSignature

SESSION_MINUTES = 5
KEEP_DAYS = 1
AGENT_ROUTE = "/vbdt_signature/agent"


class VbdtSignatureSession(models.Model):
    """A person signature waiting for the signer's USB token.

    The server has prepared the PDF (phase 1 of ``pades.begin_signing``);
    the signing agent on the signer's own computer fetches the digest with
    the one-time token, signs it on the token and posts the signature back;
    the server then finishes the PDF (phase 2), verifies it and signs the
    document as its owner. Sessions expire after a few minutes and are
    visible to their owner only."""

    _name = "vbdt.signature.session"
    _description = "Signing Session (USB Token)"
    _order = "id desc"
    _rec_name = "document_id"

    document_id = fields.Many2one(
        "vbdt.document", required=True, readonly=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True, string="Agency"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Signer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    certificate_id = fields.Many2one(
        "vbdt.signature.certificate", required=True, readonly=True, ondelete="cascade"
    )
    file_id = fields.Many2one(
        "vbdt.document.file",
        string="Main File",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    file_checksum = fields.Char(
        readonly=True, help="SHA-256 of the main file when prepared."
    )
    printed_name = fields.Char(readonly=True)
    access_token = fields.Char(readonly=True, copy=False, required=True)
    expires_at = fields.Datetime(required=True, readonly=True)
    state = fields.Selection(
        [
            ("pending", "Waiting for the Signing Agent"),
            ("done", "Signed"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="pending",
        readonly=True,
    )
    error = fields.Text(readonly=True)
    verification_code = fields.Char(
        readonly=True,
        help="The first characters of the digest to sign: the signing "
        "agent shows the same code.",
    )
    pending_data = fields.Binary(attachment=True, readonly=True, copy=False)
    agent_url = fields.Char(
        string="Session Link",
        compute="_compute_agent_url",
        help="Give this link to the vbdt signing agent on your computer.",
    )
    is_expired = fields.Boolean(compute="_compute_is_expired")

    @api.depends("access_token")
    def _compute_agent_url(self):
        base = self.get_base_url()
        for session in self:
            session.agent_url = (
                f"{base}{AGENT_ROUTE}/{session.id}/{session.access_token}"
                f"?db={self.env.cr.dbname}"
                if session.id and session.access_token
                else False
            )

    @api.depends_context("uid")
    @api.depends("expires_at")
    def _compute_is_expired(self):
        now = fields.Datetime.now()
        for session in self:
            session.is_expired = bool(session.expires_at and session.expires_at < now)

    # ------------------------------------------------------------------ open
    @api.model
    def _vbdt_open(self, document, certificate, main, pending, printed_name):
        """Store phase 1 for ``self.env.user``; previous open sessions of the
        same user on the document are cancelled."""
        user = self.env.user
        # sudo: sessions are created by the server for the current user only
        Sessions = self.sudo()
        Sessions.search(
            [
                ("document_id", "=", document.id),
                ("user_id", "=", user.id),
                ("state", "=", "pending"),
            ]
        ).write({"state": "cancelled"})
        return Sessions.create(
            {
                "document_id": document.id,
                "user_id": user.id,
                "certificate_id": certificate.id,
                "file_id": main.id,
                # sudo: the checksum of the file being signed; stored, not returned
                "file_checksum": main.sudo().checksum_sha256,
                "printed_name": printed_name,
                "access_token": secrets.token_urlsafe(32),
                "expires_at": fields.Datetime.now()
                + timedelta(minutes=SESSION_MINUTES),
                "verification_code": pending.digest.hex()[:8].upper(),
                "pending_data": base64.b64encode(
                    json.dumps(pending.to_dict()).encode()
                ),
            }
        ).with_env(self.env)

    def _vbdt_dialog_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sign with Your USB Token"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("vbdt_signature.vbdt_signature_session_view_form").id,
                    "form",
                )
            ],
            "target": "new",
        }

    def _vbdt_pending(self):
        self.ensure_one()
        return PendingSignature.from_dict(
            # sudo: the prepared signature is server data, never sent to a client as is
            json.loads(base64.b64decode(self.sudo().pending_data))
        )

    # ------------------------------------------------------------------ agent
    @api.model
    def _vbdt_for_agent(self, session_id, token):
        """The session a token opens (sudo, in its owner's language), or None."""
        # sudo: the agent authenticates by the session's token, checked below
        session = self.sudo().browse(session_id).exists()
        if (
            not session
            or not token
            or not hmac.compare_digest(session.access_token.encode(), token.encode())
        ):
            return None
        return session.with_context(lang=session.user_id.lang)

    def _vbdt_check_open(self, request_user=None):
        """Refuse a session that is over, expired, or opened by someone else."""
        self.ensure_one()
        if request_user and request_user != self.user_id:
            raise UserError(
                self.env._(
                    "This signing session belongs to %(owner)s: only they can use it.",
                    owner=self.user_id.name,
                )
            )
        if self.state == "done":
            raise UserError(self.env._("This signing session is already completed."))
        if self.state in ("failed", "cancelled"):
            raise UserError(
                self.env._(
                    "This signing session is closed (%(reason)s): click Sign "
                    "Digitally again.",
                    reason=self.error
                    or dict(self._fields["state"]._description_selection(self.env))[
                        self.state
                    ],
                )
            )
        if self.is_expired:
            raise UserError(
                self.env._(
                    "This signing session expired at %(time)s: click Sign Digitally "
                    "again.",
                    time=fields.Datetime.to_string(self.expires_at),
                )
            )

    def _vbdt_agent_job(self):
        """What the agent signs: the digest of the CMS signed attributes
        (and those attributes, for tokens that hash and sign themselves)."""
        self._vbdt_check_open()
        pending = self._vbdt_pending()
        certificate = self.certificate_id
        return {
            "document": self.document_id.display_name,
            "signer": self.user_id.name,
            "certificate": base64.b64encode(pending.certificate_chain[0]).decode(),
            "certificate_serial": certificate.serial_number,
            "certificate_holder": certificate.subject_common_name,
            "digest_algorithm": pending.digest_algorithm,
            "digest": base64.b64encode(pending.digest).decode(),
            "signed_attributes": base64.b64encode(pending.signed_attributes).decode(),
            "verification_code": self.verification_code,
            "expires_at": fields.Datetime.to_string(self.expires_at) + "Z",
        }

    def _vbdt_agent_finish(self, signature, digest, certificate_der=None):
        """Phase 2: check the signature against this session's digest and the
        registered certificate, then sign the document as its owner. Raises
        ``UserError`` (nothing written) on any refusal."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT id FROM vbdt_signature_session WHERE id = %s FOR UPDATE", [self.id]
        )
        self.invalidate_recordset()
        self._vbdt_check_open()
        pending = self._vbdt_pending()
        chain = pending.certificate_chain
        if certificate_der and certificate_der != chain[0]:
            raise UserError(
                self.env._(
                    "The signature was made with another certificate (%(holder)s) "
                    "than the "
                    "one registered for you (%(registered)s, serial %(serial)s).",
                    holder=_holder(certificate_der),
                    registered=self.certificate_id.display_name,
                    serial=self.certificate_id.serial_number,
                )
            )
        if digest is not None and not hmac.compare_digest(digest, pending.digest):
            raise UserError(
                self.env._(
                    "The digest signed is not the one of this signing session: the "
                    "request "
                    "was altered. Nothing was signed."
                )
            )
        if not _signature_matches(chain[0], signature, pending):
            raise UserError(
                self.env._(
                    "The signature does not match the digest of this session with your "
                    "registered certificate (%(serial)s): it was made with another "
                    "key or "
                    "over other data. Nothing was signed.",
                    serial=self.certificate_id.serial_number,
                )
            )
        owner = self.user_id
        document = (
            self.document_id.with_user(owner)
            .with_company(self.document_id.company_id)
            .with_context(lang=owner.lang)
        )
        document._vbdt_finish_local_signing(
            self.with_env(document.env), signature, pending
        )
        self.write({"state": "done", "error": False})
        return document

    def _vbdt_fail(self, message):
        # sudo: the session's state is a server field
        self.sudo().write({"state": "failed", "error": message})

    # ------------------------------------------------------------------ UI
    def action_check(self):
        """The signer's "Check and Finish": close the dialog once signed."""
        self.ensure_one()
        if self.state == "done":
            return {"type": "ir.actions.act_window_close"}
        # sudo: the owner check itself (it raises for anyone else)
        self.sudo()._vbdt_check_open(self.env.user)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "message": self.env._(
                    "The signing agent has not sent the signature yet. Run it with the "
                    "session link, then check again."
                ),
            },
        }

    def action_cancel(self):
        for session in self:
            if session.user_id != self.env.user:
                # sudo: the owner check itself (it raises for anyone else)
                session.sudo()._vbdt_check_open(self.env.user)
            if session.state == "pending":
                # sudo: the session's state is a server field; the owner was checked
                session.sudo().write({"state": "cancelled"})
        return {"type": "ir.actions.act_window_close"}

    @api.autovacuum
    def _gc_expired_sessions(self):
        """Prepared PDFs are kept a day after expiry, for support, then removed."""
        # sudo: the clean-up covers every user's expired sessions
        self.sudo().search(
            [
                ("expires_at", "<", fields.Datetime.now() - timedelta(days=KEEP_DAYS)),
            ]
        ).unlink()


def _holder(certificate_der):
    try:
        certificate = x509.load_der_x509_certificate(certificate_der)
    except ValueError:
        return "?"
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return names[0].value if names else certificate.subject.rfc4514_string()


def _signature_matches(certificate_der, signature, pending):
    """Whether ``signature`` is the registered key's over the session digest."""
    public_key = x509.load_der_x509_certificate(certificate_der).public_key()
    prehashed = utils.Prehashed(get_pyca_cryptography_hash(pending.digest_algorithm))
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, pending.digest, padding.PKCS1v15(), prehashed)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, pending.digest, ec.ECDSA(prehashed))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True
