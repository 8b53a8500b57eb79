import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import VbdtWorkflowCommon

REMIND = "vbdt_workflow.vbdt_workflow_activity_type_reminder"
ESCALATE = "vbdt_workflow.vbdt_workflow_activity_type_escalation"
EXTENSION = "vbdt_workflow.vbdt_workflow_activity_type_extension"


def day(text):
    return datetime.date.fromisoformat(text)


@tagged("post_install", "-at_install", "vbdt")
class TestWorkingDays(VbdtWorkflowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Quốc khánh 2026: Wednesday 2 September and Thursday 3 September
        # (verify yearly)
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Quốc khánh",
                "calendar_id": cls.calendar.id,
                "date_from": "2026-09-01 17:00:00",
                "date_to": "2026-09-03 16:59:59",
            }
        )

    def test_across_weekend(self):
        company = self.province
        # Friday + 1 working day = Monday
        self.assertEqual(
            company._vbdt_add_working_days(day("2026-10-09"), 1), day("2026-10-12")
        )
        # Thursday + 3 = Tuesday
        self.assertEqual(
            company._vbdt_add_working_days(day("2026-10-08"), 3), day("2026-10-13")
        )
        # Saturday + 1 = Monday
        self.assertEqual(
            company._vbdt_add_working_days(day("2026-10-10"), 1), day("2026-10-12")
        )
        self.assertEqual(
            company._vbdt_add_working_days(day("2026-10-10"), 0), day("2026-10-10")
        )

    def test_across_holiday(self):
        company = self.province
        # Tuesday 1 September + 1 = Friday 4 September (2 and 3 are holidays)
        self.assertEqual(
            company._vbdt_add_working_days(day("2026-09-01"), 1), day("2026-09-04")
        )
        # Monday 31 August + 3 = Monday 7 September
        self.assertEqual(
            company._vbdt_add_working_days(day("2026-08-31"), 3), day("2026-09-07")
        )
        self.assertEqual(
            company._vbdt_count_working_days(day("2026-08-31"), day("2026-09-07")), 3
        )

    def test_long_period(self):
        # 30 working days: six weeks minus the two holidays
        self.assertEqual(
            self.province._vbdt_add_working_days(day("2026-08-31"), 30),
            day("2026-10-14"),
        )


