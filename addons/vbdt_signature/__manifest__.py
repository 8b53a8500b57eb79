{
    "name": "Document Office: Digital Signatures",
    "summary": "PAdES signing with the Decree 30/2020 appearance; verification of "
    "received signatures",
    "version": "18.0.1.1.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/vbdt/vbdt",
    "author": "vbdt contributors",
    "maintainers": ["vbdt"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["vbdt_document"],
    "external_dependencies": {"python": ["pyhanko", "cryptography"]},
    "data": [
        # security
        "security/ir.model.access.csv",
        "security/vbdt_signature_rules.xml",
        "security/vbdt_signature_remote_rules.xml",
        # data
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "data/ir_cron_remote_data.xml",
        # views (the import wizard's action first: the anchor list opens it)
        "wizards/vbdt_signature_trust_anchor_import_views.xml",
        "views/vbdt_signature_certificate_views.xml",
        "views/vbdt_signature_trust_anchor_views.xml",
        "views/vbdt_signature_crl_views.xml",
        "views/vbdt_document_views.xml",
        "views/res_company_views.xml",
        "views/res_users_views.xml",
        "views/vbdt_signature_session_views.xml",
        "views/vbdt_signature_remote_views.xml",
        # reports
        "report/vbdt_signature_report.xml",
        # wizards
        "wizards/vbdt_signature_verify_views.xml",
        "wizards/vbdt_signature_sign_confirm_views.xml",
        # menus
        "views/vbdt_menus.xml",
    ],
    "demo": [
        "demo/vbdt_signature_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "vbdt_signature/static/src/**/*",
        ],
        "web.assets_tests": [
            "vbdt_signature/static/tests/tours/*.js",
        ],
    },
}
