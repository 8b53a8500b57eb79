{
    "name": "Document Office: Digital Signatures Demo",
    "summary": "Demo only: takes the signature demo's draft to the leader's "
    "signature through an approval route",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/vbdt/vbdt",
    "author": "vbdt contributors",
    "maintainers": ["vbdt"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["vbdt_signature", "vbdt_workflow"],
    "auto_install": True,
    "post_init_hook": "post_init_hook",
}
