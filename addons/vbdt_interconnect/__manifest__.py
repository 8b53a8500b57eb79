{
    "name": "Document Office: Interconnection (edXML, national axis)",
    "summary": "edXML packages (QCVN 102:2016), exchange records, the national-axis "
    "client and a provincial axis hub",
    "version": "18.0.1.0.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/vbdt/vbdt",
    "author": "vbdt contributors",
    "maintainers": ["vbdt"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["vbdt_document"],
    "external_dependencies": {"python": ["lxml", "xmlschema"]},
    "data": [],
}
