"""A working day: home queues per role, read/unread, registration in one
screen, the drafter's unit and the sentences that explain a missing route."""

import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.vbdt_document.tests.common import GROUP, PDF
from odoo.addons.vbdt_document.tests.rpc import INJECTED_CONTEXT, JsonRpcMixin

from .common import VbdtWorkflowCommon

# the grouped read of a queue and the queries its domain needs (the reviewer
# of a draft), plus searching and reading the queues once
QUERIES_PER_QUEUE = 3


def _counts(env, user):
    queues = env["vbdt.work.queue"].with_user(user).search([("is_mine", "=", True)])
    return {queue.key: queue.document_count for queue in queues}


@tagged("post_install", "-at_install", "vbdt")
class TestWorkQueues(VbdtWorkflowCommon):
    def test_each_role_sees_its_own_queues(self):
        self.assertEqual(
            set(_counts(self.env, self.clerk)),
            {"incoming_waiting", "outgoing_to_issue", "assigned_mine"},
        )
        self.assertEqual(
            set(_counts(self.env, self.specialist)), {"my_drafts", "assigned_mine"}
        )
        self.assertEqual(
            set(_counts(self.env, self.head)),
            {"my_drafts", "assigned_mine", "review_mine", "to_distribute"},
        )
        self.assertEqual(
            set(_counts(self.env, self.leader)),
            {"review_mine", "presented_mine", "to_sign_mine", "agency_overdue"},
        )

    def test_counts_follow_the_documents(self):
        waiting = self._incoming(urgency="urgent")
        self._incoming(code="8/ABC-XYZ")
        clerk_queues = self.env["vbdt.work.queue"].with_user(self.clerk)
        queue = clerk_queues.search([("key", "=", "incoming_waiting")])
        self.assertEqual((queue.document_count, queue.urgent_count), (2, 1))
        # The specialist's draft, submitted: the head's approval queue.
        draft = self._submitted()
        self.assertEqual(_counts(self.env, self.specialist)["my_drafts"], 1)
        self.assertEqual(_counts(self.env, self.head)["review_mine"], 1)
        self.assertEqual(_counts(self.env, self.leader)["to_sign_mine"], 0)
        self._as(draft, self.head).action_review_approve()
        self.assertEqual(_counts(self.env, self.leader)["to_sign_mine"], 1)
        # Presented to the leader, then directed to the unit (its head distributes).
        waiting.directing_leader_id = self.leader
        waiting.with_user(self.clerk).action_register_and_present()
        self.assertEqual(_counts(self.env, self.leader)["presented_mine"], 1)
        self._as(waiting, self.leader)._vbdt_direct(
            "Giao Văn phòng", "2026-01-05", [{"role": "lead", "unit_id": self.unit.id}]
        )
        self.assertEqual(_counts(self.env, self.leader)["presented_mine"], 0)
        self.assertEqual(_counts(self.env, self.head)["to_distribute"], 1)
        self.assertEqual(_counts(self.env, self.leader)["agency_overdue"], 1)
        overdue = (
            self.env["vbdt.work.queue"]
            .with_user(self.leader)
            .search([("key", "=", "agency_overdue")])
        )
        self.assertEqual((overdue.urgent_count, overdue.overdue_count), (1, 1))
        part = waiting.assignment_ids
        self._as(part, self.head).action_assign_inside(self.specialist)
        self.assertEqual(_counts(self.env, self.head)["to_distribute"], 0)
        self.assertEqual(_counts(self.env, self.specialist)["assigned_mine"], 1)

    def test_queue_opens_its_documents_urgent_first(self):
        self._incoming(code="1/A-B", due_date="2026-12-20")
        self._incoming(code="2/A-B", urgency="flash", due_date="2026-12-30")
        self._incoming(code="3/A-B", due_date="2026-12-10")
        queue = (
            self.env["vbdt.work.queue"]
            .with_user(self.clerk)
            .search([("key", "=", "incoming_waiting")])
        )
        action = queue.action_open()
        list_view = self.env["ir.ui.view"].browse(action["views"][0][0])
        order = list_view._get_combined_arch().get("default_order")
        documents = self.Document.with_user(self.clerk).search(
            action["domain"], order=order
        )
        self.assertEqual(documents.mapped("code"), ["2/A-B", "3/A-B", "1/A-B"])

    def test_menu_counter_gives_each_queue_its_count(self):
        self._incoming(urgency="urgent")
        self._incoming(code="8/ABC-XYZ", due_date="2026-01-05")
        Queue = self.env["vbdt.work.queue"]
        for user in (self.clerk, self.specialist, self.head, self.leader):
            with self.subTest(user=user.login):
                menu = Queue.with_user(user).vbdt_menu_counts()
                self.assertEqual(
                    {row["key"]: row["count"] for row in menu}, _counts(self.env, user)
                )
        clerk_menu = {
            row["key"]: row for row in Queue.with_user(self.clerk).vbdt_menu_counts()
        }
        waiting = clerk_menu["incoming_waiting"]
        self.assertEqual(
            (waiting["count"], waiting["urgent"], waiting["overdue"]), (2, 1, 1)
        )
        self.assertEqual(waiting["name"], "Incoming, Waiting for Registration")
        outsider = new_test_user(self.env, login="no_office", groups="base.group_user")
        self.assertEqual(Queue.with_user(outsider).vbdt_menu_counts(), [])

    def _menu_queries(self, user):
        Queue = self.env["vbdt.work.queue"].with_user(user)
        Queue.vbdt_menu_counts()  # rules and groups cached, as after the first call
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        menu = Queue.vbdt_menu_counts()
        return self.env.cr.sql_log_count - before, menu

    def test_menu_counter_cost_does_not_grow_with_the_documents(self):
        self._incoming()
        queries, menu = self._menu_queries(self.leader)
        for number in range(10):
            self._incoming(code=f"{number}/ABC-XYZ", urgency="urgent")
        self.assertEqual(self._menu_queries(self.leader)[0], queries)
        # one grouped read per queue, plus the subqueries of its domain
        self.assertLessEqual(queries, QUERIES_PER_QUEUE * len(menu))

    def test_a_queue_key_unknown_to_the_code_holds_nothing(self):
        self._incoming()
        queue = self.env["vbdt.work.queue"].create(
            {"key": "typed_by_hand", "name": "?", "group_ids": [(6, 0, [])]}
        )
        self.assertEqual(queue.document_count, 0)
        self.assertFalse(self.Document.search(queue.action_open()["domain"]))