@tagged("post_install", "-at_install", "vbdt")
class TestDeadlineFollowUp(VbdtWorkflowCommon):
    def _assigned(self, deadline):
        document = self._incoming(directing_leader_id=self.leader.id)
        document.with_user(self.clerk).action_register()
        document.with_user(self.clerk).action_present()
        document.with_user(self.leader)._vbdt_direct(
            "Handle", deadline, [{"role": "lead", "user_id": self.specialist.id}]
        )
        return document

    def _cron(self):
        self.env["vbdt.document.assignment"]._cron_vbdt_deadlines()

    def test_reminder_then_escalation(self):
        with freeze_time("2026-10-05 02:00:00"):  # Monday
            document = self._assigned("2026-10-09")  # Friday
            self._cron()
            self.assertFalse(self._activity_users(document, REMIND), "too early")
        with freeze_time("2026-10-08 02:00:00"):  # Thursday: one working day left
            self._cron()
            self.assertEqual(self._activity_users(document, REMIND), self.specialist)
            self._cron()
            self.assertEqual(
                len(
                    document.sudo().activity_ids.filtered(
                        lambda a: a.activity_type_id == self.env.ref(REMIND)
                    )
                ),
                1,
                "reminded once",
            )
            self.assertFalse(self._activity_users(document, ESCALATE))
        with freeze_time("2026-10-12 02:00:00"):  # Monday after: overdue
            self._cron()
            self.assertEqual(self._activity_users(document, ESCALATE), self.leader)
            self._cron()
            self.assertEqual(
                len(
                    document.sudo().activity_ids.filtered(
                        lambda a: a.activity_type_id == self.env.ref(ESCALATE)
                    )
                ),
                1,
            )

    def _activities(self, document, xmlid):
        return document.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(xmlid)
        )

    def test_overdue_reminder_repeats_each_working_day(self):
        with freeze_time("2026-10-05 02:00:00"):  # Monday
            document = self._assigned("2026-10-07")  # Wednesday
        with freeze_time("2026-10-08 02:00:00"):  # Thursday: one day late
            self._cron()
            reminder = self._activities(document, REMIND)
            self.assertEqual(reminder.user_id, self.specialist)
            self.assertIn("(1 ", reminder.summary)
        with freeze_time("2026-10-08 09:00:00"):  # same day: nothing new
            self._cron()
            self.assertEqual(self._activities(document, REMIND), reminder)
            self.assertIn("(1 ", reminder.summary)
        with freeze_time("2026-10-10 02:00:00"):  # Saturday: no reminder
            self._cron()
            self.assertEqual(document.assignment_ids.reminder_date, day("2026-10-08"))
        notified = self.env["mail.message"].search_count(
            [
                ("model", "=", "vbdt.document"),
                ("res_id", "=", document.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        with freeze_time("2026-10-12 02:00:00"):  # Monday: three working days late
            self._cron()
            self.assertEqual(
                self._activities(document, REMIND), reminder, "updated in place"
            )
            self.assertIn("(3 ", reminder.summary)
            self.assertEqual(document.assignment_ids.reminder_date, day("2026-10-12"))
        self.assertEqual(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "vbdt.document"),
                    ("res_id", "=", document.id),
                    ("message_type", "=", "user_notification"),
                ]
            ),
            notified + 1,
        )

    def test_escalation_goes_up_to_the_head_of_the_agency(self):
        head = self._extra_user("agency_head", "leader")
        self.province.write({"vbdt_head_user_id": head.id, "vbdt_escalation_days": 3})
        with freeze_time("2026-10-05 02:00:00"):  # Monday
            document = self._assigned("2026-10-07")
        assignment = document.assignment_ids
        with freeze_time("2026-10-08 02:00:00"):  # 1 working day late: directing leader
            self._cron()
            self.assertEqual(self._activity_users(document, ESCALATE), self.leader)
            self.assertEqual(assignment.escalation_level, "1")
        with freeze_time("2026-10-09 02:00:00"):  # 2 days: still the leader only
            self._cron()
            self.assertEqual(self._activity_users(document, ESCALATE), self.leader)
        with freeze_time("2026-10-12 02:00:00"):  # 3 days: the head too
            self._cron()
            self.assertEqual(
                self._activity_users(document, ESCALATE), self.leader | head
            )
            self.assertEqual(assignment.escalation_level, "2")
        with freeze_time("2026-10-13 02:00:00"):
            self._cron()
            self.assertEqual(
                len(self._activities(document, ESCALATE)), 2, "no duplicates"
            )
        with freeze_time("2026-10-13 05:00:00"):
            document.with_user(self.specialist).action_complete("Xong")
            self.assertFalse(self._activities(document, ESCALATE))
            self.assertFalse(self._activities(document, REMIND))

    def test_done_documents_are_left_alone(self):
        with freeze_time("2026-10-05 02:00:00"):
            document = self._assigned("2026-10-06")
            document.with_user(self.specialist).action_complete("Done early")
        with freeze_time("2026-10-12 02:00:00"):
            self._cron()
        self.assertFalse(self._activity_users(document, ESCALATE))
        self.assertEqual(document.assignment_ids.timeliness, "on_time")

    def test_late_completion_counts_as_late(self):
        with freeze_time("2026-10-05 02:00:00"):
            document = self._assigned("2026-10-06")
        with freeze_time("2026-10-08 02:00:00"):
            document.with_user(self.specialist).action_complete("Done late")
        self.assertEqual(document.assignment_ids.timeliness, "late")

    def test_extension_request_and_approval(self):
        with freeze_time("2026-10-05 02:00:00"):
            document = self._assigned("2026-10-09")
            assignment = document.assignment_ids
            Extension = self.env["vbdt.deadline.extension"]
            with self.assertRaises(UserError):
                Extension.with_user(self.colleague).create(
                    {
                        "assignment_id": assignment.id,
                        "new_deadline": "2026-10-16",
                        "reason": "Not mine",
                    }
                )
            with self.assertRaises(ValidationError):
                Extension.with_user(self.specialist).create(
                    {
                        "assignment_id": assignment.id,
                        "new_deadline": "2026-10-08",
                        "reason": "Earlier?",
                    }
                )
            request = Extension.with_user(self.specialist).create(
                {
                    "assignment_id": assignment.id,
                    "new_deadline": "2026-10-16",
                    "reason": "Waiting for figures",
                }
            )
            self.assertEqual(self._activity_users(document, EXTENSION), self.leader)
            with self.assertRaises(UserError):
                request.with_user(self.specialist).action_approve()
            request.with_user(self.leader).action_approve()
            self.assertEqual(request.state, "approved")
            self.assertEqual(assignment.deadline, day("2026-10-16"))
            self.assertEqual(document.due_date, day("2026-10-16"))
            self.assertFalse(self._activity_users(document, EXTENSION))
        with freeze_time("2026-10-12 02:00:00"):
            self._cron()
            self.assertFalse(self._activity_users(document, ESCALATE))

    def test_extension_refused(self):
        document = self._assigned("2026-10-09")
        request = (
            self.env["vbdt.deadline.extension"]
            .with_user(self.specialist)
            .create(
                {
                    "assignment_id": document.assignment_ids.id,
                    "new_deadline": "2026-10-16",
                    "reason": "More time",
                }
            )
        )
        request.with_user(self.leader).action_refuse()
        self.assertEqual(document.assignment_ids.deadline, day("2026-10-09"))
