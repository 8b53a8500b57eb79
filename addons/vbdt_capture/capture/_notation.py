"""The notation core of ``vbdt_document``, reached as the edXML core reaches
it (``vbdt_interconnect/edxml/_notation.py``): the relative import inside
Odoo, the sibling addon folder on ``sys.path`` outside (pytest, ``bench/``)."""

import sys
from pathlib import Path

if __package__.startswith("odoo.addons."):
    from ...vbdt_document import notation
else:
    _SIBLING = str(Path(__file__).resolve().parents[2] / "vbdt_document")
    if _SIBLING not in sys.path:
        sys.path.append(_SIBLING)
    import notation

__all__ = ["notation"]
