"""Proposals from the file plan: a registered, handled or issued document is
proposed the open case files of its agency whose planned file collects its
type (the unit's first, then the user's own), searched as the user; the
handler is asked once, when the document is completed or issued, to file it."""

import logging

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.common import PDF
from odoo.addons.vbdt_document.tests.rpc import INJECTED_CONTEXT, JsonRpcCase

from .common import VbdtRecordsCommon

_logger = logging.getLogger(__name__)


class PlanProposalFixtures:
    """The province's 2026 plan (four planned files collecting letters or
    decisions, one open file each), the department's plan and a registered
    letter of the province's Office; mixed into a ``VbdtRecordsCommon`` case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["vbdt.records.file.line"]
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        plan, heading = cls._plan(cls.province)
        # Four planned files of the province's 2026 plan, one open file each.
        cls.file_unit = cls._plan_file(
            plan,
            heading,
            "Công văn của Văn phòng",
            cls.letter_type,
            cls.unit,
            cls.colleague,
        )
        cls.file_mine = cls._plan_file(
            plan,
            heading,
            "Công văn chuyên viên theo dõi",
            cls.letter_type,
            cls.other_unit,
            cls.specialist,
        )
        cls.file_hidden = cls._plan_file(
            plan,
            heading,
            "Công văn của Phòng Kinh tế",
            cls.letter_type,
            cls.other_unit,
            cls.outsider,
        )
        cls.file_decisions = cls._plan_file(
            plan,
            heading,
            "Quyết định của Văn phòng",
            cls.doc_type,
            cls.unit,
            cls.specialist,
        )
        # The department's own plan collects letters too: never proposed here.
        other_plan, other_heading = cls._plan(cls.department)
        cls.file_department = cls._plan_file(
            other_plan,
            other_heading,
            "Công văn của Sở",
            cls.letter_type,
            None,
            cls.other_clerk,
        )
        cls.letter = cls._registered(
            code="70/VPCP-TTĐT", document_type_id=cls.letter_type.id
        )

    @classmethod
    def _plan(cls, company):
        plan = cls.env["vbdt.records.plan"].create(
            {"year": 2026, "company_id": company.id}
        )
        heading = cls.env["vbdt.records.plan.heading"].create(
            {
                "plan_id": plan.id,
                "sequence": 1,
                "abbreviation": "CV",
                "name": "Công văn",
            }
        )
        return plan, heading

    @classmethod
    def _plan_file(cls, plan, heading, title, doc_type, unit, responsible):
        item = cls.env["vbdt.records.plan.item"].create(
            {
                "plan_id": plan.id,
                "heading_id": heading.id,
                "title": title,
                "retention_id": cls.ten_years.id,
                "responsible_id": responsible.id,
                "unit_id": unit.id if unit else False,
                "document_type_ids": [(6, 0, doc_type.ids)],
            }
        )
        return cls.File.create(
            {**item._prepare_file_vals(), "responsible_id": responsible.id}
        )


@tagged("vbdt", "post_install", "-at_install")
class TestPlanProposal(PlanProposalFixtures, VbdtRecordsCommon):
    def _proposals(self, document, user):
        as_user = document.with_user(user)
        return as_user._records_proposals(self.Line.with_user(user))

    # ------------------------------------------------------------ proposals
    def test_type_match_unit_first_then_own_files(self):
        self.assertEqual(
            self._proposals(self.letter, self.specialist),
            self.file_unit | self.file_mine,
            "the unit's file first, then the file the user is responsible for; "
            "neither the decisions' file nor a file the user cannot read",
        )
        self.assertEqual(
            self.letter.with_user(self.specialist).records_proposed_file_id,
            self.file_unit,
        )
        decision = self._registered(
            code="71/QĐ-UBND", document_type_id=self.doc_type.id
        )
        self.assertEqual(
            self._proposals(decision, self.specialist), self.file_decisions
        )
        untyped = self._registered(code="72/VPCP-TTĐT", document_type_id=False)
        self.assertFalse(self._proposals(untyped, self.specialist))

    def test_a_clerk_sees_every_agency_file_never_another_agency(self):
        proposals = self._proposals(self.letter, self.clerk)
        self.assertEqual(proposals[:1], self.file_unit, "the document's unit first")
        self.assertEqual(
            set(proposals.ids),
            {self.file_unit.id, self.file_mine.id, self.file_hidden.id},
        )
        self.assertNotIn(self.file_department, proposals)
        # Forced by the department's clerk (who cannot even read the letter),
        # the search still names none of the province's files.
        self.assertFalse(self._proposals(self.letter, self.other_clerk))

    def test_a_file_the_user_cannot_read_is_never_proposed(self):
        self.assertNotIn(
            self.file_hidden, self._proposals(self.letter, self.specialist)
        )
        # The outsider reads their own unit's file, and is proposed it for a
        # letter of their unit.
        theirs = self._registered(
            code="74/VPCP-TTĐT",
            document_type_id=self.letter_type.id,
            unit_id=self.other_unit.id,
        )
        outsider_sees = self._proposals(theirs, self.outsider)
        self.assertEqual(outsider_sees[:1], self.file_hidden)
        self.assertNotIn(self.file_unit, outsider_sees)

    def test_closed_files_and_files_holding_it_are_not_proposed(self):
        self.Line.create({"file_id": self.file_unit.id, "document_id": self.letter.id})
        self.assertEqual(self._proposals(self.letter, self.specialist), self.file_mine)
        self.file_mine.sudo()._vbdt_write_lifecycle({"state": "closed"})
        self.assertFalse(self._proposals(self.letter, self.specialist))

    def test_nothing_is_proposed_before_registration(self):
        waiting = self._incoming(
            code="75/VPCP-TTĐT",
            unit_id=self.unit.id,
            document_type_id=self.letter_type.id,
        )
        self.assertFalse(waiting.with_user(self.specialist).records_proposed_file_id)

    def test_related_documents_file_comes_before_the_plan(self):
        related_file = self._file([self.letter], code="99.TH")
        reply = self._registered(
            code="76/VPCP-TTĐT",
            document_type_id=self.letter_type.id,
            response_for_ids=[(6, 0, self.letter.ids)],
        )
        proposals = self._proposals(reply, self.specialist)
        self.assertEqual(proposals[:1], related_file)
        self.assertEqual(proposals[1:], self.file_unit | self.file_mine)
        reply.with_user(self.specialist).action_records_file_proposed()
        self.assertEqual(related_file.line_ids.document_id, self.letter | reply)

    def _proposal_queries(self, user):
        document = self.letter.with_user(user)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        proposal = document.records_proposed_file_id
        return self.cr.sql_log_count - before, proposal

    def test_the_proposal_costs_the_same_queries_for_many_files(self):
        # Once to warm the caches (rule domains, translations).
        self._proposal_queries(self.specialist)
        few, proposal = self._proposal_queries(self.specialist)
        self.assertEqual(proposal, self.file_unit)
        item = self.file_unit.plan_item_id
        self.File.create(
            [
                {
                    **item._prepare_file_vals(),
                    "code": f"{item.code}.{number:02d}",
                    "responsible_id": self.colleague.id,
                }
                for number in range(1, 41)
            ]
        )
        many, proposal = self._proposal_queries(self.specialist)
        self.assertEqual(proposal, self.file_unit, "the oldest of equals first")
        _logger.info("proposal queries: %s with 4 files, %s with 44 files", few, many)
        self.assertEqual(many, few)

    # ------------------------------------------------------------ the notice
    def _notices(self, document):
        return document.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.todo
            and activity.summary
            and activity.summary.startswith("File this document in")
        )

    def _complete(self, document, user):
        """The handler completes the incoming document (vbdt_workflow's
        action_complete writes the state this way)."""
        self.assertIn(
            "done", dict(self.Document._fields["state"].selection), "workflow state"
        )
        document.with_user(user).sudo()._vbdt_write_lifecycle({"state": "done"})

    def test_completion_asks_the_handler_once(self):
        self._complete(self.letter, self.specialist)
        notice = self._notices(self.letter)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.user_id, self.specialist)
        self.assertEqual(
            notice.summary, f"File this document in case file {self.file_unit.code}"
        )
        self.assertNotIn(self.file_unit.title, notice.summary)
        self.assertTrue(self.letter.records_filing_noticed)
        # Back to handling and completed again: no second notice.
        self.letter.sudo()._vbdt_write_lifecycle({"state": "registered"})
        self._complete(self.letter, self.specialist)
        self.assertEqual(len(self._notices(self.letter)), 1)

    def test_the_notice_is_in_the_handlers_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["vbdt_records"], ["vi_VN"])
        self.specialist.lang = "vi_VN"
        self._complete(self.letter, self.specialist)
        notice = self.letter.activity_ids.filtered(
            lambda activity: activity.user_id == self.specialist
        )
        self.assertEqual(
            notice.summary,
            f"Đưa văn bản vào hồ sơ số {self.file_unit.code}",
        )

    def test_no_notice_for_a_filed_document_or_without_proposal(self):
        self.Line.create({"file_id": self.file_mine.id, "document_id": self.letter.id})
        self._complete(self.letter, self.specialist)
        self.assertFalse(self._notices(self.letter), "already filed")
        untyped = self._registered(code="77/VPCP-TTĐT", document_type_id=False)
        self._complete(untyped, self.specialist)
        self.assertFalse(self._notices(untyped), "nothing to propose")

    def test_secret_document_non_reader_gets_no_notice(self):
        secret = self._registered(
            code="78/VPCP-TTĐT",
            document_type_id=self.letter_type.id,
            confidentiality="secret",
            confidential_user_ids=[(6, 0, self.head.ids)],
        )
        self._complete(secret, self.specialist)
        self.assertFalse(self._notices(secret))
        self.assertFalse(secret.records_filing_noticed)

    def _issue(self, **vals):
        document = self._outgoing(
            subject="Công văn về kế hoạch chuyển đổi số",
            document_type_id=self.letter_type.id,
            signer_name="Nguyễn Văn A",
            signer_position="Chủ tịch",
            **vals,
        )
        document._vbdt_add_file("cong-van.pdf", PDF, "main")
        self._issue_as(document, self.clerk)
        self.assertEqual(document.state, "issued")
        return document

    def test_issuance_asks_the_drafter(self):
        document = self._issue(drafter_id=self.specialist.id)
        notice = self._notices(document)
        self.assertEqual(notice.user_id, self.specialist)
        self.assertEqual(
            notice.summary, f"File this document in case file {self.file_unit.code}"
        )
        self.assertTrue(document.records_filing_noticed)

    def test_issuance_of_a_secret_document_asks_its_drafter_a_reader(self):
        # The drafter of a secret document is among its readers (participant):
        # asked with the file they may read; the colleague, not a reader, is
        # neither asked nor shown the document.
        document = self._issue(
            drafter_id=self.colleague.id,
            confidentiality="secret",
            confidential_user_ids=[(6, 0, self.clerk.ids)],
        )
        notice = self._notices(document)
        self.assertEqual(notice.user_id, self.colleague)
        self.assertEqual(
            notice.summary, f"File this document in case file {self.file_unit.code}"
        )
        self.assertFalse(document.with_user(self.specialist)._filtered_access("read"))

    def test_the_notice_flag_is_a_server_field(self):
        with self.assertRaises(UserError):
            self.letter.with_user(self.clerk).write({"records_filing_noticed": True})
        self.assertFalse(self.letter.records_filing_noticed)


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestPlanProposalRpc(PlanProposalFixtures, VbdtRecordsCommon, JsonRpcCase):
    """The proposal read and confirmed over the real JSON-RPC: each user is
    proposed only files they read, and nobody files a document they cannot
    read."""

    def _letter_lines(self):
        return (
            self.Line.sudo()
            .search([("document_id", "=", self.letter.id)])
            .mapped(lambda line: (line.id, line.file_id.id))
        )

    def _proposed(self, user, document, context=None):
        rows = self.call_kw(
            user,
            "vbdt.document",
            "read",
            [document.ids, ["records_proposed_file_id"]],
            context=context,
        )
        return rows[0]["records_proposed_file_id"]

    def test_each_user_is_proposed_only_files_they_read(self):
        self.assertEqual(
            self._proposed(self.specialist, self.letter)[0], self.file_unit.id
        )
        self.assertEqual(
            self._proposed(self.clerk, self.letter, INJECTED_CONTEXT)[0],
            self.file_unit.id,
        )
        theirs = self._registered(
            code="79/VPCP-TTĐT",
            document_type_id=self.letter_type.id,
            unit_id=self.other_unit.id,
        )
        for context in (None, INJECTED_CONTEXT):
            self.assertEqual(
                self._proposed(self.outsider, theirs, context)[0],
                self.file_hidden.id,
            )

    def test_non_readers_neither_read_nor_confirm_the_proposal(self):
        for user in (self.outsider, self.other_clerk):
            self.assertRefused(
                user,
                "vbdt.document",
                "read",
                [self.letter.ids, ["records_proposed_file_id"]],
                contexts=[None, INJECTED_CONTEXT],
            )
            self.assertRefused(
                user,
                "vbdt.document",
                "action_records_file_proposed",
                [self.letter.ids],
                contexts=[None, INJECTED_CONTEXT],
                unchanged=self._letter_lines,
            )
        self.assertFalse(self._letter_lines())
        # The reader confirms it: the letter goes into the unit's file.
        self.call_kw(
            self.specialist,
            "vbdt.document",
            "action_records_file_proposed",
            [self.letter.ids],
        )
        self.assertEqual(
            [file_id for _line, file_id in self._letter_lines()], [self.file_unit.id]
        )
