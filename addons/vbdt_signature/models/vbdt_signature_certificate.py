import base64
import logging
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.vbdt_document import secret_store

from .. import pkcs11_modules
from ..pades import Pkcs11Backend, Pkcs12Backend
from ..pades.errors import (
    CertificateExpiredError,
    KeyStoreError,
    KeyUsageError,
    PadesError,
)
from ..tools import user_error

_logger = logging.getLogger(__name__)
EXPIRY_WARNING_DAYS = 30
MANAGER = "vbdt_document.vbdt_document_group_manager"
CLERK = "vbdt_document.vbdt_document_group_clerk"


for _field in ("pkcs12_secret", "password_secret", "pin_secret"):
    secret_store.register("vbdt.signature.certificate", _field)


class VbdtSignatureCertificate(models.Model):
    """A signing certificate: a person's, or an agency's seal (organisation).

    Private material (the PKCS#12 file, its password, a token PIN) is only
    ever stored encrypted with the server key (``vbdt_document.secret_store``),
    in fields that only system administrators can read; the upload fields are
    write-only. A PKCS#11 module is chosen by name among those the server
    configuration allows (``pkcs11_modules``): nothing in the database is ever
    loaded as a library."""

    _name = "vbdt.signature.certificate"
    _description = "Signing Certificate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "kind, not_after desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        tracking=True, help="Defaults to the holder's name in the certificate."
    )
    active = fields.Boolean(default=True, tracking=True)
    kind = fields.Selection(
        [("person", "Person"), ("organisation", "Organisation (Seal)")],
        required=True,
        default="person",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        help="The only user allowed to sign with a person certificate.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    backend = fields.Selection(
        [
            ("pkcs12", "PKCS#12 File"),
            ("pkcs11", "PKCS#11 Token / HSM"),
            ("remote", "Remote Signing Service"),
            ("local", "USB Token on the Signer's Computer"),
        ],
        required=True,
        default="pkcs12",
        help="USB Token on the Signer's Computer: only the public certificate is "
        "registered; the signer's own computer signs through the vbdt signing agent.",
    )
    # write-only inputs (never read back)
    pkcs12_file = fields.Binary(
        string="PKCS#12 File",
        store=False,
        groups=MANAGER,
        compute="_compute_inputs",
        inverse="_inverse_inputs",
    )
    pkcs12_filename = fields.Char(groups=MANAGER)
    password = fields.Char(
        store=False,
        groups=MANAGER,
        compute="_compute_inputs",
        inverse="_inverse_inputs",
    )
    pin = fields.Char(
        string="PIN",
        store=False,
        groups=MANAGER,
        compute="_compute_inputs",
        inverse="_inverse_inputs",
    )
    certificate_file = fields.Binary(
        store=False,
        groups=MANAGER,
        compute="_compute_inputs",
        inverse="_inverse_inputs",
        help="PEM or DER certificate of a token or remote key (public part only).",
    )
    # encrypted at rest, system administrators only
    pkcs12_secret = fields.Text(groups="base.group_system", copy=False, readonly=True)
    password_secret = fields.Text(groups="base.group_system", copy=False, readonly=True)
    pin_secret = fields.Text(groups="base.group_system", copy=False, readonly=True)
    has_key_material = fields.Boolean(readonly=True, copy=False)
    # PKCS#11 and remote references
    pkcs11_module = fields.Selection(
        selection="_selection_pkcs11_module",
        string="PKCS#11 Module",
        groups=MANAGER,
        help="One of the PKCS#11 libraries the server configuration allows "
        "(option vbdt_pkcs11_modules); ask the system administrator to add one.",
    )
    pkcs11_token_label = fields.Char(string="Token Label", groups=MANAGER)
    pkcs11_key_label = fields.Char(string="Key Label", groups=MANAGER)
    pkcs11_raw_mechanism = fields.Boolean(
        string="Hash Before Signing",
        groups=MANAGER,
        help="Needed for ECDSA keys on tokens without hash-and-sign mechanisms.",
    )
    remote_endpoint = fields.Char(
        groups=MANAGER,
        help="Reference of the remote signing service and account.",
    )
    # public part, parsed with cryptography
    certificate_pem = fields.Text(readonly=True, copy=False)
    chain_pem = fields.Text(readonly=True, copy=False)
    subject = fields.Char(readonly=True, copy=False)
    subject_common_name = fields.Char(string="Holder", readonly=True, copy=False)
    issuer = fields.Char(readonly=True, copy=False)
    serial_number = fields.Char(readonly=True, copy=False, index=True)
    fingerprint_sha256 = fields.Char(
        string="SHA-256 Fingerprint", readonly=True, copy=False
    )
    not_before = fields.Datetime(string="Valid From", readonly=True, copy=False)
    not_after = fields.Datetime(
        string="Valid Until", readonly=True, copy=False, index=True
    )
    validity = fields.Selection(
        [
            ("valid", "Valid"),
            ("expiring", "Expiring Soon"),
            ("expired", "Expired"),
            ("not_yet_valid", "Not Yet Valid"),
            ("unknown", "No Certificate"),
        ],
        compute="_compute_validity",
    )
    expiry_reminder_sent = fields.Boolean(readonly=True, copy=False)

    _sql_constraints = [
        (
            "person_has_owner",
            "CHECK(kind != 'person' OR user_id IS NOT NULL)",
            "A person certificate needs its owner.",
        ),
    ]

    @api.model
    def _selection_pkcs11_module(self):
        return [(name, name) for name in sorted(pkcs11_modules.allowed_modules())]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._vbdt_check_pkcs11_module(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._vbdt_check_pkcs11_module(vals)
        return super().write(vals)

    @api.model
    def _vbdt_check_pkcs11_module(self, vals):
        """Only a name of the server's allow-list; never a path (it would be
        loaded as native code into the server)."""
        name = vals.get("pkcs11_module")
        if name and name not in pkcs11_modules.allowed_modules():
            raise UserError(
                self.env._(
                    "This PKCS#11 module is not allowed on this server. Choose one of: "
                    "%(allowed)s. The system administrator adds modules with the "
                    "option "
                    "vbdt_pkcs11_modules of the server configuration.",
                    allowed=", ".join(sorted(pkcs11_modules.allowed_modules()))
                    or self.env._("(none configured)"),
                )
            )

    def _vbdt_pkcs11_library(self):
        """Library path of this certificate's module, from the server allow-list."""
        self.ensure_one()
        # sudo: the module path of the certificate; used by the server, never returned
        library = pkcs11_modules.allowed_modules().get(self.sudo().pkcs11_module or "")
        if not library:
            raise UserError(
                self.env._(
                    "Certificate %(certificate)s uses a PKCS#11 module that is not "
                    "(or no "
                    "longer) allowed on this server: choose an allowed module.",
                    certificate=self.display_name,
                )
            )
        return library

    def _vbdt_encrypt_secret(self, field, raw):
        """Encrypt ``raw`` for the column ``field`` with the server key."""
        return secret_store.encrypt(self.env, raw, self._name, field)

    def _vbdt_decrypt_secret(self, field):
        """Decrypted bytes of the column ``field`` (b"" when empty)."""
        self.ensure_one()
        # sudo: the sealed secret is decrypted for signing; never returned
        return secret_store.decrypt(self.env, self.sudo()[field], self._name, field)

    def _compute_inputs(self):
        for certificate in self:
            certificate.pkcs12_file = False
            certificate.password = False
            certificate.pin = False
            certificate.certificate_file = False

    @api.depends("not_before", "not_after")
    def _compute_validity(self):
        now = fields.Datetime.now()
        for certificate in self:
            if not certificate.not_after:
                certificate.validity = "unknown"
            elif certificate.not_after < now:
                certificate.validity = "expired"
            elif certificate.not_before and certificate.not_before > now:
                certificate.validity = "not_yet_valid"
            elif certificate.not_after < now + timedelta(days=EXPIRY_WARNING_DAYS):
                certificate.validity = "expiring"
            else:
                certificate.validity = "valid"

    @api.constrains("kind", "user_id", "company_id", "backend")
    def _check_owner(self):
        for certificate in self:
            if certificate.kind == "organisation" and certificate.user_id:
                raise ValidationError(
                    self.env._(
                        "An organisation certificate belongs to the agency, not to a "
                        "user."
                    )
                )
            if certificate.backend == "local" and certificate.kind != "person":
                raise ValidationError(
                    self.env._(
                        "Only a person certificate can be used from a USB token on the "
                        "signer's computer."
                    )
                )
            user = certificate.user_id
            if user and certificate.company_id not in user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work for agency %(agency)s.",
                        user=user.name,
                        agency=certificate.company_id.name,
                    )
                )

    # ------------------------------------------------------------------ inputs
    def _inverse_inputs(self):
        for certificate in self:
            certificate._vbdt_store_inputs()

    def _vbdt_store_inputs(self):
        self.ensure_one()
        if self.pin or self.pkcs12_file or self.password:
            secret_store.box(self.env)  # no server key: refuse before anything else
        # sudo: secrets are sealed and stored by the server
        record = self.sudo()
        vals = {}
        if self.pin:
            vals["pin_secret"] = self._vbdt_encrypt_secret("pin_secret", self.pin)
        if self.pkcs12_file or (self.password and record.pkcs12_secret):
            raw = (
                base64.b64decode(self.pkcs12_file)
                if self.pkcs12_file
                else record._vbdt_decrypt_secret("pkcs12_secret")
            )
            password = self.password or ""
            cert, chain = self._vbdt_parse_pkcs12(raw, password)
            vals.update(self._vbdt_certificate_vals(cert, chain))
            vals.update(
                pkcs12_secret=self._vbdt_encrypt_secret("pkcs12_secret", raw),
                password_secret=self._vbdt_encrypt_secret("password_secret", password),
                has_key_material=True,
            )
        elif self.certificate_file:
            cert = self._vbdt_parse_certificate(base64.b64decode(self.certificate_file))
            vals.update(self._vbdt_certificate_vals(cert, []))
        if vals:
            record.write(vals)

    def _vbdt_parse_pkcs12(self, raw, password):
        try:
            key, cert, others = pkcs12.load_key_and_certificates(
                raw, password.encode() or None
            )
        except ValueError:
            raise user_error(self.env, KeyStoreError()) from None
        if key is None or cert is None:
            raise user_error(self.env, KeyStoreError())
        return cert, others

    def _vbdt_parse_certificate(self, raw):
        try:
            if b"-----BEGIN" in raw:
                return x509.load_pem_x509_certificate(raw)
            return x509.load_der_x509_certificate(raw)
        except ValueError:
            raise UserError(
                self.env._("The file is not an X.509 certificate (PEM or DER).")
            ) from None

    def _vbdt_certificate_vals(self, cert, chain):
        """Public fields from a ``cryptography`` certificate; refuses unusable ones."""
        common_name = (
            _attribute(cert.subject, NameOID.COMMON_NAME)
            or cert.subject.rfc4514_string()
        )
        not_after = cert.not_valid_after_utc.replace(tzinfo=None)
        if not_after < fields.Datetime.now():
            raise user_error(
                self.env,
                CertificateExpiredError(
                    subject=common_name, not_after=fields.Datetime.to_string(not_after)
                ),
            )
        if not _can_sign(cert):
            raise user_error(self.env, KeyUsageError(subject=common_name))
        pem = serialization.Encoding.PEM
        vals = {
            "certificate_pem": cert.public_bytes(pem).decode(),
            "chain_pem": b"".join(c.public_bytes(pem) for c in chain).decode() or False,
            "subject": cert.subject.rfc4514_string(),
            "subject_common_name": common_name,
            "issuer": _attribute(cert.issuer, NameOID.COMMON_NAME)
            or cert.issuer.rfc4514_string(),
            "serial_number": format(cert.serial_number, "X"),
            "fingerprint_sha256": cert.fingerprint(hashes.SHA256()).hex(":").upper(),
            "not_before": cert.not_valid_before_utc.replace(tzinfo=None),
            "not_after": not_after,
            "expiry_reminder_sent": False,
        }
        if not self.name:
            vals["name"] = common_name
        return vals

    @api.depends("name", "subject_common_name")
    def _compute_display_name(self):
        for certificate in self:
            certificate.display_name = (
                certificate.name
                or certificate.subject_common_name
                or self.env._("New certificate")
            )

    def action_read_token_certificate(self):
        """Read the certificate from the PKCS#11 token (checks the PIN too)."""
        for certificate in self:
            if certificate.backend != "pkcs11":
                continue
            try:
                with certificate._vbdt_backend_unchecked().open() as signer:
                    der = signer.signing_cert.dump()
            except PadesError as err:
                raise user_error(self.env, err) from None
            # sudo: the certificate's details are read from the token by the server
            certificate.sudo().write(
                certificate._vbdt_certificate_vals(
                    x509.load_der_x509_certificate(der), []
                )
            )
        return True

    # ------------------------------------------------------------------ use
    def _vbdt_check_usable_by(self, user):
        """Raise unless ``user`` may sign with this certificate now."""
        self.ensure_one()
        if self.kind == "person" and self.user_id != user:
            raise UserError(
                self.env._(
                    "Certificate %(certificate)s belongs to %(owner)s: only its "
                    "owner can "
                    "sign with it.",
                    certificate=self.display_name,
                    owner=self.user_id.name,
                )
            )
        if self.kind == "organisation" and not (
            user.has_group(CLERK) and self.company_id in user.company_ids
        ):
            raise UserError(
                self.env._(
                    "Only the clerk (văn thư) of %(agency)s can apply its seal.",
                    agency=self.company_id.name,
                )
            )
        if not self.active or self.validity in ("expired", "not_yet_valid", "unknown"):
            raise UserError(
                self.env._(
                    "Certificate %(certificate)s cannot sign now (%(validity)s).",
                    certificate=self.display_name,
                    validity=dict(
                        self._fields["validity"]._description_selection(self.env)
                    )[self.validity],
                )
            )

    def _vbdt_backend(self, user=None):
        """The ``pades`` signer backend, after checking who asks."""
        self._vbdt_check_usable_by(user or self.env.user)
        return self._vbdt_backend_unchecked()

    def _vbdt_backend_unchecked(self):
        # sudo: the signing backend needs the sealed secrets; never returned
        record = self.sudo()
        try:
            if record.backend == "pkcs12":
                if not record.pkcs12_secret:
                    raise UserError(
                        self.env._(
                            "Certificate %(certificate)s has no PKCS#12 file.",
                            certificate=self.display_name,
                        )
                    )
                return Pkcs12Backend(
                    record._vbdt_decrypt_secret("pkcs12_secret"),
                    record._vbdt_decrypt_secret("password_secret").decode() or None,
                )
            if record.backend == "pkcs11":
                chain = (
                    x509.load_pem_x509_certificates(record.chain_pem.encode())
                    if record.chain_pem
                    else []
                )
                return Pkcs11Backend(
                    record._vbdt_pkcs11_library(),
                    record._vbdt_decrypt_secret("pin_secret").decode(),
                    token_label=record.pkcs11_token_label or None,
                    key_label=record.pkcs11_key_label or None,
                    other_certs=[
                        c.public_bytes(serialization.Encoding.DER) for c in chain
                    ],
                    raw_mechanism=record.pkcs11_raw_mechanism,
                )
        except PadesError as err:
            raise user_error(self.env, err) from None
        if record.backend == "local":
            raise UserError(
                self.env._(
                    "Certificate %(certificate)s is on a USB token on its owner's "
                    "computer: "
                    "it signs through the signing agent, not on the server.",
                    certificate=self.display_name,
                )
            )
        return self._vbdt_remote_backend()

    def _vbdt_certificate_chain(self):
        """DER certificates, the signer's first, then the uploaded issuers."""
        self.ensure_one()
        pems = [self.certificate_pem or "", self.chain_pem or ""]
        certificates = (
            x509.load_pem_x509_certificates("".join(pems).encode())
            if self.certificate_pem
            else []
        )
        return [c.public_bytes(serialization.Encoding.DER) for c in certificates]

    def _vbdt_remote_backend(self):
        """Extension point: a ``pades.RemoteBackend`` for the remote endpoint."""
        raise UserError(
            self.env._(
                "No client for the remote signing service %(endpoint)s is installed.",
                # sudo: the service's address in the refusal; no secret
                endpoint=self.sudo().remote_endpoint or "-",
            )
        )

    @api.model
    def _vbdt_person_certificate(self, user):
        return self.search(
            [
                ("kind", "=", "person"),
                ("user_id", "=", user.id),
                ("not_after", ">", fields.Datetime.now()),
            ],
            order="not_after desc",
            limit=1,
        )

    @api.model
    def _vbdt_seal_certificate(self, company):
        # sudo: the agency's seal certificate is used by the server, not returned
        return self.sudo().search(
            [
                ("kind", "=", "organisation"),
                ("company_id", "=", company.id),
                ("not_after", ">", fields.Datetime.now()),
            ],
            order="not_after desc",
            limit=1,
        )

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_expiry_reminder(self):
        """An activity for the administrators, 30 days before a certificate expires."""
        now = fields.Datetime.now()
        expiring = self.search(
            [
                ("expiry_reminder_sent", "=", False),
                ("not_after", ">", now),
                ("not_after", "<", now + timedelta(days=EXPIRY_WARNING_DAYS)),
            ]
        )
        admins = self.env.ref(MANAGER).users.filtered(lambda u: not u.share)
        activity_type = self.env.ref("vbdt_signature.mail_activity_certificate_expiry")
        for certificate in expiring:
            for admin in admins.filtered(
                lambda u, c=certificate: c.company_id in u.company_ids
            ):
                certificate.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=certificate.not_after.date(),
                    user_id=admin.id,
                    summary=self.env._(
                        "Certificate %(certificate)s expires on %(date)s",
                        certificate=certificate.display_name,
                        date=certificate.not_after.date(),
                    ),
                )
            certificate.expiry_reminder_sent = True
        return True


def _attribute(name, oid):
    values = name.get_attributes_for_oid(oid)
    return values[0].value if values else ""


def _can_sign(cert):
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return usage.digital_signature or usage.content_commitment
