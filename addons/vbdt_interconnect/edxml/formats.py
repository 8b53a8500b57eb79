"""Text forms of edXML values: dates, timestamps, DocumentId, content ids.

Writing uses exactly one form (``yyyy/MM/dd``, ``yyyy/MM/dd HH:mm:ss``,
``<OrganId>,<yyyy/MM/dd>,<number>/<notation>``, ``cid:<id>``).  Reading also
accepts the variants other systems are known to send (ISO dates, day-first
dates, bare content ids, UUID DocumentIds), because one odd sender must not
block a whole inbox.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class DocumentIdParts:
    organ_id: str
    promulgation_date: date
    code_number: str
    code_notation: str


def format_document_id(
    organ_id: str, promulgation_date: date, code_number: str, code_notation: str
) -> str:
    """``<issuer OrganId>,<yyyy/MM/dd>,<number>/<notation>`` (B5)."""
    return f"{organ_id},{format_date(promulgation_date)},{code_number}/{code_notation}"


def parse_document_id(value: str) -> DocumentIdParts | None:
    """Split a canonical DocumentId; ``None`` for UUIDs and other opaque ids,
    which are valid identities but carry no parts.  The notation may itself
    contain ``/`` (``09/2025/QĐ-TTg``): the number ends at the first one."""
    fields = value.strip().split(",", 2)
    if len(fields) != 3:
        return None
    organ_id, date_text, code = (field.strip() for field in fields)
    number, _slash, notation = code.partition("/")
    try:
        promulgation_date = datetime.strptime(date_text, DATE_FORMAT).date()
    except ValueError:
        return None
    if not (organ_id and number and notation):
        return None
    return DocumentIdParts(organ_id, promulgation_date, number, notation)


def strip_cid(value: str) -> str:
    """``cid:209``, ``<209>`` and ``209`` all name content id ``209``."""
    value = value.strip()
    if value[: len(CID_PREFIX)].lower() == CID_PREFIX:
        value = value[len(CID_PREFIX) :]
    return value.strip().strip("<>")


def format_cid(content_id: str) -> str:
    return CID_PREFIX + content_id
