"""The word-pair condition a tsquery implies (capture/phrase.py).

The inputs are tsqueries as PostgreSQL prints ``websearch_to_tsquery`` over
the ``vbdt_capture_vi`` configuration; the Odoo test
``TestCaptureSearch.test_phrase_pairs_never_change_the_hits`` checks against
PostgreSQL itself that the condition never drops a hit."""

import pytest
from capture.phrase import PAIRS_FUNCTION, PAIRS_FUNCTION_NAME, pairs_query


@pytest.mark.parametrize(
    ("tsquery", "expected"),
    [
        # "hồ sơ đất đai"
        (
            "'ho' <-> 'so' <-> 'dat' <-> 'dai'",
            "'ho so' & 'so dat' & 'dat dai'",
        ),
        # "a b" "c d": both phrases must be there
        ("'a' <-> 'b' & 'c' <-> 'd'", "'a b' & 'c d'"),
        # words only: nothing to add
        ("'ngan' & 'sach'", None),
        ("'ngan'", None),
        # a phrase next to words
        ("'ngan' & 'sach' <-> 'tinh'", "'sach tinh'"),
        # under NOT, a phrase implies nothing
        ("'ngan' & !( 'xa' <-> 'phuong' )", None),
        ("!'a' <-> 'b'", None),
        # OR: each branch must have a condition
        ("'a' <-> 'b' | 'c' <-> 'd'", "( 'a b' | 'c d' )"),
        ("'a' <-> 'b' | 'c'", None),
        (
            "'ho' <-> 'so' & 'ngan' & !( 'xa' <-> 'phuong' ) | 'tam' <-> 'dao'",
            "( 'ho so' | 'tam dao' )",
        ),
        # a prefix word pairs with nothing; a distance other than 1 neither
        ("'ab':* <-> 'cd' <-> 'ef'", "'cd ef'"),
        ("'a' <2> 'b' <-> 'c'", "'b c'"),
        # a hyphenated word: every lexeme at its own position
        (
            "'qd-ubnd' <-> 'qd' <-> 'ubnd' <-> 've'",
            "'qd-ubnd qd' & 'qd ubnd' & 'ubnd ve'",
        ),
        # a group inside a phrase keeps its own condition
        ("'x' <-> ( 'a' <-> 'b' | 'c' <-> 'd' )", "( 'a b' | 'c d' )"),
    ],
)
def test_condition_implied_by_the_query(tsquery, expected):
    assert pairs_query(tsquery) == expected


def test_quotes_and_backslashes_survive():
    # PostgreSQL prints the lexeme  o'k\  as 'o''k\\'.
    assert pairs_query(r"'o''k\\' <-> 'x'") == r"'o''k\\ x'"


@pytest.mark.parametrize(
    "text", ["", "   ", None, "'a' <->", "'a' & & 'b'", "(('a'", "hello"]
)
def test_anything_else_adds_no_condition(text):
    assert pairs_query(text) is None


def test_function_is_versioned_and_immutable():
    assert PAIRS_FUNCTION_NAME.endswith("_v1")
    assert "IMMUTABLE" in PAIRS_FUNCTION and PAIRS_FUNCTION_NAME in PAIRS_FUNCTION
