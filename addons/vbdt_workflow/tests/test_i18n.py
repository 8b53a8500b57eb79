from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import VbdtWorkflowCommon


@tagged("post_install", "-at_install", "vbdt")
class TestVietnamese(VbdtWorkflowCommon):
    def test_catalogue_loads(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["vbdt_workflow"], ["vi_VN"])
        env = self.env(context={"lang": "vi_VN"})
        states = dict(env["vbdt.document"]._fields["state"]._description_selection(env))
        self.assertEqual(states["review"], "Đang duyệt")
        self.assertEqual(states["presented"], "Đã trình lãnh đạo")
        document = self._submitted().with_context(lang="vi_VN")
        self.assertRegex(
            document._vbdt_review_current().name or "",
            "Head of unit",
            "route data keeps the administrator's wording",
        )
        with self.assertRaisesRegex(UserError, "không chờ bạn xử lý"):
            document.with_user(self.leader).with_context(
                lang="vi_VN"
            ).action_review_approve()
