from odoo import fields, models

from odoo.addons.vbdt_document import secret_store


class VbdtExchangeSecretMixin(models.AbstractModel):
    """A shared secret (axis connection, hub system): write-only over the
    API, stored only sealed with the server key (``secret_store``), opened
    only by the code that signs or checks requests."""

    _name = "vbdt.exchange.secret.mixin"
    _description = "Exchange Shared Secret"

    secret = fields.Char(
        groups="base.group_system",
        copy=False,
        store=False,
        compute="_compute_secret",
        inverse="_inverse_secret",
        help="Shared secret of the registered system. Write-only: it is stored "
        "encrypted with the server key and never shown again.",
    )
    secret_sealed = fields.Text(groups="base.group_system", copy=False, readonly=True)

    def _register_hook(self):
        super()._register_hook()
        if not self._abstract:
            secret_store.register(self._name, "secret_sealed")

    def _compute_secret(self):
        self.secret = False

    def _inverse_secret(self):
        for record in self.filtered("secret"):
            # sudo: the sealed column is for system administrators only, and
            # the caller already passed the groups of the `secret` field
            record.sudo().secret_sealed = secret_store.encrypt(
                self.env, record.secret, self._name, "secret_sealed"
            )

    def _vbdt_open_secret(self):
        """The secret in clear (b"" → ""), for signing or checking requests."""
        self.ensure_one()
        # sudo: the sealed secret is decrypted for signing requests; never returned
        return secret_store.decrypt(
            self.env, self.sudo().secret_sealed, self._name, "secret_sealed"
        ).decode()
