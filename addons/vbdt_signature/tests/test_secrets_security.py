"""Attacks on secrets, native code and signature images, through the real
JSON-RPC API as a Document Office administrator who is not a system
administrator (and as weaker roles); each asserts the refusal and re-reads as
superuser to show that nothing changed."""

import base64
import json
import os
from unittest.mock import patch

from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from odoo.addons.vbdt_document import secret_store
from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin

from ..demo import testpki
from ..demo.documents import demo_signature_png
from .common import VbdtSignatureCommon, b64


def _stroke_on_white():
    """A blue stroke on an opaque white RGBA background."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 120), (255, 255, 255, 255))
    ImageDraw.Draw(image).line((20, 90, 280, 30), fill=(20, 40, 200, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install", "access_rights")
class TestSecretsAttack(JsonRpcMixin, VbdtSignatureCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.docadmin = cls._user("docadmin", "manager")
        cls.other_admin = cls._user("other_admin", "manager", company=cls.department)
        cls.startClassPatcher(
            patch.dict(
                config.options,
                {
                    "vbdt_pkcs11_modules": "softhsm:/usr/lib/softhsm/libsofthsm2.so,"
                    "broken:/nonexistent/vbdt/libbroken.so"
                },
            )
        )

    # ------------------------------------------------------------ helpers
    def _assert_no_path(self, error_data, *paths):
        text = json.dumps(error_data)
        for path in (*paths, config.filestore(self.env.cr.dbname), config["data_dir"]):
            self.assertNotIn(path, text)

    def _assert_image_hidden(self, login, record, field, image):
        """``login`` can neither read the image ``field`` of ``record`` through
        JSON-RPC nor download it from ``/web/image``."""
        self.assertRefused(login, record._name, "read", [[record.id], [field]])
        self.authenticate(login, login)
        response = self.url_open(f"/web/image/{record._name}/{record.id}/{field}")
        self.assertNotEqual(response.content, image)

    def _assert_image_shown(self, login, record, field, image):
        """``login`` reads the image ``field`` of ``record`` through JSON-RPC
        and downloads it from ``/web/image``."""
        result = self.call_kw(login, record._name, "read", [[record.id], [field]])
        self.assertEqual(base64.b64decode(result[0][field]), image)
        self.authenticate(login, login)
        response = self.url_open(f"/web/image/{record._name}/{record.id}/{field}")
        self.assertEqual(response.content, image)

    def _column(self, certificate, column):
        self.env.flush_all()
        self.env.cr.execute(  # column names from the test itself
            f"SELECT {column} FROM vbdt_signature_certificate WHERE id = %s",
            [certificate.id],
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------ PKCS#11
    def test_pkcs11_module_path_from_an_upload_is_refused(self):
        upload = self.call_kw(
            "docadmin",
            "ir.attachment",
            "create",
            [
                {
                    "name": "libevil.so",
                    "raw": False,
                    "datas": base64.b64encode(b"\x7fELF not really").decode(),
                }
            ],
        )
        attachment = self.env["ir.attachment"].browse(upload)
        evil_path = attachment._full_path(attachment.store_fname)
        token = self.Certificate.create(
            {
                "kind": "person",
                "user_id": self.leader.id,
                "company_id": self.province.id,
                "backend": "pkcs11",
                "pkcs11_module": "softhsm",
                "pin": "123456",
            }
        )
        for path in (evil_path, "/usr/lib/softhsm/libsofthsm2.so"):
            error = self.assertRefused(
                "docadmin",
                "vbdt.signature.certificate",
                "write",
                [[token.id], {"pkcs11_module": path}],
            ).data
            self.assertIn("not allowed on this server", error["message"])
            self._assert_no_path(error, evil_path, "/usr/lib")
            error = self.assertRefused(
                "docadmin",
                "vbdt.signature.certificate",
                "create",
                [
                    {
                        "kind": "organisation",
                        "company_id": self.province.id,
                        "backend": "pkcs11",
                        "pkcs11_module": path,
                    }
                ],
            ).data
            self._assert_no_path(error, evil_path, "/usr/lib")
        self.assertEqual(token.sudo().pkcs11_module, "softhsm")
        self.assertFalse(
            self.Certificate.sudo().search([("pkcs11_module", "like", "/")])
        )
        # the context cannot switch the check off either
        self.assertRefused(
            "docadmin",
            "vbdt.signature.certificate",
            "write",
            [[token.id], {"pkcs11_module": evil_path}],
            context={"install_mode": True, "vbdt_unlock": True},
        )
        self.assertEqual(token.sudo().pkcs11_module, "softhsm")

    def test_unloadable_module_error_names_no_path(self):
        token = self.Certificate.create(
            {
                "kind": "organisation",
                "company_id": self.province.id,
                "backend": "pkcs11",
                "pkcs11_module": "broken",
                "pin": "123456",
            }
        )
        error = self.assertRefused(
            "docadmin",
            "vbdt.signature.certificate",
            "action_read_token_certificate",
            [[token.id]],
        ).data
        self.assertIn("PKCS#11 module could not be loaded", error["message"])
        self._assert_no_path(error, "/nonexistent", "libbroken")

    def test_module_names_only_are_offered(self):
        fields_info = self.call_kw(
            "docadmin",
            "vbdt.signature.certificate",
            "fields_get",
            [["pkcs11_module"]],
            {"attributes": ["selection"]},
        )
        self.assertEqual(
            fields_info["pkcs11_module"]["selection"],
            [["broken", "broken"], ["softhsm", "softhsm"]],
        )

    # ------------------------------------------------------------ secrets at rest
    def test_pkcs12_secrets_are_sealed_with_the_server_key(self):
        # (not in clear, and still signing:
        # TestCertificate.test_secrets_encrypted_at_rest)
        for column in ("pkcs12_secret", "password_secret"):
            token = self._column(self.person_cert, column)
            self.assertTrue(
                token.startswith(f"vbdt1${secret_store.box(self.env).key_id}$")
            )
            # not readable over RPC, not even by the Document Office administrator
            self.assertRefused(
                "docadmin",
                "vbdt.signature.certificate",
                "read",
                [[self.person_cert.id], [column]],
            )

    def test_without_server_key_secrets_are_refused_in_vietnamese(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["vbdt_document"], ["vi_VN"])
        before = (
            self.Certificate.sudo().with_context(active_test=False).search_count([])
        )
        pin_before = self._column(self.seal_cert, "pin_secret")
        no_key = {"VBDT_SECRET_KEY": "", "VBDT_SECRET_KEY_RETIRED": ""}
        with (
            patch.dict(os.environ, no_key),
            patch.dict(config.options, {"vbdt_secret_key": ""}),
        ):
            self.assertFalse(secret_store.has_key())
            error = self.assertRefused(
                "docadmin",
                "vbdt.signature.certificate",
                "create",
                [
                    {
                        "kind": "organisation",
                        "company_id": self.province.id,
                        "backend": "pkcs12",
                        "pkcs12_file": b64(self.pki.organisation.pkcs12()).decode(),
                        "password": testpki.PKCS12_PASSWORD,
                    }
                ],
                context={"lang": "vi_VN"},
            ).data
            self.assertIn("khóa máy chủ", error["message"])
            self.assertRefused(
                "docadmin",
                "vbdt.signature.certificate",
                "write",
                [[self.seal_cert.id], {"pin": "999999"}],
                context={"lang": "vi_VN"},
            )
        self.assertEqual(
            self.Certificate.sudo().with_context(active_test=False).search_count([]),
            before,
        )
        self.assertEqual(self._column(self.seal_cert, "pin_secret"), pin_before)

    # ------------------------------------------------------------ images
    def test_signature_image_readable_by_owner_and_own_agency_admins_only(self):
        image = base64.b64decode(self.leader.vbdt_signature_image)
        for login in ("specialist", "clerk", "other_admin"):
            self._assert_image_hidden(login, self.leader, "vbdt_signature_image", image)
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "res.users"),
                        ("res_id", "=", self.leader.id),
                        ("res_field", "=", "vbdt_signature_image"),
                    ]
                )
            )
            response = self.url_open(f"/web/content/{attachment.id}")
            self.assertNotEqual(response.content, image)
            # nor can they replace it
            self.assertRefused(
                login,
                "res.users",
                "write",
                [
                    [self.leader.id],
                    {"vbdt_signature_image": b64(demo_signature_png()).decode()},
                ],
            )
        self.assertEqual(base64.b64decode(self.leader.vbdt_signature_image), image)
        for login in ("leader", "docadmin"):
            self._assert_image_shown(login, self.leader, "vbdt_signature_image", image)

    def test_signers_set_their_own_image_in_their_preferences(self):
        view = self.env.ref("vbdt_signature.res_users_view_form_preferences")
        views = self.call_kw("leader", "res.users", "get_views", [[[view.id, "form"]]])
        self.assertIn("vbdt_signature_image", views["views"]["form"]["arch"])
        self.call_kw(
            "leader",
            "res.users",
            "write",
            [
                [self.leader.id],
                {"vbdt_signature_image": b64(demo_signature_png()).decode()},
            ],
        )

    def test_opaque_images_are_refused_in_vietnamese(self):
        """An RGBA PNG whose alpha channel is opaque everywhere (a scan on white)
        passes a mode check but would blank out the page under the stamp."""
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["vbdt_signature"], ["vi_VN"])
        opaque = b64(_stroke_on_white()).decode()
        # only an administrator (Access Rights) may change a company at all
        for login, record, field, message in (
            (
                "leader",
                self.leader,
                "vbdt_signature_image",
                "Hình ảnh chữ ký phải có nền trong suốt",
            ),
            (
                "admin",
                self.province,
                "vbdt_seal_image",
                "Hình ảnh con dấu phải có nền trong suốt",
            ),
        ):
            with self.subTest(field=field):
                image = record[field]
                error = self.assertRefused(
                    login,
                    record._name,
                    "write",
                    [[record.id], {field: opaque}],
                    context={"lang": "vi_VN"},
                ).data
                self.assertIn(message, error["message"])
                self.assertEqual(record.sudo()[field], image)

    def test_seal_image_readable_by_agency_admins_only(self):
        seal = base64.b64decode(self.province.vbdt_seal_image)
        for login in ("clerk", "leader", "other_admin"):
            self._assert_image_hidden(login, self.province, "vbdt_seal_image", seal)
        self._assert_image_shown("docadmin", self.province, "vbdt_seal_image", seal)

    # ------------------------------------------------------------ trust anchors
    def test_import_trust_anchor_bundles(self):
        Anchor = self.env["vbdt.signature.trust.anchor"]
        root, ca = self.pki.root, self.pki.intermediate

        def import_file(raw, login="docadmin"):
            wizard = self.call_kw(
                login,
                "vbdt.signature.trust.anchor.import",
                "create",
                [{"bundle_file": b64(raw).decode()}],
            )
            self.call_kw(
                login, "vbdt.signature.trust.anchor.import", "action_import", [[wizard]]
            )
            return self.env["vbdt.signature.trust.anchor.import"].browse(wizard).result

        # PEM bundle: the root is known already, the issuing CA is added, the
        # person certificate is not a CA and is left out
        result = import_file(
            root.certificate_pem + ca.certificate_pem + self.pki.person.certificate_pem
        )
        self.assertIn("1", result.splitlines()[0])
        self.assertTrue(
            Anchor.search([("subject", "=", ca.certificate.subject.rfc4514_string())])
        )
        Anchor.search([("id", "!=", self.anchor.id)]).unlink()
        # a DER certificate
        import_file(ca.certificate_der)
        self.assertEqual(Anchor.search_count([]), 2)
        Anchor.search([("id", "!=", self.anchor.id)]).unlink()
        # a PKCS#7 bundle (DER, .p7b), then the same as PEM: nothing added twice
        p7b = pkcs7.serialize_certificates(
            [root.certificate, ca.certificate], Encoding.DER
        )
        import_file(p7b)
        import_file(
            pkcs7.serialize_certificates(
                [root.certificate, ca.certificate], Encoding.PEM
            )
        )
        self.assertEqual(Anchor.search_count([]), 2)

    def test_specialist_cannot_import_trust_anchors(self):
        before = self.env["vbdt.signature.trust.anchor"].search_count([])
        self.assertRefused(
            "specialist",
            "vbdt.signature.trust.anchor.import",
            "create",
            [{"bundle_file": b64(self.pki.intermediate.certificate_pem).decode()}],
        )
        self.assertEqual(
            self.env["vbdt.signature.trust.anchor"].search_count([]), before
        )