@tagged("post_install", "-at_install", "vbdt")
class TestUnread(VbdtWorkflowCommon):
    def test_new_incoming_is_unread_until_opened(self):
        document = self._incoming()
        as_clerk = document.with_user(self.clerk)
        self.assertTrue(as_clerk.is_unread)
        self.assertIn(
            document,
            self.Document.with_user(self.clerk).search([("is_unread", "=", True)]),
        )
        as_clerk.web_read({"subject": {}})
        self.assertFalse(as_clerk.is_unread)
        self.assertNotIn(
            document,
            self.Document.with_user(self.clerk).search([("is_unread", "=", True)]),
        )
        # Still unread for the others; read for whoever entered it.
        self.assertTrue(document.with_user(self.leader).is_unread)
        draft = self.Document.with_user(self.specialist).create(
            {"direction": "outgoing", "subject": "Dự thảo", "unit_id": self.unit.id}
        )
        self.assertFalse(draft.is_unread)

    def test_nobody_sets_the_read_marks(self):
        document = self._incoming()
        with self.assertRaises(UserError) as caught:
            document.with_user(self.clerk).write(
                {"seen_user_ids": [(6, 0, self.leader.ids)]}
            )
        self.assertIn("Read By", str(caught.exception))
        self.assertFalse(document.seen_user_ids - self.env.user)


