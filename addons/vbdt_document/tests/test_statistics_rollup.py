from datetime import timedelta

from odoo.tests import tagged

from .test_agency_reorganisations import ReorganisationCommon


@tagged("post_install", "-at_install")
class TestStatisticsRollUp(ReorganisationCommon):
    """Issue 12: Decision 28 figures keep each former agency's history and
    roll up to its successor, so the province's figures and the sum of its
    agencies are the same before and after the change."""

    def setUp(self):
        super().setUp()
        self.Statistics = self.env["vbdt.document.statistics"]
        self.year = self.today.year
        for index in range(2):
            self._dept_document(
                "incoming", code=f"{index + 1}/STAT-ROLLUP", due_date=self.today
            ).with_user(self.other_clerk).action_register()
        self._incoming(code="3/STAT-ROLLUP").with_user(self.clerk).action_register()

    def _figures(self):
        """(province row, {agency: received}, {agency today: received})."""
        self.Statistics._refresh()
        rows = self.Statistics.search([("year", "=", self.year)])
        province = rows.filtered(lambda r: not r.company_id).received_count
        agencies = rows.filtered("company_id")
        per_agency = {r.company_id: r.received_count for r in agencies}
        rolled = {
            group["rollup_company_id"][0]: group["received_count"]
            for group in self.Statistics.read_group(
                [("year", "=", self.year), ("company_id", "!=", False)],
                ["received_count:sum"],
                ["rollup_company_id"],
            )
        }
        return province, per_agency, rolled

    def test_merger_rolls_the_former_agency_up_to_its_successor(self):
        province, per_agency, rolled = self._figures()
        self.assertEqual(per_agency[self.department], 2)
        own = per_agency[self.province]
        self.assertEqual(rolled[self.department.id], 2)
        self.assertEqual(rolled[self.province.id], own)
        self.assertEqual(sum(per_agency.values()), province)
        self.assertEqual(sum(rolled.values()), province)

        self._end()  # merged into the province today (D reached)

        after, per_agency_after, rolled_after = self._figures()
        self.assertEqual(after, province, "province figures equal across D")
        self.assertEqual(per_agency_after, per_agency, "each agency keeps its history")
        self.assertNotIn(self.department.id, rolled_after)
        self.assertEqual(rolled_after[self.province.id], own + 2)
        self.assertEqual(sum(rolled_after.values()), after)
        row = self.Statistics.search(
            [("year", "=", self.year), ("company_id", "=", self.department.id)]
        )
        self.assertEqual(row.rollup_company_id, self.province)

    def test_no_roll_up_before_the_effective_date(self):
        self._end(self.today + timedelta(days=3))
        _province, _per_agency, rolled = self._figures()
        self.assertEqual(rolled[self.department.id], 2)

    def test_roll_up_follows_the_chain_of_successors(self):
        """The department ends into the second department, which then merges
        into the province: both roll up to the province."""
        self._schedule(
            "merge", agency_ids=self.department.ids, successor_id=self.second.id
        )
        self._schedule(
            "merge", agency_ids=self.second.ids, successor_id=self.province.id
        )
        province, per_agency, rolled = self._figures()
        self.assertEqual(per_agency[self.department], 2)
        self.assertNotIn(self.department.id, rolled)
        self.assertNotIn(self.second.id, rolled)
        self.assertEqual(sum(rolled.values()), province)
        self.assertGreaterEqual(rolled[self.province.id], 3)
