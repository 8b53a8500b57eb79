"""Database tuning of the document table: indexes, the trigram extension and
planner statistics that keep lists, searches and dashboards fast over
millions of documents (docs/ARCHITECTURE.md §A5).

Nothing here changes what a query returns, only how fast: every object has a
measured reason in ``bench/bench_document_search.py``, which drops and
rebuilds them to time the web client's calls without and with them.  Rules
of the data (the unique document numbers) are not tuning and stay with the
model (``VbdtDocument.init``).

Called from ``vbdt.document``'s ``init()``, i.e. on every install and update
of ``vbdt_document``; every statement is idempotent.
"""

import logging

import psycopg2

from odoo.tools import SQL, create_index

_logger = logging.getLogger(__name__)


def tune_document_table(documents):
    """Create what is missing for ``documents`` (the ``vbdt.document`` model)."""
    cr = documents.env.cr
    table = documents._table
    # The default order of every list (_order): pages of 80 are read from
    # the index instead of sorting the whole visible set.
    create_index(
        cr,
        "vbdt_document_list_order_idx",
        table,
        ["register_date DESC", "urgency_rank DESC", "id DESC"],
    )
    # Counts, kanban columns and read_groups per agency, direction and state
    # as index-only scans, also under the specialists' unit rule: the columns
    # they group or filter on are carried in the index.
    cr.execute(
        SQL(
            "CREATE INDEX IF NOT EXISTS vbdt_document_agency_cover_idx "
            "ON vbdt_document (company_id, direction, state, register_date) "
            "INCLUDE (document_type_id, urgency, confidentiality, unit_id, id)"
        )
    )
    # Its narrower predecessor, created by earlier versions, only costs writes.
    cr.execute(SQL("DROP INDEX IF EXISTS vbdt_document_company_cover_idx"))
    # Secret documents are few and read through a rule on named readers: a
    # partial index in list order finds them without scanning normal ones.
    cr.execute(
        SQL(
            "CREATE INDEX IF NOT EXISTS vbdt_document_secret_order_idx "
            "ON vbdt_document (register_date DESC, urgency_rank DESC, id DESC) "
            "WHERE confidentiality <> 'normal'"
        )
    )
    # Accent-insensitive search (search_text LIKE '%folded words%'): only a
    # trigram index serves a pattern with a leading wildcard.
    if ensure_trigram(documents.env):
        create_index(
            cr,
            "vbdt_document_search_text_trgm_idx",
            table,
            ["search_text gin_trgm_ops"],
            method="gin",
        )
    create_month_statistics(cr)


def ensure_trigram(env):
    """Create ``pg_trgm`` when missing; False when the server lacks it (search
    then scans the table, slower but correct).  It is a trusted extension:
    the database owner may create it without superuser rights."""
    cr = env.cr
    cr.execute(SQL("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    if cr.fetchone():
        return True
    try:
        with cr.savepoint(flush=False):
            cr.execute(SQL("CREATE EXTENSION pg_trgm"))
    except psycopg2.Error:
        _logger.warning(
            "pg_trgm is not available: document search will scan the table."
        )
        return False
    # Odoo noted its absence when the registry was loaded: let it create the
    # index="trigram" indexes of this install now (they follow init()).
    env.registry.has_trigram = True
    return True


def create_month_statistics(cr):
    """Tell the planner how many months there are: pivots and graphs group by
    month, and without these statistics it expects a few hundred groups per
    day of data and picks a sort where a hash suffices."""
    try:
        with cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    "CREATE STATISTICS IF NOT EXISTS "
                    "vbdt_document_register_month_stats "
                    "ON ((date_trunc('month', register_date::timestamp))::date) "
                    "FROM vbdt_document"
                )
            )
    except psycopg2.Error:
        _logger.info("PostgreSQL < 14: no statistics on the register month.")
