import unicodedata

import pytest
from notation import (
    DECREE30_ABBREVIATIONS,
    DEFAULT_TYPE_ABBREVIATIONS,
    LEGAL_NORMATIVE_ABBREVIATIONS,
    Code,
    Notation,
    NotationError,
    format_code,
    format_notation,
    format_number,
    parse_code,
    parse_notation,
)

# ---------------------------------------------------------------- constants


def test_decree30_abbreviations_are_the_seeded_ones():
    assert DECREE30_ABBREVIATIONS == {
        "NQ",
        "QĐ",
        "CT",
        "QC",
        "QyĐ",
        "TC",
        "TB",
        "HD",
        "CTr",
        "KH",
        "PA",
        "ĐA",
        "DA",
        "BC",
        "BB",
        "TTr",
        "HĐ",
        "CĐ",
        "GN",
        "TTh",
        "GUQ",
        "GM",
        "GGT",
        "GNP",
        "PG",
        "PC",
        "PB",
        "SY",
        "TrS",
        "SL",
    }


def test_default_abbreviations_add_legal_normative_types():
    assert (
        DEFAULT_TYPE_ABBREVIATIONS
        == DECREE30_ABBREVIATIONS | LEGAL_NORMATIVE_ABBREVIATIONS
    )
    assert {"NĐ", "TT"} <= DEFAULT_TYPE_ABBREVIATIONS


@pytest.mark.parametrize("abbr", sorted(DEFAULT_TYPE_ABBREVIATIONS))
def test_default_abbreviations_are_nfc_and_compact(abbr):
    assert unicodedata.is_normalized("NFC", abbr)
    assert abbr.strip() == abbr and "-" not in abbr


# ---------------------------------------------------------------- format_number


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "01"),
        (5, "05"),
        (9, "09"),
        (10, "10"),
        (15, "15"),
        (99, "99"),
        (120, "120"),
        (7816, "7816"),
    ],
)
def test_format_number(number, expected):
    assert format_number(number) == expected


@pytest.mark.parametrize("number", [0, -1, -15])
def test_format_number_refuses_below_one(number):
    with pytest.raises(NotationError) as caught:
        format_number(number)
    assert caught.value.params == {"number": number}
    assert str(caught.value) == (
        f"Document numbers start at 1; {number} is not a valid number."
    )


# ---------------------------------------------------------------- format_notation


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("QĐ", "UBND"), "QĐ-UBND"),
        (("TB", "SNV"), "TB-SNV"),
        (("QĐ", "UBND", "VP"), "QĐ-UBND-VP"),
        ((None, "UBND", "VP"), "UBND-VP"),
        ((None, "UBND"), "UBND"),
        (("", "UBND", ""), "UBND"),
        ((False, "UBND", False), "UBND"),
        (("  QĐ ", " UBND\t", " VP "), "QĐ-UBND-VP"),
        (("   ", "UBND"), "UBND"),
        (("QĐ", "TTg"), "QĐ-TTg"),
        (("TTLT", "BTC-BTP"), "TTLT-BTC-BTP"),
        (("QĐ", "UBND\u2013VP"), "QĐ-UBND-VP"),
        (
            (unicodedata.normalize("NFD", "QĐ"), unicodedata.normalize("NFD", "SGDĐT")),
            "QĐ-SGDĐT",
        ),
    ],
)
def test_format_notation(args, expected):
    assert format_notation(*args) == expected


