import hashlib
import zipfile
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..reorg import verify_package
from .common import GROUP, PDF
from .rpc import JsonRpcCase
from .test_agency_lifecycle import LifecycleCommon


class ReorganisationCommon(LifecycleCommon):
    """A second department merges with Sở Thử nghiệm into a new agency that
    takes Sở Thử nghiệm's name and code (Decision 09/2025/QĐ-TTg)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second = cls.env["res.company"].create(
            {
                "name": "Sở Thử nghiệm Hai",
                "vbdt_agency_code": "000.00.13.H99",
                "vbdt_agency_code_qd20": "H99.13",
                "vbdt_short_name": "STNH",
                "vbdt_tier": "province",
                "vbdt_parent_agency_id": cls.province.id,
            }
        )

    def _schedule(self, operation, day=None, **vals):
        return self.Change._vbdt_schedule(
            {
                "operation": operation,
                "agency_ids": self.department.ids,
                "date_effective": day or self.today,
                "incoming_policy": "move",
                "draft_policy": "move",
                **vals,
            }
        )

    def _merge_new(self, day=None):
        return self._schedule(
            "merge_new",
            day,
            agency_ids=(self.department | self.second).ids,
            new_name="Sở Thử nghiệm (sau hợp nhất)",
            code_from_id=self.department.id,
        )


@tagged("post_install", "-at_install")
class TestAgencyReorganisations(ReorganisationCommon):
    def test_merge_into_a_new_agency_that_keeps_the_named_predecessors_code(self):
        handled = self._registered_at_department()
        number = handled.arrival_number
        change = self._merge_new()
        new = change.successor_id
        self.assertEqual(change.state, "done")
        self.assertEqual(new.name, "Sở Thử nghiệm (sau hợp nhất)")
        self.assertEqual(new.vbdt_date_start, self.today)
        self.assertEqual(new.vbdt_parent_agency_id, self.province)
        self.assertEqual(new.vbdt_tier, "province")
        self.assertIn("000.00.12.H99", change.preview)
        # The named predecessor's code passed to the new agency.
        self.assertEqual(new.vbdt_agency_code, "000.00.12.H99")
        self.assertFalse(self.department.vbdt_agency_code)
        self.assertEqual(new.vbdt_agency_id.code, "000.00.12.H99")
        Agency = self.env["vbdt.agency"]
        self.assertEqual(
            Agency._vbdt_resolve_code("000.00.12.H99"), (new.vbdt_agency_id, Agency)
        )
        # The other's codes are aliases routed to the new agency.
        acting, ended = Agency._vbdt_resolve_code("h99.13")
        self.assertEqual(acting, new.vbdt_agency_id)
        self.assertEqual(ended, self.second.vbdt_agency_id)
        self.assertEqual(
            new._vbdt_alias_codes(), {"000.00.12.H99", "000.00.13.H99", "H99.13"}
        )
        # Open work, units and users moved; both predecessors ended into it.
        self.assertEqual(handled.company_id, new)
        self.assertEqual(handled.arrival_number, number)
        self.assertEqual(self.dept_unit.company_id, new)
        self.assertEqual(self.other_clerk.company_id, new)
        self.assertEqual((self.department | self.second).vbdt_successor_id, new)
        self.assertEqual(new.vbdt_predecessor_ids, self.department | self.second)
        with self.assertRaises(UserError) as caught:
            self.env["vbdt.register"].with_context(active_test=False)._default_for(
                self.department, "outgoing"
            )._allocate_number(self.today)
        self.assertIn(new.name, str(caught.exception))
        # The new agency numbers in its own registers.
        register = self.env["vbdt.register"]._default_for(new, "incoming")
        self.assertTrue(register._allocate_number(self.today))
        # A re-run passes nothing twice.
        change._vbdt_carry_over_agency(self.department)
        self.assertEqual(new.vbdt_agency_code, "000.00.12.H99")

    def test_merge_into_a_new_agency_before_its_day_and_undone(self):
        change = self._merge_new(self.today + timedelta(days=5))
        new = change.successor_id
        self.assertEqual(change.state, "scheduled")
        self.assertEqual(self.department.vbdt_agency_code, "000.00.12.H99")
        self.assertFalse(new.vbdt_agency_code)
        self.assertEqual(self.dept_unit.company_id, self.department)
        change.action_undo()
        self.assertEqual(change.state, "cancelled")
        self.assertFalse(new.active)
        self.assertFalse(new.vbdt_agency_id.active)
        self.assertFalse(self.department.vbdt_date_end)
        self.assertFalse(self.second.vbdt_successor_id)

    def test_merge_into_a_new_agency_needs_its_name_and_code_source(self):
        companies = self.env["res.company"].search_count([])
        for vals, message in (
            ({"new_name": " ", "code_from_id": self.department.id}, "name"),
            ({"new_name": "Sở Mới", "code_from_id": self.province.id}, "code"),
        ):
            with self.assertRaises(UserError) as caught:
                self._schedule(
                    "merge_new", agency_ids=(self.department | self.second).ids, **vals
                )
            self.assertIn(message, str(caught.exception))
        self.assertEqual(self.env["res.company"].search_count([]), companies)
        self.assertFalse(self.department.vbdt_date_end)

    def test_rename_from_its_day_keeping_the_former_name_in_history(self):
        day = self.today + timedelta(days=2)
        change = self._schedule("rename", day, new_name="Sở Thử nghiệm và Số hóa")
        self.assertEqual(change.old_name, "Sở Thử nghiệm")
        self.assertEqual(self.department.name, "Sở Thử nghiệm", "not before D")
        self.assertFalse(self.department.vbdt_date_end, "a renamed agency acts on")
        self.assertIn("Sở Thử nghiệm và Số hóa", change.preview)
        # D has come: the daily job applies it.
        change.date_effective = self.today
        self.Change.search(
            [("state", "=", "scheduled"), ("date_effective", "<=", self.today)]
        )._vbdt_carry_over()
        self.assertEqual(change.state, "done")
        self.assertEqual(self.department.name, "Sở Thử nghiệm và Số hóa")
        self.assertEqual(self.department.vbdt_agency_id.name, "Sở Thử nghiệm và Số hóa")
        yesterday = self.today - timedelta(days=1)
        self.assertEqual(self.department._vbdt_name_on(yesterday), "Sở Thử nghiệm")
        self.assertEqual(
            self.department._vbdt_name_on(self.today), "Sở Thử nghiệm và Số hóa"
        )
        # It keeps numbering under its new name.
        document = self._registered_at_department()
        self.assertTrue(document.arrival_number)
        history = (
            self.env["vbdt.audit.log"]
            .sudo()
            .search([("agency_id", "=", self.department.vbdt_agency_id.id)])
        )
        self.assertTrue(
            any("renamed Sở Thử nghiệm ->" in d for d in history.mapped("description"))
        )

    def test_rename_refused_when_the_name_does_not_change(self):
        with self.assertRaises(UserError):
            self._schedule("rename", new_name="Sở Thử nghiệm")
        with self.assertRaises(UserError):
            self._schedule(
                "rename",
                agency_ids=(self.department | self.second).ids,
                new_name="Một tên",
            )
        self.assertFalse(self.Change.search([("operation", "=", "rename")]))

    def test_transfer_a_unit_with_its_users_and_open_work(self):
        handled = self._registered_at_department()
        handled_number = handled.arrival_number
        staying_unit = self.env["vbdt.unit"].create(
            {"name": "Phòng Ở lại", "code": "OL", "company_id": self.department.id}
        )
        stays = self._incoming(
            company_id=self.department.id,
            unit_id=staying_unit.id,
            code="215/VPCP-KGVX",
            subject="V/v báo cáo chuyển đổi số",
        )
        change = self._schedule(
            "transfer",
            successor_id=self.province.id,
            unit_ids=self.dept_unit.ids,
        )
        self.assertEqual(change.state, "done")
        self.assertIn(self.dept_unit.name, change.preview)
        self.assertEqual(self.dept_unit.company_id, self.province)
        self.assertEqual(self.dept_unit.code, "VP-STN")
        self.assertEqual(staying_unit.company_id, self.department)
        self.assertEqual(self.dept_specialist.company_id, self.province)
        self.assertIn(self.department, self.dept_specialist.company_ids)
        self.assertEqual(handled.company_id, self.province)
        self.assertEqual(handled.arrival_number, handled_number)
        self.assertEqual(handled.origin_company_id, self.department)
        self.assertEqual(stays.company_id, self.department)
        # The agency the unit left acts on with its registers open.
        self.assertFalse(self.department.vbdt_date_end)
        register = self.env["vbdt.register"]._default_for(self.department, "incoming")
        self.assertTrue(register.active)
        stays.with_user(self.other_clerk).action_register()
        self.assertTrue(stays.arrival_number)

    def test_transfer_refuses_units_of_another_agency(self):
        with self.assertRaises(UserError) as caught:
            self._schedule(
                "transfer", successor_id=self.province.id, unit_ids=self.unit.ids
            )
        self.assertIn("belong", str(caught.exception))
        self.assertEqual(self.unit.company_id, self.province)


@tagged("post_install", "-at_install")
class TestAgencyReorganisationsRpc(ReorganisationCommon, JsonRpcCase):
    """The new operations over JSON-RPC: only base.group_system applies
    them through the wizard; every other role is refused and nothing moves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.doc_admin = new_test_user(
            cls.env,
            login="reorg_doc_admin",
            groups=GROUP + "manager",
            company_id=cls.department.id,
            company_ids=[cls.province.id, cls.department.id, cls.second.id],
        )
        cls.system = new_test_user(
            cls.env,
            login="reorg_sysadmin",
            groups="base.group_system," + GROUP + "manager",
            company_id=cls.province.id,
            company_ids=[cls.province.id, cls.department.id, cls.second.id],
        )

    def _operations(self):
        """In an order where each still applies: the transfer and the rename
        leave the department acting; the merger ends it."""
        day = str(self.today)
        return {
            "transfer": {
                "operation": "transfer",
                "agency_ids": [(6, 0, self.department.ids)],
                "unit_ids": [(6, 0, self.dept_unit.ids)],
                "successor_id": self.province.id,
                "date_effective": day,
            },
            "rename": {
                "operation": "rename",
                "agency_ids": [(6, 0, self.department.ids)],
                "new_name": "Sở Đổi tên",
                "date_effective": day,
            },
            "merge_new": {
                "operation": "merge_new",
                "agency_ids": [(6, 0, (self.department | self.second).ids)],
                "new_name": "Sở Hợp nhất",
                "code_from_id": self.department.id,
                "date_effective": day,
            },
        }

    def _snapshot(self):
        self.env.invalidate_all()
        return (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([])
            .ids,
            self.department.name,
            self.department.vbdt_agency_code,
            self.dept_unit.company_id.id,
            self.Change.sudo().search_count([]),
        )

    def test_roles_refused(self):
        for user in (self.dept_specialist, self.other_clerk, self.doc_admin):
            for vals in self._operations().values():
                self.assertRefused(
                    user,
                    "vbdt.agency.change.wizard",
                    "create",
                    [vals],
                    unchanged=self._snapshot,
                )

    def test_system_administrator_previews_then_applies_each_operation(self):
        for operation, vals in self._operations().items():
            with self.subTest(operation=operation):
                wizard_id = self.call_kw(
                    self.system, "vbdt.agency.change.wizard", "create", [vals]
                )
                preview = self.call_kw(
                    self.system,
                    "vbdt.agency.change.wizard",
                    "read",
                    [[wizard_id], ["preview"]],
                )[0]["preview"]
                self.assertTrue(preview)
                action = self.call_kw(
                    self.system,
                    "vbdt.agency.change.wizard",
                    "action_apply",
                    [[wizard_id]],
                )
                self.env.invalidate_all()
                change = self.Change.browse(action["res_id"])
                self.assertEqual((change.operation, change.state), (operation, "done"))
                self.assertTrue(change.preview)
                change.successor_id.invalidate_recordset()
        self.env.invalidate_all()
        self.assertEqual(self.department.name, "Sở Đổi tên")
        self.assertEqual(self.dept_unit.company_id, self.province)
        self.assertEqual(
            self.department.vbdt_successor_id.vbdt_agency_code, "000.00.12.H99"
        )


