import hashlib
import io
import shutil
import time
import unittest

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.pdfa import convert_to_pdfa, pdfa_claim
from odoo.addons.vbdt_document.tests.test_lifecycle_attacks import RpcAttackCase

from ..agent import vbdt_sign_agent as agent
from ..demo import testpki
from ..demo.documents import demo_document_pdf
from ..models.vbdt_document_file_pdfa import MAX_PAGES_PARAM, SWITCH_PARAM
from ..pades import verify_pdf
from .common import VbdtSignatureCommon
from .softhsm import SOFTHSM_LIBRARY, TOKEN_PIN, softhsm_token
from .test_remote_signing import RemoteSigningCase

needs_ocrmypdf = unittest.skipUnless(
    shutil.which("ocrmypdf"), "ocrmypdf (Debian package) not installed"
)
BROKEN = b"%PDF-1.4\nnot really a PDF\n%%EOF\n"


class DraftPdfaCommon(VbdtSignatureCommon):
    """The conversion on (its default), whatever the other classes chose."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(SWITCH_PARAM, "True")

    def _main_state(self, document):
        """What a refused signature must leave as it was: the main text's
        bytes, its PDF/A level, its previous versions and its checks."""
        main = document.sudo().main_file_id
        main.invalidate_recordset()
        return (
            hashlib.sha256(main._get_raw()).hexdigest(),
            main.checksum_sha256,
            main.pdfa_level,
            main.history_attachment_ids.ids,
            main.signature_check_ids.ids,
        )


@tagged("vbdt", "vbdt_signature")
class TestDraftPdfa(DraftPdfaCommon):
    @needs_ocrmypdf
    def test_draft_becomes_pdfa_is_signed_and_issued_as_pdfa(self):
        document = self._signable()
        main = document.main_file_id
        self.assertFalse(main.pdfa_level)
        self.assertIsNone(pdfa_claim(self.draft_pdf))
        started = time.monotonic()
        document.with_user(self.leader).action_sign_person()
        seconds = time.monotonic() - started

        signed = self._main_raw(document)
        self.assertEqual(main.pdfa_level, "2b")
        self.assertEqual(pdfa_claim(signed), "2b", "the signature kept the claim")
        versions = {a.name.split(" - ")[0]: a.raw for a in main.history_attachment_ids}
        self.assertEqual(
            versions["Before PDF/A conversion"], self.draft_pdf, "original kept"
        )
        converted = versions["Before signature"]
        self.assertEqual(pdfa_claim(converted), "2b", "the PDF/A bytes were signed")
        self.assertTrue(signed.startswith(converted), "signed by incremental update")
        (person,) = main.signature_check_ids
        self.assertEqual(
            (person.kind, person.valid, person.trusted), ("person", True, True)
        )
        report = verify_pdf(signed, self.pki.trust_anchors)
        (signature,) = report.signatures
        self.assertTrue(signature.intact and signature.valid)
        self.assertIn(
            f"({len(self.draft_pdf)} bytes, now {len(converted)} bytes)",
            " ".join(document.message_ids.mapped("body")),
            "the chatter says what was converted",
        )
        self.assertLess(seconds, 60, "conversion and signature in one request")

        document.with_user(self.clerk).action_issue()
        self.assertEqual(document.state, "issued")
        sealed = self._main_raw(document)
        self.assertEqual(main.signature_status, "valid")
        self.assertEqual(main.pdfa_level, "2b", "the archived file claims PDF/A")
        self.assertEqual(pdfa_claim(sealed), "2b")
        self.assertTrue(verify_pdf(sealed, self.pki.trust_anchors).complete)

    @needs_ocrmypdf
    def test_file_already_pdfa_is_signed_as_it_is(self):
        pdfa = convert_to_pdfa(self.draft_pdf)
        document = self._outgoing(
            signer_id=self.leader.id, signer_name=testpki.PERSON_NAME
        )
        document._vbdt_add_file("quyet_dinh.pdf", pdfa, role="main")
        main = document.main_file_id
        self.assertEqual(main.pdfa_level, "2b")
        document.with_user(self.leader).action_sign_person()
        self.assertEqual(len(main.history_attachment_ids), 1, "no conversion")
        self.assertEqual(main.history_attachment_ids.raw, pdfa)
        self.assertEqual(main.signature_status, "incomplete")

    def test_signed_file_is_never_rewritten(self):
        self.env["ir.config_parameter"].set_param(SWITCH_PARAM, "False")
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        self.env["ir.config_parameter"].set_param(SWITCH_PARAM, "True")
        main = document.main_file_id
        before = self._main_state(document)
        self.assertTrue(main.signature_check_ids, "signed, without PDF/A")
        self.assertFalse(main._vbdt_pdfa_before_signing())
        self.assertEqual(self._main_state(document), before)
        with self.assertRaisesRegex(UserError, "already signed"):
            document.with_user(self.leader).action_sign_person()
        self.assertEqual(self._main_state(document), before)

    def test_switch_off_keeps_the_bytes(self):
        self.env["ir.config_parameter"].set_param(SWITCH_PARAM, "False")
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        main = document.main_file_id
        self.assertEqual(main.history_attachment_ids.raw, self.draft_pdf)
        self.assertTrue(self._main_raw(document).startswith(self.draft_pdf))
        self.assertFalse(main.pdfa_level)
        self.assertEqual(main.signature_status, "incomplete")

    def test_broken_pdf_is_refused_in_vietnamese_and_nothing_is_lost(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        document = self._outgoing(signer_id=self.leader.id)
        document._vbdt_add_file("du_thao.pdf", BROKEN, role="main")
        before = self._main_state(document)
        with self.assertRaisesRegex(
            UserError, "phải được chuyển sang PDF/A trước khi ký"
        ) as caught:
            document.with_user(self.leader).with_context(
                lang="vi_VN"
            ).action_sign_person()
        self.assertIn("không phải là tệp PDF đọc được", str(caught.exception))
        self.assertEqual(self._main_state(document), before)
        self.assertEqual(self._main_raw(document), BROKEN)

    def test_too_many_pages_is_refused_and_nothing_is_signed(self):
        self.env["ir.config_parameter"].set_param(MAX_PAGES_PARAM, "1")
        document = self._outgoing(signer_id=self.leader.id)
        document._vbdt_add_file("dai.pdf", demo_document_pdf(pages=2), role="main")
        before = self._main_state(document)
        with self.assertRaisesRegex(UserError, "2 pages, more than the 1"):
            document.with_user(self.leader).action_sign_person()
        self.assertEqual(self._main_state(document), before)
        self.assertFalse(
            self.env["vbdt.audit.log"].search(
                [("document_id", "=", document.id), ("event", "=", "sign")]
            )
        )


@tagged("vbdt", "vbdt_signature", "access_rights", "post_install", "-at_install")
class TestDraftPdfaAttacks(RpcAttackCase, DraftPdfaCommon):
    """The conversion is reached only through the signing actions, after
    their checks: over the real JSON-RPC, users who may not sign the draft
    (its drafter, the clerk, another unit's specialist, another agency's
    clerk) call them with injected context keys; each is refused and the
    main text is not converted. The signer then can."""

    @needs_ocrmypdf
    def test_only_the_signer_triggers_the_conversion(self):
        document = self._signable()
        self._reach_signing_step(document)
        before = self._main_state(document)
        self.assertFalse(before[2], "not PDF/A yet")
        for login in ("specialist", "clerk", "outsider", self.other_clerk):
            for method in ("action_sign_person", "action_sign_person_batch"):
                self.assertRefused(
                    login,
                    "vbdt.document",
                    method,
                    [[document.id]],
                    unchanged=lambda d=document: self._main_state(d),
                )
        self.assertEqual(self._main_state(document), before)
        self.call_kw("leader", "vbdt.document", "action_sign_person", [[document.id]])
        document.invalidate_recordset()
        self.assertEqual(document.main_file_id.pdfa_level, "2b")
        self.assertEqual(document.main_file_id.signature_status, "incomplete")


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestDraftPdfaLocalToken(HttpCase, DraftPdfaCommon):
    """Two-phase signing with a USB token (SoftHSM2 through the reference
    agent over real HTTP): the conversion happens in phase 1, when the
    session is opened, so phase 2 finds the main text it prepared (same
    SHA-256) and the token signs the PDF/A bytes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        softhsm_token(cls.pki)
        cls._register_local_certificate()

    @needs_ocrmypdf
    def test_token_signs_the_pdfa_prepared_when_the_session_opened(self):
        document = self._signable()
        self._reach_signing_step(document)
        action = document.with_user(self.leader).action_sign_person()
        session = (
            self.env["vbdt.signature.session"]
            .with_user(self.leader)
            .browse(action["res_id"])
        )
        main = document.main_file_id
        self.assertEqual(main.pdfa_level, "2b", "converted before the session")
        self.assertEqual(session.sudo().file_checksum, main.checksum_sha256)
        self.env.flush_all()  # the server reads the same cursor
        answer = agent.run(
            session.agent_url, SOFTHSM_LIBRARY, TOKEN_PIN, out=io.StringIO()
        )
        self.assertEqual(answer["status"], "done")
        self.env.invalidate_all()
        signed = self._main_raw(document)
        self.assertEqual(document.signature_status, "incomplete")
        self.assertEqual(main.pdfa_level, "2b")
        report = verify_pdf(
            signed, self.env["vbdt.signature.trust.anchor"]._vbdt_anchors()
        )
        self.assertTrue(report.has_valid_person_signature)
        self.assertEqual(
            report.signatures[0].signer.serial_number, self.token_cert.serial_number
        )


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestDraftPdfaRemote(RemoteSigningCase):
    """A batch signed at a remote service (the fake VNPT SmartCA over real
    HTTP): every draft of the batch is made PDF/A when the request is sent,
    and the service's signatures cover the PDF/A bytes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(SWITCH_PARAM, "True")

    @needs_ocrmypdf
    def test_batch_drafts_are_made_pdfa_then_signed_remotely(self):
        second = self._signable()
        self._reach_signing_step(second)
        documents = self.document | second
        sessions = self._start(documents)
        self.assertEqual(len(sessions), 2)
        for document in documents:
            main = document.main_file_id
            self.assertEqual(main.pdfa_level, "2b", "converted before the request")
            self.assertEqual(document.signature_status, "unsigned")
        self._confirmed()
        for document in documents:
            self.assertEqual(document.signature_status, "incomplete")
            self.assertEqual(pdfa_claim(self._main_raw(document)), "2b")
            self._assert_signed(document)
