import pytest
from notation import (
    LEVEL1_LETTERS,
    MAX_AGENCY_CODE_LENGTH,
    NotationError,
    classify_agency_code,
    legacy_code_parts,
    legacy_parent_code,
    validate_agency_code,
)

# ---------------------------------------------------------------- classify


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("000.00.00.H44", "legacy"),
        ("000.46.24.H44", "legacy"),
        ("000.00.00.G22", "legacy"),
        ("000.00.00.A80", "legacy"),
        ("001.46.24.K63", "legacy"),
        (" 000.00.00.h44 ", "legacy"),
        ("G09.01", "qd20"),
        ("H01.151", "qd20"),
        ("H01", "qd20"),
        ("A80", "qd20"),
        ("g09.01", "qd20"),
        ("H01.151.02.1A", "qd20"),
        ("H01." + ".".join(["10"] * 10), "qd20"),  # 34 characters
        ("H01." + ".".join(["10"] * 11), "other"),  # 37 characters
        ("28.22.H17", "other"),
        ("000.00.00.L44", "other"),
        ("000.00.00.H4", "other"),
        ("00.00.00.H44", "other"),
        ("L01.151", "other"),
        ("H.01", "other"),
        ("H01..151", "other"),
        ("VPCP", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_classify_agency_code(code, kind):
    assert classify_agency_code(code) == kind


def test_level1_letters_are_a_to_k():
    assert LEVEL1_LETTERS == "ABCDEFGHIJK"
    for letter in LEVEL1_LETTERS:
        assert classify_agency_code(f"000.00.00.{letter}01") == "legacy"
        assert classify_agency_code(f"{letter}01.1") == "qd20"


# ---------------------------------------------------------------- validate


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("000.00.00.H44", "000.00.00.H44"),
        ("  000.46.24.h44\n", "000.46.24.H44"),
        ("g09.01", "G09.01"),
        ("H01.151", "H01.151"),
        ("28.22.H17", "28.22.H17"),
        ("VPCP", "VPCP"),
        ("X" * MAX_AGENCY_CODE_LENGTH, "X" * MAX_AGENCY_CODE_LENGTH),
    ],
)
def test_validate_agency_code_lenient(code, expected):
    assert validate_agency_code(code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [(" 000.46.24.h44", "000.46.24.H44"), ("h01.151", "H01.151"), ("G09", "G09")],
)
def test_validate_agency_code_strict_accepts_standard_forms(code, expected):
    assert validate_agency_code(code, strict=True) == expected


@pytest.mark.parametrize("code", ["28.22.H17", "VPCP", "000.00.00.L44", "1.2.3"])
def test_validate_agency_code_strict_refuses_other_forms(code):
    with pytest.raises(NotationError) as caught:
        validate_agency_code(code, strict=True)
    assert str(caught.value) == (
        f"Agency identifier code “{code}” is neither a 13-character QCVN 102 code "
        "such as 000.00.00.H44 nor a Decision 20 code such as H01.151."
    )


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "The agency identifier code is empty."),
        ("   ", "The agency identifier code is empty."),
        (None, "The agency identifier code is empty."),
        ("000.00.00 .H44", "Agency identifier code “000.00.00 .H44” contains a space."),
        ("H01.\t151", "Agency identifier code “H01.\t151” contains a space."),
        (
            "H01." + "1" * 32,
            f"Agency identifier code “H01.{'1' * 32}” has 36 characters; at most 35 "
            "are allowed.",
        ),
        (
            "000-00-00-H44",
            "Agency identifier code “000-00-00-H44” contains “-”; only letters A–Z, "
            "digits "
            "and dots are allowed.",
        ),
        (
            "UBND_PHÚ/THỌ",
            "Agency identifier code “UBND_PHÚ/THỌ” contains “/_ÚỌ”; only letters "
            "A–Z, digits "
            "and dots are allowed.",
        ),
        (
            "H01..151",
            "Agency identifier code “H01..151” has an empty part between dots.",
        ),
        (".H01", "Agency identifier code “.H01” has an empty part between dots."),
        ("H01.", "Agency identifier code “H01.” has an empty part between dots."),
    ],
)
def test_validate_agency_code_errors(code, message, strict):
    with pytest.raises(NotationError) as caught:
        validate_agency_code(code, strict=strict)
    assert str(caught.value) == message


def test_validate_agency_code_error_params():
    with pytest.raises(NotationError) as caught:
        validate_agency_code("H01." + "1" * 40)
    assert caught.value.params == {
        "code": "H01." + "1" * 40,
        "length": 44,
        "maximum": 35,
    }


# ---------------------------------------------------------------- legacy hierarchy


@pytest.mark.parametrize(
    ("code", "parts"),
    [
        ("000.00.00.H44", ("H44",)),
        ("000.00.24.H44", ("H44", "24")),
        ("000.46.24.H44", ("H44", "24", "46")),
        ("001.46.24.H44", ("H44", "24", "46", "001")),
        ("000.46.00.H44", ("H44", "00", "46")),
        ("100.00.00.G22", ("G22", "00", "00", "100")),
        (" 000.46.24.h44 ", ("H44", "24", "46")),
    ],
)
def test_legacy_code_parts(code, parts):
    assert legacy_code_parts(code) == parts


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("001.46.24.H44", "000.46.24.H44"),
        ("000.46.24.H44", "000.00.24.H44"),
        ("000.00.24.H44", "000.00.00.H44"),
        ("000.00.00.H44", None),
        ("000.46.00.H44", "000.00.00.H44"),
        ("100.00.00.G22", "000.00.00.G22"),
        ("000.46.24.h44", "000.00.24.H44"),
    ],
)
def test_legacy_parent_code(code, parent):
    assert legacy_parent_code(code) == parent


def test_legacy_parent_chain_ends_at_the_province():
    chain, code = [], "001.46.24.H44"
    while code:
        chain.append(code)
        code = legacy_parent_code(code)
    assert chain == ["001.46.24.H44", "000.46.24.H44", "000.00.24.H44", "000.00.00.H44"]


@pytest.mark.parametrize("function", [legacy_code_parts, legacy_parent_code])
@pytest.mark.parametrize("code", ["H01.151", "28.22.H17", "", "000.00.00.L44"])
def test_legacy_functions_refuse_other_codes(function, code):
    with pytest.raises(NotationError) as caught:
        function(code)
    assert str(caught.value) == (
        f"“{code}” is not a 13-character QCVN 102 agency code such as 000.00.00.H44."
    )
