"""``local``: delivery between agencies (companies) of this database."""

from .base import Transport, TransportError


class LocalTransport(Transport):
    code = "local"

    def send(self, record, raw, recipient_codes, message_type):
        # sudo: the local transport delivers into another agency's inbox
        Record = self.env["vbdt.exchange.record"].sudo()
        inbox = Record.browse()
        for code in recipient_codes:
            # sudo: the recipient agency is looked up in the whole directory
            agency = self.env["vbdt.agency"].sudo()._vbdt_find_by_code(code)
            company = agency.internal_company_id
            if not company:
                raise TransportError(
                    self.env._(
                        "Agency %(code)s does not work in this database.", code=code
                    ),
                    retryable=False,
                )
            inbox |= self.env["vbdt.exchange.engine"]._vbdt_receive(
                company,
                raw,
                transport="local",
                message_type=message_type,
                sender_code=record.company_id.vbdt_agency_code,
                remote_id=f"local-{record.id}-{code}",
                parent=record,
            )
        # Processed right away, each in its own savepoint: a failure is
        # recorded on the inbox record (rejected), never lost.
        inbox._vbdt_process_inbox()
        return ",".join(str(i) for i in inbox.ids)
