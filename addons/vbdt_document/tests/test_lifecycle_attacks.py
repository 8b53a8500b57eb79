"""Issue 9, items 1, 2, 5, 6 and 9, written as the attacks: a logged-in user
of the weakest role that could try calls the web client's own JSON-RPC
endpoint, with and without injected context keys, and the test asserts the
refusal and that nothing changed (re-read as superuser)."""

import base64
import hashlib

import psycopg2

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.vbdt_document.models.lifecycle import unlocked

from .common import GROUP, PDF, VbdtDocumentCommon
from .rpc import JsonRpcCase

REFUSED = (
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.ValidationError",
)
# Context keys an attacker would try: the old bypasses and Odoo's own.
INJECTED = [
    {},
    {"vbdt_unlock": True, "vbdt_review_transition": True},
    {
        "vbdt_unlock": 1,
        "force_company": 1,
        "install_mode": True,
        "module": "vbdt_document",
        "tracking_disable": True,
        "active_test": False,
    },
]


class RpcAttackCase(JsonRpcCase, VbdtDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="docadmin",
            groups=GROUP + "manager",
            company_id=cls.province.id,
            company_ids=[cls.province.id],
        )

    def rpc_context(self):
        return {"allowed_company_ids": [self.province.id]}

    def assertRefused(self, login, model, method, args, kwargs=None, **expected):
        """Every variant of the call (with each set of injected context keys)
        is refused with an Odoo error, never a database error."""
        return super().assertRefused(
            login,
            model,
            method,
            args,
            kwargs,
            contexts=INJECTED,
            **{"error": REFUSED, **expected},
        )

    def _issued(self, **vals):
        document = self._outgoing(drafter_id=self.specialist.id, **vals)
        document._vbdt_add_file("quyet-dinh.pdf", PDF, "main")
        issuable = document._vbdt_issuable_states()
        if "draft" not in issuable:
            # vbdt_workflow installed: its approval route is not what this is about.
            document._vbdt_write_lifecycle({"state": sorted(issuable)[0]})
        document.with_user(self.clerk).action_issue()
        return document

    def _snapshot(self, document):
        document = document.sudo()
        document.invalidate_recordset()
        return {
            name: document[name]
            for name in (
                "state",
                "number",
                "code",
                "subject",
                "document_date",
                "register_year",
                "register_id",
                "signer_name",
                "arrival_number",
                "confidentiality",
            )
        }


