from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon
from odoo.addons.vbdt_interconnect import edxml
from odoo.addons.vbdt_interconnect.vxp import VxpClient


def _minimal_pdf():
    """A one-page PDF with a correct cross-reference table (strict readers
    such as pyHanko, used by vbdt_signature when installed, need it)."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PDF = _minimal_pdf()
PROVINCE_SECRET = "province-secret"
MINISTRY_SECRET = "ministry-secret"


class VbdtExchangeCommon(VbdtDocumentCommon):
    """The province (sender) and a district of the same database (recipient)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.district = cls.env["res.company"].create(
            {
                "name": "UBND huyện Thử nghiệm",
                "vbdt_agency_code": "000.00.24.H99",
                "vbdt_short_name": "UBND",
                "vbdt_tier": "commune",
            }
        )
        cls.district_clerk = cls._user("district_clerk", "clerk", company=cls.district)
        cls.external = cls.env["vbdt.agency"].create(
            {"name": "Bộ Thử nghiệm", "code": "000.00.00.G98"}
        )
        # The default sender of ``_package``: in the directory, as a real
        # counterpart is (unknown senders are quarantined).
        cls.outside = cls.env["vbdt.agency"].create(
            {"name": "Sở Ngoài", "code": "000.00.00.G97"}
        )
        cls.Record = cls.env["vbdt.exchange.record"]
        cls.Engine = cls.env["vbdt.exchange.engine"]

    @classmethod
    def _issued(cls, recipients, **vals):
        document = cls._outgoing(
            recipient_agency_ids=[(6, 0, recipients.ids)],
            signer_name="Nguyễn Văn A",
            signer_position="Chủ tịch",
            **vals,
        )
        document._vbdt_add_file("quyet-dinh.pdf", PDF, "main")
        issuable = document._vbdt_issuable_states()
        if "draft" not in issuable:
            # vbdt_workflow installed: skip its approval route, which is not
            # what these tests are about.
            document.sudo()._vbdt_write_lifecycle({"state": sorted(issuable)[0]})
        document.with_user(cls.clerk).action_issue()
        return document

    def _queued_then_classified(self):
        """A document issued to the district (its record queued), then
        classified Mật behind the ORM's back, whatever the path: returns
        the document and its exchange record."""
        document = self._issued(self.district.vbdt_agency_id)
        record = self.Record.search([("document_id", "=", document.id)])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE vbdt_document SET confidentiality = 'secret' WHERE id = %s",
            [document.id],
        )
        self.env.invalidate_all()
        return document, record

    def _said(self, company, source, **params):
        """``source`` as the exchange crons write it for ``company``: in the
        agency's language (``res.company._vbdt_lang``)."""
        env = self.env(context=dict(self.env.context, lang=company._vbdt_lang()))
        return env._(source, **params)

    def _assert_refused_as_classified(self, record):
        """The outbox refused ``record``: its document is secret, which the
        province is told in its own words (the document named neutrally)."""
        self.assertIn(
            self._said(
                self.province,
                "%(document)s is classified: secret documents never leave through "
                "the axis or the electronic exchange; send them on paper.",
                document="",  # a secret document is named neutrally
            ).strip(),
            record.last_error,
        )

    def _run(self, rounds=10):
        """Drain the outbox (local deliveries chain within the transaction)."""
        for _i in range(rounds):
            if not self.Engine._vbdt_run_outbox(commit=False):
                break

    @classmethod
    def _package(
        cls,
        recipient="000.00.24.H99",
        sender="000.00.00.G97",
        number="12",
        document_id="",
        **kwargs,
    ):
        import datetime

        return edxml.DocumentPackage(
            sender=edxml.Organization(organ_id=sender, organ_name="Sở Ngoài"),
            recipients=[edxml.Organization(organ_id=recipient)],
            code=edxml.Code(code_number=number, code_notation="TB-SN"),
            promulgation_info=edxml.PromulgationInfo(
                place="Hà Nội", promulgation_date=datetime.date(2026, 9, 30)
            ),
            document_type=edxml.DocumentType(type_name="Thông báo"),
            subject="Thông báo thử nghiệm",
            document_id=document_id,
            attachments=[
                edxml.Attachment(
                    content_id="1",
                    attachment_name="tb.pdf",
                    content=PDF,
                    content_type="application/pdf",
                )
            ],
            **kwargs,
        )

    @classmethod
    def _status(
        cls, sender, document, code, description="", document_id=None, organ_id=None
    ):
        """A status package from ``sender`` (OrganId) about ``document``."""
        return edxml.StatusPackage(
            sender=edxml.Organization(organ_id=sender, organ_name="Bộ"),
            response_for=edxml.ResponseFor(
                organ_id=organ_id or cls.province.vbdt_agency_code,
                code=document.code,
                document_id=document_id or document.edxml_document_id,
            ),
            status_code=edxml.StatusCode(code),
            description=description,
            timestamp=edxml.parse_timestamp("2026/10/01 08:00:00"),
        )


class VbdtHubCommon(VbdtExchangeCommon):
    """The province's hub (``/vxp``, to mix with ``HttpCase``) with two
    client systems: the province's own instance and a ministry's, which
    speaks for the external agency (``self.ministry``, a real ``VxpClient``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province_system, cls.ministry_system = cls.env["vbdt.hub.system"].create(
            [
                {
                    "name": "Province",
                    "system_id": "sys-province",
                    "secret": PROVINCE_SECRET,
                    "agency_ids": [(6, 0, cls.province.vbdt_agency_id.ids)],
                },
                {
                    "name": "Ministry",
                    "system_id": "sys-ministry",
                    "secret": MINISTRY_SECRET,
                    "agency_ids": [(6, 0, cls.external.ids)],
                },
            ]
        )

    def setUp(self):
        super().setUp()
        self.url = self.base_url() + "/vxp"
        self.ministry = self._hub_client("sys-ministry", MINISTRY_SECRET)

    def _hub_client(self, system_id, secret):
        """A client of the hub as ``system_id``, closed after the test."""
        client = VxpClient(self.url, system_id, secret, timeout=20, retries=0)
        self.addCleanup(client.close)
        return client

    def _hub_transport(self):
        """The province's instance connected to the hub as ``sys-province``."""
        return self.env["vbdt.exchange.transport"].create(
            {
                "name": "Hub",
                "company_id": self.province.id,
                "endpoint": self.url,
                "system_id": "sys-province",
                "secret": PROVINCE_SECRET,
                "timeout": 20,
            }
        )
