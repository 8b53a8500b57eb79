import datetime
import re
import unicodedata
from pathlib import Path

import pytest
from notation import (
    DocumentIdParts,
    NotationError,
    format_code,
    format_document_id,
    parse_code,
    parse_document_id,
    validate_agency_code,
)

EDXML_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "edxml"
UUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"

# ---------------------------------------------------------------- format


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("000.00.00.H44", datetime.date(2026, 2, 5), "15/QĐ-UBND"),
            "000.00.00.H44,2026/02/05,15/QĐ-UBND",
        ),
        (
            ("000.00.00.G22", datetime.date(2015, 9, 30), "7816/VPCP-TTĐT"),
            "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        ),
        (
            (" h01.151 ", datetime.date(2025, 12, 31), " 09/2025/QĐ-TTg "),
            "H01.151,2025/12/31,09/2025/QĐ-TTg",
        ),
        (
            ("28.22.H17", datetime.datetime(2026, 1, 2, 8, 30), "15 / UBND - VP"),
            "28.22.H17,2026/01/02,15/UBND-VP",
        ),
        (
            (
                "000.00.00.H44",
                datetime.date(2026, 2, 5),
                unicodedata.normalize("NFD", "15/QĐ-SGDĐT"),
            ),
            "000.00.00.H44,2026/02/05,15/QĐ-SGDĐT",
        ),
    ],
)
def test_format_document_id(args, expected):
    assert format_document_id(*args) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("", datetime.date(2026, 2, 5), "15/QĐ-UBND"),
            "The agency identifier code is empty.",
        ),
        (
            ("000.00.00 H44", datetime.date(2026, 2, 5), "15/QĐ-UBND"),
            "Agency identifier code “000.00.00 H44” contains a space.",
        ),
        (
            ("000.00.00.H44", datetime.date(2026, 2, 5), ""),
            "A DocumentId needs the number and notation of the document.",
        ),
        (
            ("000.00.00.H44", datetime.date(2026, 2, 5), None),
            "A DocumentId needs the number and notation of the document.",
        ),
        (
            ("000.00.00.H44", datetime.date(2026, 2, 5), "15/QĐ-UBND,VP"),
            "“15/QĐ-UBND,VP” cannot be used in a DocumentId: it contains a comma.",
        ),
    ],
)
def test_format_document_id_errors(args, message):
    with pytest.raises(NotationError) as caught:
        format_document_id(*args)
    assert str(caught.value) == message


# ---------------------------------------------------------------- parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "000.00.00.H44,2026/02/05,15/QĐ-UBND",
            DocumentIdParts(
                "000.00.00.H44,2026/02/05,15/QĐ-UBND",
                "000.00.00.H44",
                datetime.date(2026, 2, 5),
                "2026/02/05",
                "15/QĐ-UBND",
            ),
        ),
        (
            "  000.00.00.G22, 2015/09/30 , 7816/VPCP-TTĐT\n",
            DocumentIdParts(
                "000.00.00.G22, 2015/09/30 , 7816/VPCP-TTĐT",
                "000.00.00.G22",
                datetime.date(2015, 9, 30),
                "2015/09/30",
                "7816/VPCP-TTĐT",
            ),
        ),
        (
            "h01.151,2025/1/2,09/2025/QĐ-TTg",
            DocumentIdParts(
                "h01.151,2025/1/2,09/2025/QĐ-TTg",
                "H01.151",
                datetime.date(2025, 1, 2),
                "2025/1/2",
                "09/2025/QĐ-TTg",
            ),
        ),
        # A real package carries 30 February: read it, without a date.
        (
            "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT",
            DocumentIdParts(
                "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT",
                "000.00.00.G22",
                None,
                "2014/02/30",
                "7806/VPCP-TTĐT",
            ),
        ),
        (
            "28.22.H17,2026/13/01,74fass22/VPCP",
            DocumentIdParts(
                "28.22.H17,2026/13/01,74fass22/VPCP",
                "28.22.H17",
                None,
                "2026/13/01",
                "74fass22/VPCP",
            ),
        ),
        (
            "000.00.00.H44,2026/02/05,15 / QĐ \u2013 UBND",
            DocumentIdParts(
                "000.00.00.H44,2026/02/05,15 / QĐ \u2013 UBND",
                "000.00.00.H44",
                datetime.date(2026, 2, 5),
                "2026/02/05",
                "15/QĐ-UBND",
            ),
        ),
    ],
)
def test_parse_document_id(text, expected):
    parsed = parse_document_id(text)
    assert parsed == expected
    assert not parsed.opaque


