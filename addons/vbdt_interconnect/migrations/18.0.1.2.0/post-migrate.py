"""Document packages are now built in their own step (state ``out_generate``)
before they are queued: the records queued by an earlier version without
their package yet go back to that step, or the outbox would find them
without a package."""


def migrate(cr, version):
    cr.execute(
        """UPDATE vbdt_exchange_record SET state = 'out_generate'
            WHERE direction = 'out' AND message_type = 'edoc'
              AND state = 'out_queued' AND document_id IS NOT NULL
              AND package_attachment_id IS NULL"""
    )
