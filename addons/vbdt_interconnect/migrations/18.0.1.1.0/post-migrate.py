"""Exchange and hub secrets were stored in clear (column ``secret``): seal
them with the server key into ``secret_sealed`` and drop the clear column.

Without a server key the upgrade stops with a clear message: the secrets
cannot be protected, and keeping them in clear is what this version ends."""

import logging

from odoo import SUPERUSER_ID, api

from odoo.addons.vbdt_document import secret_store

_logger = logging.getLogger(__name__)
TABLES = {
    "vbdt_exchange_transport": "vbdt.exchange.transport",
    "vbdt_hub_system": "vbdt.hub.system",
}


def _has_column(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for table, model in TABLES.items():
        if not _has_column(cr, table, "secret"):
            continue
        cr.execute(
            f'SELECT id, secret FROM "{table}" WHERE secret IS NOT NULL AND secret '
            "!= ''"
        )  # noqa: S608
        rows = cr.fetchall()
        for row_id, clear in rows:
            token = secret_store.encrypt(env, clear, model, "secret_sealed")
            cr.execute(
                f'UPDATE "{table}" SET secret_sealed = %s WHERE id = %s',  # noqa: S608
                [token, row_id],
            )
        cr.execute(f'ALTER TABLE "{table}" DROP COLUMN secret')
        _logger.info("%s: %s secrets sealed with the server key", table, len(rows))