@pytest.mark.parametrize("text", [UUID, UUID.upper(), f"  {UUID}\n"])
def test_parse_document_id_accepts_uuids_as_opaque(text):
    parsed = parse_document_id(text)
    assert parsed == DocumentIdParts(text.strip(), None, None, None, None)
    assert parsed.opaque


@pytest.mark.parametrize("text", ["", "   ", None, False])
def test_parse_document_id_empty_is_none(text):
    assert parse_document_id(text) is None


def test_parse_document_id_normalises_to_nfc():
    parsed = parse_document_id(
        unicodedata.normalize("NFD", "000.00.00.H44,2026/02/05,15/QĐ-SGDĐT")
    )
    assert parsed.text == "000.00.00.H44,2026/02/05,15/QĐ-SGDĐT"
    assert parsed.code == "15/QĐ-SGDĐT"


def test_format_and_parse_round_trip():
    code = format_code(15, "QĐ-UBND")
    text = format_document_id("000.46.24.H44", datetime.date(2026, 2, 5), code)
    parsed = parse_document_id(text)
    assert (parsed.text, parsed.organ_id, parsed.date, parsed.code) == (
        text,
        "000.46.24.H44",
        datetime.date(2026, 2, 5),
        code,
    )
    assert parse_code(parsed.code).number == 15


_SHAPE_ERROR = (
    "“%s” is not a DocumentId: expected “agency code,yyyy/MM/dd,number/notation”, "
    "such as 000.00.00.H44,2026/02/05,15/QĐ-UBND, or a UUID."
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", _SHAPE_ERROR % "abc"),
        ("3f2504e0-4f89-11d3-9a0c", _SHAPE_ERROR % "3f2504e0-4f89-11d3-9a0c"),
        (f"{{{UUID}}}", _SHAPE_ERROR % (f"{{{UUID}}}")),
        ("000.00.00.H44,2026/02/05", _SHAPE_ERROR % "000.00.00.H44,2026/02/05"),
        (
            "000.00.00.H44,2026/02/05,15/QĐ-UBND,VP",
            _SHAPE_ERROR % "000.00.00.H44,2026/02/05,15/QĐ-UBND,VP",
        ),
        (",2026/02/05,15/QĐ-UBND", _SHAPE_ERROR % ",2026/02/05,15/QĐ-UBND"),
        ("000.00.00.H44, ,15/QĐ-UBND", _SHAPE_ERROR % "000.00.00.H44, ,15/QĐ-UBND"),
        ("000.00.00.H44,2026/02/05,", _SHAPE_ERROR % "000.00.00.H44,2026/02/05,"),
        (
            "000.00.00.H44,2026-02-05,15/QĐ-UBND",
            "DocumentId “000.00.00.H44,2026-02-05,15/QĐ-UBND” has the date "
            "“2026-02-05”; "
            "expected yyyy/MM/dd.",
        ),
        (
            "000.00.00.H44,05/02/2026,15/QĐ-UBND",
            "DocumentId “000.00.00.H44,05/02/2026,15/QĐ-UBND” has the date "
            "“05/02/2026”; "
            "expected yyyy/MM/dd.",
        ),
        (
            "000.00.00.H44,2026/02/05 10:00:00,15/QĐ-UBND",
            "DocumentId “000.00.00.H44,2026/02/05 10:00:00,15/QĐ-UBND” has the date "
            "“2026/02/05 10:00:00”; expected yyyy/MM/dd.",
        ),
        (
            "UBND PHÚ THỌ,2026/02/05,15/QĐ-UBND",
            "Agency identifier code “UBND PHÚ THỌ” contains a space.",
        ),
    ],
)
def test_parse_document_id_errors(text, message):
    with pytest.raises(NotationError) as caught:
        parse_document_id(text)
    assert str(caught.value) == message


# ---------------------------------------------------------------- real packages


def _fixture_values(element):
    pattern = re.compile(rf"<(?:edXML:)?{element}>\s*([^<]*?)\s*</")
    return sorted(
        {
            value
            for path in EDXML_FIXTURES.glob("*.edxml")
            for value in pattern.findall(path.read_text(encoding="utf-8"))
        }
    )


def test_fixtures_are_present():
    assert _fixture_values("DocumentId") and _fixture_values("OrganId")


@pytest.mark.parametrize("text", _fixture_values("DocumentId"))
def test_every_document_id_in_real_packages_parses(text):
    parsed = parse_document_id(text)
    assert parsed.organ_id and parsed.code
    assert parse_code(parsed.code).notation


@pytest.mark.parametrize("code", _fixture_values("OrganId"))
def test_every_organ_id_in_real_packages_validates_leniently(code):
    assert validate_agency_code(code) == code
