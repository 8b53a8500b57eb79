from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import VbdtRecordsCommon


@tagged("vbdt")
class TestRetention(VbdtRecordsCommon):
    def test_general_schedule_is_seeded_with_its_legal_source(self):
        schedule = self.env["vbdt.records.retention"].search(
            [("code", "=like", "TT10-%")]
        )
        self.assertGreaterEqual(len(schedule), 20)
        self.assertTrue(all("10/2022/TT-BNV" in line.legal_source for line in schedule))
        self.assertTrue(schedule.filtered("permanent"))
        self.assertEqual(
            set(
                schedule.filtered(lambda line: not line.permanent).mapped(
                    lambda line: line.years > 0
                )
            ),
            {True},
        )

    def test_period_is_permanent_or_years_never_both(self):
        Retention = self.env["vbdt.records.retention"]
        for vals in (
            {"permanent": True, "years": 10},
            {"permanent": False, "years": 0},
            {"years": -5},
        ):
            with self.assertRaises(ValidationError):
                Retention.create(
                    {"code": "X-1", "name": "Thử", "legal_source": "Thử", **vals}
                )

    def test_end_year_counts_from_the_year_the_work_ended(self):
        self.assertEqual(self.ten_years._end_year(2026), 2036)
        self.assertEqual(self.permanent._end_year(2026), 0)
        self.assertEqual(self.ten_years.period_label, "10 years")

    def test_closed_file_gets_its_retention_end_year(self):
        document = self._registered(document_date="2025-12-20")
        case_file = self._file([document], year=2025)
        self.assertEqual(
            case_file.retention_end_year, 0, "an open file is not yet counted"
        )
        case_file.with_user(self.officer).action_close()
        self.assertEqual(case_file.retention_end_year, 2035)
        kept = self._file(
            [self._registered(code="12/VPCP-TTĐT")],
            code="02.TH",
            retention_id=self.permanent.id,
        )
        kept.with_user(self.officer).action_close()
        self.assertEqual(kept.retention_end_year, 0)
