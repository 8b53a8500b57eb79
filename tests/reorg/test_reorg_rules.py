from datetime import date

import pytest
from reorg import (
    ReorgError,
    check_change,
    check_new_agency,
    check_rename,
    check_transfer,
    check_undo,
    is_ended,
    name_on,
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


def test_new_agency_needs_a_name_and_keeps_a_merged_agency_code():
    with pytest.raises(ReorgError, match="name of the new agency"):
        check_new_agency("  ", "phu_tho", ["phu_tho", "vinh_phuc"])
    with pytest.raises(ReorgError, match="identifier code"):
        check_new_agency("UBND tỉnh Phú Thọ", None, ["phu_tho", "vinh_phuc"])
    with pytest.raises(ReorgError, match="identifier code"):
        check_new_agency("UBND tỉnh Phú Thọ", "ha_noi", ["phu_tho", "vinh_phuc"])
    check_new_agency("UBND tỉnh Phú Thọ", "phu_tho", ["phu_tho", "vinh_phuc"])


def test_rename_concerns_one_agency_and_changes_its_name():
    with pytest.raises(ReorgError, match="exactly one"):
        check_rename(["a", "b"], "Sở A", "Sở B")
    with pytest.raises(ReorgError, match="new name"):
        check_rename(["a"], "Sở A", " Sở A ")
    with pytest.raises(ReorgError, match="new name"):
        check_rename(["a"], "Sở A", "")
    check_rename(["a"], "Sở A", "Sở B")


def test_transfer_moves_units_of_one_agency_to_another():
    with pytest.raises(ReorgError, match="exactly one"):
        check_transfer(["a", "b"], "t", ["a"])
    with pytest.raises(ReorgError, match="receives"):
        check_transfer(["a"], None, ["a"])
    with pytest.raises(ReorgError, match="already belong"):
        check_transfer(["a"], "a", ["a"])
    with pytest.raises(ReorgError, match="units to transfer"):
        check_transfer(["a"], "t", [])
    with pytest.raises(ReorgError, match="must belong"):
        check_transfer(["a"], "t", ["a", "t"])
    check_transfer(["a"], "t", ["a", "a"])


def test_name_on_a_day_follows_the_renames():
    renames = [
        (date(2026, 9, 1), "Sở B", "Sở C"),
        (date(2025, 3, 1), "Sở A", "Sở B"),
    ]
    assert name_on(date(2025, 2, 28), "Sở C", renames) == "Sở A"
    assert name_on(date(2025, 3, 1), "Sở C", renames) == "Sở B"
    assert name_on(date(2026, 9, 1), "Sở C", renames) == "Sở C"
    assert name_on(date(2025, 1, 1), "Sở A", []) == "Sở A"
