"""Proposals for registering an incoming document from its text.

Every rule here is explainable: a regular expression or a directory match on
the header, the title block or the signature block that Decree 30/2020
(Appendix I) lays out.  Each proposal carries the span of the text it came
from, so the clerk sees where a value was read and confirms or corrects it.
OCR text is noisy: rules look at folded text (no diacritics, lower case) where
the layout allows, and keep the original text for the value.
"""

import datetime
import re
from dataclasses import dataclass

from ._notation import notation

HEADER_LINES = 14
"""Lines of the page header (agency, number, date, urgency, type, subject)."""


@dataclass(frozen=True)
class Proposal:
    field: str
    value: object
    start: int
    end: int
    source: str


# "Số: 15/QĐ-UBND", "Số 102 /UBND-VP" (OCR adds spaces around "/").
_CODE = re.compile(
    r"\bs[ốoô6][\s:.]*(?P<number>[0-9]{1,6})\s*/\s*(?P<notation>[0-9A-ZĐa-zđ]"
    r"[0-9A-ZĐa-zđ\-–.]{1,40})",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"ng[àa]y\s*(?P<day>[0-9]{1,2})\s*th[áa]ng\s*(?P<month>[0-9]{1,2})\s*"
    r"n[ăa]m\s*(?P<year>[0-9]{4})",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    r"^\s*(?:v/v|về việc|ve viec|về)\b[:.\s]*(?P<subject>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
# Urgency marks, most urgent first (a "HỎA TỐC" letter is not also "KHẨN").
URGENCY_MARKS = (
    ("flash", "hoa toc"),
    ("very_urgent", "thuong khan"),
    ("urgent", "khan"),
)
AUTHORITY = re.compile(r"^\s*(TM|KT|Q|TL|TUQ)\s*\.\s*(?P<rest>.+)$")
POSITION_WORDS = (
    "chu tich",
    "giam doc",
    "truong",
    "bi thu",
    "chanh van phong",
    "thu truong",
    "bo truong",
    "tong giam doc",
)


def _fold(text):
    return notation.fold_text(text)


def _lines(text):
    """(start offset, line) of every non-empty line."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            yield offset, line.rstrip("\r\n")
        offset += len(line)


def propose(text, agencies=(), document_types=(), today=None):
    """Proposals read from ``text``: a dict field name → :class:`Proposal`.

    ``agencies`` is an iterable of ``(key, name)`` (the directory),
    ``document_types`` of ``(key, name, abbreviation)``.  Fields: ``sender``,
    ``number``, ``notation``, ``document_date``, ``document_type``,
    ``subject``, ``signer_name``, ``signer_position``, ``urgency``."""
    lines = list(_lines(text))
    header = lines[:HEADER_LINES]
    found = {}
    for rule in (_code, _date, _urgency):
        for proposal in rule(text, header, today):
            found.setdefault(proposal.field, proposal)
    for proposal in _sender(header, agencies):
        found.setdefault(proposal.field, proposal)
    for proposal in _type_and_subject(lines, document_types, found):
        found.setdefault(proposal.field, proposal)
    for proposal in _signature(lines):
        found.setdefault(proposal.field, proposal)
    return found


def _code(text, header, today):
    del today
    end = header[-1][0] + len(header[-1][1]) if header else 0
    match = _CODE.search(text, 0, end)
    if not match:
        return
    raw_notation = match.group("notation").replace("–", "-").rstrip(".-")
    try:
        code = notation.parse_code(f"{match.group('number')}/{raw_notation}")
    except notation.NotationError:
        return
    if code.number is None:
        return
    yield Proposal("number", code.number, match.start(), match.end(), match.group(0))
    yield Proposal(
        "notation",
        code.notation,
        match.start("notation"),
        match.end("notation"),
        raw_notation,
    )


def _date(text, header, today):
    end = header[-1][0] + len(header[-1][1]) if header else 0
    for match in _DATE.finditer(text, 0, end):
        try:
            day = datetime.date(
                int(match.group("year")),
                int(match.group("month")),
                int(match.group("day")),
            )
        except ValueError:
            continue
        if today and day > today:
            continue
        yield Proposal("document_date", day, match.start(), match.end(), match.group(0))
        return


def _urgency(text, header, today):
    del text, today
    for start, line in header:
        folded = _fold(line)
        for level, mark in URGENCY_MARKS:
            if re.search(rf"\b{mark}\b", folded) and len(folded) <= len(mark) + 12:
                yield Proposal("urgency", level, start, start + len(line), line.strip())
                return
    # No urgency mark in the header: a normal letter (no span to show).
    yield Proposal("urgency", "normal", 0, 0, "")


def _name_forms(name):
    """How a directory name is printed in a header, folded and without
    spaces (OCR drops them): the full name with "Ủy ban nhân dân" as "UBND",
    and, weaker, the name without its province ("Sở Tài chính")."""
    folded = _fold(name).replace("uy ban nhan dan", "ubnd")
    forms = [(2, folded.replace(" ", ""))]
    short = re.sub(r"\s+(tinh|thanh pho)\s+.+$", "", folded)
    if short != folded:
        forms.append((1, short.replace(" ", "")))
    return forms


def _sender(header, agencies):
    """The directory name found in the header lines (agency names are
    printed in capitals and may span two lines: both are tried); a full
    name beats a name without its province, a longer one a shorter."""
    candidates = []
    for index, (start, line) in enumerate(header[:6]):
        joined = line
        if index + 1 < len(header):
            joined = line + "\n" + header[index + 1][1]
        for text in (line, joined):
            folded = _fold(text).replace("uy ban nhan dan", "ubnd").replace(" ", "")
            candidates.append((start, text, folded))
    best = None
    for key, name in agencies:
        for strength, form in _name_forms(name):
            if len(form) < 5:
                continue
            for start, text, folded in candidates:
                if folded.startswith(form) or f"-{form}" in folded:
                    score = (strength, len(form))
                    if not best or score > best[0]:
                        best = (
                            score,
                            Proposal(
                                "sender", key, start, start + len(text), text.strip()
                            ),
                        )
                    break
    if best:
        yield best[1]


def _type_and_subject(lines, document_types, found):
    """The type is the capitalised title line (``QUYẾT ĐỊNH``); the subject
    follows it (``Về việc …``), or, for a Công văn (no title), is the
    ``V/v …`` line under the number."""
    types = sorted(
        ((key, _fold(name), abbr) for key, name, abbr in document_types),
        key=lambda item: -len(item[1]),
    )
    for index, (start, line) in enumerate(lines[: HEADER_LINES + 6]):
        folded = _fold(line)
        for key, folded_name, _abbr in types:
            if folded == folded_name and line.strip().upper() == line.strip():
                yield Proposal(
                    "document_type", key, start, start + len(line), line.strip()
                )
                yield from _subject_after(lines, index + 1)
                return
    notation_found = found.get("notation")
    for key, _folded_name, abbr in types:
        if (
            abbr
            and notation_found
            and notation_found.value.upper().startswith(abbr.upper() + "-")
        ):
            yield Proposal(
                "document_type",
                key,
                notation_found.start,
                notation_found.end,
                notation_found.source,
            )
            break
    else:
        cong_van = [
            key for key, folded_name, _abbr in types if folded_name == "cong van"
        ]
        if cong_van:
            yield Proposal("document_type", cong_van[0], 0, 0, "")
    yield from _subject_after(lines, 0)


def _subject_after(lines, index):
    for start, line in lines[index : index + 6]:
        match = _SUBJECT.match(line)
        if match:
            subject = match.group("subject").strip()
            follow = lines[lines.index((start, line)) + 1 :][:1]
            end = start + len(line)
            # A subject broken over two lines: the next line continues it when
            # it starts in lower case (a new block starts with a capital).
            if follow and follow[0][1].strip()[:1].islower():
                subject += " " + follow[0][1].strip()
                end = follow[0][0] + len(follow[0][1])
            yield Proposal("subject", subject.rstrip(" ."), start, end, line.strip())
            return


def _signature(lines):
    """The signature block ends the letter: a position line in capitals
    (after an authority prefix ``KT.`` etc.), then the signer's name, the
    last line in title case before the recipients (``Nơi nhận``)."""
    tail = lines[-16:]
    position_index = None
    for index, (_start, line) in enumerate(tail):
        folded = _fold(AUTHORITY.sub(r"\g<rest>", line.strip()))
        words = line.strip()
        if words.upper() == words and any(word in folded for word in POSITION_WORDS):
            position_index = index
    if position_index is None:
        return
    start, line = tail[position_index]
    yield Proposal(
        "signer_position", line.strip().title(), start, start + len(line), line.strip()
    )
    for start, line in tail[position_index + 1 :]:
        name = line.strip()
        parts = name.split()
        if (
            2 <= len(parts) <= 5
            and all(part[:1].isupper() for part in parts)
            and not (name.upper() == name)
        ):
            yield Proposal("signer_name", name, start, start + len(line), name)
            return