@pytest.mark.parametrize("agency", [None, "", "   ", False])
def test_format_notation_needs_agency(agency):
    with pytest.raises(NotationError) as caught:
        format_notation("QĐ", agency)
    assert (
        str(caught.value) == "A notation needs the abbreviation of the issuing agency."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("QĐ", "UBND tỉnh"),
            "“UBND tỉnh” cannot be used in a notation: it contains a space.",
        ),
        (("Q Đ", "UBND"), "“Q Đ” cannot be used in a notation: it contains a space."),
        (
            ("QĐ", "UBND", "V P"),
            "“V P” cannot be used in a notation: it contains a space.",
        ),
        (("QĐ", "UBND/VP"), "“UBND/VP” cannot be used in a notation: it contains “/”."),
        (("QĐ/", "UBND"), "“QĐ/” cannot be used in a notation: it contains “/”."),
        (
            ("QĐ", "UBND", "VP,KT"),
            "“VP,KT” cannot be used in a notation: it contains “,”.",
        ),
        (
            ("QĐ", "UBND-"),
            "“UBND-” cannot be used in a notation: it has an empty part between "
            "dashes.",
        ),
        (
            ("QĐ", "UBND", "-VP"),
            "“-VP” cannot be used in a notation: it has an empty part between dashes.",
        ),
        (
            ("QĐ", "UBND--VP"),
            "“UBND--VP” cannot be used in a notation: it has an empty part between "
            "dashes.",
        ),
    ],
)
def test_format_notation_refuses_bad_parts(args, message):
    with pytest.raises(NotationError) as caught:
        format_notation(*args)
    assert str(caught.value) == message


# ---------------------------------------------------------------- format_code


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((15, "QĐ-UBND"), "15/QĐ-UBND"),
        ((5, "TB-SNV"), "05/TB-SNV"),
        ((15, "UBND-VP"), "15/UBND-VP"),
        ((120, "QĐ-UBND", None), "120/QĐ-UBND"),
        ((120, "QĐ-UBND", False), "120/QĐ-UBND"),
        ((120, "QĐ-UBND", 0), "120/QĐ-UBND"),
        ((9, "QĐ-TTg", 2025), "09/2025/QĐ-TTg"),
        ((30, "NĐ-CP", 2020), "30/2020/NĐ-CP"),
        ((1, " QĐ-UBND "), "01/QĐ-UBND"),
    ],
)
def test_format_code(args, expected):
    assert format_code(*args) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, "QĐ-UBND"), "Document numbers start at 1; 0 is not a valid number."),
        ((15, ""), "A document code needs a notation."),
        ((15, None), "A document code needs a notation."),
        (
            (15, "15/QĐ-UBND"),
            "“15/QĐ-UBND” cannot be used in a notation: it contains “/”.",
        ),
        (
            (15, "QĐ-UBND", 25),
            "The year in a document code has four digits; 25 is not a valid year.",
        ),
        (
            (15, "QĐ-UBND", 20250),
            "The year in a document code has four digits; 20250 is not a valid year.",
        ),
    ],
)
def test_format_code_errors(args, message):
    with pytest.raises(NotationError) as caught:
        format_code(*args)
    assert str(caught.value) == message


# ---------------------------------------------------------------- parse_notation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("QĐ-UBND", Notation("QĐ-UBND", "QĐ", "UBND", None)),
        ("TB-SNV", Notation("TB-SNV", "TB", "SNV", None)),
        ("QĐ-UBND-VP", Notation("QĐ-UBND-VP", "QĐ", "UBND", "VP")),
        ("UBND-VP", Notation("UBND-VP", None, "UBND", "VP")),
        ("UBND", Notation("UBND", None, "UBND", None)),
        ("VPCP-TTĐT", Notation("VPCP-TTĐT", None, "VPCP", "TTĐT")),
        ("NĐ-CP", Notation("NĐ-CP", "NĐ", "CP", None)),
        ("TTLT-BTC-BTP", Notation("TTLT-BTC-BTP", "TTLT", "BTC", "BTP")),
        ("UBND-VP-TH", Notation("UBND-VP-TH", None, "UBND", "VP-TH")),
        # A lone type abbreviation has no agency after it: read it as the agency.
        ("QĐ", Notation("QĐ", None, "QĐ", None)),
        # Case is kept as given; the type is still recognised.
        ("qđ-ubnd", Notation("qđ-ubnd", "qđ", "ubnd", None)),
        ("QYĐ-UBND", Notation("QYĐ-UBND", "QYĐ", "UBND", None)),
        (" QĐ - UBND ", Notation("QĐ-UBND", "QĐ", "UBND", None)),
        ("QĐ\u2013UBND", Notation("QĐ-UBND", "QĐ", "UBND", None)),
        (
            unicodedata.normalize("NFD", "ĐA-SGDĐT"),
            Notation("ĐA-SGDĐT", "ĐA", "SGDĐT", None),
        ),
    ],
)
def test_parse_notation(text, expected):
    assert parse_notation(text) == expected


