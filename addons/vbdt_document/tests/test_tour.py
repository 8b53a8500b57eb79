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


@tagged("post_install", "-at_install", "vbdt")
class TestAgencyChangeTour(HttpCase):
    def test_system_administrator_previews_then_applies_a_rename(self):
        agency = self.env["res.company"].create(
            {
                "name": "Sở Tour",
                "vbdt_agency_code": "000.00.11.H98",
                "vbdt_short_name": "ST",
            }
        )
        main = self.env.ref("base.main_company")
        admin = new_test_user(
            self.env,
            login="tour_sysadmin",
            groups="base.group_system,vbdt_document.vbdt_document_group_manager",
            company_id=main.id,
            company_ids=(main | agency).ids,
        )
        self.start_tour("/odoo", "vbdt_agency_change_tour", login=admin.login)
        change = self.env["vbdt.agency.change"].search([("agency_ids", "=", agency.id)])
        self.assertEqual((change.operation, change.state), ("rename", "done"))
        self.assertEqual(agency.name, "Sở Tour và Số hóa")
        self.assertEqual(change.old_name, "Sở Tour")
