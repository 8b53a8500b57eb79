"""The edXML ``DocumentId`` (QCVN 102:2016): ``<issuer OrganId>,<yyyy/MM/dd>,
<number>/<notation>``, e.g. ``000.00.00.H44,2026/02/05,15/QĐ-UBND``.

Some systems send a UUID instead; it is accepted as an opaque identifier.
"""

import datetime
import re
from dataclasses import dataclass

from .agency_codes import validate_agency_code
from .errors import NotationError, _
from .text import compact, nfc

_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
_DATE = re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})")


@dataclass(frozen=True)
class DocumentIdParts:
    """A DocumentId as received.

    ``text`` is the value stripped and in NFC: keep it to echo back in
    ``ResponseFor`` and to match duplicates.  For an opaque (UUID) value the
    other fields are ``None``.  ``date`` is ``None`` when ``date_text`` has the
    right shape but is no calendar date: real packages carry ``2014/02/30``
    and must still be read.
    """

    text: str
    organ_id: str | None
    date: datetime.date | None
    date_text: str | None
    code: str | None

    @property
    def opaque(self) -> bool:
        """True for a UUID, which says nothing about issuer, date or code."""
        return self.organ_id is None


def format_document_id(organ_id: str, day: datetime.date, code: str) -> str:
    """The DocumentId of a document issued by ``organ_id`` on ``day`` as
    ``code``; raises :class:`NotationError` for an invalid agency code or an
    empty code or one with a comma (the separator of the three parts)."""
    organ = validate_agency_code(organ_id)
    code_text = compact(code or "")
    if not code_text:
        raise NotationError(
            _("A DocumentId needs the number and notation of the document.")
        )
    if "," in code_text:
        raise NotationError(
            _("“%(code)s” cannot be used in a DocumentId: it contains a comma."),
            code=code_text,
        )
    return f"{organ},{day.year:04d}/{day.month:02d}/{day.day:02d},{code_text}"


def parse_document_id(text: str | None) -> DocumentIdParts | None:
    """Read a DocumentId; ``None`` when ``text`` is empty (the element is
    optional), :class:`NotationError` when it is malformed."""
    value = nfc(text or "").strip()
    if not value:
        return None
    if _UUID.fullmatch(value):
        return DocumentIdParts(value, None, None, None, None)
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 3 or not all(parts):
        raise NotationError(
            _(
                "“%(value)s” is not a DocumentId: expected “agency code,yyyy/MM/dd,"
                "number/notation”, such as 000.00.00.H44,2026/02/05,15/QĐ-UBND, or a "
                "UUID."
            ),
            value=value,
        )
    organ_text, date_text, code_text = parts
    match = _DATE.fullmatch(date_text)
    if not match:
        raise NotationError(
            _("DocumentId “%(value)s” has the date “%(date)s”; expected yyyy/MM/dd."),
            value=value,
            date=date_text,
        )
    return DocumentIdParts(
        text=value,
        organ_id=validate_agency_code(organ_text),
        date=_calendar_date(*map(int, match.groups())),
        date_text=date_text,
        code=compact(code_text),
    )


def _calendar_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
