"""Document numbers and notations (số, ký hiệu) per Decree 30/2020/NĐ-CP.

A document code is ``<number>/<notation>``, or ``<number>/<year>/<notation>``
for legal normative documents, and a notation is ``<TYPE>-<AGENCY>[-<UNIT>]``
where Công văn has no type part: ``15/QĐ-UBND``, ``09/2025/QĐ-TTg``,
``15/UBND-VP``.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import NotationError, _
from .text import clean, compact, nfc

#: Type abbreviations of Decree 30 art. 7 and its copy forms (sao y, trích
#: sao, sao lục).  The database keeps them editable; this is the default.
DECREE30_ABBREVIATIONS: frozenset[str] = frozenset(
    {
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
)

#: Legal normative types outside Decree 30 whose codes agencies receive daily
#: (``09/2025/NĐ-CP``, ``15/2024/TT-BTC``, ``TTLT``/``NQLT`` joint texts).
LEGAL_NORMATIVE_ABBREVIATIONS: frozenset[str] = frozenset({"NĐ", "TT", "TTLT", "NQLT"})

#: What :func:`parse_code` and :func:`parse_notation` recognise as a type part
#: when the caller passes no abbreviations of its own.
DEFAULT_TYPE_ABBREVIATIONS: frozenset[str] = (
    DECREE30_ABBREVIATIONS | LEGAL_NORMATIVE_ABBREVIATIONS
)

# "Số 15/...", "Số: 15/...", "so 15/..." (typed without diacritics).
_NUMBER_PREFIX = re.compile(r"s[ốo](?=[\s:.0-9])[\s:.]*", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Notation:
    """A notation split into its parts; ``unit`` holds everything after the
    agency (joint documents list several agencies there)."""

    text: str
    type_abbr: str | None
    agency: str
    unit: str | None


@dataclass(frozen=True)
class Code:
    """A document code as read from text.

    ``number`` is ``None`` when ``number_text`` is not a positive decimal
    (``74fass22`` in a real package, or empty in a draft's ``Số:   /QĐ-UBND``).
    """

    number: int | None
    number_text: str
    year: int | None
    notation: str
    type_abbr: str | None
    agency: str
    unit: str | None

    @property
    def text(self) -> str:
        """The code written back compactly, number kept as it was given."""
        year = [str(self.year)] if self.year else []
        return "/".join([self.number_text, *year, self.notation])


def format_number(number: int) -> str:
    """Number as printed: at least two digits (``05``, ``15``, ``120``)."""
    if number < 1:
        raise NotationError(
            _("Document numbers start at 1; %(number)s is not a valid number."),
            number=number,
        )
    return f"{number:02d}"


def format_notation(type_abbr: str | None, agency: str, unit: str | None = None) -> str:
    """Notation ``TYPE-AGENCY[-UNIT]``; a falsy ``type_abbr`` (Công văn, or
    Odoo's ``False``) leaves the type part out: ``UBND-VP``.

    Parts are stripped; a part containing spaces, ``/`` or ``,`` is refused
    rather than repaired, because the result is printed on the document and
    must parse back the same way.
    """
    agency_part = _notation_part(agency or "")
    if not agency_part:
        raise NotationError(
            _("A notation needs the abbreviation of the issuing agency.")
        )
    parts = [_notation_part(type_abbr or ""), agency_part, _notation_part(unit or "")]
    return "-".join(part for part in parts if part)


def format_code(number: int, notation: str, year: int | None = None) -> str:
    """Code ``NN/NOTATION``, or ``NN/YYYY/NOTATION`` when ``year`` is given
    (legal normative documents carry their year); a falsy ``year`` (``None``,
    or Odoo's ``False``/``0`` of an empty field) means none."""
    number_text = format_number(number)
    notation_part = _notation_part(notation or "")
    if not notation_part:
        raise NotationError(_("A document code needs a notation."))
    if not year:
        return f"{number_text}/{notation_part}"
    if not 1000 <= year <= 9999:
        raise NotationError(
            _(
                "The year in a document code has four digits; %(year)s is not a "
                "valid year."
            ),
            year=year,
        )
    return f"{number_text}/{year}/{notation_part}"


def parse_notation(text: str, abbreviations: Iterable[str] | None = None) -> Notation:
    """Split a notation such as ``QĐ-UBND`` or ``UBND-VP``.

    The first part is the type only when it is one of ``abbreviations``
    (default :data:`DEFAULT_TYPE_ABBREVIATIONS`, compared ignoring case) and an
    agency follows it; otherwise the notation is a Công văn's and the first
    part is the agency.  Case is kept as given.
    """
    notation = compact(text or "")
    if not notation:
        raise NotationError(_("The notation is empty."))
    if "/" in notation:
        raise NotationError(
            _("“%(notation)s” is not a notation: a notation has no “/”."),
            notation=notation,
        )
    parts = notation.split("-")
    if not all(parts):
        raise NotationError(
            _("“%(notation)s” is not a notation: it has an empty part between dashes."),
            notation=notation,
        )
    if len(parts) > 1 and _is_type(parts[0], abbreviations):
        type_abbr, agency, unit = parts[0], parts[1], parts[2:]
    else:
        type_abbr, agency, unit = None, parts[0], parts[1:]
    return Notation(notation, type_abbr, agency, "-".join(unit) or None)


def parse_code(text: str, abbreviations: Iterable[str] | None = None) -> Code:
    """Read a code as typed or received: ``15/QĐ-UBND``, ``Số: 15 / QĐ-UBND``,
    ``09/2025/NĐ-CP``, ``74fass22/VPCP-TTĐT``.

    Input is normalised to NFC, whitespace and a leading "Số" are dropped and
    typographic dashes read as ``-``; ``abbreviations`` is passed on to
    :func:`parse_notation`.
    """
    given = nfc(text or "").strip()
    code = compact(_NUMBER_PREFIX.sub("", given, count=1))
    parts = code.split("/")
    if len(parts) == 2:
        number_text, year_text, notation_text = parts[0], None, parts[1]
    elif len(parts) == 3 and _YEAR.fullmatch(parts[1]):
        number_text, year_text, notation_text = parts
    else:
        raise NotationError(
            _(
                "“%(code)s” is not a document code: expected number/notation, "
                "such as 15/QĐ-UBND, or number/year/notation, such as 09/2025/QĐ-TTg."
            ),
            code=given,
        )
    notation = parse_notation(notation_text, abbreviations)
    return Code(
        number=_positive_number(number_text),
        number_text=number_text,
        year=int(year_text) if year_text else None,
        notation=notation.text,
        type_abbr=notation.type_abbr,
        agency=notation.agency,
        unit=notation.unit,
    )


def split_code(code: str) -> tuple[str, str]:
    """A code as edXML carries it (QCVN 102:2016 ``Code/CodeNumber`` and
    ``Code/CodeNotation``): the number up to the first ``/`` and everything
    after it, so a legal normative document's year stays with the notation
    (``09/2025/QĐ-TTg`` → ``("09", "2025/QĐ-TTg")``).  Nothing is checked:
    received codes are carried as they were sent; :func:`join_code` gives the
    code back."""
    number, _slash, notation = compact(code or "").partition("/")
    return number, notation


def join_code(number_text: str, notation: str) -> str:
    """The code of an edXML ``Code`` element: ``<number>/<notation>``."""
    return f"{number_text}/{notation}"


def _notation_part(value: str) -> str:
    """``value`` stripped and checked for what would break the notation."""
    part = clean(value)
    if any(char.isspace() for char in part):
        raise NotationError(
            _("“%(value)s” cannot be used in a notation: it contains a space."),
            value=part,
        )
    for char in "/,":
        if char in part:
            raise NotationError(
                _("“%(value)s” cannot be used in a notation: it contains “%(char)s”."),
                value=part,
                char=char,
            )
    if part and not all(part.split("-")):
        raise NotationError(
            _(
                "“%(value)s” cannot be used in a notation: it has an empty part "
                "between dashes."
            ),
            value=part,
        )
    return part


def _is_type(part: str, abbreviations: Iterable[str] | None) -> bool:
    known = _DEFAULT_FOLDED if abbreviations is None else _folded(abbreviations)
    return part.casefold() in known


def _folded(abbreviations: Iterable[str]) -> frozenset[str]:
    """Abbreviations for case-insensitive lookup; empty entries (Công văn's
    missing abbreviation, Odoo's ``False``) are skipped."""
    return frozenset(nfc(abbr).strip().casefold() for abbr in abbreviations if abbr)


_DEFAULT_FOLDED = _folded(DEFAULT_TYPE_ABBREVIATIONS)


def _positive_number(number_text: str) -> int | None:
    if _DIGITS.fullmatch(number_text) and int(number_text) > 0:
        return int(number_text)
    return None
