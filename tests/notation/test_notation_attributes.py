"""Urgency levels, authority prefixes and the edXML split of a code: the
vocabularies the models, the signature block and edXML share."""

import pytest
from notation import (
    AUTHORITY_PREFIXES,
    URGENCY_LEVELS,
    authority_prefix,
    join_code,
    split_code,
    urgency_level,
    urgency_rank,
)


def test_urgency_levels_rise_in_edxml_priority_order():
    # QCVN 102 OtherInfo/Priority: 0 normal ... 4 flash with a set time.
    assert URGENCY_LEVELS == ("normal", "urgent", "very_urgent", "flash", "flash_timed")
    assert [urgency_rank(level) for level in URGENCY_LEVELS] == [0, 1, 2, 3, 4]
    assert [urgency_level(rank) for rank in range(5)] == list(URGENCY_LEVELS)


@pytest.mark.parametrize("level", [None, "", False, "hỏa tốc", "NORMAL"])
def test_unknown_urgency_ranks_as_normal(level):
    assert urgency_rank(level) == 0


@pytest.mark.parametrize("rank", [None, -1, 5, 99])
def test_unknown_priority_reads_as_normal(rank):
    assert urgency_level(rank) == "normal"


def test_authority_prefixes():
    assert AUTHORITY_PREFIXES == {
        "tm": "TM.",
        "kt": "KT.",
        "q": "Q.",
        "tl": "TL.",
        "tuq": "TUQ.",
    }
    assert authority_prefix("kt") == "KT."


@pytest.mark.parametrize("authority", [None, False, "", "unknown"])
def test_no_authority_prints_nothing(authority):
    assert authority_prefix(authority) == ""


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("15/QĐ-UBND", ("15", "QĐ-UBND")),
        ("09/2025/QĐ-TTg", ("09", "2025/QĐ-TTg")),
        ("74fass22/VPCP-TTĐT", ("74fass22", "VPCP-TTĐT")),
        (" 7 / UBND\u2013VP ", ("7", "UBND-VP")),
        ("", ("", "")),
        (None, ("", "")),
    ],
)
def test_split_code_ends_the_number_at_the_first_slash(code, expected):
    assert split_code(code) == expected


def test_join_code_inverts_split_code():
    assert join_code(*split_code("09/2025/QĐ-TTg")) == "09/2025/QĐ-TTg"
