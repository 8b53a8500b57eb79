{
    "name": "Document Office: Interconnection (edXML, national axis)",
    "summary": "edXML packages (QCVN 102:2016), exchange records, the national-axis "
    "client and a provincial axis hub",
    "version": "18.0.1.2.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/vbdt/vbdt",
    "author": "vbdt contributors",
    "maintainers": ["vbdt"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["vbdt_document"],
    "external_dependencies": {"python": ["lxml", "xmlschema", "requests"]},
    "data": [
        # security
        "security/ir.model.access.csv",
        "security/vbdt_interconnect_rules.xml",
        # data
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        # views
        "views/vbdt_exchange_record_views.xml",
        "views/vbdt_exchange_transport_views.xml",
        "views/vbdt_hub_views.xml",
        "views/vbdt_document_views.xml",
        "views/vbdt_agency_views.xml",
        "wizards/vbdt_exchange_answer_views.xml",
        "wizards/vbdt_document_take_back_views.xml",
        "wizards/vbdt_document_revision_views.xml",
        # menus
        "views/vbdt_menus.xml",
    ],
}
