from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..demo import testpki
from ..demo.documents import demo_document_pdf, demo_signature_png
from ..pades import verify_pdf
from .common import VbdtSignatureCommon, b64

DEPUTY_NAME = "Lê Thị Phó"
DEPUTY_POSITION = "PHÓ CHỦ TỊCH"


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestDeputySigning(VbdtSignatureCommon):
    """Who may apply the person signature goes through vbdt_document's
    ``_vbdt_signing_delegation`` hook: the named signer, and with
    vbdt_workflow (installed with all four addons) a deputy holding a valid
    signing delegation on the route's signer step (B3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deputy = cls._user("deputy", "leader")
        cls.deputy.write(
            {"name": DEPUTY_NAME, "vbdt_signature_image": b64(demo_signature_png())}
        )
        cls.deputy_cert = cls._certificate(cls.pki.person, user=cls.deputy)
        cls.workflow = "vbdt.delegation" in cls.env

    def _waiting_for_leader(self, printed_name=DEPUTY_NAME):
        """A draft at the leader's signature; by default its PDF's signature
        block is drafted for the deputy signing on the leader's behalf (KT.)
        while the record still names the leader."""
        document = self._outgoing(
            signer_id=self.leader.id,
            signer_name=self.leader.name
            if printed_name == DEPUTY_NAME
            else printed_name,
        )
        document._vbdt_add_file(
            "quyet_dinh.pdf",
            demo_document_pdf(
                signer_name=printed_name,
                authority_lines=("KT. CHỦ TỊCH", DEPUTY_POSITION),
            ),
            role="main",
        )
        self._reach_signing_step(document)
        if self.workflow:
            self.assertEqual(document.state, "to_sign")
        return document

    def _delegate(self, days_from=-2, days_to=5):
        """A KT. signing delegation leader → deputy, around today; ``None``
        without vbdt_workflow, which owns delegations."""
        if not self.workflow:
            return None
        today = fields.Date.context_today(self.leader)
        return self.env["vbdt.delegation"].create(
            {
                "company_id": self.province.id,
                "delegator_id": self.leader.id,
                "delegate_id": self.deputy.id,
                "authority": "kt",
                "delegate_position": DEPUTY_POSITION,
                "date_from": today + timedelta(days=days_from),
                "date_to": today + timedelta(days=days_to),
            }
        )

    def _refused_in_vietnamese(self, document, user):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["vbdt_signature"], ["vi_VN"])
        with self.assertRaisesRegex(UserError, "người được ủy quyền ký còn hiệu lực"):
            document.with_user(user).with_context(lang="vi_VN").action_sign_person()
        self.assertFalse(document.with_user(user).vbdt_is_signer)
        self.assertEqual(document.main_file_id.signature_status, "unsigned")

    def test_deputy_signs_under_delegation(self):
        # Delegations belong to vbdt_workflow (installed with all four addons
        # by scripts/test, where a skip counts as a failure). Without it only
        # the signer signs: test_without_delegation_refused covers that.
        if not self.workflow:
            self.skipTest("signing under delegation needs vbdt_workflow")
        delegation = self._delegate()
        document = self._waiting_for_leader()
        self.assertTrue(document.with_user(self.deputy).vbdt_is_signer)
        block_writes = []
        write_lifecycle = type(document)._vbdt_write_lifecycle

        def spy(records, vals):
            if any(name.startswith("signer_") for name in vals):
                block_writes.append(dict(vals))
            return write_lifecycle(records, vals)

        with patch.object(type(document), "_vbdt_write_lifecycle", spy):
            document.with_user(self.deputy).action_sign_person()

        # One owner, one write: vbdt_signature records the block as printed
        # in the PDF, vbdt_workflow's completion of the step finds it done.
        self.assertEqual(
            block_writes,
            [
                {
                    "signer_id": self.deputy.id,
                    "signer_name": DEPUTY_NAME,
                    "signer_authority": "kt",
                    "signer_position": DEPUTY_POSITION,
                }
            ],
        )
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signer_id, self.deputy, "the record names who signed")
        self.assertEqual(document.signer_name, DEPUTY_NAME)
        self.assertEqual(document.signer_authority, "kt")
        self.assertEqual(document.signer_position, DEPUTY_POSITION)
        review = document.review_ids.filtered("is_signer_step")
        self.assertEqual(
            (review.done_by_id, review.delegation_id), (self.deputy, delegation)
        )
        # the image went above the deputy's printed name, the one the record shows
        report = verify_pdf(self._main_raw(document), self.pki.trust_anchors)
        (person,) = report.signatures
        self.assertTrue(person.valid)
        self.assertEqual(document.main_file_id.signature_status, "incomplete")

        document.with_user(self.clerk).action_issue()
        self.assertEqual(document.state, "issued")
        self.assertEqual(document.signature_status, "valid")

    def test_without_delegation_refused(self):
        document = self._waiting_for_leader()
        self._refused_in_vietnamese(document, self.deputy)

    def test_expired_delegation_refused(self):
        # ended two days ago: "today" of the test and of the check may fall on
        # either side of midnight in different time zones
        self._delegate(days_from=-10, days_to=-2)
        document = self._waiting_for_leader()
        self._refused_in_vietnamese(document, self.deputy)

    def test_signer_keeps_the_drafted_printed_name(self):
        """The named signer signs above the printed name of the draft, and
        the record keeps that name after the signature (vbdt_workflow
        rewrites the signature block after signing)."""
        document = self._waiting_for_leader(printed_name=testpki.PERSON_NAME)
        self.assertTrue(document.with_user(self.leader).vbdt_is_signer)
        document.with_user(self.leader).action_sign_person()
        self.assertEqual(document.signer_id, self.leader)
        self.assertEqual(document.signer_name, testpki.PERSON_NAME)
        self.assertEqual(document.main_file_id.signature_status, "incomplete")