@tagged("vbdt", "vbdt_attack")
class TestLifecycleAttacks(RpcAttackCase):
    def test_issued_document_cannot_be_reset_renumbered_or_rewritten(self):
        issued = self._issued()
        before = self._snapshot(issued)
        for login in ("clerk", "specialist", "docadmin"):
            for vals in (
                {"state": "draft"},
                {"number": 777},
                {"code": "777/QĐ-UBND"},
                {"subject": "Sửa trích yếu"},
                {"document_date": "2020-01-01"},
                {"register_year": 2099},
                {"signer_name": "Người khác"},
                {"state": "draft", "number": 777, "subject": "x"},
            ):
                self.assertRefused(login, "vbdt.document", "write", [[issued.id], vals])
            self.assertRefused(
                login, "vbdt.document", "action_reset_draft", [[issued.id]]
            )
            self.assertRefused(login, "vbdt.document", "action_cancel", [[issued.id]])
            self.assertRefused(login, "vbdt.document", "unlink", [[issued.id]])
        self.assertEqual(self._snapshot(issued), before)

    def test_specialist_cannot_issue_own_draft(self):
        draft = self._outgoing(drafter_id=self.specialist.id)
        before = self._snapshot(draft)
        for vals in (
            {"state": "issued"},
            {"state": "registered"},
            {"state": "cancelled"},
        ):
            self.assertRefused(
                "specialist", "vbdt.document", "write", [[draft.id], vals]
            )
        self.assertRefused("specialist", "vbdt.document", "action_issue", [[draft.id]])
        self.assertRefused(
            "specialist",
            "vbdt.document",
            "create",
            [
                {
                    "direction": "outgoing",
                    "subject": "Tự ban hành",
                    "state": "issued",
                    "company_id": self.province.id,
                    "document_type_id": self.doc_type.id,
                }
            ],
        )
        self.assertEqual(self._snapshot(draft), before)
        self.assertFalse(self.Document.sudo().search([("subject", "=", "Tự ban hành")]))
        # Their own draft stays theirs to edit before submission.
        self.call_kw(
            "specialist",
            "vbdt.document",
            "write",
            [[draft.id], {"subject": "Trích yếu mới"}],
        )
        self.assertEqual(draft.sudo().subject, "Trích yếu mới")

    def test_numbers_come_only_from_the_register(self):
        draft = self._outgoing(drafter_id=self.specialist.id)
        year = draft.register_date.year
        for vals in (
            {"number": 2},
            {"register_year": year},
            {"number": 2, "register_year": year},
            {"arrival_number": 1},
            {"notation": "QĐ-UBND"},
        ):
            self.assertRefused(
                "specialist", "vbdt.document", "write", [[draft.id], vals]
            )
        self.assertRefused(
            "specialist",
            "vbdt.document",
            "create",
            [
                {
                    "direction": "outgoing",
                    "subject": "Chặn số",
                    "number": 1,
                    "register_year": year,
                    "company_id": self.province.id,
                    "document_type_id": self.doc_type.id,
                }
            ],
        )
        incoming = self._incoming()
        self.assertRefused(
            "clerk",
            "vbdt.document",
            "write",
            [[incoming.id], {"arrival_number": 1, "register_year": year}],
        )
        draft.invalidate_recordset()
        self.assertFalse(draft.sudo().number or draft.sudo().register_year)
        # The register numbers without a hole or a clash.
        first, second = self._issued(), self._issued()
        self.assertEqual((first.number, second.number), (1, 2))
        incoming.with_user(self.clerk).action_register()
        self.assertEqual(incoming.arrival_number, 1)

    def test_withdrawn_document_is_never_reused(self):
        issued = self._issued()
        issued._vbdt_withdraw("Thu hồi")
        before = self._snapshot(issued)
        for login in ("clerk", "docadmin"):
            self.assertRefused(
                login, "vbdt.document", "action_reset_draft", [[issued.id]]
            )
            self.assertRefused(login, "vbdt.document", "unlink", [[issued.id]])
        self.assertEqual(self._snapshot(issued), before)

    def test_registered_document_keeps_its_classification(self):
        incoming = self._incoming()
        incoming.with_user(self.clerk).action_register()
        before = self._snapshot(incoming)
        for vals in (
            {"confidentiality": "secret"},
            {"code": "1/X-Y"},
            {"state": "received"},
            {"direction": "outgoing"},
        ):
            self.assertRefused("clerk", "vbdt.document", "write", [[incoming.id], vals])
        self.assertEqual(self._snapshot(incoming), before)

    def test_correction_is_a_new_linked_document_with_a_reason(self):
        issued = self._issued()
        before = self._snapshot(issued)
        self.assertRefused(
            "clerk", "vbdt.document", "action_correct", [[issued.id], " "]
        )
        self.assertRefused(
            "outsider", "vbdt.document", "action_correct", [[issued.id], "Sai ngày"]
        )
        action = self.call_kw(
            "clerk", "vbdt.document", "action_correct", [[issued.id], "Sai ngày ký"]
        )
        correction = self.Document.sudo().browse(action["res_id"])
        self.assertEqual(correction.corrected_document_id, issued)
        self.assertEqual((correction.state, correction.number), ("draft", 0))
        self.assertEqual(self._snapshot(issued), before)
        log = self.env["vbdt.audit.log"].search(
            [("document_id", "=", issued.id), ("event", "=", "correct")]
        )
        self.assertIn("Sai ngày ký", log.description)
        self.assertRefused(
            "clerk",
            "vbdt.document",
            "write",
            [[correction.id], {"corrected_document_id": False}],
        )


