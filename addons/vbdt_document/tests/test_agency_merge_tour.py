import re

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "vbdt")
class TestAgencyMergeTour(HttpCase):
    """Issue 12: a new administrator merges two communes of the demo in the
    wizard and finds their open work, codes, registers and units where the
    preview said."""

    def test_system_administrator_merges_two_communes_of_the_demo(self):
        ended = self.env.ref("vbdt_document.res_company_xuan_vien_demo")
        successor = self.env.ref("vbdt_document.res_company_tat_thang_demo")
        Document = self.env["vbdt.document"].with_context(active_test=False)
        Register = self.env["vbdt.register"].with_context(active_test=False)
        codes = {ended.vbdt_agency_code, ended.vbdt_agency_code_qd20} - {False}
        units = ended.vbdt_unit_ids
        registers = Register.search([("company_id", "=", ended.id)])
        self.assertTrue(codes and registers, "the demo commune has codes and registers")
        open_incoming = Document.search(
            [
                ("company_id", "=", ended.id),
                ("direction", "=", "incoming"),
                ("is_closed", "=", False),
            ]
        )
        main = self.env.ref("base.main_company")
        admin = new_test_user(
            self.env,
            login="merge_tour_sysadmin",
            groups="base.group_system,vbdt_document.vbdt_document_group_manager",
            company_id=main.id,
            company_ids=(main | ended | successor).ids,
        )

        self.start_tour("/odoo", "vbdt_agency_merge_tour", login=admin.login)

        change = self.env["vbdt.agency.change"].search([("agency_ids", "=", ended.id)])
        self.assertEqual(
            (change.operation, change.state, change.successor_id),
            ("merge", "done", successor),
        )
        preview = change.preview
        # Codes: aliases of the successor, as the preview said.
        Agency = self.env["vbdt.agency"]
        for code in codes:
            self.assertIn(code, preview)
            acting, former = Agency._vbdt_resolve_code(code, change.date_effective)
            self.assertEqual(acting, successor.vbdt_agency_id)
            self.assertEqual(former, ended.vbdt_agency_id)
        # Registers: closed, as many as the preview counted.
        self.assertIn(f"{len(registers)} registers close", preview)
        self.assertFalse(registers.filtered("active"))
        # Units and open incoming work: at the successor, as counted.
        self.assertIn(f"{len(units)} units move", preview)
        self.assertEqual(
            set(units.mapped("company_id")), {successor} if units else set()
        )
        counted = re.search(r"(\d+) incoming documents in handling move", preview)
        self.assertEqual(int(counted.group(1)), len(open_incoming))
        self.assertEqual(
            set(open_incoming.mapped("company_id")),
            {successor} if open_incoming else set(),
        )
        self.assertEqual(ended.vbdt_successor_id, successor)
        self.assertEqual(ended.vbdt_date_end, change.date_effective)
