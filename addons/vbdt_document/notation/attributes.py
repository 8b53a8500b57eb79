"""The fixed vocabularies of a document header that the Odoo models, the
printed signature block and edXML share: urgency levels and signing
authority prefixes (docs/DOMAIN.md §B3, §B4).

The models keep their own translatable labels for the selection fields; the
keys, their order and the printed prefixes are decided here only.
"""

#: Urgency (độ khẩn) from least to most urgent: thường, khẩn, thượng khẩn,
#: hỏa tốc, hỏa tốc hẹn giờ.  The position is the document's urgency rank
#: (lists sort on it) and the edXML ``OtherInfo/Priority`` (QCVN 102:2016).
URGENCY_LEVELS: tuple[str, ...] = (
    "normal",
    "urgent",
    "very_urgent",
    "flash",
    "flash_timed",
)

#: Authority prefixes of the signature block (Decree 30, art. 13 and
#: Appendix I): on behalf of a collective, deputy for the head, acting, by
#: order, by written authorisation.  The value is printed before the
#: position and carried as edXML ``SignerInfo/Competence``.
AUTHORITY_PREFIXES: dict[str, str] = {
    "tm": "TM.",
    "kt": "KT.",
    "q": "Q.",
    "tl": "TL.",
    "tuq": "TUQ.",
}


def urgency_rank(level: str | None) -> int:
    """Rank of an urgency level, 0 (normal) for an empty or unknown one: an
    odd value must not make a document look more urgent than it is."""
    try:
        return URGENCY_LEVELS.index(level)
    except ValueError:
        return 0


def urgency_level(rank: int | None) -> str:
    """Urgency level of a rank (an edXML Priority); ``"normal"`` when empty or
    out of range, for the same reason."""
    if rank is None or not 0 <= rank < len(URGENCY_LEVELS):
        return URGENCY_LEVELS[0]
    return URGENCY_LEVELS[rank]


def authority_prefix(authority: str | None) -> str:
    """Printed prefix of an authority (``"kt"`` → ``"KT."``); ``""`` for none
    (the head signs in their own name) or an unknown key."""
    return AUTHORITY_PREFIXES.get(authority or "", "")
