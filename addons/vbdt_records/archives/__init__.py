"""Plain-Python records core: index tables (CSV/XLSX) and E-ARK CSIP
submission packages. Never imports ``odoo``: the addon's models adapt it."""
