"""18.0.1.1.0: tiers became data (vbdt.agency.tier) and agencies carry
validity dates. The ``tier`` columns keep their keys; district-tier agencies
and directory entries without an end date get 1 July 2025, the day the
district tier was abolished (Resolution 203/2025/QH15), so that they number
nothing more; the administrator then records their successors with the
agency lifecycle wizard."""

import logging

_logger = logging.getLogger(__name__)

ABOLISHED = "2025-07-01"


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "UPDATE res_company SET vbdt_date_end = %s "
        "WHERE vbdt_tier = 'district' AND vbdt_date_end IS NULL RETURNING name",
        [ABOLISHED],
    )
    ended = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE vbdt_agency SET date_end = %s "
        "WHERE tier = 'district' AND date_end IS NULL",
        [ABOLISHED],
    )
    if ended:
        _logger.warning(
            "District agencies ended on %s (record their successors with the "
            "agency lifecycle wizard): %s",
            ABOLISHED,
            ", ".join(str(name) for name in ended),
        )
