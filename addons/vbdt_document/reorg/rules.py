"""Rules of ending and merging agencies (Công văn 414/BNV-VTLTNN: an agency
issues no document from the day its termination or merger takes effect; its
fond closes that day and passes to the successor)."""

from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any

INCOMING_POLICIES = ("move", "keep")
"""Incoming documents still being handled: ``move`` them to the successor
(arrival number, deadline, assignments and history travel with them) or
``keep`` them in the ended agency's closed fond."""

DRAFT_POLICIES = ("move", "return")
"""Outgoing drafts: ``move`` them to the successor with their approval state,
or ``return`` them to their drafters as plain drafts at the successor."""


def _(message: str) -> str:
    """Mark ``message`` for translation extraction; returns it unchanged."""
    return message


class ReorgError(ValueError):
    """A reorganisation that the rules refuse; ``template`` and ``params`` as
    in :class:`notation.NotationError` so that Odoo translates it."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)


def is_ended(date_end: date | None, day: date) -> bool:
    """An agency whose end (effective date D) is ``date_end`` no longer acts
    on ``day``: D itself is the first day it may not number, issue or register."""
    return bool(date_end) and day >= date_end


def resolve_successor(
    start: Hashable,
    day: date,
    date_end_of: Callable[[Hashable], date | None],
    successor_of: Callable[[Hashable], Hashable | None],
) -> tuple[Hashable, list[Hashable]]:
    """The agency acting on ``day`` for ``start``, following successors of
    ended agencies (a commune merged in 2025 whose successor was itself
    merged later resolves to today's agency). Returns it and the chain of
    ended agencies passed; an agency ended without successor ends the chain
    on itself, and a cycle (bad data) stops where it repeats."""
    current, chain = start, []
    while is_ended(date_end_of(current), day):
        successor = successor_of(current)
        if not successor or successor in chain or successor == start:
            break
        chain.append(current)
        current = successor
    return current, chain


def check_change(
    ended: Iterable[Hashable],
    successor: Hashable | None,
    effective: date | None,
    already_ended: Callable[[Hashable], bool],
    name_of: Callable[[Hashable], str] = str,
) -> None:
    """Refuse a change the rules forbid: no agency, no date, an agency
    succeeding itself, an agency already ended."""
    ended = list(ended)
    if not ended:
        raise ReorgError(_("Choose at least one agency to end or merge."))
    if not effective:
        raise ReorgError(_("Set the effective date of the change."))
    if successor is not None and successor in ended:
        raise ReorgError(_("An agency cannot be its own successor."))
    for agency in ended:
        if already_ended(agency):
            raise ReorgError(
                _("%(agency)s is already ended: undo its change first."),
                agency=name_of(agency),
            )


def check_undo(effective: date, today: date, carried_over: bool) -> None:
    """A change may be undone only before it takes effect: from D on the
    ended agency's registers are closed and its open work may have moved."""
    if carried_over or today >= effective:
        raise ReorgError(
            _(
                "The change took effect on %(date)s: it can no longer be undone. "
                "Record a new change instead (for example re-establish the agency)."
            ),
            date=effective.strftime("%d/%m/%Y"),
        )


def work_action(
    direction: str, closed: bool, state: str, incoming_policy: str, draft_policy: str
) -> str:
    """What the carry-over does with one document of an ended agency:
    ``stay`` (the closed fond: issued, closed or kept work), ``move`` (to the
    successor as it is) or ``return`` (to the successor as a plain draft)."""
    if closed:
        return "stay"
    if direction == "incoming":
        return "move" if incoming_policy == "move" else "stay"
    if state == "issued":
        return "stay"
    if draft_policy == "return" and state != "draft":
        return "return"
    return "move"


def check_new_agency(new_name: str, code_from: Hashable | None, ended) -> None:
    """A merger into a new agency (Decision 09/2025/QĐ-TTg): the new agency
    has a name and takes the code of one of the predecessors (the one whose
    name it takes); the others' codes become its aliases."""
    if not (new_name or "").strip():
        raise ReorgError(_("Give the name of the new agency."))
    if code_from is None or code_from not in list(ended):
        raise ReorgError(
            _(
                "Choose, among the merged agencies, the one whose identifier code "
                "the new agency keeps (the one whose name it takes)."
            )
        )


def check_rename(agencies: Iterable[Hashable], old_name: str, new_name: str) -> None:
    """A rename concerns one agency and changes its name."""
    if len(list(agencies)) != 1:
        raise ReorgError(_("A rename concerns exactly one agency."))
    if not (new_name or "").strip() or new_name.strip() == (old_name or "").strip():
        raise ReorgError(_("Give the new name of the agency (different from today's)."))


def check_transfer(
    agencies: Iterable[Hashable],
    target: Hashable | None,
    unit_agencies: Iterable[Hashable],
) -> None:
    """A transfer moves units of one agency (``unit_agencies``: the agency of
    each unit) to another agency that keeps acting."""
    agencies = list(agencies)
    unit_agencies = list(unit_agencies)
    if len(agencies) != 1:
        raise ReorgError(_("A transfer moves units of exactly one agency."))
    if target is None:
        raise ReorgError(_("Choose the agency that receives the units."))
    if target in agencies:
        raise ReorgError(_("The units already belong to that agency."))
    if not unit_agencies:
        raise ReorgError(_("Choose the units to transfer."))
    if any(agency != agencies[0] for agency in unit_agencies):
        raise ReorgError(_("Every unit transferred must belong to the agency chosen."))


def name_on(
    day: date, current_name: str, renames: Iterable[tuple[date, str, str]]
) -> str:
    """The name an agency bore on ``day``, given its renames as
    ``(effective date, old name, new name)``: documents and register books
    keep the name under which they were issued."""
    for effective, old_name, _new_name in sorted(renames, key=lambda r: r[0]):
        if day < effective:
            return old_name
    return current_name


def check_split(
    agencies: Iterable[Hashable],
    successor: Hashable | None,
    lines: Iterable[tuple[Hashable | None, Iterable[Hashable]]],
    agency_of_unit: Callable[[Hashable], Hashable],
) -> None:
    """A split divides one agency among several agencies that keep acting:
    ``lines`` gives each receiving agency with the units it takes; the named
    ``successor`` (one of them) keeps the ended agency's codes as aliases and
    receives what no line names (units, documents without a unit, users
    working in several parts)."""
    agencies = list(agencies)
    lines = [(target, list(units)) for target, units in lines]
    if len(agencies) != 1:
        raise ReorgError(_("A split divides exactly one agency."))
    targets = [target for target, _units in lines]
    if any(target is None for target in targets):
        raise ReorgError(_("Every line of the split needs the agency that takes it."))
    if len(set(targets)) < 2:
        raise ReorgError(_("A split needs at least two agencies that take its parts."))
    if len(set(targets)) != len(targets):
        raise ReorgError(_("Each agency appears on one line of the split only."))
    if agencies[0] in targets:
        raise ReorgError(_("An agency cannot be its own successor."))
    if successor is None or successor not in targets:
        raise ReorgError(
            _(
                "Choose, among the agencies that take its parts, the successor "
                "that keeps its codes as aliases and takes what no line names."
            )
        )
    seen = set()
    for _target, units in lines:
        for unit in units:
            if unit in seen:
                raise ReorgError(_("A unit goes to one agency only."))
            seen.add(unit)
            if agency_of_unit(unit) != agencies[0]:
                raise ReorgError(
                    _("Every unit of the split must belong to the agency that splits.")
                )


def split_targets(
    successor: Hashable, lines: Iterable[tuple[Hashable, Iterable[Hashable]]]
) -> dict[Hashable, list[Hashable]]:
    """Where each part of a split goes: ``{agency: [units]}`` in the order
    of the lines, the named successor last (it takes what is left once the
    other parts have gone)."""
    targets = {target: list(units) for target, units in lines if target != successor}
    targets[successor] = next(
        (list(units) for target, units in lines if target == successor), []
    )
    return targets
