from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import VbdtDocumentCommon


class AccessCommon(VbdtDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_draft = cls._outgoing(drafter_id=cls.specialist.id)
        cls.unit_draft = cls._outgoing(drafter_id=cls.colleague.id)
        cls.other_unit_draft = cls._outgoing(
            drafter_id=cls.outsider.id, unit_id=cls.other_unit.id
        )
        # Drafted by another leader: its drafter reads it (readers named by
        # the flow), the agency's leader under test does not.
        cls.secret = cls._outgoing(
            confidentiality="secret",
            drafter_id=cls._user("secret_drafter", "leader").id,
            confidential_user_ids=[(6, 0, cls.specialist.ids)],
        )
        cls.department_doc = cls._incoming(company_id=cls.department.id)

    def _visible(self):
        return self.Document.with_env(self.env).search([]) & self._all()

    def _all(self):
        docs = (
            self.own_draft
            | self.unit_draft
            | self.other_unit_draft
            | self.secret
            | self.department_doc
        )
        return docs.with_env(self.env)


@tagged("vbdt", "access_rights")
class TestAccessRead(AccessCommon):
    @users("specialist")
    def test_specialist_reads_own_unit_and_named_secret(self):
        self.assertEqual(
            self._visible(),
            (self.own_draft | self.unit_draft | self.secret).with_env(self.env),
        )
        with self.assertRaises(AccessError):
            self.other_unit_draft.with_env(self.env).subject  # noqa: B018

    @users("head")
    def test_head_reads_unit_documents_not_secret(self):
        self.assertEqual(
            self._visible(), (self.own_draft | self.unit_draft).with_env(self.env)
        )

    @users("clerk", "leader")
    def test_clerk_and_leader_read_whole_agency_except_secret(self):
        self.assertEqual(
            self._visible(),
            (self.own_draft | self.unit_draft | self.other_unit_draft).with_env(
                self.env
            ),
        )

    @users("other_clerk")
    def test_clerk_of_other_agency_sees_only_own_agency(self):
        self.assertEqual(self._visible(), self.department_doc.with_env(self.env))
        with self.assertRaises(AccessError):
            self.own_draft.with_env(self.env).subject  # noqa: B018

    @users("leader")
    def test_secret_document_hidden_from_leader_not_named(self):
        with self.assertRaises(AccessError):
            self.secret.with_env(self.env).subject  # noqa: B018


@tagged("vbdt", "access_rights")
class TestAccessWrite(AccessCommon):
    @users("specialist")
    def test_specialist_edits_own_draft_only(self):
        self.own_draft.with_env(self.env).content = "Nội dung mới"
        with self.assertRaises(AccessError):
            self.unit_draft.with_env(self.env).content = "Không được sửa"

    @users("specialist")
    def test_specialist_creates_drafts_in_own_agency(self):
        draft = self.Document.with_env(self.env).create(
            {
                "direction": "outgoing",
                "subject": "Dự thảo công văn",
                "company_id": self.province.id,
                "unit_id": self.unit.id,
            }
        )
        self.assertEqual(draft.state, "draft")
        self.assertIn(self.env.user, draft.participant_ids)
        with self.assertRaises(AccessError):
            self.Document.with_env(self.env).create(
                {
                    "direction": "outgoing",
                    "subject": "Sai cơ quan",
                    "company_id": self.department.id,
                }
            )

    @users("head")
    def test_head_edits_unit_documents(self):
        self.unit_draft.with_env(self.env).content = "Trưởng phòng góp ý"
        with self.assertRaises(AccessError):
            self.other_unit_draft.with_env(self.env).content = "Ngoài phòng"

    @users("clerk")
    def test_clerk_issues_any_agency_document(self):
        document = self.other_unit_draft.with_env(self.env)
        document.action_issue()
        self.assertEqual(document.state, "issued")


@tagged("vbdt", "access_rights")
class TestAccessUnlink(AccessCommon):
    @users("specialist")
    def test_specialist_deletes_own_draft_only(self):
        draft = self.Document.with_env(self.env).create(
            {
                "direction": "outgoing",
                "subject": "Xóa được",
                "company_id": self.province.id,
            }
        )
        draft.unlink()
        with self.assertRaises(AccessError):
            self.unit_draft.with_env(self.env).unlink()

    @users("specialist", "head")
    def test_configuration_is_read_only_below_administrator(self):
        with self.assertRaises(AccessError):
            self.env["vbdt.register"].create(
                {"name": "Sổ riêng", "direction": "incoming"}
            )
        with self.assertRaises(AccessError):
            self.env["vbdt.audit.log"].search([])
