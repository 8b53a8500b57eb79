import threading
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import common, tagged

from odoo.addons.vbdt_interconnect import edxml

from .common import VbdtExchangeCommon

SENDER = "000.00.00.G95"
RECIPIENT = "000.00.00.H95"


@contextmanager
def environment():
    """An environment on its own cursor, like another Odoo worker."""
    with Registry(common.get_db_name()).cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


@tagged("post_install", "-at_install")
class TestInboxConcurrency(common.BaseCase):
    """The same package through two transports, processed by two workers at
    the same instant: one document, the other inbox record a duplicate,
    nothing lost. Committed data, cleaned up at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        raw = edxml.build_document(
            VbdtExchangeCommon._package(recipient=RECIPIENT, sender=SENDER, number="77")
        )
        with environment() as env:
            company = env["res.company"].create(
                {
                    "name": "UBND thử nghiệm đồng thời",
                    "vbdt_agency_code": RECIPIENT,
                    "vbdt_short_name": "UBND",
                    "vbdt_tier": "province",
                }
            )
            # The sender is known (two workers creating a new sender at once is
            # also deferred, see vbdt.agency._vbdt_sender_from_package).
            env["vbdt.agency"].create({"name": "Sở Ngoài", "code": SENDER})
            Engine = env["vbdt.exchange.engine"]
            first = Engine._vbdt_receive(
                company, raw, "vxp", sender_code=SENDER, remote_id="axis-77"
            )
            second = Engine._vbdt_receive(
                company, raw, "local", sender_code=SENDER, remote_id="local-77"
            )
            cls.company_id, cls.ids = company.id, (first.id, second.id)

    @classmethod
    def tearDownClass(cls):
        with environment() as env:
            records = env["vbdt.exchange.record"].search(
                [("company_id", "=", cls.company_id)]
            )
            documents = env["vbdt.document"].search(
                [("company_id", "=", cls.company_id)]
            )
            records.unlink()
            company = env["res.company"].browse(cls.company_id)
            agencies = (
                env["vbdt.agency"].search([("code", "=", SENDER)])
                | company.vbdt_agency_id
            )
            # The audit log is append-only for the application; removing this
            # committed test data takes the table owner's maintenance path.
            env.cr.execute(
                "ALTER TABLE vbdt_audit_log DISABLE TRIGGER vbdt_audit_log_append_only"
            )
            env.cr.execute(
                "DELETE FROM vbdt_audit_log WHERE company_id = %s OR document_id = "
                "ANY(%s) "
                "OR agency_id = ANY(%s)",
                [cls.company_id, documents.ids, agencies.ids],
            )
            env.cr.execute(
                "ALTER TABLE vbdt_audit_log ENABLE TRIGGER vbdt_audit_log_append_only"
            )
            env["vbdt.audit.log"].invalidate_model()
            documents.unlink()
            env["vbdt.agency"].search([("code", "=", SENDER)]).unlink()
            company = env["res.company"].browse(cls.company_id)
            env["vbdt.register"].search(
                [("company_id", "=", company.id)]
            ).sudo().unlink()
            agency, partner = company.vbdt_agency_id, company.partner_id
            company.unlink()
            agency.unlink()
            partner.unlink()
        super().tearDownClass()

    def test_same_package_two_workers(self):
        # The later arrival is processed first: which copy wins does not matter.
        winner_id, loser_id = self.ids[1], self.ids[0]
        errors = []
        with environment() as env1, environment() as env2:
            env1["vbdt.exchange.record"].browse(winner_id)._vbdt_process_inbox()

            def second_worker():
                try:
                    env2["vbdt.exchange.record"].browse(loser_id)._vbdt_process_inbox()
                    env2.cr.commit()
                except Exception as error:  # noqa: BLE001 - reported below
                    errors.append(error)

            thread = threading.Thread(target=second_worker)
            thread.start()
            thread.join(1.0)
            # The second worker waits for the first one's key...
            self.assertTrue(thread.is_alive())
            env1.cr.commit()
            # ... and, once it is committed, creates nothing.
            thread.join(30)
            self.assertFalse(thread.is_alive())
        self.assertFalse(errors)
        with environment() as env:
            Record = env["vbdt.exchange.record"]
            winner, loser = Record.browse(winner_id), Record.browse(loser_id)
            self.assertEqual(winner.state, "in_parsed")
            self.assertEqual(loser.state, "in_received")
            self.assertIn("same moment", loser.message_ids[:1].body)
            # Nothing lost: the next inbox run sees the first copy.
            env["vbdt.exchange.engine"]._vbdt_run_inbox(commit=False)
            self.assertEqual(loser.state, "in_duplicate")
            self.assertEqual(loser.duplicate_of_id, winner)
            self.assertEqual(loser.document_id, winner.document_id)
            self.assertTrue(loser.package_attachment_id.raw)
            documents = env["vbdt.document"].search(
                [("company_id", "=", self.company_id)]
            )
            self.assertEqual(len(documents), 1)
            self.assertEqual(documents.sender_agency_id.code, SENDER)
            env.cr.commit()

    def test_database_refuses_second_document_record(self):
        """The unique index itself: two inbox records that created a document
        for the same (agency, sender, DocumentId) cannot both exist."""
        import psycopg2

        from odoo.tools import mute_logger

        with environment() as env:
            env.cr.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                ["vbdt_exchange_record_inbox_document_uniq"],
            )
            self.assertIn("UNIQUE", env.cr.fetchone()[0])
            Record = env["vbdt.exchange.record"]
            vals = {
                "direction": "in",
                "message_type": "edoc",
                "state": "in_received",
                "company_id": self.company_id,
                "transport": "local",
                "counterpart_code": "000.00.00.G94",
                "edxml_document_id": "X,1",
            }
            Record.create(vals).write({"state": "in_parsed"})
            second = Record.create(vals)
            env.flush_all()
            with (
                self.assertRaises(psycopg2.errors.UniqueViolation),
                mute_logger("odoo.sql_db"),
                env.cr.savepoint(),
            ):
                second.write({"state": "in_parsed"})
                second.flush_recordset()
            env.cr.rollback()
