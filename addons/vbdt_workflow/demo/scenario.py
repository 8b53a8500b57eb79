"""The demo scenario of ``demo/vbdt_document_demo.xml`` (demo data only).

Every step is done by the model's own action, as the user who does it in
real life (clerk, specialist, head of unit, leader), so reviews,
activities, chatter, delegations and processing events are exactly what
use would produce. Steps of the past are then dated back by a number of
working days (``ago``), and deadlines are counted from those days, so
that on-time, late and overdue work reads the same whatever the day the
demo is installed.

The demo XML calls ``res.company._vbdt_demo_step(step, *args)``, which runs
the function of ``STEPS`` named ``step``. Nothing here runs outside demo
data: the addon's runtime code never imports this module.
"""

import datetime

import pytz

from odoo import fields


def _doc(env, document_id, user_id):
    user = env["res.users"].browse(user_id)
    return env["vbdt.document"].browse(document_id).with_user(user)


def _day(document, ago):
    """The working day ``ago`` working days before the user's today."""
    today = fields.Date.context_today(document)
    return document.company_id._vbdt_subtract_working_days(today, ago)


def _moment(document, day, hour):
    """UTC datetime of ``hour`` o'clock on ``day`` in the agency."""
    tz = pytz.timezone(
        document.company_id.resource_calendar_id.tz or "Asia/Ho_Chi_Minh"
    )
    local = tz.localize(datetime.datetime.combine(day, datetime.time(hour)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


# ---------------------------------------------------------------- agencies
def share_holidays(env, company_id):
    """Every agency works on Vietnam's calendar: the public holidays of
    ``company_id``'s calendar are copied to the other agencies'."""
    source = env["res.company"].browse(company_id).resource_calendar_id
    holidays = source.global_leave_ids
    companies = env["res.company"].search([("vbdt_agency_code", "!=", False)])
    calendars = companies.resource_calendar_id
    calendars.write({"tz": "Asia/Ho_Chi_Minh"})
    for calendar in calendars - source:
        known = set(calendar.global_leave_ids.mapped("date_from"))
        env["resource.calendar.leaves"].create(
            [
                {
                    "name": holiday.name,
                    "calendar_id": calendar.id,
                    "date_from": holiday.date_from,
                    "date_to": holiday.date_to,
                }
                for holiday in holidays
                if holiday.date_from not in known
            ]
        )


# ---------------------------------------------------------------- outgoing
def review(env, document_id, steps):
    """``steps``: [(user_id, action, comment)], action one of submit,
    approve, return, reject, sign. A signature that must be digital
    (vbdt_signature and the agency's flag) is left to the signer."""
    for user_id, action, comment in steps:
        document = _doc(env, document_id, user_id)
        if action == "submit":
            document.action_review_submit()
        elif action == "approve":
            document.action_review_approve(comment or None)
        elif action == "return":
            document.action_review_return(comment)
        elif action == "reject":
            document.action_review_reject(comment)
        elif action == "sign":
            if document._vbdt_requires_digital_signature():
                return False
            document.action_review_sign()


def issue(env, document_id, clerk_id):
    document = _doc(env, document_id, clerk_id)
    if document.state in document._vbdt_issuable_states():
        document.action_issue()


# ---------------------------------------------------------------- incoming
def present(env, document_id, clerk_id, leader_id, ago=0):
    document = _doc(env, document_id, clerk_id)
    document.directing_leader_id = leader_id
    document.action_present()
    day = _day(document, ago)
    # sudo: demo data dates the flow in the past, a lifecycle field only the server
    # writes
    document.sudo()._vbdt_write_lifecycle({"presented_date": _moment(document, day, 8)})


def direct(env, document_id, leader_id, note, ago, days, assignments):
    """The leader directs ``ago`` working days ago with ``days`` working
    days to handle. ``assignments``: [(role, unit_id, user_id)]."""
    document = _doc(env, document_id, leader_id)
    day = _day(document, ago)
    deadline = document.company_id._vbdt_add_working_days(day, days)
    created = document._vbdt_direct(
        note,
        deadline,
        [
            {"role": role, "unit_id": unit_id or False, "user_id": user_id or False}
            for role, unit_id, user_id in assignments
        ],
    )
    # sudo: demo data dates the flow in the past, a lifecycle field only the server
    # writes
    document.sudo()._vbdt_write_lifecycle({"directed_date": _moment(document, day, 10)})
    # sudo: demo data dates the assignment in the past
    created.sudo().assigned_date = day


def assign_inside(env, document_id, head_id, user_id, note=False):
    document = _doc(env, document_id, head_id)
    assignment = document.assignment_ids.filtered(
        lambda a: a.unit_id.manager_id == document.env.user
        and not a.user_id
        and a.state == "assigned"
    )[:1]
    assignment.action_assign_inside(env["res.users"].browse(user_id), note)


def progress(env, document_id, user_id, note):
    _doc(env, document_id, user_id).action_report_progress(note)


def complete(env, document_id, user_id, result, ago=0):
    document = _doc(env, document_id, user_id)
    # sudo: demo data: the assignments closed by this step
    before = document.sudo().assignment_ids.filtered(lambda a: a.state == "done")
    document.action_complete(result)
    day = _day(document, ago)
    closed = (
        # sudo: demo data: the assignments closed by this step
        document.sudo().assignment_ids.filtered(lambda a: a.state == "done") - before
    )
    closed.done_date = day
    if document.state == "done":
        # sudo: demo data dates the flow in the past, a lifecycle field only the server
        # writes
        document.sudo()._vbdt_write_lifecycle({"done_date": day})


def ask_extension(env, document_id, user_id, days, reason):
    document = _doc(env, document_id, user_id)
    assignment = document._vbdt_my_assignments()[:1]
    env["vbdt.deadline.extension"].with_user(document.env.user).create(
        {
            "assignment_id": assignment.id,
            "reason": reason,
            "new_deadline": document.company_id._vbdt_add_working_days(
                assignment.deadline, days
            ),
        }
    )


def follow_up(env):
    """Today's reminders and escalations, and fresh dashboard figures."""
    env["vbdt.document.assignment"]._cron_vbdt_deadlines()
    env["vbdt.document.statistics"]._refresh()


STEPS = {
    step.__name__: step
    for step in (
        share_holidays,
        review,
        issue,
        present,
        direct,
        assign_inside,
        progress,
        complete,
        ask_extension,
        follow_up,
    )
}
"""The steps the demo XML may call, by name."""


def run_step(env, step, *args):
    """Run the demo step named ``step`` (a key of ``STEPS``) with ``args``."""
    if step not in STEPS:
        raise ValueError(f"Unknown demo step {step!r}: one of {sorted(STEPS)}")
    STEPS[step](env, *args)
    return True
