from odoo.addons.vbdt_document.tests.common import PDF, VbdtDocumentCommon

from odoo.addons.vbdt_interconnect import edxml


class VbdtExchangeCommon(VbdtDocumentCommon):
    """The province (sender) and a district of the same database (recipient)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.district = cls.env["res.company"].create({
            "name": "UBND huyện Thử nghiệm", "vbdt_agency_code": "000.00.24.H99",
            "vbdt_short_name": "UBND", "vbdt_tier": "district",
        })
        cls.district_clerk = cls._user("district_clerk", "clerk", company=cls.district)
        cls.external = cls.env["vbdt.agency"].create(
            {"name": "Bộ Thử nghiệm", "code": "000.00.00.G98"})
        cls.Record = cls.env["vbdt.exchange.record"]

    @classmethod
    def _issued(cls, recipients, **vals):
        document = cls._outgoing(recipient_agency_ids=[(6, 0, recipients.ids)],
                                 signer_name="Nguyễn Văn A", signer_position="Chủ tịch", **vals)
        document._vbdt_add_file("quyet-dinh.pdf", PDF, "main")
        document.with_user(cls.clerk).action_issue()
        return document

    def _run(self, rounds=10):
        """Drain the outbox (local deliveries chain within the transaction)."""
        for _i in range(rounds):
            if not self.Record._vbdt_run_outbox(commit=False):
                break

    @classmethod
    def _package(cls, recipient="000.00.24.H99", sender="000.00.00.G97", number="12",
                 document_id="", **kwargs):
        import datetime

        return edxml.DocumentPackage(
            sender=edxml.Organization(organ_id=sender, organ_name="Sở Ngoài"),
            recipients=[edxml.Organization(organ_id=recipient)],
            code=edxml.Code(code_number=number, code_notation="TB-SN"),
            promulgation_info=edxml.PromulgationInfo(
                place="Hà Nội", promulgation_date=datetime.date(2026, 9, 30)),
            document_type=edxml.DocumentType(type_name="Thông báo"),
            subject="Thông báo thử nghiệm", document_id=document_id,
            attachments=[edxml.Attachment(content_id="1", attachment_name="tb.pdf",
                                          content=PDF, content_type="application/pdf")],
            **kwargs,
        )
