"""Who the certificate says signed, against what the document prints.

Agencies merge, split and are renamed (2025: two-tier local government,
merged departments), and the Government Cipher Committee re-issued the
certificates of about 103,000 signers (CV 275/BCY-CTSBMTT): one signer holds
several certificate generations, and a document may be signed with one that
still names the former agency or title. The signature's validity is judged
by :mod:`pades.verify` alone (the certificate was valid at signing time);
this module only compares identities, and its findings are never a
refusal:

* the certificate's organisation names the agency printed on the document,
  under its name on the signing day or a name it or a predecessor bore
  before (:data:`FORMER`: accepted, said so);
* a title or an agency that differs is a warning (Decree 68/2024/NĐ-CP: the
  title belongs to the document, not to the certificate).

Plain Python: no Odoo import; messages are translatable templates like
:mod:`pades.errors`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .errors import PadesError, _

MATCH = "match"
FORMER = "former"
MISMATCH = "mismatch"
UNKNOWN = "unknown"
STATUSES = (MATCH, FORMER, MISMATCH, UNKNOWN)

# Abbreviations seen in certificate subjects and document headers, folded.
ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tt&tt": "thong tin va truyen thong",
    "tttt": "thong tin va truyen thong",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "vp": "van phong",
    "tp": "thanh pho",
}
# Prefixes of the signing authority printed before a title (Decree 30).
AUTHORITY_PREFIXES = ("kt", "tm", "tl", "tuq", "q", "thua lenh", "thua uy quyen")


class IdentityWarning(PadesError):
    """A finding about who signed; never a refusal."""


class FormerAgencyNote(IdentityWarning):
    template = _(
        "The certificate names %(certificate)s, a former name of %(agency)s or "
        "of an agency it succeeds: accepted (the certificate was issued before "
        "the change)."
    )


class AgencyMismatchWarning(IdentityWarning):
    template = _(
        "The certificate names %(certificate)s, but the document is from "
        "%(agency)s: check that the signer acted for this agency."
    )


class TitleMismatchWarning(IdentityWarning):
    template = _(
        "The title printed in the document (%(printed)s) differs from the "
        "certificate's (%(certificate)s): the title belongs to the document "
        "(Decree 68/2024/NĐ-CP); check the signer's authority."
    )


@dataclass(frozen=True)
class AgencyName:
    """A name an agency bore (or an agency it succeeds bore) and until when:
    ``until`` is the first day it no longer held it (None: still current)."""

    name: str
    until: date | None = None

    @property
    def former(self) -> bool:
        return self.until is not None


@dataclass(frozen=True)
class IdentityReport:
    agency: str
    title: str
    notes: tuple[IdentityWarning, ...]
    """Findings, the former-agency note included; none is a refusal."""

    @property
    def status(self) -> str:
        return combine(self.agency, self.title)

    @property
    def warnings(self) -> tuple[IdentityWarning, ...]:
        return tuple(n for n in self.notes if not isinstance(n, FormerAgencyNote))


def fold(text: str | None) -> str:
    """Lower case without accents (đ → d), punctuation and abbreviations
    expanded, single spaces: the key two spellings of a name share."""
    text = unicodedata.normalize(
        "NFD", (text or "").replace("đ", "d").replace("Đ", "d")
    )
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.sub(r"[^\w&]+", " ", text).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def same_name(first: str | None, second: str | None) -> bool:
    """Two spellings of one name: equal once folded, or one is the other
    followed by a place (``Sở Y tế`` and ``Sở Y tế tỉnh Phú Thọ``)."""
    a, b = fold(first), fold(second)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return long_ == short or any(
        long_.startswith(f"{short} {place} ") for place in ("tinh", "thanh pho")
    )


def bare_title(printed: str | None) -> str:
    """The title without the authority prefix and the agency it signs for
    (``KT. CHỦ TỊCH`` → ``chu tich``, last line of a two-line block)."""
    lines = [line for line in (printed or "").splitlines() if line.strip()]
    folded = fold(lines[-1] if lines else "")
    for prefix in sorted(AUTHORITY_PREFIXES, key=len, reverse=True):
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :]
    return folded


def check_agency(
    certificate_organisation: str | None,
    printed_agency: str | None,
    names: Iterable[AgencyName],
    signed_on: date | None = None,
) -> tuple[str, IdentityWarning | None]:
    """The certificate's organisation against the agency of the document,
    whose names (current, former, and those of agencies it succeeds) are
    ``names``: :data:`MATCH` for the name borne on ``signed_on`` (or the
    current one), :data:`FORMER` for a name borne before, else
    :data:`MISMATCH`; :data:`UNKNOWN` when either side is missing."""
    names = list(names)
    if not certificate_organisation or not (printed_agency or names):
        return UNKNOWN, None
    candidates = [AgencyName(printed_agency)] if printed_agency else []
    candidates += names
    for entry in candidates:
        if not same_name(certificate_organisation, entry.name):
            continue
        if not entry.former or (signed_on and signed_on < entry.until):
            return MATCH, None
        return FORMER, FormerAgencyNote(
            certificate=certificate_organisation,
            agency=printed_agency or names[0].name,
        )
    return MISMATCH, AgencyMismatchWarning(
        certificate=certificate_organisation,
        agency=printed_agency or names[0].name,
    )


def check_title(
    certificate_title: str | None, printed_title: str | None
) -> tuple[str, IdentityWarning | None]:
    """The certificate's title against the one printed in the document."""
    ours, theirs = bare_title(printed_title), fold(certificate_title)
    if not ours or not theirs:
        return UNKNOWN, None
    if ours == theirs or bare_title(certificate_title) == ours:
        return MATCH, None
    return MISMATCH, TitleMismatchWarning(
        printed=printed_title.strip(), certificate=certificate_title
    )


def check_identity(
    certificate_organisation: str | None,
    certificate_title: str | None,
    printed_agency: str | None,
    printed_title: str | None,
    names: Iterable[AgencyName] = (),
    signed_on: date | None = None,
) -> IdentityReport:
    """Both comparisons; see :func:`check_agency` and :func:`check_title`."""
    agency, agency_note = check_agency(
        certificate_organisation, printed_agency, names, signed_on
    )
    title, title_note = check_title(certificate_title, printed_title)
    return IdentityReport(
        agency=agency,
        title=title,
        notes=tuple(n for n in (agency_note, title_note) if n),
    )


def combine(*statuses: str) -> str:
    """The overall status of several findings: the worst one."""
    for status in (MISMATCH, FORMER, MATCH):
        if status in statuses:
            return status
    return UNKNOWN