@tagged("post_install", "-at_install")
class TestHandoverPackage(ReorganisationCommon, JsonRpcCase):
    """The hand-over package of an ended agency's fond: every file and the
    register books, each with its SHA-256; the system administrator only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.system = new_test_user(
            cls.env,
            login="handover_sysadmin",
            groups="base.group_system," + GROUP + "manager",
            company_id=cls.province.id,
            company_ids=[cls.province.id],
        )
        cls.doc_admin = new_test_user(
            cls.env,
            login="handover_doc_admin",
            groups=GROUP + "manager",
            company_id=cls.department.id,
            company_ids=[cls.department.id],
        )

    def _package(self):
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.company"),
                    ("res_id", "=", self.department.id),
                    ("res_field", "=", "vbdt_handover_package"),
                ]
            )
        )
        self.assertEqual(len(attachment), 1)
        return attachment

    def test_package_holds_every_file_and_register_book_with_its_checksum(self):
        registered = self._registered_at_department()
        registered._vbdt_add_file("cong-van-den.pdf", PDF, "main")
        other_pdf = PDF.replace(b"595 842", b"842 595")
        registered._vbdt_add_file("phu-luc.pdf", other_pdf)
        secret = self._dept_document(
            "incoming",
            confidentiality="secret",
            code="12/BQP-TM",
            subject="Phương án bảo vệ mục tiêu trọng yếu",
        )
        secret._vbdt_add_file("mat.pdf", PDF + b"%secret\n", "main")
        self._end(incoming_policy="keep")
        self.department.with_user(self.system).action_vbdt_build_handover()
        attachment = self._package()
        self.assertEqual(attachment.mimetype, "application/zip")
        path = attachment._full_path(attachment.store_fname)
        self.assertEqual(verify_package(path), [])
        with zipfile.ZipFile(path) as archive:
            manifest = {
                name: sha256
                for sha256, _sep, name in (
                    line.partition("  ")
                    for line in archive.read("SHA256SUMS").decode().splitlines()
                )
            }
            self.assertEqual(set(manifest), set(archive.namelist()) - {"SHA256SUMS"})
            for name, sha256 in manifest.items():
                self.assertEqual(
                    hashlib.sha256(archive.read(name)).hexdigest(), sha256, name
                )
            stored = {
                f.checksum_sha256 for f in registered.file_ids if f.checksum_sha256
            }
            self.assertEqual(len(stored), 2)
            self.assertLessEqual(stored, set(manifest.values()))
            books = [n for n in manifest if n.endswith(".csv") and "/" in n]
            self.assertGreaterEqual(len(books), 4, "one book per register")
            text = "".join(archive.read(n).decode("utf-8-sig") for n in books)
            self.assertIn(registered.subject, text)
            self.assertIn(str(registered.arrival_number), text)
            self.assertNotIn(secret.subject, text)
            self.assertFalse(
                [n for n in manifest if n.endswith("mat.pdf")], "secret left out"
            )
        self.assertTrue(self.department.sudo().vbdt_handover_date)
        # Built again, it replaces the previous package.
        self.department.with_user(self.system).action_vbdt_build_handover()
        self._package()

    def test_only_for_an_ended_agency(self):
        with self.assertRaises(UserError) as caught:
            self.department.with_user(self.system).action_vbdt_build_handover()
        self.assertIn(self.department.name, str(caught.exception))

    def test_other_roles_neither_build_nor_download_it(self):
        self._registered_at_department()
        self._end(incoming_policy="keep")
        self.department.with_user(self.system).action_vbdt_build_handover()
        attachment = self._package()

        def snapshot():
            self.env.invalidate_all()
            return (
                self.env["ir.attachment"]
                .sudo()
                .search_count([("res_field", "=", "vbdt_handover_package")]),
                attachment.checksum,
            )

        for user in (self.doc_admin, self.other_clerk, self.dept_specialist):
            self.assertRefused(
                user,
                "res.company",
                "action_vbdt_build_handover",
                [self.department.ids],
                unchanged=snapshot,
            )
            self.assertRefused(
                user,
                "res.company",
                "read",
                [self.department.ids, ["vbdt_handover_package"]],
                unchanged=snapshot,
            )
            self.assertRefused(
                user, "ir.attachment", "read", [attachment.ids, ["datas"]]
            )
