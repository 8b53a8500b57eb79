{
    "name": "Document Office: Digital Signatures",
    "summary": "PAdES signing with the Decree 30/2020 appearance; verification of "
    "received signatures",
    "version": "18.0.1.0.0",
    "category": "Productivity/Documents",
    "website": "https://github.com/vbdt/vbdt",
    "author": "vbdt contributors",
    "maintainers": ["vbdt"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["vbdt_document"],
    "external_dependencies": {"python": ["pyhanko", "cryptography"]},
    "data": [],
}
