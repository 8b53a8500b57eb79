from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.browser import ScreenshotMixin

from .test_phone_tours import WorkdayData

# the queues the home page shows: {key: the figure on its card}
SHOWN_QUEUES = (
    "Object.fromEntries([...document.querySelectorAll("
    "'.o_vbdt_home .o_vbdt_queue_count')]"
    ".map((badge) => [badge.dataset.queue, badge.textContent.trim()]))"
)


@tagged("post_install", "-at_install", "vbdt")
class TestHomeScreenshots(ScreenshotMixin, HttpCase, WorkdayData):
    """The home page (work queues with their counts) of the clerk, the
    specialist, the head of unit and the leader at 1366x768, in Vietnamese:
    each shows exactly the queues of its role with the counts the user's own
    rights give; the readme's pictures (static/description) are made so."""

    browser_size = "1366x768"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # two letters arrived, waiting for the clerk's registration
        cls._incoming(subject="V/v báo cáo tình hình kinh tế - xã hội")
        cls._incoming(subject="V/v tổ chức hội nghị trực tuyến", code="512/UBND-VP")

    def test_home_of_each_role(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        Queue = self.env["vbdt.work.queue"]
        for user, filename in (
            (self.clerk, "home_clerk.png"),
            (self.specialist, "home_specialist.png"),
            (self.head, "home_head.png"),
            (self.leader, "home_leader.png"),
        ):
            with self.subTest(role=filename):
                user.lang = "vi_VN"
                mine = Queue.with_user(user).search([("is_mine", "=", True)])
                self.assertTrue(mine, "every role has queues of its own")
                expected = {queue.key: str(queue.document_count) for queue in mine}
                image, shown = self.screenshot(
                    "/odoo/viec-can-lam",
                    user,
                    ".o_vbdt_home .o_vbdt_queue_count",
                    filename,
                    read=SHOWN_QUEUES,
                )
                self.assertScreenPng(image)
                self.assertEqual(shown, expected)
        # the figures are not all zero: the pictures show work waiting
        self.assertEqual(
            Queue.with_user(self.clerk)
            .search([("key", "=", "incoming_waiting")])
            .document_count,
            2,
        )
        self.assertEqual(
            Queue.with_user(self.leader)
            .search([("key", "=", "presented_mine")])
            .document_count,
            1,
        )
