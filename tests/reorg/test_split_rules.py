"""Split of one agency among several (reorg.check_split, reorg.split_targets)."""

import pytest
from reorg import ReorgError, check_split, split_targets

UNITS = {"vp": "X", "kt": "X", "vh": "X", "other": "Y"}


def _check(agencies=("X",), successor="A", lines=None):
    lines = lines if lines is not None else [("A", ["vp"]), ("B", ["kt", "vh"])]
    check_split(agencies, successor, lines, UNITS.__getitem__)


def test_a_valid_split_passes():
    assert _check() is None
    # A line may take no unit: the named successor takes what is left.
    assert _check(lines=[("A", []), ("B", ["kt"])]) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"agencies": ("X", "Z")}, "exactly one agency"),
        ({"agencies": ()}, "exactly one agency"),
        ({"lines": [("A", ["vp"])]}, "at least two agencies"),
        ({"lines": [("A", ["vp"]), (None, ["kt"])]}, "needs the agency"),
        ({"lines": [("A", ["vp"]), ("B", []), ("A", ["kt"])]}, "one line"),
        ({"lines": [("A", ["vp"]), ("X", ["kt"])]}, "its own successor"),
        ({"successor": "C"}, "Choose, among the agencies"),
        ({"successor": None}, "Choose, among the agencies"),
        ({"lines": [("A", ["vp"]), ("B", ["vp"])]}, "one agency only"),
        ({"lines": [("A", ["vp"]), ("B", ["other"])]}, "must belong"),
    ],
)
def test_refusals(kwargs, message):
    with pytest.raises(ReorgError) as caught:
        _check(**kwargs)
    assert message in str(caught.value)
    # The template is the msgid Odoo translates: nothing formatted into it.
    assert caught.value.template == str(caught.value)


def test_targets_put_the_named_successor_last():
    targets = split_targets("A", [("A", ["vp"]), ("B", ["kt"]), ("C", [])])
    assert list(targets) == ["B", "C", "A"]
    assert targets == {"B": ["kt"], "C": [], "A": ["vp"]}
    assert split_targets("A", [("B", ["kt"])]) == {"B": ["kt"], "A": []}
