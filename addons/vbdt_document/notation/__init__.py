"""Plain-Python core of document numbers, notations, date lines, agency
identifier codes, edXML DocumentIds and codes, urgency levels, authority
prefixes and search folding: the single owner of these rules for the Odoo
models of every addon and for the edXML core (docs/ARCHITECTURE.md §A2).

It never imports Odoo: the models call it and turn :class:`NotationError` into
translated user errors, and it is unit-tested without a database.
"""

from .agency_codes import (
    LEVEL1_LETTERS,
    MAX_AGENCY_CODE_LENGTH,
    AgencyCodeKind,
    classify_agency_code,
    legacy_code_parts,
    legacy_parent_code,
    validate_agency_code,
)
from .codes import (
    DECREE30_ABBREVIATIONS,
    DEFAULT_TYPE_ABBREVIATIONS,
    LEGAL_NORMATIVE_ABBREVIATIONS,
    Code,
    Notation,
    format_code,
    format_notation,
    format_number,
    join_code,
    parse_code,
    parse_notation,
    split_code,
)
from .attributes import (
    AUTHORITY_PREFIXES,
    URGENCY_LEVELS,
    authority_prefix,
    urgency_level,
    urgency_rank,
)
from .dateline import date_line
from .document_id import DocumentIdParts, format_document_id, parse_document_id
from .errors import NotationError
from .text import fold_text

__all__ = [
    "AUTHORITY_PREFIXES",
    "DECREE30_ABBREVIATIONS",
    "DEFAULT_TYPE_ABBREVIATIONS",
    "LEGAL_NORMATIVE_ABBREVIATIONS",
    "LEVEL1_LETTERS",
    "MAX_AGENCY_CODE_LENGTH",
    "URGENCY_LEVELS",
    "AgencyCodeKind",
    "Code",
    "DocumentIdParts",
    "Notation",
    "NotationError",
    "authority_prefix",
    "classify_agency_code",
    "date_line",
    "fold_text",
    "format_code",
    "format_document_id",
    "format_notation",
    "format_number",
    "join_code",
    "legacy_code_parts",
    "legacy_parent_code",
    "parse_code",
    "parse_document_id",
    "parse_notation",
    "split_code",
    "urgency_level",
    "urgency_rank",
    "validate_agency_code",
]
