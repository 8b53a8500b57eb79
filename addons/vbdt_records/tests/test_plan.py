from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import VbdtRecordsCommon


@tagged("vbdt")
class TestPlan(VbdtRecordsCommon):
    def _plan(self, **vals):
        plan = (
            self.env["vbdt.records.plan"]
            .with_user(self.officer)
            .create({"year": 2026, "company_id": self.province.id, **vals})
        )
        general, staff = (
            self.env["vbdt.records.plan.heading"]
            .with_user(self.officer)
            .create(
                [
                    {
                        "plan_id": plan.id,
                        "sequence": 1,
                        "abbreviation": "TH",
                        "name": "Tổng hợp",
                    },
                    {
                        "plan_id": plan.id,
                        "sequence": 2,
                        "abbreviation": "TCCB",
                        "name": "Tổ chức, cán bộ",
                        "unit_id": self.unit.id,
                    },
                ]
            )
        )
        Item = self.env["vbdt.records.plan.item"].with_user(self.officer)
        items = Item.browse()
        for heading, title in (
            (general, "Kế hoạch công tác năm"),
            (general, "Báo cáo năm"),
            (staff, "Hồ sơ nâng lương"),
        ):
            items |= Item.create(
                {
                    "plan_id": plan.id,
                    "heading_id": heading.id,
                    "title": title,
                    "retention_id": self.permanent.id,
                    "responsible_id": self.specialist.id,
                }
            )
        return plan, items

    def test_numbers_run_through_the_plan(self):
        plan, items = self._plan()
        self.assertIn(self.province.name, plan.name)
        self.assertEqual(items.mapped("code"), ["01.TH", "02.TH", "03.TCCB"])

    def test_numbers_restart_per_heading_heading_first(self):
        _plan, items = self._plan(numbering="heading", code_order="heading_first")
        self.assertEqual(items.mapped("code"), ["TH.01", "TH.02", "TCCB.01"])

    @mute_logger("odoo.sql_db")
    def test_code_is_unique_in_a_plan(self):
        _plan, items = self._plan()
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            items[1].number = 1

    def test_file_opened_from_the_plan_takes_its_values(self):
        _plan, items = self._plan()
        action = items[2].with_user(self.officer).action_open_file()
        case_file = self.File.browse(action["res_id"])
        self.assertEqual(
            (
                case_file.code,
                case_file.title,
                case_file.year,
                case_file.retention_id,
                case_file.responsible_id,
                case_file.unit_id,
                case_file.plan_item_id,
            ),
            (
                "03.TCCB",
                "Hồ sơ nâng lương",
                2026,
                self.permanent,
                self.specialist,
                self.unit,
                items[2],
            ),
        )
        self.assertEqual(items[2].file_ids, case_file)
        with self.assertRaisesRegex(UserError, "already open"):
            items[2].with_user(self.officer).action_open_file()
