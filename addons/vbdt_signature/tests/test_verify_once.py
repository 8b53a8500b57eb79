from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import tagged

from ..models.vbdt_signature_check_mixin import REPORT_CACHE
from ..pades import signer, verify
from .common import VbdtSignatureCommon


@tagged("vbdt", "vbdt_signature")
class TestVerifyOncePerAction(VbdtSignatureCommon):
    """Issue 15: each file is verified once per action, the report passed
    along (before: twice per person signature, four times per issue)."""

    @contextmanager
    def _counting(self):
        """Count the document verifications of the PDF core, whoever calls
        them (``verify_pdf`` and the seal's own person-signature check), in
        one action: a new request is a new transaction, whose cache starts
        empty (the test's transaction is never committed: empty it here)."""
        self.env.cr.cache.pop(REPORT_CACHE, None)
        calls = []
        real = verify.verify_document

        def counted(reader, policy):
            calls.append(policy)
            return real(reader, policy)

        with (
            patch.object(verify, "verify_document", counted),
            patch.object(signer, "verify_document", counted),
        ):
            yield calls

    def test_person_signature_verifies_once_and_issue_once_per_file(self):
        document = self._signable(attachment=self.draft_pdf)
        main = document.main_file_id
        with self._counting() as calls:
            document.with_user(self.leader).action_sign_person()
        self.assertEqual(len(calls), 1, "person signature: one verification")
        (person,) = main.signature_check_ids
        self.assertEqual((person.valid, person.time_basis), (True, "received"))

        with self._counting() as calls:
            document.with_user(self.clerk).action_issue()
        # the signed main text once (check before numbering, reused by the
        # seal), the sealed main text once, the signed attachment once
        self.assertEqual(len(calls), 3)
        self.assertEqual(document.state, "issued")
        self.assertEqual(main.signature_status, "valid")

    def test_a_changed_file_is_verified_again(self):
        """The report is keyed by the bytes: new content, new verification."""
        document = self._signable()
        with self._counting() as calls:
            document.main_file_id._vbdt_verify_signatures()
            document.main_file_id._vbdt_verify_signatures()
        self.assertEqual(len(calls), 1)
        with self._counting() as calls:
            document.with_user(self.leader).action_sign_person()
        self.assertEqual(len(calls), 1, "the signed file: new bytes")