@tagged("vbdt", "vbdt_attack")
class TestFileEvidenceAttacks(RpcAttackCase):
    def _file_state(self, file):
        file = file.sudo()
        file.invalidate_recordset()
        file.attachment_id.invalidate_recordset()
        return (
            file.checksum_sha256,
            file.name,
            file.attachment_id.id,
            hashlib.sha256(file.attachment_id.raw).hexdigest(),
        )

    def test_files_of_an_issued_document_cannot_be_replaced_or_deleted(self):
        issued = self._issued()
        file = issued.sudo().file_ids
        attachment = file.attachment_id
        before = self._file_state(file)
        forged = base64.b64encode(PDF.replace(b"595", b"600")).decode()
        for login in ("specialist", "clerk", "docadmin"):
            self.assertRefused(
                login, "vbdt.document.file", "write", [[file.id], {"datas": forged}]
            )
            self.assertRefused(
                login, "vbdt.document.file", "write", [[file.id], {"name": "khac.pdf"}]
            )
            self.assertRefused(login, "vbdt.document.file", "unlink", [[file.id]])
            self.assertRefused(
                login, "ir.attachment", "write", [[attachment.id], {"datas": forged}]
            )
            self.assertRefused(
                login, "ir.attachment", "write", [[attachment.id], {"raw": "forged"}]
            )
            self.assertRefused(
                login,
                "ir.attachment",
                "write",
                [[attachment.id], {"res_id": self.own_draft_id()}],
            )
            self.assertRefused(login, "ir.attachment", "unlink", [[attachment.id]])
            self.assertRefused(
                login,
                "vbdt.document",
                "write",
                [[issued.id], {"file_ids": [(2, file.id)]}],
            )
        self.assertEqual(self._file_state(file), before)
        # A new file is a new version next to the old one, with who and when.
        added = self.call_kw(
            "clerk",
            "vbdt.document.file",
            "create",
            [
                {
                    "document_id": issued.id,
                    "name": "phu-luc.pdf",
                    "role": "attachment",
                    "datas": base64.b64encode(PDF).decode(),
                }
            ],
        )
        new_file = self.env["vbdt.document.file"].browse(added)
        self.assertEqual(new_file.create_uid, self.clerk)
        self.assertEqual(len(issued.sudo().file_ids), 2)
        log = self.env["vbdt.audit.log"].search(
            [("document_id", "=", issued.id), ("event", "=", "file_add")]
        )
        self.assertEqual(log.user_id, self.clerk)

    def own_draft_id(self):
        return self._outgoing(drafter_id=self.specialist.id).id

    def test_draft_files_stay_editable(self):
        draft = self._outgoing(drafter_id=self.specialist.id)
        file = draft._vbdt_add_file("du-thao.pdf", PDF, "main")
        self.call_kw("specialist", "vbdt.document.file", "unlink", [[file.id]])
        self.assertFalse(file.exists())

    def test_unit_colleague_cannot_touch_the_files_of_a_draft(self):
        """A specialist of the unit reads a colleague's draft but edits only
        the documents they work on: its files neither."""
        draft = self._outgoing(drafter_id=self.specialist.id)
        file = draft._vbdt_add_file("du-thao.pdf", PDF, "main")
        before = self._file_state(file)
        self.assertEqual(
            self.call_kw(
                "colleague", "vbdt.document.file", "read", [[file.id], ["name"]]
            )[0]["name"],
            "du-thao.pdf",
        )
        forged = base64.b64encode(PDF.replace(b"595", b"600")).decode()
        self.assertRefused(
            "colleague", "vbdt.document.file", "write", [[file.id], {"datas": forged}]
        )
        self.assertRefused(
            "colleague",
            "vbdt.document.file",
            "write",
            [[file.id], {"name": "khac.pdf"}],
        )
        self.assertRefused("colleague", "vbdt.document.file", "unlink", [[file.id]])
        self.assertRefused(
            "colleague",
            "vbdt.document.file",
            "create",
            [
                {
                    "document_id": draft.id,
                    "name": "them.pdf",
                    "role": "attachment",
                    "datas": base64.b64encode(PDF).decode(),
                }
            ],
        )
        self.assertEqual(self._file_state(file), before)
        self.assertEqual(draft.sudo().file_ids, file)
        # The head of the unit still edits the unit's drafts.
        self.call_kw(
            "head", "vbdt.document.file", "write", [[file.id], {"description": "Bản 2"}]
        )
        self.assertEqual(file.sudo().description, "Bản 2")

    def test_altered_bytes_are_never_served_and_reported(self):
        issued = self._issued()
        file = issued.file_ids
        self.assertEqual(file._get_raw(), PDF)
        # Bytes changed behind the application's back (storage, backup restore).
        with unlocked(file.attachment_id):
            file.attachment_id.sudo().write({"raw": PDF + b"%tampered\n"})
        with self.assertRaisesRegex(Exception, "fingerprint"):
            file._get_raw()
        bad = self.env["vbdt.document.file"]._cron_fixity_check(batch_size=10_000)
        self.assertIn(file, bad)
        activities = issued.sudo().activity_ids.filtered(
            lambda a: a.user_id == self.manager
        )
        self.assertEqual(len(activities), 1)
        self.assertNotIn(issued.subject, activities.note or "")
        self.assertTrue(
            self.env["vbdt.audit.log"].search(
                [("document_id", "=", issued.id), ("event", "=", "fixity")]
            )
        )