def test_parse_notation_uses_callers_abbreviations():
    assert parse_notation("QĐ-UBND", {"TB"}) == Notation("QĐ-UBND", None, "QĐ", "UBND")
    assert parse_notation("BGN-UBND", ["BGN", None, ""]).type_abbr == "BGN"
    assert parse_notation("BGN-UBND").type_abbr is None
    assert parse_notation("QĐ-UBND", []).type_abbr is None
    decomposed = (abbr for abbr in [unicodedata.normalize("NFD", " qđ ")])
    assert parse_notation("QĐ-UBND", decomposed).type_abbr == "QĐ"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The notation is empty."),
        ("   ", "The notation is empty."),
        (None, "The notation is empty."),
        ("15/QĐ-UBND", "“15/QĐ-UBND” is not a notation: a notation has no “/”."),
        (
            "QĐ--UBND",
            "“QĐ--UBND” is not a notation: it has an empty part between dashes.",
        ),
        ("-UBND", "“-UBND” is not a notation: it has an empty part between dashes."),
        ("QĐ-", "“QĐ-” is not a notation: it has an empty part between dashes."),
    ],
)
def test_parse_notation_errors(text, message):
    with pytest.raises(NotationError) as caught:
        parse_notation(text)
    assert str(caught.value) == message


# ---------------------------------------------------------------- parse_code


def _code(number, number_text, year, notation, type_abbr, agency, unit=None):
    return Code(number, number_text, year, notation, type_abbr, agency, unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/QĐ-UBND", _code(15, "15", None, "QĐ-UBND", "QĐ", "UBND")),
        ("05/TB-SNV", _code(5, "05", None, "TB-SNV", "TB", "SNV")),
        ("15/UBND-VP", _code(15, "15", None, "UBND-VP", None, "UBND", "VP")),
        ("09/2025/QĐ-TTg", _code(9, "09", 2025, "QĐ-TTg", "QĐ", "TTg")),
        ("30/2020/NĐ-CP", _code(30, "30", 2020, "NĐ-CP", "NĐ", "CP")),
        (
            "7816/VPCP-TTĐT",
            _code(7816, "7816", None, "VPCP-TTĐT", None, "VPCP", "TTĐT"),
        ),
        ("120/QĐ-UBND-VP", _code(120, "120", None, "QĐ-UBND-VP", "QĐ", "UBND", "VP")),
        # Numbers that are not numbers are kept as text.
        (
            "74fass22/VPCP-TTĐT",
            _code(None, "74fass22", None, "VPCP-TTĐT", None, "VPCP", "TTĐT"),
        ),
        ("15a/QĐ-UBND", _code(None, "15a", None, "QĐ-UBND", "QĐ", "UBND")),
        ("0/QĐ-UBND", _code(None, "0", None, "QĐ-UBND", "QĐ", "UBND")),
        ("007/QĐ-UBND", _code(7, "007", None, "QĐ-UBND", "QĐ", "UBND")),
        # A draft leaves the number blank for the clerk.
        ("Số:      /QĐ-UBND", _code(None, "", None, "QĐ-UBND", "QĐ", "UBND")),
        # Prefixes, spaces, dashes and case.
        ("Số 15/QĐ-UBND", _code(15, "15", None, "QĐ-UBND", "QĐ", "UBND")),
        ("Số: 15/QĐ-UBND", _code(15, "15", None, "QĐ-UBND", "QĐ", "UBND")),
        ("SỐ:15/QĐ-UBND", _code(15, "15", None, "QĐ-UBND", "QĐ", "UBND")),
        ("số15/QĐ-UBND", _code(15, "15", None, "QĐ-UBND", "QĐ", "UBND")),
        # "QD" is not "QĐ": folding would confuse DA (Dự án) and ĐA (Đề án).
        ("So 15/QD-UBND", _code(15, "15", None, "QD-UBND", None, "QD", "UBND")),
        ("Số. 15/QĐ-UBND", _code(15, "15", None, "QĐ-UBND", "QĐ", "UBND")),
        ("  15 / QĐ - UBND  ", _code(15, "15", None, "QĐ-UBND", "QĐ", "UBND")),
        ("15\u00a0/\nQĐ\u2013UBND", _code(15, "15", None, "QĐ-UBND", "QĐ", "UBND")),
        ("09 / 2025 / QĐ-TTg", _code(9, "09", 2025, "QĐ-TTg", "QĐ", "TTg")),
        ("15/qđ-ubnd", _code(15, "15", None, "qđ-ubnd", "qđ", "ubnd")),
        ("15/Qđ-UBND", _code(15, "15", None, "Qđ-UBND", "Qđ", "UBND")),
        # "So" only counts as a prefix when something separates it.
        ("Sonla/UBND", _code(None, "Sonla", None, "UBND", None, "UBND")),
    ],
)
def test_parse_code(text, expected):
    assert parse_code(text) == expected


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_parse_code_normalises_to_nfc(form):
    code = parse_code(unicodedata.normalize(form, "Số 15/QĐ-SGDĐT-VP"))
    assert code.notation == "QĐ-SGDĐT-VP"
    assert unicodedata.is_normalized("NFC", code.agency)
    assert code.type_abbr == "QĐ"


