from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import VbdtSignatureCommon


@tagged("vbdt", "vbdt_signature", "access_rights")
class TestCertificateAccess(VbdtSignatureCommon):
    @users("leader")
    def test_leader_reads_own_and_seal(self):
        visible = self.env["vbdt.signature.certificate"].search([])
        self.assertEqual(
            visible, (self.person_cert | self.seal_cert).with_env(self.env)
        )

    @users("specialist", "clerk")
    def test_others_do_not_see_person_certificates(self):
        visible = self.env["vbdt.signature.certificate"].search([])
        self.assertEqual(visible, self.seal_cert.with_env(self.env))
        with self.assertRaises(AccessError):
            self.person_cert.with_env(self.env).read(["name"])

    @users("leader", "clerk", "specialist")
    def test_only_administrators_manage(self):
        with self.assertRaises(AccessError):
            self.seal_cert.with_env(self.env).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            self.env["vbdt.signature.trust.anchor"].create({"name": "Rogue CA"})
        with self.assertRaises(AccessError):
            self.anchor.with_env(self.env).unlink()

    @users("other_clerk")
    def test_other_agency_sees_nothing(self):
        self.assertFalse(self.env["vbdt.signature.certificate"].search([]))

    @users("specialist")
    def test_everyone_reads_checks_of_visible_documents(self):
        document = self._received_signed()
        checks = document.with_env(self.env).signature_check_ids
        self.assertEqual(checks.mapped("kind"), ["person"])

    def test_checks_of_secret_documents_follow_their_named_readers(self):
        document = self._received_signed()
        secret_register = document.company_id.vbdt_register_ids.filtered(
            lambda r: r.confidential and r.direction == "outgoing"
        )
        document.sudo()._vbdt_write_lifecycle(
            {
                "confidentiality": "secret",
                "register_id": secret_register.id,
                "confidential_user_ids": [(6, 0, self.leader.ids)],
            }
        )
        Check = self.env["vbdt.signature.check"]
        self.assertTrue(
            Check.with_user(self.leader).search([("document_id", "=", document.id)])
        )
        self.assertFalse(
            Check.with_user(self.clerk).search([("document_id", "=", document.id)])
        )

    def _received_signed(self):
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        return document


@tagged("vbdt", "vbdt_signature", "access_rights")
class TestCertificateManagement(VbdtSignatureCommon):
    def test_manager_creates_certificates(self):
        manager = self._user("sig_admin", "manager")
        certificate = self.Certificate.with_user(manager).create(
            {
                "kind": "organisation",
                "company_id": self.province.id,
                "pkcs12_file": __import__("base64").b64encode(
                    self.pki.organisation.pkcs12()
                ),
                "password": "vbdt-demo",
            }
        )
        self.assertEqual(
            certificate.subject_common_name,
            self.pki.organisation.certificate.subject.rfc4514_string()
            .split("CN=")[1]
            .split(",")[0],
        )


@tagged("vbdt", "vbdt_signature", "access_rights")
class TestVerificationAccess(VbdtSignatureCommon):
    @users("clerk", "specialist")
    def test_upload_is_verified_for_any_role(self):
        document = self.env["vbdt.document"].create(
            {
                "direction": "incoming",
                "company_id": self.province.id,
                "subject": "Thư mời",
                "code": "12/GM-STN",
                "document_date": "2026-03-02",
                "sender_name": "Sở Thử nghiệm",
            }
        )
        document.write(
            {
                "file_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "giay_moi.pdf",
                            "role": "main",
                            "datas": __import__("base64").b64encode(self.draft_pdf),
                        },
                    )
                ]
            }
        )
        self.assertEqual(document.signature_status, "unsigned")
        self.assertEqual(document.main_file_id.signature_status, "unsigned")
