"""Packages received from a national axis -- the fake axis of
``tests/vxp/fake_axis.py``, a real HTTP server on 127.0.0.1 that
authenticates our signed requests -- through the ``vxp`` transport:

- sender authenticity: a package is accepted only when its sender agency is
  the axis' ``from`` and an agency the directory maps to the connection that
  delivered it (issue 10, "What to build" 3);
- XML signatures: verified against the trust anchors when present, required
  per counterpart when the option is set (signed, tampered, unsigned).

Every refusal is checked as "quarantined, nothing registered, nothing
answered"."""

import base64
import datetime as dt
import sys
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from werkzeug.serving import make_server

from odoo.tests import TransactionCase, tagged

from odoo.addons.vbdt_interconnect import edxml
from odoo.addons.vbdt_interconnect.edxml.sign import sign_package

from .common import VbdtExchangeCommon

ROOT = Path(__file__).resolve().parents[3]
SYSTEM_ID = "sys-district"
SYSTEM_SECRET = "district-axis-secret"


def _fake_axis_module():
    """``tests/vxp/fake_axis.py`` imports the plain-Python ``vxp`` core as a
    top-level package, as the pytest suite does."""
    for path in (ROOT / "addons" / "vbdt_interconnect", ROOT / "tests" / "vxp"):
        if str(path) not in sys.path:
            sys.path.append(str(path))
    import fake_axis  # pylint: disable=import-outside-toplevel

    return fake_axis