@tagged("post_install", "-at_install", "vbdt")
class TestRegistrationScreen(VbdtWorkflowCommon):
    def _form(self):
        return Form(
            self.Document.with_user(self.clerk)
            .with_company(self.province)
            .with_context(default_direction="incoming", default_arrival_channel="paper")
        )

    def test_defaults_next_number_and_main_file(self):
        self._incoming().with_user(self.clerk).action_register()
        form = self._form()
        self.assertTrue(form.arrival_date)
        self.assertLessEqual(form.arrival_date, fields.Datetime.now())
        self.assertEqual(form.next_arrival_number, 2)
        form.subject = "V/v tổ chức hội nghị"
        for name in ("cong-van.pdf", "phu-luc.pdf"):
            with form.file_ids.new() as line:
                line.name = name
                line.datas = base64.b64encode(PDF)
        document = form.save()
        self.assertEqual(
            document.file_ids.sorted("id").mapped("role"), ["main", "attachment"]
        )

    def test_duplicate_is_shown_inline(self):
        original = self._incoming()
        form = self._form()
        form.subject = "Again"
        form.sender_agency_id = self.sender
        form.document_date = "2026-09-30"
        form.code = "7816/VPCP-TTĐT"
        self.assertEqual(form.duplicate_of_id, original)

    def test_register_and_present_in_one_step(self):
        document = self._incoming(directing_leader_id=self.leader.id)
        document.with_user(self.clerk).action_register_and_present()
        self.assertEqual(document.state, "presented")
        self.assertEqual(document.arrival_number, 1)
        self.assertEqual(
            self._activity_users(
                document, "vbdt_workflow.vbdt_workflow_activity_type_direct"
            ),
            self.leader,
        )

    def test_present_only_to_a_leader_of_the_agency(self):
        b_leader = self._user("b_leader", "leader", company=self.department)
        for number, wrong in enumerate((self.head, b_leader), start=5):
            document = self._incoming(
                code=f"{number}/STC-NS", directing_leader_id=wrong.id
            )
            with self.assertRaises(UserError) as caught:
                document.with_user(self.clerk).action_register_and_present()
            self.assertIn("is not a leader of", str(caught.exception))
            # Refused before numbering: no arrival number drawn.
            self.assertEqual((document.state, document.arrival_number), ("received", 0))
        domain = self.Document._vbdt_leader_domain()
        self.assertIn("company_ids", domain)
        leaders = self.env["res.users"].search(
            [
                (
                    "groups_id",
                    "in",
                    self.env.ref("vbdt_document.vbdt_document_group_leader").id,
                ),
                ("company_ids", "in", self.province.id),
                ("share", "=", False),
            ]
        )
        self.assertIn(self.leader, leaders)
        self.assertNotIn(self.clerk, leaders)
        self.assertNotIn(self.head, leaders)
        self.assertNotIn(b_leader, leaders)

    def test_save_and_new_opens_an_empty_incoming_form(self):
        document = self._incoming()
        action = document.with_user(self.clerk).action_save_and_new()
        self.assertFalse(action.get("res_id"))
        self.assertEqual(action["context"]["default_direction"], "incoming")
        self.assertEqual(
            action["context"]["default_register_id"], document.register_id.id
        )


@tagged("post_install", "-at_install", "vbdt")
class TestDrafterUnit(VbdtWorkflowCommon):
    def test_unit_comes_from_the_drafter(self):
        form = Form(
            self.Document.with_user(self.specialist).with_context(
                default_direction="outgoing"
            )
        )
        self.assertEqual(form.unit_id, self.unit)
        document = self.Document.with_user(self.specialist).create(
            {
                "direction": "outgoing",
                "subject": "Không chọn đơn vị",
                "document_type_id": self.doc_type.id,
            }
        )
        self.assertEqual(document.unit_id, self.unit)
        document.action_review_submit()
        self.assertEqual(document.state, "review")

    def test_missing_unit_or_head_is_explained(self):
        document = self._outgoing(unit_id=False, drafter_id=self.leader.id)
        self.assertFalse(document.unit_id)
        with self.assertRaises(UserError) as caught:
            self._as(document, self.leader).action_review_submit()
        self.assertIn("has no unit", str(caught.exception))
        self.assertIn("Configuration > Units", str(caught.exception))
        self.other_unit.manager_id = False
        document = self._outgoing(
            unit_id=self.other_unit.id, drafter_id=self.outsider.id
        )
        with self.assertRaises(UserError) as caught:
            self._as(document, self.outsider).action_review_submit()
        self.assertIn("which has none", str(caught.exception))
        self.assertEqual(document.state, "draft")

    def test_missing_route_says_who_configures_it(self):
        self.route.document_type_ids = self.doc_type
        document = self._outgoing(
            document_type_id=self.letter_type.id, drafter_id=self.specialist.id
        )
        with self.assertRaises(UserError) as caught:
            self._as(document, self.specialist).action_review_submit()
        self.assertIn("Document Office administrator", str(caught.exception))
        self.assertIn("Approval Routes", str(caught.exception))


