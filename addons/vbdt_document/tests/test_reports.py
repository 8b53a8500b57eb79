from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PDF, VbdtDocumentCommon


@tagged("vbdt")
class TestReports(VbdtDocumentCommon):
    def test_outgoing_register_book_lists_issued_documents(self):
        first, second = self._outgoing(subject="Quyết định thứ nhất"), self._outgoing()
        (first | second).action_issue()
        book = self.env["vbdt.register.book"].create(
            {
                "company_id": self.province.id,
                "register_id": first.register_id.id,
                "date_from": first.register_date,
                "date_to": first.register_date,
            }
        )
        self.assertEqual(book._get_documents(), first | second)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("vbdt_document.vbdt_register_book_report", book.ids)[0]
            .decode()
        )
        self.assertIn("01/QĐ-UBND", html)
        self.assertIn("02/QĐ-UBND", html)
        self.assertIn("Quyết định thứ nhất", html)

    def test_register_book_refuses_empty_period(self):
        register = self.env["vbdt.register"]._default_for(self.province, "incoming")
        book = self.env["vbdt.register.book"].create(
            {
                "company_id": self.province.id,
                "register_id": register.id,
                "date_from": "2020-01-01",
                "date_to": "2020-12-31",
            }
        )
        with self.assertRaisesRegex(UserError, "No document"):
            book.action_print()

    def test_statistics_per_agency_and_province(self):
        incoming = self._incoming(urgency="urgent", due_date="2020-01-01")
        incoming._vbdt_add_file("vb.pdf", PDF, role="main")
        incoming.action_register()
        incoming.directed_date = "2026-01-01 08:00:00"
        self._outgoing().action_issue()
        self._incoming(company_id=self.department.id, code="5/TB-X").action_register()
        Stats = self.env["vbdt.document.statistics"]
        Stats._refresh()
        year = incoming.register_date.year
        agency = Stats.search(
            [("company_id", "=", self.province.id), ("year", "=", year)]
        )
        self.assertEqual(
            (
                agency.received_count,
                agency.sent_count,
                agency.directed_count,
                agency.axis_received_count,
                agency.urgent_count,
                agency.overdue_count,
                agency.digitised_count,
            ),
            (1, 1, 1, 1, 1, 1, 1),
        )
        self.assertEqual(agency.directed_rate, 100.0)
        self.assertEqual(agency.digitised_rate, 50.0)
        province = Stats.search([("company_id", "=", False), ("year", "=", year)])
        department = Stats.search(
            [("company_id", "=", self.department.id), ("year", "=", year)]
        )
        self.assertEqual(
            province.received_count,
            sum(
                Stats.search([("company_id", "!=", False), ("year", "=", year)]).mapped(
                    "received_count"
                )
            ),
        )
        self.assertEqual(department.received_count, 1)
        self.assertEqual(
            agency.id, self.province.id * 10000 + year, "stable across refreshes"
        )
        self.assertTrue(agency.refreshed_at)

    def test_statistics_view_rebuilt_when_dropped(self):
        # As when an addon adding figures is uninstalled (its columns CASCADE).
        self.env.cr.execute("DROP MATERIALIZED VIEW vbdt_document_statistics")
        self.env["vbdt.document.statistics"]._register_hook()
        self._incoming().action_register()
        Stats = self.env["vbdt.document.statistics"]
        Stats._refresh()
        self.assertTrue(Stats.search([("company_id", "=", self.province.id)]))
