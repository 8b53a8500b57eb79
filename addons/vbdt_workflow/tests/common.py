from unittest.mock import patch

from odoo.tests import new_test_user

from odoo.addons.vbdt_document.tests.common import GROUP, VbdtDocumentCommon


class VbdtWorkflowCommon(VbdtDocumentCommon):
    """Agency of vbdt_document's tests plus a deputy leader and a route:
    head of the drafting unit → leader signs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit.manager_id = cls.head
        cls.other_head = cls._user("other_head", "head", cls.other_unit)
        cls.other_unit.manager_id = cls.other_head
        cls.deputy = cls._user("deputy", "leader")
        cls.calendar = cls.province.resource_calendar_id
        cls.calendar.tz = "Asia/Ho_Chi_Minh"
        cls.Route = cls.env["vbdt.approval.route"]
        cls.route = cls.Route.create(
            {
                "name": "Decisions",
                "company_id": cls.province.id,
                "document_type_ids": [(6, 0, cls.doc_type.ids)],
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Head of unit",
                            "sequence": 1,
                            "reviewer_type": "unit_head",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Leader signs",
                            "sequence": 2,
                            "reviewer_type": "user",
                            "user_ids": [(6, 0, cls.leader.ids)],
                            "is_signer_step": True,
                        },
                    ),
                ],
            }
        )

    @classmethod
    def _extra_user(cls, login, role, unit=None):
        return new_test_user(
            cls.env,
            login=login,
            groups=GROUP + role,
            company_id=cls.province.id,
            company_ids=[cls.province.id],
            vbdt_unit_ids=unit.ids if unit else [],
        )

    def _draft(self, **vals):
        return self._outgoing(drafter_id=self.specialist.id, **vals).with_user(
            self.specialist
        )

    @staticmethod
    def _as(record, user):
        return record.with_user(user).with_env(record.env(user=user))

    def _submitted(self, **vals):
        document = self._draft(**vals)
        document.action_review_submit()
        return document

    def _registered_incoming(self):
        """A registered incoming document directed by the leader; processing
        events are recorded (``self.events``, ``self._codes()``), not emitted."""
        document = self._incoming(directing_leader_id=self.leader.id)
        document.with_user(self.clerk).action_register()
        patcher = patch.object(
            self.registry["vbdt.document"],
            "_vbdt_processing_event",
            autospec=True,
            return_value=True,
        )
        self.events = patcher.start()
        self.addCleanup(patcher.stop)
        return document

    def _codes(self):
        return [call.args[1] for call in self.events.call_args_list]

    @staticmethod
    def _activity_users(document, xmlid):
        activity_type = document.env.ref(xmlid)
        activities = document.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        return activities.user_id
