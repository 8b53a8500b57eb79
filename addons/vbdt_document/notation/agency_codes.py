"""Agency identifier codes (mã định danh) of QCVN 102:2016 and Decision 20.

Two forms coexist: the legacy 13-character code ``NNN.NN.NN.XNN`` read right
to left (``000.46.24.H44`` is a commune under ``000.00.24.H44`` under the
province ``000.00.00.H44``), and the Decision 20/2020 code read left to right,
dot-separated, at most 35 characters of A–Z, 0–9 and dots (``G09.01``,
``H01.151``).  Test systems use other shapes (``28.22.H17``), so validation is
lenient unless asked to be strict.
"""

import re
from typing import Literal

from .errors import NotationError, _

AgencyCodeKind = Literal["legacy", "qd20", "other"]

MAX_AGENCY_CODE_LENGTH = 35

#: Level-1 letters: A Party bodies, B President's Office, C National Assembly,
#: D Supreme Court, E Procuracy, F State Audit, G ministries and government
#: agencies, H provincial People's Committees, I central socio-political
#: organisations, J social organisations, K provincial People's Councils.
LEVEL1_LETTERS = "ABCDEFGHIJK"

_LEGACY = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-K][0-9]{2}")
_QD20 = re.compile(r"[A-K][0-9]+(?:\.[0-9A-Z]+)*")
_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.")
# Zero groups of the legacy levels 2, 3 and 4, i.e. right to left after XNN.
_LEGACY_ZEROS = ("00", "00", "000")


def classify_agency_code(code: str) -> AgencyCodeKind:
    """``"legacy"``, ``"qd20"`` or ``"other"`` for ``code`` (stripped and
    upper-cased first); never raises, so it can label any stored value."""
    normalised = _normalise(code)
    if _LEGACY.fullmatch(normalised):
        return "legacy"
    if len(normalised) <= MAX_AGENCY_CODE_LENGTH and _QD20.fullmatch(normalised):
        return "qd20"
    return "other"


def validate_agency_code(code: str, strict: bool = False) -> str:
    """``code`` stripped and upper-cased, or :class:`NotationError`.

    Always refused: empty, spaces inside, over 35 characters, characters
    other than A–Z, 0–9 and ``.``, empty parts between dots.  Other shapes
    pass as ``"other"`` codes unless ``strict`` asks for a legacy or
    Decision 20 code.
    """
    normalised = _normalise(code)
    if not normalised:
        raise NotationError(_("The agency identifier code is empty."))
    if any(char.isspace() for char in normalised):
        raise NotationError(
            _("Agency identifier code “%(code)s” contains a space."), code=normalised
        )
    if len(normalised) > MAX_AGENCY_CODE_LENGTH:
        raise NotationError(
            _(
                "Agency identifier code “%(code)s” has %(length)s characters; "
                "at most %(maximum)s are allowed."
            ),
            code=normalised,
            length=len(normalised),
            maximum=MAX_AGENCY_CODE_LENGTH,
        )
    illegal = "".join(sorted(set(normalised) - _ALLOWED))
    if illegal:
        raise NotationError(
            _(
                "Agency identifier code “%(code)s” contains “%(characters)s”; only "
                "letters A–Z, digits and dots are allowed."
            ),
            code=normalised,
            characters=illegal,
        )
    if not all(normalised.split(".")):
        raise NotationError(
            _("Agency identifier code “%(code)s” has an empty part between dots."),
            code=normalised,
        )
    if strict and classify_agency_code(normalised) == "other":
        raise NotationError(
            _(
                "Agency identifier code “%(code)s” is neither a 13-character QCVN 102 "
                "code such as 000.00.00.H44 nor a Decision 20 code such as H01.151."
            ),
            code=normalised,
        )
    return normalised


def legacy_code_parts(code: str) -> tuple[str, ...]:
    """Levels of a legacy code, read right to left and without the unused
    (all-zero) lower levels: ``000.46.24.H44`` → ``("H44", "24", "46")``,
    ``000.00.00.H44`` → ``("H44",)``.  The length is the agency's level."""
    normalised = _normalise(code)
    if not _LEGACY.fullmatch(normalised):
        raise NotationError(
            _(
                "“%(code)s” is not a 13-character QCVN 102 agency code such as "
                "000.00.00.H44."
            ),
            code=normalised,
        )
    levels = normalised.split(".")[::-1]
    while not levels[-1].strip("0"):
        levels.pop()
    return tuple(levels)


def legacy_parent_code(code: str) -> str | None:
    """Code of the agency one level up (``000.46.24.H44`` → ``000.00.24.H44``
    → ``000.00.00.H44``), ``None`` for a level-1 code."""
    levels = legacy_code_parts(code)
    if len(levels) == 1:
        return None
    parent = [*levels[:-1], *_LEGACY_ZEROS[len(levels) - 2 :]]
    return ".".join(reversed(parent))


def _normalise(code: str) -> str:
    return (code or "").strip().upper()
