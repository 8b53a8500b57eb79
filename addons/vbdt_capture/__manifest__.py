{
    "name": "Document Office: Capture",
    "summary": "Text of every document file (PDF text layer, Vietnamese OCR), "
    "full-text search inside documents, proposals for registering scans",
    "version": "18.0.1.0.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/vbdt/vbdt",
    "author": "vbdt contributors",
    "maintainers": ["vbdt"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["vbdt_document"],
    "external_dependencies": {
        "bin": ["pdftotext", "pdftoppm", "tesseract"],
        "python": ["xlsxwriter", "python-docx>=1.1"],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/vbdt_capture_rules.xml",
        "data/vbdt_capture_cron.xml",
        "views/vbdt_capture_text_views.xml",
        "wizards/vbdt_capture_register_views.xml",
        "views/vbdt_document_views.xml",
        "views/vbdt_document_statistics_views.xml",
        "views/vbdt_capture_saved_search_views.xml",
        "wizards/vbdt_capture_search_views.xml",
        # reports
        "report/vbdt_capture_search_report.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "vbdt_capture/static/tests/tours/*.js",
        ],
    },
}
