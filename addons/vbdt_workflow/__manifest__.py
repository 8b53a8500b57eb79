{
    "name": "Document Office: Workflow",
    "summary": "Approval routes for outgoing drafts; direction, assignment, deadlines "
    "and tracking of incoming documents",
    "version": "18.0.1.0.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/vbdt/vbdt",
    "author": "vbdt contributors",
    "maintainers": ["vbdt"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["vbdt_document", "resource"],
    "data": [
        # security
        "security/ir.model.access.csv",
        "security/vbdt_workflow_rules.xml",
        # data
        "data/mail_activity_type_data.xml",
        "data/mail_message_subtype_data.xml",
        "data/ir_cron_data.xml",
        "data/vbdt_work_queue_data.xml",
        # views
        "views/vbdt_approval_route_views.xml",
        "views/vbdt_delegation_views.xml",
        "views/vbdt_review_views.xml",
        "views/vbdt_document_assignment_views.xml",
        "views/vbdt_deadline_extension_views.xml",
        "views/vbdt_document_views.xml",
        "views/vbdt_document_statistics_views.xml",
        "views/res_company_views.xml",
        # wizards
        "wizards/vbdt_review_wizard_views.xml",
        "wizards/vbdt_direction_wizard_views.xml",
        "wizards/vbdt_handling_wizard_views.xml",
        # reports
        "report/vbdt_handling_slip_report.xml",
        # menus
        "views/vbdt_workflow_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/resource_calendar_leaves_demo.xml",
        "demo/vbdt_approval_route_demo.xml",
        "demo/vbdt_delegation_demo.xml",
        "demo/vbdt_document_demo.xml",
        "demo/res_users_home_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "vbdt_workflow/static/tests/tours/*.js",
        ],
    },
}