def test_parse_code_passes_abbreviations_on():
    assert parse_code("15/QĐ-UBND", {"TB"}).type_abbr is None
    assert parse_code("15/BGN-UBND", {"BGN"}).type_abbr == "BGN"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số: 15 / QĐ - UBND", "15/QĐ-UBND"),
        ("09 / 2025 / QĐ-TTg", "09/2025/QĐ-TTg"),
        ("74fass22/VPCP-TTĐT", "74fass22/VPCP-TTĐT"),
        ("Số:   /QĐ-UBND", "/QĐ-UBND"),
    ],
)
def test_code_text_writes_the_code_back(text, expected):
    assert parse_code(text).text == expected


@pytest.mark.parametrize(
    ("number", "notation", "year"),
    [
        (1, "QĐ-UBND", None),
        (15, "UBND-VP", None),
        (9, "QĐ-TTg", 2025),
        (120, "TB-SNV-VP", None),
    ],
)
def test_format_and_parse_round_trip(number, notation, year):
    code = parse_code(format_code(number, notation, year))
    assert (code.number, code.notation, code.year) == (number, notation, year)
    assert code.text == format_code(number, notation, year)


_SHAPE_ERROR = (
    "“%s” is not a document code: expected number/notation, such as 15/QĐ-UBND, "
    "or number/year/notation, such as 09/2025/QĐ-TTg."
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", _SHAPE_ERROR % ""),
        (None, _SHAPE_ERROR % ""),
        ("Số", _SHAPE_ERROR % "Số"),
        ("QĐ-UBND", _SHAPE_ERROR % "QĐ-UBND"),
        ("  15 ", _SHAPE_ERROR % "15"),
        ("15/abc/QĐ-UBND", _SHAPE_ERROR % "15/abc/QĐ-UBND"),
        ("15/25/QĐ-UBND", _SHAPE_ERROR % "15/25/QĐ-UBND"),
        ("15/QĐ-UBND/2025", _SHAPE_ERROR % "15/QĐ-UBND/2025"),
        ("15/2025/QĐ-UBND/VP", _SHAPE_ERROR % "15/2025/QĐ-UBND/VP"),
        ("15/", "The notation is empty."),
        ("15/2025/", "The notation is empty."),
        (
            "15/QĐ--UBND",
            "“QĐ--UBND” is not a notation: it has an empty part between dashes.",
        ),
    ],
)
def test_parse_code_errors(text, message):
    with pytest.raises(NotationError) as caught:
        parse_code(text)
    assert str(caught.value) == message


def test_code_is_frozen():
    code = parse_code("15/QĐ-UBND")
    with pytest.raises(AttributeError):
        code.number = 16
