from contextlib import contextmanager
from datetime import date

import psycopg2
import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import common, tagged
from odoo.tools import mute_logger

from .common import VbdtDocumentCommon


@contextmanager
def environment():
    """An environment on its own committed cursor, like a second Odoo worker."""
    registry = Registry(common.get_db_name())
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


@tagged("vbdt", "numbering")
class TestNumbering(VbdtDocumentCommon):
    def test_issue_numbers_consecutive_with_notation(self):
        documents = self._outgoing() | self._outgoing() | self._outgoing()
        documents.action_issue()
        self.assertEqual(documents.mapped("number"), [1, 2, 3])
        self.assertEqual(documents[0].code, "01/QĐ-UBND")
        self.assertEqual(documents.mapped("state"), ["issued"] * 3)
        self.assertEqual(documents[0].register_id.next_number, 4)

    def test_letter_notation_has_unit_and_legal_document_has_year(self):
        letter = self._outgoing(document_type_id=self.letter_type.id)
        decision = self._outgoing(legal_normative=True)
        (letter | decision).action_issue()
        self.assertEqual(letter.code, "01/UBND-VP")
        self.assertEqual(decision.code, f"02/{decision.document_date.year}/QĐ-UBND")

    def test_numbers_restart_on_first_january(self):
        register = self.env["vbdt.register"]._default_for(self.province, "outgoing")
        register._ensure_year_ranges(2030)
        self.assertEqual(register._allocate_number(date(2030, 12, 30)), 1)
        self.assertEqual(register._allocate_number(date(2030, 12, 31)), 2)
        self.assertEqual(register._allocate_number(date(2031, 1, 1)), 1)
        self.assertEqual(register._allocate_number(date(2030, 12, 31)), 3)

    def test_agencies_and_secret_registers_number_separately(self):
        normal = self._outgoing()
        secret = self._outgoing(confidentiality="secret")
        other = self._outgoing(company_id=self.department.id, unit_id=False)
        (normal | secret | other).action_issue()
        self.assertEqual((normal.number, secret.number, other.number), (1, 1, 1))
        self.assertTrue(secret.register_id.confidential)
        self.assertEqual(other.code, "01/QĐ-STN")

    def test_rolled_back_issue_leaves_no_gap(self):
        first = self._outgoing()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            first.action_issue()
            # Force a database error after the number was drawn.
            self.env.cr.execute(
                "INSERT INTO vbdt_unit (name, code, company_id, active, sequence) "
                "SELECT name, code, company_id, active, sequence FROM vbdt_unit "
                "WHERE id = %s",
                [self.unit.id],
            )
        first.invalidate_recordset()
        self.assertEqual(first.state, "draft")
        second = self._outgoing()
        second.action_issue()
        self.assertEqual(second.number, 1)

    def test_database_refuses_duplicate_numbers(self):
        first, second = self._outgoing(), self._outgoing()
        first.action_issue()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            # The index stays as a last line behind the register's lock: even
            # the server's own write path cannot store a number twice.
            second._vbdt_write_lifecycle(
                {
                    "number": first.number,
                    "register_year": first.register_year,
                    "register_id": first.register_id.id,
                }
            )
            second.flush_recordset()

    def test_arrival_numbers_follow_receipt_order(self):
        late = self._incoming(code="10/BTTTT-THH", urgency="urgent")
        early = self._incoming(code="11/BTTTT-THH")
        (early | late).action_register()
        self.assertEqual((early.arrival_number, late.arrival_number), (1, 2))
        self.assertEqual(early.state, "registered")


@tagged("vbdt", "numbering")
class TestConcurrentNumbering(common.BaseCase):
    """Two workers issuing from one register at the same moment: the second
    waits for the first's commit (the request is retried), so numbers never
    repeat and never skip. Committed data, cleaned up at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with environment() as env:
            company = env.ref("base.main_company")
            cls.register_id = (
                env["vbdt.register"]
                .create(
                    {
                        "name": "Concurrency test register",
                        "company_id": company.id,
                        "direction": "internal",
                    }
                )
                .id
            )

    @classmethod
    def tearDownClass(cls):
        with environment() as env:
            register = env["vbdt.register"].browse(cls.register_id)
            sequence = register.sequence_id
            register.unlink()
            sequence.unlink()
        super().tearDownClass()

    def test_second_worker_is_locked_out_until_commit(self):
        today = date.today()
        with environment() as env0, environment() as env1:
            first = (
                env0["vbdt.register"].browse(self.register_id)._allocate_number(today)
            )
            # OperationalError is what Odoo's request retry (service/model.py) catches.
            with (
                self.assertRaises(psycopg2.OperationalError) as caught,
                mute_logger("odoo.sql_db"),
            ):
                env1["vbdt.register"].browse(self.register_id)._allocate_number(today)
            self.assertEqual(caught.exception.pgcode, "55P03")
            env1.cr.rollback()
        with environment() as env2:
            second = (
                env2["vbdt.register"].browse(self.register_id)._allocate_number(today)
            )
        self.assertEqual(second, first + 1)


@tagged("vbdt", "numbering", "audit")
class TestAuditSealing(common.BaseCase):
    """Audit entries are sealed into their agency's chain after their
    transaction commits, each agency under its own lock. Committed data:
    the entries stay, as every audit entry does."""

    def test_entries_are_sealed_after_commit_per_agency(self):
        with environment() as env:
            main = env.ref("base.main_company")
            other = env["res.company"].search([("id", "!=", main.id)], limit=1)
            Log = env["vbdt.audit.log"]
            entries = Log._log(main.vbdt_agency_id, "directory", "sealing test")
            entries |= Log.with_company(other)._log(
                main.vbdt_agency_id, "directory", "sealing test"
            )
            self.assertFalse(any(entries.mapped("hash")))
            ids = entries.ids
        # Post-commit: sealed on another cursor, one chain per agency.
        with environment() as env:
            entries = env["vbdt.audit.log"].browse(ids)
            self.assertTrue(all(entries.mapped("hash")))
            self.assertEqual(len(set(entries.mapped("company_id"))), 2)
            for entry in entries:
                last = env["vbdt.audit.log"].search(
                    [("company_id", "=", entry.company_id.id)],
                    order="chain_seq desc",
                    limit=1,
                )
                self.assertEqual(last, entry)
            self.assertFalse(env["vbdt.audit.log"]._verify_chain())