@tagged("post_install", "-at_install", "vbdt")
class TestWorkdayTours(JsonRpcMixin, HttpCase):
    """The same day in headless Chromium, and the server's refusals through
    the real JSON-RPC API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {
                "name": "UBND tỉnh Tour Ngày",
                "vbdt_agency_code": "000.00.00.H95",
                "vbdt_short_name": "UBND",
            }
        )
        home = cls.env.ref("vbdt_document.vbdt_work_queue_action_home")
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"day_{role}",
                name=f"Tour {role.capitalize()}",
                groups=GROUP + role,
                company_id=cls.company.id,
                company_ids=cls.company.ids,
                action_id=home.id,
            )
            for role in ("clerk", "specialist", "leader")
        }
        cls.sender = cls.env["vbdt.agency"].create(
            {"name": "Sở Tài chính Tour", "code": "000.00.00.G94"}
        )

    def _incoming(self, **vals):
        return self.env["vbdt.document"].create(
            {
                "direction": "incoming",
                "company_id": self.company.id,
                "sender_agency_id": self.sender.id,
                "document_date": "2026-11-02",
                **vals,
            }
        )

    def test_clerk_home(self):
        self._incoming(subject="V/v chờ vào sổ", code="40/STC-NS")
        self.start_tour("/odoo", "vbdt_workflow_home_clerk_tour", login="day_clerk")

    def test_leader_home(self):
        document = self._incoming(
            subject="V/v xin ý kiến chỉ đạo",
            code="41/STC-NS",
            directing_leader_id=self.users["leader"].id,
        )
        document.with_user(self.users["clerk"]).action_register_and_present()
        late = self._incoming(subject="V/v quá hạn", code="42/STC-NS")
        late.with_user(self.users["clerk"]).action_register()
        late.with_context(tracking_disable=True).due_date = "2026-11-20"
        self.start_tour("/odoo", "vbdt_workflow_home_leader_tour", login="day_leader")
        self.assertFalse(document.with_user(self.users["leader"]).is_unread)

    def test_dashboard_figure_opens_its_documents(self):
        presented = self._incoming(
            subject="V/v xin ý kiến chỉ đạo",
            code="44/STC-NS",
            directing_leader_id=self.users["leader"].id,
        )
        presented.with_user(self.users["clerk"]).action_register_and_present()
        self._incoming(subject="V/v chờ vào sổ", code="45/STC-NS")
        self.env["vbdt.document.statistics"]._refresh()
        self.start_tour(
            "/odoo", "vbdt_workflow_dashboard_drilldown_tour", login="day_leader"
        )

    def test_rpc_menu_counter_never_counts_another_agencys_documents(self):
        """The counter reads under the caller's rules: a clerk of another
        agency, over the real JSON-RPC and with injected context keys, counts
        none of this agency's documents, while this agency's clerk counts
        them all."""
        self._incoming(subject="V/v khẩn", code="43/STC-NS", urgency="urgent")
        self._incoming(subject="V/v thường", code="44/STC-NS")
        other = self.env["res.company"].create(
            {
                "name": "UBND xã Tour Khác",
                "vbdt_agency_code": "000.00.00.H96",
                "vbdt_short_name": "UBND",
            }
        )
        new_test_user(
            self.env,
            login="day_other_clerk",
            groups=GROUP + "clerk",
            company_id=other.id,
            company_ids=other.ids,
        )

        def waiting(login, context=None):
            rows = self.call_kw(
                login, "vbdt.work.queue", "vbdt_menu_counts", context=context
            )
            row = {row["key"]: row for row in rows}["incoming_waiting"]
            return row["count"], row["urgent"]

        self.assertEqual(waiting("day_clerk"), (2, 1))
        self.assertEqual(waiting("day_other_clerk"), (0, 0))
        self.assertEqual(waiting("day_other_clerk", INJECTED_CONTEXT), (0, 0))

    def test_rpc_dashboard_figure_unknown(self):
        Stats = self.env["vbdt.document.statistics"]
        Stats._refresh()
        row = Stats.search([("company_id", "=", False)], limit=1)
        refreshed = row.refreshed_at
        self.assertRefused(
            "day_leader",
            "vbdt.document.statistics",
            "action_open_figure",
            [row.ids],
            contexts=[{"vbdt_figure": "id"}, {"vbdt_figure": "__count"}, {}],
            message="no list of documents",
        )
        row.invalidate_recordset()
        self.assertEqual(row.refreshed_at, refreshed)

    def test_register_and_present_in_under_eight_clicks(self):
        self.start_tour(
            "/odoo/van-ban-den",
            "vbdt_workflow_register_present_tour",
            login="day_clerk",
        )
        document = self.env["vbdt.document"].search([("code", "=", "125/STC-NS")])
        self.assertEqual(document.state, "presented")
        self.assertEqual(document.arrival_number, 1)
        self.assertEqual(document.directing_leader_id, self.users["leader"])
        self.assertTrue(document.arrival_date)

    def test_rpc_refusals(self):
        document = self._incoming(
            subject="V/v thử",
            code="43/STC-NS",
            directing_leader_id=self.users["leader"].id,
        )
        self.assertRefused(
            "day_specialist",
            "vbdt.document",
            "action_register_and_present",
            [[document.id]],
            message="Only the clerk",
        )
        self.assertRefused(
            "day_clerk",
            "vbdt.document",
            "write",
            [[document.id], {"seen_user_ids": [(6, 0, self.users["specialist"].ids)]}],
            message="change only through its actions",
        )
        self.assertRefused(
            "day_specialist",
            "vbdt.work.queue",
            "write",
            [
                self.env.ref("vbdt_document.vbdt_work_queue_my_drafts").ids,
                {"key": "incoming_waiting"},
            ],
        )
        document.invalidate_recordset()
        self.assertEqual((document.state, document.arrival_number), ("received", 0))
        self.assertFalse(document.seen_user_ids & self.users["specialist"])
        self.assertEqual(
            self.env.ref("vbdt_document.vbdt_work_queue_my_drafts").key, "my_drafts"
        )


@tagged("post_install", "-at_install", "vbdt")
class TestLeaderActions(VbdtWorkflowCommon):
    def _directed(self):
        document = self._incoming(directing_leader_id=self.leader.id)
        document.with_user(self.clerk).action_register_and_present()
        self._as(document, self.leader)._vbdt_direct(
            "Giao Văn phòng", False, [{"role": "lead", "unit_id": self.unit.id}]
        )
        return document

    def test_sign_summary_and_success_message(self):
        draft = self._submitted(signer_authority="kt", signer_position="Phó Chủ tịch")
        self._as(draft, self.head).action_review_approve()
        as_leader = self._as(draft, self.leader)
        self.assertIn("KT. — Phó Chủ tịch", as_leader.review_sign_summary)
        self.assertFalse(self._as(draft, self.head).review_sign_summary)
        action = as_leader.action_review_sign()
        self.assertEqual(draft.state, "signed")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("the clerk will number and issue it", action["params"]["message"])

    def test_pass_to_another_leader(self):
        document = self._incoming(directing_leader_id=self.leader.id)
        document.with_user(self.clerk).action_register_and_present()
        self._as(document, self.leader).action_pass_to_leader(self.deputy, "Anh xử lý")
        self.assertEqual(document.directing_leader_id, self.deputy)
        self.assertEqual(
            self._activity_users(
                document, "vbdt_workflow.vbdt_workflow_activity_type_direct"
            ),
            self.deputy,
        )
        with self.assertRaises(UserError) as caught:
            self._as(document, self.clerk).action_pass_to_leader(self.leader)
        self.assertIn("Only a leader", str(caught.exception))
        with self.assertRaises(UserError) as caught:
            self._as(document, self.deputy).action_pass_to_leader(self.head)
        self.assertIn("is not a leader of", str(caught.exception))
        self.assertEqual(document.directing_leader_id, self.deputy)

    def test_add_units_for_information_keeps_the_parts(self):
        document = self._directed()
        lead = document.assignment_ids
        self._as(document, self.leader).action_add_for_information(
            units=self.other_unit, note="Để biết"
        )
        info = document.assignment_ids - lead
        self.assertEqual((info.role, info.unit_id), ("info", self.other_unit))
        self.assertEqual(lead.state, "assigned")
        with self.assertRaises(UserError) as caught:
            self._as(document, self.clerk).action_add_for_information(
                users=self.colleague
            )
        self.assertIn("Only a leader", str(caught.exception))
        self.assertEqual(len(document.assignment_ids), 2)

    def test_handling_flow_reads_who_sent_what_to_whom(self):
        document = self._incoming(directing_leader_id=self.leader.id)
        document.with_user(self.clerk).action_register_and_present()
        self._as(document, self.leader)._vbdt_direct(
            "<b>Khẩn</b> trương", False, [{"role": "lead", "unit_id": self.unit.id}]
        )
        self._as(document.assignment_ids, self.head).action_assign_inside(
            self.specialist
        )
        flow = str(document.handling_flow)
        for name in (self.leader.name, self.unit.name, self.specialist.name):
            self.assertIn(name, flow)
        self.assertIn("presented for direction", flow)
        self.assertIn("&lt;b&gt;Khẩn&lt;/b&gt; trương", flow)
        self.assertNotIn("<b>Khẩn</b>", flow)

    def test_handling_slip_from_a_button(self):
        document = self._directed()
        action = self._as(document, self.leader).action_print_handling_slip()
        self.assertEqual(action["report_name"], "vbdt_workflow.vbdt_handling_slip")
        self.assertEqual(action["context"]["active_ids"], document.ids)

    def test_the_leader_is_not_offered_the_handlers_buttons(self):
        document = self._directed()
        self.assertFalse(self._as(document, self.leader).user_handles)
        self.assertTrue(self._as(document, self.head).user_handles)

    def test_assign_in_unit_in_one_pass(self):
        document = self._directed()
        part = document.assignment_ids
        action = (
            self._as(document, self.head)
            .with_context(handling_action="assign")
            .action_open_handling_wizard()
        )
        wizard = self.env["vbdt.handling.wizard"].with_user(self.head)
        with Form(wizard.with_context(**action["context"])) as form:
            self.assertEqual(form.assignment_id, part)
            form.user_id = self.specialist
            form.assignment_id = part
            self.assertEqual(form.user_id, self.specialist)
        form.save().action_confirm()
        self.assertEqual(part.responsible_id, self.specialist)


@tagged("post_install", "-at_install", "vbdt")
class TestDeadlineColours(VbdtWorkflowCommon):
    def test_overdue_soon_and_on_time(self):
        self.province.vbdt_due_soon_days = 2
        today = fields.Date.context_today(self.Document)
        company = self.province
        cases = {
            "overdue": today - timedelta(days=1),
            "soon": company._vbdt_add_working_days(today, 1),
            "ok": company._vbdt_add_working_days(today, 5),
        }
        for number, (expected, due) in enumerate(cases.items(), start=1):
            document = self._incoming(code=f"{number}/DL-X", due_date=due)
            self.assertEqual(document.deadline_state, expected, due)
        self.assertEqual(self._incoming(code="9/DL-X").deadline_state, "none")
