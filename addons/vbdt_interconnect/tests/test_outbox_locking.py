from psycopg2 import errors

from odoo import api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestOutboxLocking(TransactionCase):
    """Two workers never send the same record (like ir.sequence's no-gap test)."""

    def test_skip_locked(self):
        registry = self.registry
        with registry.cursor() as cr0:
            env0 = api.Environment(cr0, api.SUPERUSER_ID, {})
            company = env0.ref("base.main_company")
            records = env0["vbdt.exchange.record"].create(
                [
                    {
                        "direction": "out",
                        "state": "out_queued",
                        "company_id": company.id,
                        "transport": "local",
                        "counterpart_code": "X",
                    }
                    for _i in range(3)
                ]
            )
            ids = records.ids
            cr0.commit()
        try:
            with (
                registry.cursor() as cr1,
                registry.cursor() as cr2,
                registry.cursor() as cr_other,
            ):
                # Rows queued by anything else (demo data issued at install)
                # are held by a third worker, so both claims only see ours.
                cr_other.execute(
                    "SELECT id FROM vbdt_exchange_record WHERE state = "
                    "'out_queued' AND id != ALL(%s) FOR UPDATE",
                    [ids],
                )
                env1 = api.Environment(cr1, api.SUPERUSER_ID, {})
                env2 = api.Environment(cr2, api.SUPERUSER_ID, {})
                claimed1 = env1["vbdt.exchange.engine"]._vbdt_claim_batch(limit=2)
                claimed1 = claimed1.filtered(lambda r: r.id in ids)
                self.assertEqual(len(claimed1), 2)
                cr2.execute("SET LOCAL lock_timeout = '1s'")
                claimed2 = env2["vbdt.exchange.engine"]._vbdt_claim_batch(limit=10)
                claimed2 = claimed2.filtered(lambda r: r.id in ids)
                self.assertEqual(len(claimed2), 1)
                self.assertFalse(set(claimed1.ids) & set(claimed2.ids))
                # A plain lock on a claimed row would wait: prove it is held.
                with (
                    self.assertRaises(errors.LockNotAvailable),
                    mute_logger("odoo.sql_db"),
                ):
                    cr2.execute(
                        "SELECT id FROM vbdt_exchange_record WHERE id = %s "
                        "FOR UPDATE NOWAIT",
                        [claimed1.ids[0]],
                    )
                cr1.rollback()
                cr2.rollback()
        finally:
            with registry.cursor() as cr:
                cr.execute("DELETE FROM vbdt_exchange_record WHERE id = ANY(%s)", [ids])
