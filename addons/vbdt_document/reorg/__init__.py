"""Plain-Python rules of agency reorganisation (end, merge): when an agency
is ended, who succeeds it on a given day, what the administrator may still
undo, and what a carry-over policy does with each piece of open work.

It never imports Odoo: the models and the lifecycle wizard call it and turn
:class:`ReorgError` into translated user errors; it is unit-tested without a
database (``tests/reorg``)."""

from .rules import (
    DRAFT_POLICIES,
    INCOMING_POLICIES,
    ReorgError,
    check_change,
    check_undo,
    is_ended,
    resolve_successor,
    work_action,
)

__all__ = [
    "DRAFT_POLICIES",
    "INCOMING_POLICIES",
    "ReorgError",
    "check_change",
    "check_undo",
    "is_ended",
    "resolve_successor",
    "work_action",
]
