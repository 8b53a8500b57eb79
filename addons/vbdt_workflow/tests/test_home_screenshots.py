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
        # two letters arrived, waiting for the clerk's registration (one urgent)
        cls._incoming(
            subject="V/v báo cáo tình hình kinh tế - xã hội", urgency="urgent"
        )
        cls._incoming(subject="V/v tổ chức hội nghị trực tuyến", code="512/UBND-VP")
        cls.unit.manager_id = cls.head
        # two directed to the unit: one waits for the head to distribute, the
        # other the head gave to the specialist
        for code in ("45/STC-NS", "46/STC-NS"):
            directed = cls._incoming(
                subject="V/v lập dự toán ngân sách năm 2027",
                code=code,
                directing_leader_id=cls.leader.id,
            )
            directed.with_user(cls.clerk).action_register_and_present()
            directed.with_user(cls.leader)._vbdt_direct(
                "Giao đơn vị chủ trì",
                "2026-12-31",
                [{"role": "lead", "unit_id": cls.unit.id}],
            )
        directed.assignment_ids.with_user(cls.head).action_assign_inside(cls.specialist)

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
        for user, key in (
            (self.leader, "presented_mine"),
            (self.head, "to_distribute"),
            (self.specialist, "assigned_mine"),
        ):
            queue = Queue.with_user(user).search([("key", "=", key)])
            self.assertEqual(queue.document_count, 1, key)
