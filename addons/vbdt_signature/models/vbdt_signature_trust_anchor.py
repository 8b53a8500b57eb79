import base64

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import trust_bundle


class VbdtSignatureTrustAnchor(models.Model):
    """A CA certificate that signatures must chain to (B7): the government
    root "RootCA chuyên dùng Chính phủ" G1/G2, its issuing CA, public CAs
    under the Vietnam National Root CA. The verifier trusts these and
    nothing else (never the operating system's store)."""

    _name = "vbdt.signature.trust.anchor"
    _description = "Trust Anchor"
    _order = "name"

    name = fields.Char(help="Defaults to the CA's common name.")
    active = fields.Boolean(default=True)
    certificate_file = fields.Binary(
        string="CA Certificate",
        store=False,
        compute="_compute_certificate_file",
        inverse="_inverse_certificate_file",
        help="PEM or DER file.",
    )
    certificate_pem = fields.Text(readonly=True)
    subject = fields.Char(readonly=True)
    issuer = fields.Char(readonly=True)
    serial_number = fields.Char(readonly=True)
    fingerprint_sha256 = fields.Char(string="SHA-256 Fingerprint", readonly=True)
    not_before = fields.Datetime(string="Valid From", readonly=True)
    not_after = fields.Datetime(string="Valid Until", readonly=True)
    note = fields.Text()

    _sql_constraints = [
        (
            "fingerprint_unique",
            "UNIQUE(fingerprint_sha256)",
            "This CA certificate is already a trust anchor.",
        ),
    ]

    def _compute_certificate_file(self):
        for anchor in self:
            anchor.certificate_file = (
                base64.b64encode(anchor.certificate_pem.encode())
                if anchor.certificate_pem
                else False
            )

    def _inverse_certificate_file(self):
        for anchor in self.filtered("certificate_file"):
            anchor.write(anchor._vbdt_parse(base64.b64decode(anchor.certificate_file)))

    def _vbdt_parse(self, raw):
        try:
            certificates = trust_bundle.load_certificates(raw)
        except trust_bundle.BundleError:
            raise UserError(
                self.env._("The file is not an X.509 certificate (PEM or DER).")
            ) from None
        if len(certificates) > 1:
            raise UserError(
                self.env._(
                    "The file holds %(count)s certificates: use Import Certificates "
                    "to add "
                    "a bundle.",
                    count=len(certificates),
                )
            )
        cert = certificates[0]
        if not _is_ca(cert):
            raise UserError(
                self.env._(
                    "%(subject)s is not a certification authority: only CA "
                    "certificates "
                    "can be trust anchors.",
                    subject=cert.subject.rfc4514_string(),
                )
            )
        return self._vbdt_anchor_vals(cert)

    def _vbdt_anchor_vals(self, cert):
        common_name = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return {
            "certificate_pem": cert.public_bytes(serialization.Encoding.PEM).decode(),
            "subject": cert.subject.rfc4514_string(),
            "issuer": cert.issuer.rfc4514_string(),
            "serial_number": format(cert.serial_number, "X"),
            "fingerprint_sha256": _fingerprint(cert),
            "not_before": cert.not_valid_before_utc.replace(tzinfo=None),
            "not_after": cert.not_valid_after_utc.replace(tzinfo=None),
            "name": self.name
            or (common_name[0].value if common_name else cert.subject.rfc4514_string()),
        }

    @api.model
    def _vbdt_import_bundle(self, raw):
        """Add every CA certificate of a bundle; returns ``(added, known, not_ca)``
        as lists of subjects. Certificates that are not CAs are left out."""
        try:
            certificates = trust_bundle.load_certificates(raw)
        except trust_bundle.BundleError:
            raise UserError(
                self.env._(
                    "No certificate could be read from the file: expected PEM or DER "
                    "certificates, a PKCS#7 bundle (.p7b) or an ETSI trusted list "
                    "(XML)."
                )
            ) from None
        added, known, not_ca = [], [], []
        for cert in certificates:
            subject = cert.subject.rfc4514_string()
            if not _is_ca(cert):
                not_ca.append(subject)
            elif self.with_context(active_test=False).search_count(
                [("fingerprint_sha256", "=", _fingerprint(cert))]
            ):
                known.append(subject)
            else:
                self.create(self.browse()._vbdt_anchor_vals(cert))
                added.append(subject)
        return added, known, not_ca

    @api.model
    def _vbdt_anchors(self):
        """PEM bytes of every active anchor (read as superuser: verification
        must not depend on who looks)."""
        return [
            a.certificate_pem.encode()
            # sudo: verification trusts every anchor, whoever verifies
            for a in self.sudo().search([])
            if a.certificate_pem
        ]

    @api.model
    def _vbdt_install_demo(self):
        """Demo data: a test PKI, images, and documents to sign and verify.
        The demo code is imported here only, when the demo data loads."""
        from ..demo.data import install_demo

        install_demo(self.env)
        return True


def _is_ca(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _fingerprint(cert):
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()
