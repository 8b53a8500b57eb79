import base64
import logging

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..download_guard import AllowList, DownloadRefused, check_url, fetch

_logger = logging.getLogger(__name__)

MAX_CRL_BYTES = 20 * 1024 * 1024
"""Largest revocation list accepted (national CAs publish a few MB at most)."""
FETCH_TIMEOUT = 15
"""Seconds to connect to, then between bytes of, a download address."""
ALLOWED_HOSTS_PARAM = "vbdt_signature.crl_download_hosts"
"""System parameter (system administrators only): the hosts, addresses and
networks revocation lists may be downloaded from (``download_guard``)."""


class VbdtSignatureCrl(models.Model):
    """A certificate revocation list an administrator loads, from a file or
    from a download address refreshed daily: revocation is then checked
    against it before signing (Circular 15/2025/TT-BKHCN) and when
    verifying, also where the server cannot reach the OCSP responder or the
    CRL address a certificate names (closed networks, fetching off)."""

    _name = "vbdt.signature.crl"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    issuer_common_name = fields.Char(
        readonly=True, help="The issuing CA's common name, as signatures name it."
    )
    this_update = fields.Datetime(string="Issued On", readonly=True)
    next_update = fields.Datetime(readonly=True)
    revoked_count = fields.Integer(string="Revoked Certificates", readonly=True)
    download_error = fields.Char(readonly=True)
    stale = fields.Boolean(
        string="Out of Date",
        compute="_compute_stale",
        search="_search_stale",
        help="The CA announced a newer list by its next update time, which has "
        "passed: revocations since then are unknown.",
    )
    stale_alerted_for = fields.Datetime(
        readonly=True,
        copy=False,
        help="Next update time of the list the administrators were last alerted "
        "about, so that the daily job alerts once per out-of-date list.",
    )

    @api.depends("next_update")
    def _compute_stale(self):
        now = fields.Datetime.now()
        for crl in self:
            crl.stale = bool(crl.next_update and crl.next_update < now)

    def _search_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the out-of-date flag."))
        stale = [("next_update", "<", fields.Datetime.now())]
        return stale if (operator == "=") == value else ["!", *stale]

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
            "issuer_common_name": common_name[0].value if common_name else False,
            "this_update": crl.last_update_utc.replace(tzinfo=None),
            "next_update": next_update and next_update.replace(tzinfo=None),
            "revoked_count": len(crl),
            "download_error": False,
            "name": self.name
            or (common_name[0].value if common_name else crl.issuer.rfc4514_string()),
        }

    @api.constrains("url")
    def _check_url(self):
        """An address is accepted only if it may be downloaded from (so that
        an administrator learns it at once, not from the daily job)."""
        allowed = self._vbdt_allowed_hosts()
        for crl in self.filtered("url"):
            try:
                check_url(crl.url, allowed)
            except DownloadRefused as refused:
                raise ValidationError(crl._vbdt_refusal_message(refused)) from None

    @api.model
    def _vbdt_allowed_hosts(self):
        # sudo: the allow-list is a system parameter that only system
        # administrators may read or write; only its parsed form is used here
        return AllowList.parse(
            self.env["ir.config_parameter"].sudo().get_param(ALLOWED_HOSTS_PARAM)
        )

    def action_download(self):
        """Download the lists with an address now (system administrators:
        checked before anything is fetched, the server's requests are
        theirs to allow)."""
        self.check_access("write")
        for crl in self.filtered("url"):
            crl.write(crl._vbdt_parse(crl._vbdt_fetch()))
        return True

    def _vbdt_fetch(self):
        """The bytes at the record's address, under ``download_guard``'s
        rules (allow-listed hosts, public or allow-listed addresses, no
        redirect), bounded in size and time."""
        self.ensure_one()
        try:
            return fetch(
                self.url,
                self._vbdt_allowed_hosts(),
                timeout=FETCH_TIMEOUT,
                max_bytes=MAX_CRL_BYTES,
            )
        except DownloadRefused as refused:
            raise UserError(self._vbdt_refusal_message(refused)) from None

    def _vbdt_refusal_message(self, refused):
        details = {"url": self.url, **refused.details}
        # built outside _(): term extraction reads every string inside it
        reason = details.get("reason") or f"HTTP {details.get('status')}"
        messages = {
            "disabled": self.env._(
                "Downloading revocation lists is turned off: no host is allowed "
                "(system parameter %(param)s). Upload the list as a file, or ask "
                "a system administrator to allow the CA's host.",
                param=ALLOWED_HOSTS_PARAM,
            ),
            "scheme": self.env._(
                "The download address must start with http:// or https://."
            ),
            "host": self.env._(
                "The host %(host)s is not among the hosts revocation lists may be "
                "downloaded from (system parameter %(param)s).",
                host=details.get("host"),
                param=ALLOWED_HOSTS_PARAM,
            ),
            "address": self.env._(
                "The host %(host)s resolves to %(address)s, a loopback, private "
                "or link-local address: refused unless a system administrator "
                "allows that address or network (system parameter %(param)s).",
                host=details.get("host"),
                address=details.get("address"),
                param=ALLOWED_HOSTS_PARAM,
            ),
            "unresolved": self.env._(
                "The host %(host)s of the download address could not be found.",
                host=details.get("host"),
            ),
            "redirect": self.env._(
                "The revocation list could not be downloaded from %(url)s: the "
                "server redirects elsewhere (HTTP %(status)s), and redirects are "
                "not followed. Enter the final address.",
                url=self.url,
                status=details.get("status"),
            ),
            "too_large": self.env._(
                "The revocation list is larger than %(size)s MB.",
                size=MAX_CRL_BYTES // (1024 * 1024),
            ),
        }
        return messages.get(refused.code) or self.env._(
            "The revocation list could not be downloaded from %(url)s: %(reason)s",
            url=self.url,
            reason=reason,
        )

    @api.model
    def _cron_download(self):
        """Refresh every list that has an address; a failure is kept on the
        record and the previous list stays in use."""
        # sudo: the download job refreshes every agency's revocation lists
        for crl in self.sudo().search([("url", "!=", False)]):
            try:
                with self.env.cr.savepoint():
                    crl.action_download()
            except UserError as err:
                _logger.warning("Revocation list %s not refreshed: %s", crl.id, err)
                crl.download_error = str(err)[:500]
        self._vbdt_alert_stale()
        return True

    @api.model
    def _vbdt_alert_stale(self):
        """Once per out-of-date list (daily job): a note in its chatter and a
        to-do activity for each system administrator, who renews it."""
        # sudo: a system job over every list, whoever runs it
        lists = self.sudo().search([("stale", "=", True)])
        lists = lists.filtered(lambda c: c.stale_alerted_for != c.next_update)
        admins = (
            self.env.ref("base.group_system")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share)
        )
        activity_type = self.env.ref("vbdt_signature.mail_activity_crl_stale")
        for crl in lists:
            text = crl._vbdt_stale_text()
            crl.message_post(body=text)
            for admin in admins:
                crl.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=admin.id,
                    summary=text[:200],
                )
            crl.stale_alerted_for = crl.next_update
        return lists

    def _vbdt_stale_text(self):
        self.ensure_one()
        return self.env._(
            "The revocation list %(name)s is out of date: its next update was "
            "due on %(date)s. Revocations since then are unknown; load the "
            "current list from the CA (or check its download address).",
            name=self.name,
            date=self.next_update.strftime("%d/%m/%Y %H:%M") + " UTC",
        )

    @api.model
    def _vbdt_stale_only_for(self, issuer_name):
        """The out-of-date lists of the CA named ``issuer_name`` when every
        active list of that CA is out of date (a revocation check relying on
        them alone says so), else an empty recordset."""
        # sudo: revocation lists are public data every user may read
        lists = self.sudo().search([("issuer_common_name", "=", issuer_name)])
        return lists if lists and all(lists.mapped("stale")) else self.browse()

    @api.model
    def _vbdt_crls(self):
        """DER bytes of every active list (read as superuser: a verification
        must not depend on who looks)."""
        return [
            x509.load_pem_x509_crl(crl.crl_pem.encode()).public_bytes(
                serialization.Encoding.DER
            )
            # sudo: verification uses every revocation list, whoever verifies
            for crl in self.sudo().search([])
            if crl.crl_pem
        ]
