from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon
from odoo.addons.vbdt_document.tests.rpc import INJECTED_CONTEXT, JsonRpcMixin


@tagged("post_install", "-at_install", "vbdt", "access_rights")
class TestAssigneeAttacks(JsonRpcMixin, HttpCase, VbdtDocumentCommon):
    """The direction dialog offers only the agency's staff; a leader who sends
    another agency's user (or a portal user) over JSON-RPC is refused the
    same, with or without injected context keys, and nothing changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls.env["res.users"].create(
            {
                "name": "Cổng thông tin (thử)",
                "login": "portal_attack",
                "password": "portal_attack",
                "company_id": cls.province.id,
                "company_ids": [(6, 0, cls.province.ids)],
                "groups_id": [(6, 0, cls.env.ref("base.group_portal").ids)],
            }
        )
        cls.document = cls._incoming(directing_leader_id=cls.leader.id)
        cls.document.with_user(cls.clerk).action_register()
        cls.document.with_user(cls.clerk).action_present()

    def _snapshot(self):
        document = self.document.sudo()
        return (
            document.state,
            document.direction_note,
            sorted(document.assignment_ids.mapped(lambda a: (a.role, a.user_id.id))),
        )

    def _wizard(self, **values):
        return self.call_kw(
            self.leader,
            "vbdt.direction.wizard",
            "create",
            [{"document_id": self.document.id, "note": "Giao xử lý", **values}],
        )

    def test_direct_to_another_agency_or_a_portal_user(self):
        contexts = [None, INJECTED_CONTEXT]
        for values in (
            {"lead_user_id": self.other_clerk.id},
            {"lead_user_id": self.portal.id},
            {
                "lead_user_id": self.specialist.id,
                "coordinate_user_ids": [(6, 0, self.other_clerk.ids)],
            },
            {
                "lead_user_id": self.specialist.id,
                "info_user_ids": [(6, 0, self.other_clerk.ids)],
            },
        ):
            wizard = self._wizard(**values)
            self.assertRefused(
                self.leader,
                "vbdt.direction.wizard",
                "action_confirm",
                [[wizard]],
                contexts=contexts,
                error="odoo.exceptions.UserError",
                message="only the staff of",
                unchanged=self._snapshot,
            )
        self.assertEqual(self.document.sudo().state, "presented")
        self.assertFalse(self.document.sudo().assignment_ids)

    def test_inform_another_agency(self):
        wizard = self._wizard(lead_user_id=self.specialist.id)
        self.call_kw(self.leader, "vbdt.direction.wizard", "action_confirm", [[wizard]])
        self.assertEqual(self.document.sudo().state, "assigned")
        self.assertRefused(
            self.leader,
            "vbdt.document",
            "action_add_for_information",
            [[self.document.id]],
            {"users": self.other_clerk.ids, "note": "Để biết"},
            contexts=[None, INJECTED_CONTEXT],
            error="odoo.exceptions.UserError",
            message="only the staff of",
            unchanged=self._snapshot,
        )
        # the agency's own staff are still informed
        self.call_kw(
            self.leader,
            "vbdt.document",
            "action_add_for_information",
            [[self.document.id]],
            {"users": self.colleague.ids},
        )
        self.assertIn(
            ("info", self.colleague.id), self._snapshot()[2], "a colleague is informed"
        )
