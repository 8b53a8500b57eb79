"""Plain-Python rules of agency reorganisation (end, merge into an existing
or a new agency, split, rename, transfer of units): when an agency is ended, who
succeeds it on a given day, which name it bore, what the administrator may
still undo, and what a carry-over policy does with each piece of open work;
and the hand-over package of an ended agency's fond (``handover``).

It never imports Odoo: the models and the lifecycle wizard call it and turn
:class:`ReorgError` into translated user errors; it is unit-tested without a
database (``tests/reorg``)."""

from .handover import (
    MANIFEST_NAME,
    archive_name,
    csv_bytes,
    verify_package,
    write_package,
)
from .rules import (
    DRAFT_POLICIES,
    INCOMING_POLICIES,
    ReorgError,
    check_change,
    check_new_agency,
    check_rename,
    check_split,
    check_transfer,
    check_undo,
    is_ended,
    name_on,
    resolve_successor,
    split_targets,
    work_action,
)

__all__ = [
    "MANIFEST_NAME",
    "archive_name",
    "csv_bytes",
    "verify_package",
    "write_package",
    "DRAFT_POLICIES",
    "INCOMING_POLICIES",
    "ReorgError",
    "check_change",
    "check_new_agency",
    "check_rename",
    "check_split",
    "check_transfer",
    "check_undo",
    "is_ended",
    "name_on",
    "resolve_successor",
    "split_targets",
    "work_action",
]
