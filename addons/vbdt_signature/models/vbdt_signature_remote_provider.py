import hmac
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.vbdt_document import secret_store

from ..pades.remote import Connection, RemoteProvider, provider_for

MANAGER = "vbdt_document.vbdt_document_group_manager"
WEBHOOK_ROUTE = "/vbdt_signature/remote"

secret_store.register("vbdt.signature.remote.provider", "client_secret_sealed")


class VbdtSignatureRemoteProvider(models.Model):
    """An agency's contract with a remote signing service (VNPT SmartCA,
    Viettel MySign, a CSC API service): where it is, the agency's client id
    and secret (sealed with the server key), and the secret of the webhook
    URL given to the provider. Administrators only; signers reach it through
    their certificate."""

    _name = "vbdt.signature.remote.provider"
    _description = "Remote Signing Service"
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    provider = fields.Selection(
        [
            ("vnpt_smartca", "VNPT SmartCA"),
            ("vnpt_smartca_totp", "VNPT SmartCA (TOTP)"),
            ("viettel_mysign", "Viettel MySign"),
            ("neac_esign", "NEAC eSign Gateway"),
            ("csc_v1", "CSC API v1"),
            ("csc_v2", "CSC API v2"),
        ],
        string="Service",
        required=True,
    )
    base_url = fields.Char(
        string="Service URL",
        required=True,
        help="e.g. https://gwsca.vnpt.vn/sca/sp769 (SmartCA), "
        "https://remotesigning.viettel.vn:8773 (MySign).",
    )
    client_id = fields.Char(string="Client ID", groups=MANAGER)
    profile_id = fields.Char(
        string="Profile / Service Provider ID",
        groups=MANAGER,
        help="MySign profile_id; left empty for SmartCA and CSC.",
    )
    ca_name = fields.Char(
        string="Certification Authority",
        groups=MANAGER,
        help="NEAC eSign: the CA holding the signers' keys, as the gateway names "
        "it (e.g. VNPT-CA, VIETTEL-CA, BKAV-CA).",
    )
    digest_encoding = fields.Selection(
        [("hex", "Hexadecimal"), ("base64", "Base64")],
        default="hex",
        groups=MANAGER,
        help="NEAC eSign: how the gateway wants the digest to sign.",
    )
    status_path = fields.Char(
        default="/sign/status",
        groups=MANAGER,
        help="NEAC eSign: where the state of a request is asked, under the "
        "service URL.",
    )
    client_secret = fields.Char(
        store=False,
        groups=MANAGER,
        compute="_compute_client_secret",
        inverse="_inverse_client_secret",
        help="Stored encrypted with the server key; never shown again.",
    )
    client_secret_sealed = fields.Text(
        groups="base.group_system", copy=False, readonly=True
    )
    webhook_token = fields.Char(
        groups="base.group_system",
        copy=False,
        readonly=True,
        default=lambda self: secrets.token_urlsafe(32),
    )
    webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_webhook_url",
        groups=MANAGER,
        help="Give this address to the provider as the callback URL: it carries "
        "the secret that authenticates the provider's calls.",
    )
    timeout = fields.Integer(
        string="Network Timeout (s)",
        default=15,
        help="How long a call to the service may take.",
    )
    request_minutes = fields.Integer(
        string="Confirmation Time (min)",
        default=5,
        help="How long the signer has to confirm on their phone before the "
        "request is abandoned (it can then be retried).",
    )

    _sql_constraints = [
        (
            "timeout_positive",
            "CHECK(timeout > 0 AND timeout <= 120)",
            "The network timeout is between 1 and 120 seconds.",
        ),
        (
            "request_minutes_positive",
            "CHECK(request_minutes > 0 AND request_minutes <= 60)",
            "The confirmation time is between 1 and 60 minutes.",
        ),
    ]

    def _compute_client_secret(self):
        for provider in self:
            provider.client_secret = False

    def _inverse_client_secret(self):
        for provider in self:
            if provider.client_secret:
                # sudo: the sealed column is system-only; managers only write it
                provider.sudo().client_secret_sealed = secret_store.encrypt(
                    self.env,
                    provider.client_secret,
                    self._name,
                    "client_secret_sealed",
                )

    @api.depends("webhook_token")
    def _compute_webhook_url(self):
        base = self.get_base_url()
        for provider in self:
            # sudo: the token is system-only; managers see it as part of the URL
            token = provider.sudo().webhook_token
            provider.webhook_url = (
                f"{base}{WEBHOOK_ROUTE}/{provider.id}/{token}?db={self.env.cr.dbname}"
                if provider.id and token
                else False
            )

    @api.constrains("provider")
    def _check_provider(self):
        for provider in self:
            if provider.provider not in RemoteProvider.registry:
                raise UserError(self.env._("Unknown remote signing service."))

    def action_new_webhook_token(self):
        """A new webhook secret (the provider must be given the new URL)."""
        for provider in self:
            # sudo: the webhook token is a secret field no one writes directly
            provider.sudo().webhook_token = secrets.token_urlsafe(32)
        return True

    # ------------------------------------------------------------------ use
    def _vbdt_client(self):
        """The ``pades.remote`` client, with the secret opened (never shown)."""
        self.ensure_one()
        # sudo: connection settings and the sealed secret are read for the call
        # only; nothing of them is returned to the caller
        record = self.sudo()
        secret = secret_store.decrypt(
            self.env, record.client_secret_sealed, self._name, "client_secret_sealed"
        )
        return provider_for(
            record.provider,
            Connection(
                record.base_url or "",
                client_id=record.client_id or "",
                client_secret=secret.decode(),
                profile_id=record.profile_id or "",
                timeout=float(record.timeout or 15),
                extra={
                    "ca_name": record.ca_name or "",
                    "digest_encoding": record.digest_encoding or "hex",
                    "status_path": record.status_path or "",
                },
            ),
        )

    @api.model
    def _vbdt_for_webhook(self, provider_id, token):
        """The configuration a webhook URL names, if its secret matches."""
        # sudo: the webhook is not logged in; the secret in its URL authenticates it
        provider = self.sudo().browse(provider_id).exists()
        if (
            not provider
            or not provider.active
            or not token
            or not provider.webhook_token
            or not hmac.compare_digest(provider.webhook_token.encode(), token.encode())
        ):
            return None
        return provider
