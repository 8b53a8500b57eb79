{
    "name": "Document Office (QLVB&ĐH)",
    "summary": "Agencies, registers and numbering, incoming and outgoing official "
    "documents per Decree 30/2020/NĐ-CP",
    "version": "18.0.1.1.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/vbdt/vbdt",
    "author": "vbdt contributors",
    "maintainers": ["vbdt"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "application": True,
    "depends": ["mail"],
    "external_dependencies": {"python": ["lxml"]},
    "data": [
        # security
        "security/vbdt_document_groups.xml",
        "security/ir.model.access.csv",
        "security/vbdt_document_rules.xml",
        # data
        "data/vbdt_agency_tier_data.xml",
        "data/vbdt_agency_data.xml",
        "data/vbdt_document_type_data.xml",
        "data/ir_cron_data.xml",
        "data/res_company_data.xml",
        "data/vbdt_work_queue_data.xml",
        # views
        "views/vbdt_agency_views.xml",
        "views/vbdt_unit_views.xml",
        "views/vbdt_document_type_views.xml",
        "views/vbdt_register_views.xml",
        "views/vbdt_document_views.xml",
        "views/vbdt_audit_log_views.xml",
        "views/vbdt_document_statistics_views.xml",
        "views/res_company_views.xml",
        "views/res_users_views.xml",
        "views/vbdt_work_queue_views.xml",
        # wizards
        "wizards/vbdt_document_return_views.xml",
        "wizards/vbdt_document_correct_views.xml",
        "wizards/vbdt_agency_import_views.xml",
        "wizards/vbdt_register_book_views.xml",
        "wizards/vbdt_agency_change_wizard_views.xml",
        "views/vbdt_agency_change_views.xml",
        # reports
        "report/vbdt_register_book_report.xml",
        # menus
        "views/vbdt_menus.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/vbdt_unit_demo.xml",
        "demo/res_users_demo.xml",
        "demo/vbdt_agency_demo.xml",
        "demo/vbdt_document_demo.xml",
        "demo/vbdt_agency_change_demo.xml",
        "demo/res_users_home_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "vbdt_document/static/src/**/*",
        ],
        "web.assets_tests": [
            "vbdt_document/static/tests/tours/*.js",
        ],
    },
}
