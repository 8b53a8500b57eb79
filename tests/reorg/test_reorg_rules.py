from datetime import date

import pytest
from reorg import (
    ReorgError,
    check_change,
    check_undo,
    is_ended,
    resolve_successor,
    work_action,
)

D = date(2026, 7, 1)


def test_ended_from_the_effective_date_on():
    assert not is_ended(None, D)
    assert not is_ended(D, date(2026, 6, 30))
    assert is_ended(D, D)
    assert is_ended(D, date(2027, 1, 1))


def _resolver(ends, successors):
    return lambda agency, day: resolve_successor(agency, day, ends.get, successors.get)


def test_successor_chain_follows_later_mergers():
    resolve = _resolver(
        {"huyen": date(2025, 7, 1), "xa_cu": date(2025, 7, 1), "xa_moi": D},
        {"huyen": "tinh", "xa_cu": "xa_moi", "xa_moi": "xa_2026"},
    )
    assert resolve("xa_cu", date(2025, 6, 30)) == ("xa_cu", [])
    assert resolve("xa_cu", date(2025, 7, 1)) == ("xa_moi", ["xa_cu"])
    assert resolve("xa_cu", D) == ("xa_2026", ["xa_cu", "xa_moi"])
    assert resolve("tinh", D) == ("tinh", [])


def test_successor_chain_without_successor_or_with_a_cycle_stops():
    resolve = _resolver({"a": D, "b": D}, {"a": "b", "b": "a"})
    assert resolve("a", D) == ("b", ["a"])
    resolve = _resolver({"a": D}, {})
    assert resolve("a", D) == ("a", [])


def test_change_checks():
    never = lambda agency: False  # noqa: E731
    with pytest.raises(ReorgError, match="at least one"):
        check_change([], "s", D, never)
    with pytest.raises(ReorgError, match="effective date"):
        check_change(["a"], "s", None, never)
    with pytest.raises(ReorgError, match="own successor"):
        check_change(["a", "s"], "s", D, never)
    with pytest.raises(ReorgError, match="Sở TT&TT is already ended"):
        check_change(["a"], "s", D, lambda a: True, name_of=lambda a: "Sở TT&TT")
    check_change(["a", "b"], "s", D, never)
    check_change(["a"], None, D, never)


def test_undo_only_before_the_effective_date():
    check_undo(D, date(2026, 6, 30), carried_over=False)
    with pytest.raises(ReorgError, match="01/07/2026"):
        check_undo(D, D, carried_over=False)
    with pytest.raises(ReorgError):
        check_undo(D, date(2026, 6, 1), carried_over=True)


@pytest.mark.parametrize(
    ("direction", "closed", "state", "incoming", "draft", "action"),
    [
        ("incoming", True, "done", "move", "move", "stay"),
        ("incoming", False, "assigned", "move", "move", "move"),
        ("incoming", False, "received", "move", "move", "move"),
        ("incoming", False, "assigned", "keep", "move", "stay"),
        ("outgoing", False, "issued", "move", "move", "stay"),
        ("outgoing", True, "cancelled", "move", "return", "stay"),
        ("outgoing", False, "review", "move", "move", "move"),
        ("outgoing", False, "review", "move", "return", "return"),
        ("outgoing", False, "draft", "move", "return", "move"),
    ],
)
def test_work_action(direction, closed, state, incoming, draft, action):
    assert work_action(direction, closed, state, incoming, draft) == action
