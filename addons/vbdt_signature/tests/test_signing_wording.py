"""Signing reads like the task: the state of each file worded for people at
every stage, a confirmation that says what is signed and as whom (KT.), and
a success notification."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..demo import testpki
from ..demo.documents import demo_document_pdf
from .common import VbdtSignatureCommon

VI = {"lang": "vi_VN"}


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestSigningWording(VbdtSignatureCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")

    def _wording(self, record):
        record = record.with_context(**VI)
        return record.signature_label, record.signature_tone

    def test_each_stage_of_an_outgoing_document(self):
        document = self._signable(attachment=demo_document_pdf(pages=1))
        document.write({"signer_authority": "kt", "signer_position": "Phó Chủ tịch"})
        self._reach_signing_step(document)
        main = document.main_file_id
        annex = document.file_ids - main
        self.assertEqual(
            self._wording(main), ("Chưa ký — chờ người có thẩm quyền ký", "info")
        )
        self.assertEqual(
            self._wording(annex),
            ("Văn thư ký số cùng dấu cơ quan khi phát hành", "muted"),
        )

        action = (
            document.with_user(self.leader)
            .with_context(**VI)
            .action_sign_person_confirm()
        )
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["name"], "Xác nhận ký số")
        self.assertEqual(main.signature_status, "unsigned", "nothing signed yet")
        wizard = (
            self.env[action["res_model"]]
            .browse(action["res_id"])
            .with_user(self.leader)
            .with_context(**VI)
        )
        self.assertEqual(wizard.file_name, "quyet_dinh.pdf")
        self.assertEqual(wizard.signing_as, f"KT. Phó Chủ tịch {testpki.PERSON_NAME}")
        self.assertEqual(wizard.certificate_name, self.person_cert.display_name)

        result = wizard.action_sign()
        self.assertEqual(result["tag"], "display_notification")
        params = result["params"]
        self.assertEqual((params["type"], params["title"]), ("success", "Đã ký"))
        self.assertIn(f"KT. Phó Chủ tịch {testpki.PERSON_NAME}", params["message"])
        self.assertIn("đang chờ văn thư phát hành", params["message"])
        self.assertEqual(main.signature_status, "incomplete", "the seal comes at issue")
        signed = ("Đã ký — chờ văn thư phát hành", "info")
        self.assertEqual(self._wording(main), signed, "on its way, not an error")
        self.assertEqual(self._wording(document), signed)

        document.with_user(self.clerk).action_issue()
        self.assertEqual(self._wording(main), ("Đã ký số và đóng dấu", "success"))
        self.assertEqual(self._wording(annex), ("Đã ký số và đóng dấu", "success"))

    def test_confirmation_refuses_who_cannot_sign(self):
        document = self._signable()
        self._reach_signing_step(document)
        Wizard = self.env["vbdt.signature.sign.confirm"]
        before = Wizard.search_count([])
        with self.assertRaisesRegex(UserError, "Only the signer"):
            document.with_user(self.clerk).action_sign_person_confirm()
        self.assertEqual(Wizard.search_count([]), before, "no dialog opened")
        self.assertEqual(document.main_file_id.signature_status, "unsigned")
        self.assertFalse(document.main_file_id.signature_check_ids)

    def test_wording_of_received_files(self):
        document = self._incoming()
        document._vbdt_add_file("den.pdf", self.draft_pdf, role="main")
        main = document.main_file_id
        expected = {
            "valid": ("Chữ ký hợp lệ", "success"),
            "incomplete": ("Thiếu chữ ký của người ký hoặc của cơ quan", "warning"),
            "unsigned": (
                "Không có chữ ký số: kiểm tra đây là bản chính xác thực",
                "warning",
            ),
            "invalid": ("Chữ ký không hợp lệ: đã bị sửa hoặc không tin cậy", "danger"),
            "error": ("Không đọc được tệp PDF", "danger"),
        }
        for status, wording in expected.items():
            with self.subTest(status=status):
                # the stored verification result, as the verifier writes it
                main.sudo().signature_status = status
                self.assertEqual(self._wording(main), wording)
