"""Copies of documents (sao y, trích sao, sao lục; Decree 30/2020 arts. 25–27),
in plain Python: which pages a copy holds and the copy's PDF with its copy
line at the top right of the first page. Never imports ``odoo``."""
