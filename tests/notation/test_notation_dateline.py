import datetime
import unicodedata

import pytest
from notation import NotationError, date_line


@pytest.mark.parametrize(
    ("place", "day", "expected"),
    [
        ("Phú Thọ", datetime.date(2026, 2, 5), "Phú Thọ, ngày 05 tháng 02 năm 2026"),
        ("Hà Nội", datetime.date(2026, 1, 1), "Hà Nội, ngày 01 tháng 01 năm 2026"),
        ("Hà Nội", datetime.date(2026, 1, 31), "Hà Nội, ngày 31 tháng 01 năm 2026"),
        ("Hà Nội", datetime.date(2026, 3, 20), "Hà Nội, ngày 20 tháng 3 năm 2026"),
        ("Hà Nội", datetime.date(2026, 9, 9), "Hà Nội, ngày 09 tháng 9 năm 2026"),
        ("Hà Nội", datetime.date(2026, 10, 10), "Hà Nội, ngày 10 tháng 10 năm 2026"),
        ("Hà Nội", datetime.date(2026, 11, 15), "Hà Nội, ngày 15 tháng 11 năm 2026"),
        ("Hà Nội", datetime.date(2026, 12, 31), "Hà Nội, ngày 31 tháng 12 năm 2026"),
        (
            "  TP. Hồ   Chí Minh ",
            datetime.date(2025, 7, 2),
            "TP. Hồ Chí Minh, ngày 02 tháng 7 năm 2025",
        ),
        (
            "Phú Thọ",
            datetime.datetime(2026, 2, 5, 23, 59),
            "Phú Thọ, ngày 05 tháng 02 năm 2026",
        ),
    ],
)
def test_date_line(place, day, expected):
    assert date_line(place, day) == expected


@pytest.mark.parametrize("month", range(1, 13))
def test_only_january_and_february_get_a_leading_zero(month):
    line = date_line("Huế", datetime.date(2026, month, 10))
    expected = f"{month:02d}" if month <= 2 else str(month)
    assert line == f"Huế, ngày 10 tháng {expected} năm 2026"


@pytest.mark.parametrize("day", range(1, 32))
def test_every_day_has_two_digits(day):
    assert f"ngày {day:02d} tháng 12" in date_line("Huế", datetime.date(2026, 12, day))


def test_date_line_normalises_place_to_nfc():
    line = date_line(unicodedata.normalize("NFD", "Phú Thọ"), datetime.date(2026, 2, 5))
    assert line.startswith("Phú Thọ, ") and unicodedata.is_normalized("NFC", line)


@pytest.mark.parametrize("place", ["", "   ", None, False])
def test_date_line_needs_a_place(place):
    with pytest.raises(NotationError) as caught:
        date_line(place, datetime.date(2026, 2, 5))
    assert str(caught.value) == "The date line needs the name of the place of issue."
