import os
import socket
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..demo import testpki
from ..demo.data import (
    DEMO_DRAFT,
    DEMO_MYSIGN_DRAFTS,
    DEMO_REMOTE_DRAFTS,
    DEMO_SIGNERS,
    demo_pki,
    install_demo_remote,
    install_pki,
    submit_demo_draft,
)
from ..pades import verify_pdf
from .common import start_signing


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestDemoWalkthrough(TransactionCase):
    """The signing walkthrough of the demo (``scripts/serve``): lanhdao.ubnd
    signs the draft waiting for them, vanthu.ubnd issues it, and the issued
    PDF carries both signatures and verifies."""

    def test_leader_signs_clerk_issues(self):
        draft = self.env.ref(f"vbdt_signature.{DEMO_DRAFT}", raise_if_not_found=False)
        if not draft:
            self.skipTest("database installed without demo data")
        leader = self.env.ref("vbdt_document.user_lanhdao_ubnd_demo")
        clerk = self.env.ref("vbdt_document.user_vanthu_ubnd_demo")
        # what vbdt_signature_demo does after its installation
        submit_demo_draft(self.env)
        self.assertIn(draft.state, draft._vbdt_signable_states())
        if "validation_status" in draft._fields:
            self.assertEqual(draft.validation_status, "to_sign")
        self.assertTrue(draft.with_user(leader).vbdt_is_signer)

        draft.with_user(leader).action_sign_person()
        self.assertEqual(draft.signature_status, "incomplete")
        draft.with_user(clerk).action_issue()

        self.assertEqual(draft.state, "issued")
        self.assertEqual(draft.signature_status, "valid")
        report = verify_pdf(
            draft.main_file_id._get_raw(),
            self.env["vbdt.signature.trust.anchor"]._vbdt_anchors(),
        )
        self.assertTrue(report.complete)
        self.assertEqual(
            sorted(s.kind for s in report.signatures), ["organisation", "person"]
        )
        # the demo certificate is issued in the signer's own name
        person = next(s for s in report.signatures if s.kind == "person")
        self.assertEqual(person.signer.name, leader.name)
        self.assertEqual(person.signer.organisation, draft.company_id.name)
        self.assertEqual(draft.signer_id, leader)
        self.assertEqual(draft.signer_name, leader.name)

    def test_demo_signers_hold_certificates_in_their_names(self):
        Certificate = self.env["vbdt.signature.certificate"]
        users = [
            self.env.ref(f"vbdt_document.user_{login}_demo", raise_if_not_found=False)
            for login in DEMO_SIGNERS
        ]
        if not all(users) or not self.env.ref(
            f"vbdt_signature.{DEMO_DRAFT}", raise_if_not_found=False
        ):
            self.skipTest("database installed without demo data")
        for user in users:
            certificate = Certificate._vbdt_person_certificate(user)
            self.assertEqual(certificate.subject_common_name, user.name)
            self.assertEqual(certificate.company_id, user.company_id)
            self.assertEqual(certificate.validity, "valid")

    def test_issued_demo_document_is_b_lta_and_stays_valid_after_renewal(self):
        """What ``scripts/serve`` does: a PKI saved for the demo database,
        served from its folder on 127.0.0.1, loaded by the demo data
        (``VBDT_DEMO_PKI``) with its TSA configured. The demo draft, signed
        by lanhdao.ubnd and issued by vanthu.ubnd, is B-LTA, and stays valid
        after one run of the archival timestamp renewal."""
        draft = self.env.ref(f"vbdt_signature.{DEMO_DRAFT}", raise_if_not_found=False)
        if not draft:
            self.skipTest("database installed without demo data")
        leader = self.env.ref("vbdt_document.user_lanhdao_ubnd_demo")
        clerk = self.env.ref("vbdt_document.user_vanthu_ubnd_demo")
        with tempfile.TemporaryDirectory() as folder:
            url = f"http://127.0.0.1:{_free_port()}"
            testpki.main(["create", "--folder", folder, "--url", url])
            self.assertEqual(
                oct((Path(folder) / testpki.SAVED_FILE).stat().st_mode & 0o777),
                "0o600",
            )
            with (
                testpki.serve_test_pki(folder=Path(folder)) as served,
                mock.patch.dict(os.environ, {"VBDT_DEMO_PKI": folder}),
            ):
                pki, is_served = demo_pki()
                self.assertTrue(is_served)
                self.assertEqual(pki.root.certificate_der, served.root.certificate_der)
                # this database's demo PKI was made at its installation: the
                # saved one replaces it, as in a database made by scripts/serve
                self.env["vbdt.signature.certificate"].sudo().search([]).unlink()
                self.env["vbdt.signature.crl"].sudo().search([]).write(
                    {"active": False}
                )
                install_pki(self.env, pki, served=True)
                self._sign_issue_renew(draft, leader, clerk, pki)

    def _sign_issue_renew(self, draft, leader, clerk, pki):
        submit_demo_draft(self.env)
        draft.with_user(leader).action_sign_person()
        draft.with_user(clerk).action_issue()
        main = draft.main_file_id
        self.assertEqual(main.signature_status, "valid")
        self.assertEqual(
            sorted(main.signature_check_ids.mapped("kind")),
            ["document_timestamp", "organisation", "person"],
        )
        self.assertEqual(
            set(main.signature_check_ids.mapped("time_basis")) - {False},
            {"timestamp"},
        )
        report = verify_pdf(main._get_raw(), pki.trust_anchors)
        self.assertTrue(report.complete)
        self.assertTrue(main.archive_renewal_due)

        main.sudo().archive_renewal_due = fields.Datetime.now() - timedelta(days=1)
        self.assertEqual(
            self.env["vbdt.document.file"]._cron_renew_archival_timestamps(), 1
        )
        self.assertEqual(main.signature_status, "valid")
        self.assertEqual(
            main.signature_check_ids.mapped("kind").count("document_timestamp"), 2
        )
        self.assertTrue(all(main.signature_check_ids.mapped("valid")))
        self.assertGreater(main.archive_renewal_due, fields.Datetime.now())


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestDemoRemoteSigning(TransactionCase):
    """What ``scripts/serve`` does for remote signing: ``testpki.py create``
    saves the leader's remote credential beside the PKI, ``serve`` runs the
    DEMO fake VNPT SmartCA and Viettel MySign on the PKI's port + 1, and
    vbdt_signature_demo's hook registers them with lanhdao.ubnd's SmartCA
    certificate and two more drafts. The leader signs the demo draft alone,
    then the two others as a batch, through the served fake; each signature
    is in his name, validates, and the issued document is B-LTA like a
    server-side one. chutich.ubnd, registered at the fake MySign, signs
    his draft through it in his name."""

    def test_leader_signs_one_then_a_batch_through_demo_smartca(self):
        draft = self.env.ref(f"vbdt_signature.{DEMO_DRAFT}", raise_if_not_found=False)
        if not draft or "vbdt.approval.route" not in self.env:
            self.skipTest("database installed without demo data or vbdt_workflow")
        leader = self.env.ref("vbdt_document.user_lanhdao_ubnd_demo")
        clerk = self.env.ref("vbdt_document.user_vanthu_ubnd_demo")
        Certificate = self.env["vbdt.signature.certificate"]
        # without the demo PKI (Docker, tests): nothing registered
        with mock.patch.dict(os.environ, {"VBDT_DEMO_PKI": ""}):
            self.assertIsNone(install_demo_remote(self.env))
        self.assertFalse(
            self.env["vbdt.signature.remote.provider"].search(
                [("name", "like", "giả lập demo")]
            )
        )
        with tempfile.TemporaryDirectory() as folder:
            url = f"http://127.0.0.1:{_free_port(pair=True)}"
            testpki.main(["create", "--folder", folder, "--url", url])
            saved = Path(folder) / testpki.REMOTE_SIGNER_FILE
            self.assertEqual(oct(saved.stat().st_mode & 0o777), "0o600")
            with (
                testpki.serve_demo(Path(folder)) as pki,
                mock.patch.dict(os.environ, {"VBDT_DEMO_PKI": folder}),
            ):
                # the saved PKI replaces the one made at installation, as in
                # a database made by scripts/serve
                Certificate.sudo().search([]).unlink()
                self.env["vbdt.signature.crl"].sudo().search([]).write(
                    {"active": False}
                )
                install_pki(self.env, pki, served=True)
                submit_demo_draft(self.env)
                remote = install_demo_remote(self.env)
                self._check_registered(remote, leader, pki)
                drafts = [
                    self.env.ref(f"vbdt_signature.{xmlid}")
                    for xmlid in (DEMO_DRAFT, *DEMO_REMOTE_DRAFTS)
                ]
                for document in drafts:
                    self.assertEqual(document.state, "to_sign")
                    self.assertTrue(document.with_user(leader).vbdt_is_signer)
                single = start_signing(drafts[0], leader)
                batch = start_signing(drafts[1] | drafts[2], leader)
                self.assertEqual(len(single), 1)
                self.assertTrue(batch)
                self.assertEqual(set((single | batch).mapped("channel")), {"remote"})
                # nothing signed before the (fake) phone confirms
                self.assertEqual(drafts[1].signature_status, "unsigned")
                time.sleep(testpki.REMOTE_DELAY + 0.5)
                self.env["vbdt.signature.session"]._cron_poll_remote_sessions()
                self.env.invalidate_all()
                for document in drafts:
                    self._check_signed(document, leader, remote, pki)
                self._check_mysign(pki)
                drafts[0].with_user(clerk).action_issue()
                main = drafts[0].main_file_id
                self.assertEqual(drafts[0].state, "issued")
                self.assertEqual(main.signature_status, "valid")
                self.assertEqual(
                    sorted(main.signature_check_ids.mapped("kind")),
                    ["document_timestamp", "organisation", "person"],
                )

    def _check_registered(self, remote, leader, pki):
        Certificate = self.env["vbdt.signature.certificate"]
        self.assertTrue(remote)
        self.assertEqual(
            sorted(
                self.env["vbdt.signature.remote.provider"]
                .search([("name", "like", "giả lập demo")])
                .mapped("base_url")
            ),
            [testpki.remote_url(pki), testpki.remote_url(pki) + "/sca/sp769"],
        )
        self.assertEqual(remote.remote_provider_id.provider, "vnpt_smartca")
        self.assertEqual(remote.subject_common_name, leader.name)
        self.assertEqual(Certificate._vbdt_person_certificate(leader), remote)

    def _check_mysign(self, pki):
        """chutich.ubnd signs his draft through the served fake MySign."""
        head = self.env.ref("vbdt_workflow.user_chutich_ubnd_demo")
        remote = self.env["vbdt.signature.certificate"]._vbdt_person_certificate(head)
        self.assertEqual(remote.backend, "remote")
        self.assertEqual(remote.remote_provider_id.provider, "viettel_mysign")
        self.assertEqual(remote.remote_account, testpki.MYSIGN_ACCOUNT)
        self.assertEqual(remote.subject_common_name, head.name)
        (xmlid,) = DEMO_MYSIGN_DRAFTS
        draft = self.env.ref(f"vbdt_signature.{xmlid}")
        self.assertEqual(draft.state, "to_sign")
        self.assertEqual(draft.signer_id, head)
        session = start_signing(draft, head)
        self.assertEqual(session.mapped("channel"), ["remote"])
        self.assertEqual(draft.signature_status, "unsigned")
        time.sleep(testpki.REMOTE_DELAY + 0.5)
        self.env["vbdt.signature.session"]._cron_poll_remote_sessions()
        self.env.invalidate_all()
        self._check_signed(draft, head, remote, pki)

    def _check_signed(self, document, leader, remote, pki):
        self.assertEqual(document.signature_status, "incomplete")
        report = verify_pdf(document.main_file_id._get_raw(), pki.trust_anchors)
        self.assertTrue(report.has_valid_person_signature)
        person = report.signatures[0]
        self.assertEqual(person.signer.name, leader.name)
        self.assertEqual(person.signer.serial_number, remote.serial_number)


def _free_port(pair=False):
    """A free port on 127.0.0.1 (with ``pair``, its next one free too)."""
    for _attempt in range(20):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if not pair:
            return port
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port
    raise OSError("no free pair of ports")
