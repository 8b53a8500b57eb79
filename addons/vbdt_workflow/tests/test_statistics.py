from freezegun import freeze_time

from odoo.tests import tagged

from .common import VbdtWorkflowCommon


@tagged("post_install", "-at_install", "vbdt")
class TestHandlingStatistics(VbdtWorkflowCommon):
    """Handling figures on the dashboard and per assignment, in working days."""

    def _directed(self, deadline):
        self.number = getattr(self, "number", 100) + 1
        document = self._incoming(
            directing_leader_id=self.leader.id, code=f"{self.number}/VPCP-TTĐT"
        )
        document.with_user(self.clerk).action_register()
        document.with_user(self.clerk).action_present()
        document.with_user(self.leader)._vbdt_direct(
            "Xử lý", deadline, [{"role": "lead", "user_id": self.specialist.id}]
        )
        return document

    def _row(self):
        Stats = self.env["vbdt.document.statistics"]
        Stats._refresh()
        return Stats.search([("company_id", "=", self.province.id)])

    def test_dashboard_on_time_late_pending_and_average(self):
        with freeze_time("2026-10-02 02:00:00"):  # Friday
            on_time = self._directed("2026-10-09")
            late = self._directed("2026-10-06")
            pending = self._directed("2099-12-31")
            overdue = self._directed("2026-10-07")
        with freeze_time("2026-10-08 02:00:00"):  # Thursday: 4 working days later
            on_time.with_user(self.specialist).action_complete("Đã xử lý")
            late.with_user(self.specialist).action_complete("Đã xử lý muộn")
        self.assertEqual(on_time.handling_days, 4)
        self.assertEqual(on_time.assignment_ids.handling_days, 4)
        self.assertEqual(late.assignment_ids.timeliness, "late")
        row = self._row()
        self.assertEqual(len(row), 1)
        self.assertEqual(row.handled_on_time_count, 1)
        self.assertEqual(row.handled_late_count, 1)
        # the overdue one is not "pending"; the open one with a far deadline is
        self.assertEqual(row.handling_pending_count, 1)
        self.assertGreaterEqual(row.overdue_count, 1)
        self.assertEqual(row.handling_days_count, 2)
        self.assertEqual(row.handling_days_sum, 8)
        self.assertAlmostEqual(row.handling_days_avg, 4.0)
        self.assertAlmostEqual(row.handled_on_time_rate, 50.0)
        self.assertEqual(pending.state, "assigned")
        self.assertEqual(overdue.state, "assigned")

    def test_handling_days_skip_weekend_and_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Quốc khánh",
                "calendar_id": self.calendar.id,
                "date_from": "2026-09-01 17:00:00",
                "date_to": "2026-09-03 16:59:59",
            }
        )
        with freeze_time("2026-08-31 02:00:00"):  # Monday
            document = self._directed("2026-09-10")
        with freeze_time("2026-09-07 02:00:00"):  # next Monday
            document.with_user(self.specialist).action_complete("Xong")
        # 1, 4 and 7 September: 2-3 September are holidays, 5-6 a weekend
        self.assertEqual(document.assignment_ids.handling_days, 3)
        self.assertEqual(document.handling_days, 3)
        self.assertEqual(document.assignment_ids.timeliness, "on_time")

    def test_every_figure_opens_the_documents_it_counts(self):
        with freeze_time("2026-10-02 02:00:00"):
            on_time = self._directed("2026-10-09")
            late = self._directed("2026-10-06")
            self._directed("2099-12-31")
            self._directed("2026-10-07")
        with freeze_time("2026-10-08 02:00:00"):
            on_time.with_user(self.specialist).action_complete("Đã xử lý")
            late.with_user(self.specialist).action_complete("Đã xử lý muộn")
        agency_row = self._row()
        province_row = self.env["vbdt.document.statistics"].search(
            [("company_id", "=", False), ("year", "=", agency_row.year)]
        )
        # Not a vacuous comparison: the figures that need a condition are set.
        self.assertEqual(
            (
                agency_row.handled_on_time_count,
                agency_row.handled_late_count,
                agency_row.handling_pending_count,
            ),
            (1, 1, 1),
        )
        self.assertGreaterEqual(agency_row.overdue_count, 1)
        figures = [
            name
            for name, field in agency_row._fields.items()
            if field.type in ("integer", "float") and name not in ("id", "year")
        ]
        for row in agency_row | province_row:
            for figure in figures:
                with self.subTest(row=row.display_name, figure=figure):
                    action = row.with_context(vbdt_figure=figure).action_open_figure()
                    counted = row._figure_of_rate().get(figure, figure)
                    self.assertEqual(action["res_model"], "vbdt.document")
                    self.assertEqual(
                        self.Document.search_count(action["domain"]), row[counted]
                    )
        action = agency_row.with_context(
            vbdt_figure="handled_late_count"
        ).action_open_figure()
        self.assertEqual(self.Document.search(action["domain"]), late)
        late_ones = self.Document.search([("handled_late", "=", True)])
        self.assertIn(late, late_ones)
        self.assertNotIn(on_time, late_ones)
        self.assertIn(on_time, self.Document.search([("handled_late", "!=", True)]))
        self.assertTrue(late.handled_late)
        self.assertFalse(on_time.handled_late)

    def test_a_figure_opens_only_what_the_user_may_see(self):
        self._directed("2026-12-31")
        row = self._row()
        action = row.with_context(vbdt_figure="document_count").action_open_figure()
        everything = self.Document.search(action["domain"])
        seen = self.Document.with_user(self.other_head).search(action["domain"])
        self.assertLess(len(seen), len(everything))
        self.assertTrue(seen <= everything)
