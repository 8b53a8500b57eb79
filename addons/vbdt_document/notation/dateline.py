"""The place-and-date line printed under the national motto."""

import datetime

from .errors import NotationError, _
from .text import nfc


def date_line(place: str, day: datetime.date) -> str:
    """``Phú Thọ, ngày 05 tháng 02 năm 2026``.

    Decree 30 writes days below 10 and the months January and February with a
    leading zero (``tháng 01``, ``tháng 02``) but ``tháng 3`` … ``tháng 12``
    without: a digit written in front by hand cannot then turn day 5 into 25
    or month 1 into 11.
    """
    place_name = " ".join(nfc(place or "").split())
    if not place_name:
        raise NotationError(_("The date line needs the name of the place of issue."))
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place_name}, ngày {day.day:02d} tháng {month} năm {day.year}"