@tagged("vbdt", "vbdt_attack")
class TestDirectoryAttacks(RpcAttackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(
            cls.env,
            login="sysadmin",
            groups="base.group_system," + GROUP + "manager",
            company_id=cls.province.id,
            company_ids=[cls.province.id],
        )

    def _agency_state(self, agency):
        agency = agency.sudo()
        agency.invalidate_recordset()
        return (agency.name, agency.code, agency.internal_company_id, agency.active)

    def test_clerk_cannot_change_the_directory_or_routing(self):
        ministry = self.sender
        before = self._agency_state(ministry)
        for vals in (
            {"internal_company_id": self.province.id},
            {"name": "Bộ giả"},
            {"code": "000.00.00.G11"},
            {"active": False},
        ):
            self.assertRefused("clerk", "vbdt.agency", "write", [[ministry.id], vals])
        self.assertRefused("clerk", "vbdt.agency", "create", [{"name": "Cơ quan giả"}])
        self.assertRefused("clerk", "vbdt.agency", "unlink", [[ministry.id]])
        self.assertEqual(self._agency_state(ministry), before)
        self.assertFalse(self.env["vbdt.agency"].search([("name", "=", "Cơ quan giả")]))

    def test_clerk_proposes_administrator_approves_and_every_change_is_audited(self):
        proposal_id = self.call_kw(
            "clerk",
            "vbdt.agency.proposal",
            "create",
            [
                {
                    "name": "Sở Mới (thử)",
                    "code": "000.00.31.H99",
                    "note": "Gửi văn bản đến",
                }
            ],
        )
        self.assertRefused(
            "clerk", "vbdt.agency.proposal", "action_approve", [[proposal_id]]
        )
        self.assertRefused(
            "clerk",
            "vbdt.agency.proposal",
            "action_refuse",
            [[proposal_id], "Không cần"],
        )
        self.assertRefused(
            "clerk",
            "vbdt.agency.proposal",
            "write",
            [[proposal_id], {"state": "approved"}],
        )
        proposal = self.env["vbdt.agency.proposal"].browse(proposal_id)
        self.assertEqual(proposal.state, "proposed")
        self.call_kw(
            "docadmin", "vbdt.agency.proposal", "action_approve", [[proposal_id]]
        )
        proposal.invalidate_recordset()
        self.assertEqual(proposal.state, "approved")
        agency = proposal.agency_id
        self.assertEqual(agency.code, "000.00.31.H99")
        # routing belongs to the platform operator, not to an agency's administrators
        self.assertRefused(
            "docadmin",
            "vbdt.agency",
            "write",
            [[agency.id], {"internal_company_id": self.department.id}],
        )
        self.assertFalse(agency.sudo().internal_company_id)
        self.call_kw(
            "sysadmin",
            "vbdt.agency",
            "write",
            [[agency.id], {"internal_company_id": self.department.id}],
        )
        history = agency.sudo().audit_log_ids
        self.assertEqual(len(history), 2)
        self.assertIn(
            f"internal_company_id={self.department.id}", history[0].description
        )
        self.assertEqual(history.mapped("user_id"), self.manager | self.operator)
        self.assertRefused("docadmin", "vbdt.agency", "unlink", [[agency.id]])


@tagged("vbdt", "vbdt_attack")
class TestAuditLogAttacks(RpcAttackCase):
    def test_log_is_append_only_in_postgresql(self):
        issued = self._issued()
        Log = self.env["vbdt.audit.log"]
        Log._vbdt_seal_in_transaction()
        entries = Log.search([("document_id", "=", issued.id)])
        self.assertTrue(entries and all(entries.mapped("hash")))
        rows = self._rows(entries)
        cr = self.env.cr
        for statement in (
            "UPDATE vbdt_audit_log SET description = 'forged' WHERE id = %s",
            "UPDATE vbdt_audit_log SET hash = NULL WHERE id = %s",
            "DELETE FROM vbdt_audit_log WHERE id = %s",
        ):
            with (
                self.subTest(statement=statement),
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.InsufficientPrivilege),
                cr.savepoint(),
            ):
                cr.execute(statement, [entries[0].id])
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.InsufficientPrivilege),
            cr.savepoint(),
        ):
            cr.execute("TRUNCATE vbdt_audit_log CASCADE")
        self.assertEqual(self._rows(entries), rows)
        for login in ("clerk", "docadmin"):
            self.assertRefused(
                login,
                "vbdt.audit.log",
                "write",
                [entries.ids, {"description": "forged"}],
            )
            self.assertRefused(login, "vbdt.audit.log", "unlink", [entries.ids])
            self.assertRefused(
                login,
                "vbdt.audit.log",
                "create",
                [
                    {
                        "event": "number",
                        "description": "forged",
                        "date": "2026-01-01 00:00:00",
                    }
                ],
            )
        self.assertEqual(self._rows(entries), rows)
        self.assertFalse(Log._verify_chain())

    def _rows(self, entries):
        self.env.cr.execute(
            "SELECT id, description, hash, previous_hash FROM vbdt_audit_log "
            "WHERE id = ANY(%s) ORDER BY id",
            [entries.ids],
        )
        return self.env.cr.fetchall()

    def test_chains_are_per_agency(self):
        ours = self._issued()
        theirs = self._incoming(company_id=self.department.id)
        theirs.with_user(self.other_clerk).action_register()
        Log = self.env["vbdt.audit.log"]
        Log._vbdt_seal_in_transaction()
        for company in (self.province, self.department):
            chain = Log.search([("company_id", "=", company.id)], order="chain_seq")
            self.assertEqual(
                chain.mapped("chain_seq"),
                list(range(chain[0].chain_seq, chain[0].chain_seq + len(chain))),
            )
            self.assertEqual(
                chain[1:].mapped("previous_hash"), chain[:-1].mapped("hash")
            )
        self.assertTrue(Log.search([("document_id", "=", ours.id)]))
        self.assertFalse(Log._verify_chain())


@tagged("vbdt", "vbdt_attack")
class TestNumberClash(RpcAttackCase):
    def test_clash_from_outside_data_is_a_clear_message(self):
        first = self._issued()
        squatter = self._outgoing(drafter_id=self.specialist.id)
        # Written behind the application's back (restored backup, manual SQL).
        self.env.cr.execute(
            "UPDATE vbdt_document SET number = %s, register_year = %s, register_id = "
            "%s "
            "WHERE id = %s",
            [first.number + 1, first.register_year, first.register_id.id, squatter.id],
        )
        victim = self._outgoing(drafter_id=self.specialist.id)
        victim._vbdt_add_file("quyet-dinh.pdf", PDF, "main")
        with mute_logger("odoo.sql_db"):
            self.assertRefused("clerk", "vbdt.document", "action_issue", [[victim.id]])
        victim.invalidate_recordset()
        self.assertEqual((victim.sudo().state, victim.sudo().number), ("draft", 0))
