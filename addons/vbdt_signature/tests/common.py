import atexit
import base64

from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon

from ..demo import testpki
from ..demo.documents import demo_document_pdf, demo_seal_png, demo_signature_png

_PKI = []


def test_pki():
    """One certomancer test PKI for the whole test run, its OCSP responder,
    CRLs and RFC 3161 TSA answering over HTTP on 127.0.0.1 (the certificates
    name them) until the process ends."""
    if not _PKI:
        served = testpki.serve_test_pki()
        _PKI.append(served.__enter__())
        atexit.register(served.__exit__, None, None, None)
    return _PKI[0]


def b64(raw):
    return base64.b64encode(raw)


def start_signing(documents, signer):
    """``signer`` clicks *Ký số* on ``documents`` (one, or a batch): the
    signing sessions the action opened."""
    documents = documents.with_user(signer)
    if len(documents) == 1:
        action = documents.action_sign_person()
    else:
        action = documents.action_sign_person_batch()
    Sessions = documents.env["vbdt.signature.session"]
    if action.get("res_id"):
        return Sessions.browse(action["res_id"])
    return Sessions.search(action["domain"])


class VbdtSignatureCommon(VbdtDocumentCommon):
    """The province of vbdt_document's tests, with a trust anchor, a seal
    certificate and image, and a person certificate and image for the leader."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pki = test_pki()
        cls.Certificate = cls.env["vbdt.signature.certificate"]
        # the demo data's revocation lists are the demo CA's, whose names are
        # the test CA's with other keys: a list whose issuer cannot be
        # trusted makes pyHanko refuse the revocation check
        cls.env["vbdt.signature.crl"].search([]).write({"active": False})
        cls.anchor = cls.env["vbdt.signature.trust.anchor"].create(
            {"certificate_file": b64(cls.pki.root.certificate_pem)}
        )
        cls.province.vbdt_seal_image = b64(demo_seal_png())
        cls.leader.vbdt_signature_image = b64(demo_signature_png())
        cls.person_cert = cls._certificate(cls.pki.person, user=cls.leader)
        cls.seal_cert = cls._certificate(cls.pki.organisation, kind="organisation")
        cls.draft_pdf = demo_document_pdf()
        # The PDF/A step before the first signature (on by default) is tested
        # by test_draft_pdfa.py; the other classes sign the draft as uploaded,
        # which keeps their byte-for-byte assertions and spares CI about 90
        # conversions (docs/MEASURES.md).
        cls.env["ir.config_parameter"].set_param(
            "vbdt_signature.draft_to_pdfa", "False"
        )

    @classmethod
    def _certificate(
        cls, credential, kind="person", user=None, password=testpki.PKCS12_PASSWORD
    ):
        return cls.Certificate.create(
            {
                "kind": kind,
                "user_id": user.id if user else False,
                "company_id": cls.province.id,
                "backend": "pkcs12",
                "pkcs12_file": b64(credential.pkcs12()),
                "password": password,
            }
        )

    @classmethod
    def _register_local_certificate(cls):
        """The leader's certificate as a USB token signer has it: only the
        public certificate is registered (the key is on the token), its
        issuing CA a trust anchor; the leader's PKCS#12 certificate is
        archived so that signing goes through the token."""
        cls.env["vbdt.signature.trust.anchor"].create(
            {"certificate_file": b64(cls.pki.intermediate.certificate_pem)}
        )
        cls.person_cert.active = False
        cls.token_cert = cls.Certificate.create(
            {
                "kind": "person",
                "user_id": cls.leader.id,
                "company_id": cls.province.id,
                "backend": "local",
                "certificate_file": b64(cls.pki.person.certificate_pem),
            }
        )

    @classmethod
    def _signable(cls, attachment=None):
        document = cls._outgoing(
            signer_id=cls.leader.id, signer_name=testpki.PERSON_NAME
        )
        document._vbdt_add_file("quyet_dinh.pdf", cls.draft_pdf, role="main")
        if attachment:
            document._vbdt_add_file("phu_luc.pdf", attachment, role="attachment")
        return document

    @staticmethod
    def _main_raw(document):
        return document.main_file_id._get_raw()

    def _assert_untouched(self):
        """A refused signature left ``self.document`` as it was: the main
        text still ``self.original``, unsigned, no sign event audited."""
        self.env.invalidate_all()
        self.assertEqual(self._main_raw(self.document), self.original)
        self.assertEqual(self.document.signature_status, "unsigned")
        self.assertFalse(
            self.env["vbdt.audit.log"].search(
                [("document_id", "=", self.document.id), ("event", "=", "sign")]
            )
        )

    @staticmethod
    def _reach_signing_step(document):
        """With vbdt_workflow installed, signing is the last step of an
        approval route: give the document a route whose signer is the leader."""
        if "vbdt.approval.route" not in document.env:
            return
        document.env["vbdt.approval.route"].create(
            {
                "name": "Leader signs",
                "company_id": document.company_id.id,
                "document_type_ids": [(6, 0, document.document_type_id.ids)],
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Leader signs",
                            "sequence": 1,
                            "reviewer_type": "user",
                            "user_ids": [(6, 0, document.signer_id.ids)],
                            "is_signer_step": True,
                        },
                    )
                ],
            }
        )
        document.action_review_submit()
