"""The notation core of ``vbdt_document``, as the edXML core reaches it.

Document codes, DocumentIds and urgency levels have one owner, the plain-Python
package ``vbdt_document/notation`` (docs/ARCHITECTURE.md §A2, "How the edXML
core reaches the notation core").  This module is the only place edXML names
it, and it never imports Odoo:

- inside Odoo this package is ``odoo.addons.vbdt_interconnect.edxml`` and the
  notation core was loaded with ``vbdt_document`` (a dependency, loaded
  first) as ``odoo.addons.vbdt_document.notation``: the relative import takes
  that very module, so the models and edXML share one ``NotationError``;
- outside Odoo (pytest, ``bench/``, ``python -m edxml``) this package is the
  top-level ``edxml`` and the notation core is the top-level ``notation`` of
  the sibling addon folder, put on ``sys.path`` here when the caller has not
  (``tests/conftest.py`` and the benches do it the same way).
"""

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
