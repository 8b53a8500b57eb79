{
    "name": "Document Office: Records",
    "summary": "Yearly file plans, case files (hồ sơ) and the retention schedule "
    "per Decree 30/2020/NĐ-CP and Circular 10/2022/TT-BNV",
    "version": "18.0.1.0.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/vbdt/vbdt",
    "author": "vbdt contributors",
    "maintainers": ["vbdt"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["vbdt_document"],
    "data": [
        # security
        "security/vbdt_records_groups.xml",
        "security/ir.model.access.csv",
        "security/vbdt_records_rules.xml",
        "security/vbdt_records_reception_rules.xml",
        # data
        "data/vbdt_records_retention_data.xml",
        "data/vbdt_records_cron.xml",
        # views
        "views/vbdt_records_retention_views.xml",
        "views/vbdt_records_plan_views.xml",
        "views/vbdt_records_file_views.xml",
        "views/vbdt_document_views.xml",
        "views/vbdt_records_handover_views.xml",
        "views/vbdt_records_copy_views.xml",
        "views/vbdt_records_reception_views.xml",
        "views/vbdt_document_file_pdfa_views.xml",
        # reports
        "report/vbdt_records_index_report.xml",
        # wizards
        "wizards/vbdt_records_file_reopen_views.xml",
        # menus
        "views/vbdt_records_menus.xml",
    ],
    "demo": [
        "demo/vbdt_records_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "vbdt_records/static/tests/tours/*.js",
        ],
    },
}
