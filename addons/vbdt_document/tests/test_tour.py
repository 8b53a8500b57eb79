from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "vbdt")
class TestRegisterTour(HttpCase):
    def test_clerk_registers_incoming_document(self):
        company = self.env["res.company"].create(
            {
                "name": "UBND tỉnh Tour",
                "vbdt_agency_code": "000.00.00.H98",
                "vbdt_short_name": "UBND",
            }
        )
        clerk = new_test_user(
            self.env,
            login="tour_clerk",
            groups="vbdt_document.vbdt_document_group_clerk",
            company_id=company.id,
            company_ids=company.ids,
        )
        self.env["vbdt.agency"].create({"name": "Bộ Tour", "code": "000.00.00.G97"})
        self.start_tour("/odoo", "vbdt_document_register_tour", login=clerk.login)
        document = self.env["vbdt.document"].search([("code", "=", "125/BTTTT-CĐSQG")])
        self.assertEqual(document.state, "registered")
        self.assertEqual(document.arrival_number, 1)
        self.assertEqual(document.company_id, company)
        self.assertEqual(document.sender_agency_id.code, "000.00.00.G97")
