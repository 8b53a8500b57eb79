"""Text forms of edXML values: dates, timestamps, content ids.

Writing uses exactly one form (``yyyy/MM/dd``, ``yyyy/MM/dd HH:mm:ss``,
``cid:<id>``).  Reading also accepts the variants other systems are known to
send (ISO dates, day-first dates, bare content ids), because one odd sender
must not block a whole inbox.  DocumentIds and document codes belong to the
notation core (``notation.format_document_id``, ``parse_document_id``,
``split_code``; see ``_notation.py``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"

# Vietnam has no daylight saving time, so a fixed offset is exact.
VIETNAM_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

_DATE_READ_FORMATS = (DATE_FORMAT, "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
_TIMESTAMP_READ_FORMATS = tuple(
    f"{date_format}{separator}%H:%M:%S"
    for date_format in _DATE_READ_FORMATS
    for separator in (" ", "T")
)
CID_PREFIX = "cid:"


def format_date(value: date) -> str:
    return value.strftime(DATE_FORMAT)


def format_timestamp(value: datetime) -> str:
    """Naive values are taken as Vietnam wall time; aware ones are converted."""
    return to_vietnam_wall_time(value).strftime(TIMESTAMP_FORMAT)


def to_vietnam_wall_time(value: datetime) -> datetime:
    """Return the naive Asia/Ho_Chi_Minh wall time edXML carries."""
    if value.tzinfo is None:
        return value
    return value.astimezone(VIETNAM_TZ).replace(tzinfo=None)


def parse_date(text: str) -> date | None:
    """Read a date in any known form; ``None`` when empty or unreadable."""
    text = text.strip()
    for date_format in _DATE_READ_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    timestamp = parse_timestamp(text)
    return timestamp.date() if timestamp else None


def parse_timestamp(text: str) -> datetime | None:
    """Read a timestamp as naive Vietnam wall time; ``None`` when unreadable."""
    text = text.strip()
    for timestamp_format in _TIMESTAMP_READ_FORMATS:
        try:
            return datetime.strptime(text, timestamp_format)
        except ValueError:
            continue
    try:
        return to_vietnam_wall_time(datetime.fromisoformat(text))
    except ValueError:
        return None


def strip_cid(value: str) -> str:
    """``cid:209``, ``<209>`` and ``209`` all name content id ``209``."""
    value = value.strip()
    if value[: len(CID_PREFIX)].lower() == CID_PREFIX:
        value = value[len(CID_PREFIX) :]
    return value.strip().strip("<>")


def format_cid(content_id: str) -> str:
    return CID_PREFIX + content_id