def _ca_and_signer(ca_name, signer_name):
    """``(CA certificate, signer key, signer certificate)``: a root CA and a
    signing certificate it issued, with the extensions a chain verifier
    requires (as a provider's CA for government agencies issues them)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ca_name)])
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, signer_name)])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())

    def builder(name, public_key):
        return (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
        )

    def usage(signing):
        return x509.KeyUsage(
            digital_signature=signing,
            content_commitment=signing,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=not signing,
            crl_sign=not signing,
            encipher_only=False,
            decipher_only=False,
        )

    ca = (
        builder(issuer, ca_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage(signing=False), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    certificate = (
        builder(subject, key.public_key())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(signing=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return ca, key, certificate


@tagged("post_install", "-at_install")
class TestAxisSender(VbdtExchangeCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = _fake_axis_module()
        cls.fake.SECRETS[SYSTEM_ID] = SYSTEM_SECRET
        cls.addClassCleanup(cls.fake.SECRETS.pop, SYSTEM_ID, None)
        cls.axis = cls.fake.FakeAxis(
            agencies=[
                {"id": "1", "code": cls.outside.code, "pid": "", "name": "Sở Ngoài"},
                {
                    "id": "2",
                    "code": cls.district.vbdt_agency_code,
                    "pid": "",
                    "name": cls.district.name,
                },
            ]
        )
        server = make_server("127.0.0.1", 0, cls.axis, threaded=True)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        cls.addClassCleanup(thread.join, 5)
        cls.addClassCleanup(server.shutdown)
        cls.config = cls.env["vbdt.exchange.transport"].create(
            {
                "name": "Trục quốc gia (thử nghiệm)",
                "company_id": cls.district.id,
                "endpoint": f"http://127.0.0.1:{server.server_port}/vxp",
                "system_id": SYSTEM_ID,
                "secret": SYSTEM_SECRET,
                "timeout": 20,
            }
        )

    def setUp(self):
        super().setUp()
        self.axis.deliveries.clear()
        self.axis.calls.clear()

    # ------------------------------------------------------------ helpers
    def _deliver(self, raw, axis_from):
        """The axis holds ``raw`` for us, sent (it says) by ``axis_from``;
        our poller fetches, stores and processes it."""
        self.axis.deliveries.append(
            self.fake.Delivery(
                f"doc-{len(self.axis.deliveries) + 1}",
                axis_from,
                SYSTEM_ID,
                "edoc",
                raw,
            )
        )
        [record] = self.Engine._vbdt_poll(self.config)
        self.assertEqual(record.delivered_by_code, axis_from)
        return record

    def _district_documents(self):
        return self.Document.sudo().search_count(
            [("company_id", "=", self.district.id), ("direction", "=", "incoming")]
        )

    def _assert_quarantined(self, record, kind, before):
        self.assertEqual(
            (record.state, record.quarantine_kind), ("in_quarantine", kind)
        )
        self.assertTrue(record.last_error)
        self.assertEqual(self._district_documents(), before, "nothing registered")
        self.assertFalse(record.child_ids, "nothing answered to the claimed sender")
        self.assertNotIn("sendEdoc", self.axis.calls)

    def _raw(self, sender=None, number="12"):
        return edxml.build_document(
            self._package(sender=sender or self.outside.code, number=number)
        )

    # ------------------------------------------------------------ sender
    def test_sender_listed_by_the_axis_is_accepted(self):
        self.config._vbdt_sync_agencies()
        self.assertEqual(self.outside.sudo().vbdt_transport_ids, self.config)
        self.assertFalse(self.external.sudo().vbdt_transport_ids)
        before = self._district_documents()
        record = self._deliver(self._raw(), axis_from=self.outside.code)
        self.assertEqual(record.state, "in_parsed", record.last_error)
        self.assertEqual(self._district_documents(), before + 1)
        self.assertEqual(record.document_id.sender_agency_id, self.outside)

    def test_axis_from_must_be_the_package_sender(self):
        self.config._vbdt_sync_agencies()
        before = self._district_documents()
        record = self._deliver(self._raw(), axis_from=self.external.code)
        self._assert_quarantined(record, "forged_sender", before)
        self.assertIn(self.external.code, record.last_error)

    def test_sender_the_directory_does_not_map_to_this_axis_is_quarantined(self):
        """The axis says the package comes from the ministry and the package
        agrees, but the axis' own directory does not list the ministry: our
        directory reaches it elsewhere, so this connection may not speak for
        it. Once the directory maps it here, Retry accepts the package."""
        self.config._vbdt_sync_agencies()
        before = self._district_documents()
        record = self._deliver(
            self._raw(sender=self.external.code), axis_from=self.external.code
        )
        self._assert_quarantined(record, "unmapped_sender", before)
        self.assertIn(self.config.name, record.last_error)
        self.assertIn(self.external.name, record.last_error)

        self.external.vbdt_transport_ids = [(4, self.config.id)]
        self.assertTrue(
            self.env["vbdt.audit.log"].search(
                [("agency_id", "=", self.external.id), ("event", "=", "directory")]
            ),
            "the routing change of the directory entry is audited",
        )
        record.with_user(self.district_clerk).action_retry()
        self.assertEqual(record.state, "in_parsed", record.last_error)
        self.assertEqual(self._district_documents(), before + 1)

    def test_before_the_first_synchronisation(self):
        """A connection that never imported its axis' directory accepts the
        agencies entered by hand (mapped to no connection), never one the
        directory reaches through another connection."""
        other = self.env["vbdt.exchange.transport"].create(
            {"name": "LGSP tỉnh", "company_id": self.district.id, "system_id": "lgsp"}
        )
        self.external.vbdt_transport_ids = [(6, 0, other.ids)]
        before = self._district_documents()
        accepted = self._deliver(self._raw(), axis_from=self.outside.code)
        self.assertEqual(accepted.state, "in_parsed", accepted.last_error)
        refused = self._deliver(
            self._raw(sender=self.external.code, number="13"),
            axis_from=self.external.code,
        )
        self._assert_quarantined(refused, "unmapped_sender", before + 1)

    # ------------------------------------------------------------ signature
    def _signed(self, raw, pki):
        _ca, key, certificate = pki
        return sign_package(raw, key, [certificate])

    def _anchor(self, certificate):
        return self.env["vbdt.signature.trust.anchor"].create(
            {
                "certificate_file": base64.b64encode(
                    certificate.public_bytes(serialization.Encoding.PEM)
                )
            }
        )

    def test_signed_tampered_and_unsigned_packages(self):
        self.config._vbdt_sync_agencies()
        trusted = _ca_and_signer("CA chuyên dùng (thử nghiệm)", "Sở Ngoài")
        self._anchor(trusted[0])
        before = self._district_documents()

        signed = self._deliver(
            self._signed(self._raw(number="21"), trusted), self.outside.code
        )
        self.assertEqual(signed.state, "in_parsed", signed.last_error)
        self.assertIn(
            "XML signature verified", "".join(signed.message_ids.mapped("body"))
        )

        package = self._signed(self._raw(number="22"), trusted)
        tampered_raw = package.replace(b"TB-SN", b"TB-XX")
        self.assertNotEqual(tampered_raw, package)
        tampered = self._deliver(tampered_raw, self.outside.code)
        self._assert_quarantined(tampered, "signature", before + 1)

        untrusted = _ca_and_signer("CA không rõ", "Sở Ngoài")
        foreign = self._deliver(
            self._signed(self._raw(number="23"), untrusted), self.outside.code
        )
        self._assert_quarantined(foreign, "signature", before + 1)

        unsigned = self._deliver(self._raw(number="24"), self.outside.code)
        self.assertEqual(unsigned.state, "in_parsed", "signing is optional by default")

        self.outside.vbdt_require_signed_packages = True
        refused = self._deliver(self._raw(number="25"), self.outside.code)
        self._assert_quarantined(refused, "signature", before + 2)
        self.assertIn(self.outside.name, refused.last_error)
        required_signed = self._deliver(
            self._signed(self._raw(number="26"), trusted), self.outside.code
        )
        self.assertEqual(required_signed.state, "in_parsed", required_signed.last_error)
