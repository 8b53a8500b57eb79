import base64
import logging

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

MAX_CRL_BYTES = 20 * 1024 * 1024
"""Largest revocation list accepted (national CAs publish a few MB at most)."""
FETCH_TIMEOUT = 15
"""Seconds to connect to, then between bytes of, a download address."""


class VbdtSignatureCrl(models.Model):
    """A certificate revocation list an administrator loads, from a file or
    from a download address refreshed daily: revocation is then checked
    against it before signing (Circular 15/2025/TT-BKHCN) and when
    verifying, also where the server cannot reach the OCSP responder or the
    CRL address a certificate names (closed networks, fetching off)."""

    _name = "vbdt.signature.crl"
    _description = "Revocation List"
    _order = "name, id"

    name = fields.Char(help="Defaults to the issuing CA's common name.")
    active = fields.Boolean(default=True)
    url = fields.Char(
        string="Download Address",
        help="http(s) address the list is downloaded from every day; leave it "
        "empty for a list uploaded as a file.",
    )
    crl_file = fields.Binary(
        string="Revocation List File",
        store=False,
        compute="_compute_crl_file",
        inverse="_inverse_crl_file",
        help="DER or PEM file (.crl).",
    )
    crl_pem = fields.Text(readonly=True)
    issuer = fields.Char(readonly=True)
    this_update = fields.Datetime(string="Issued On", readonly=True)
    next_update = fields.Datetime(readonly=True)
    revoked_count = fields.Integer(string="Revoked Certificates", readonly=True)
    download_error = fields.Char(readonly=True)

    def _compute_crl_file(self):
        for crl in self:
            crl.crl_file = (
                base64.b64encode(crl.crl_pem.encode()) if crl.crl_pem else False
            )

    def _inverse_crl_file(self):
        for crl in self.filtered("crl_file"):
            crl.write(crl._vbdt_parse(base64.b64decode(crl.crl_file)))

    def _vbdt_parse(self, raw):
        """Values of a record holding the list ``raw`` (DER or PEM)."""
        if len(raw) > MAX_CRL_BYTES:
            raise UserError(
                self.env._(
                    "The revocation list is larger than %(size)s MB.",
                    size=MAX_CRL_BYTES // (1024 * 1024),
                )
            )
        try:
            crl = (
                x509.load_pem_x509_crl(raw)
                if raw.lstrip().startswith(b"-----BEGIN")
                else x509.load_der_x509_crl(raw)
            )
        except ValueError:
            raise UserError(
                self.env._(
                    "The file is not a certificate revocation list (CRL, DER or PEM)."
                )
            ) from None
        common_name = crl.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
        next_update = crl.next_update_utc
        return {
            "crl_pem": crl.public_bytes(serialization.Encoding.PEM).decode(),
            "issuer": crl.issuer.rfc4514_string(),
            "this_update": crl.last_update_utc.replace(tzinfo=None),
            "next_update": next_update and next_update.replace(tzinfo=None),
            "revoked_count": len(crl),
            "download_error": False,
            "name": self.name
            or (common_name[0].value if common_name else crl.issuer.rfc4514_string()),
        }

    def action_download(self):
        """Download the lists with an address now (administrators)."""
        for crl in self.filtered("url"):
            crl.write(crl._vbdt_parse(crl._vbdt_fetch()))
        return True

    def _vbdt_fetch(self):
        """The bytes at the record's address: http(s) only, bounded in size
        and time."""
        self.ensure_one()
        if not self.url.lower().startswith(("http://", "https://")):
            raise UserError(
                self.env._("The download address must start with http:// or https://.")
            )
        try:
            with requests.get(self.url, timeout=FETCH_TIMEOUT, stream=True) as reply:
                reply.raise_for_status()
                raw = reply.raw.read(MAX_CRL_BYTES + 1, decode_content=True)
        except requests.RequestException as err:
            raise UserError(
                self.env._(
                    "The revocation list could not be downloaded from %(url)s: "
                    "%(reason)s",
                    url=self.url,
                    reason=type(err).__name__,
                )
            ) from None
        return raw

    @api.model
    def _cron_download(self):
        """Refresh every list that has an address; a failure is kept on the
        record and the previous list stays in use."""
        for crl in self.sudo().search([("url", "!=", False)]):
            try:
                with self.env.cr.savepoint():
                    crl.action_download()
            except UserError as err:
                _logger.warning("Revocation list %s not refreshed: %s", crl.id, err)
                crl.download_error = str(err)[:500]
        return True

    @api.model
    def _vbdt_crls(self):
        """DER bytes of every active list (read as superuser: a verification
        must not depend on who looks)."""
        return [
            x509.load_pem_x509_crl(crl.crl_pem.encode()).public_bytes(
                serialization.Encoding.DER
            )
            for crl in self.sudo().search([])
            if crl.crl_pem
        ]
