"""The PDF/A core of ``vbdt_document`` (conversion, signature detection, the
bounded program runner), reached as ``_notation.py`` reaches the notation
core: the relative import inside Odoo, the sibling addon folder on
``sys.path`` outside (pytest, ``bench/``)."""

import sys
from pathlib import Path

if __package__.startswith("odoo.addons."):
    from ...vbdt_document import pdfa
else:
    _SIBLING = str(Path(__file__).resolve().parents[2] / "vbdt_document")
    if _SIBLING not in sys.path:
        sys.path.append(_SIBLING)
    import pdfa

__all__ = ["pdfa"]
