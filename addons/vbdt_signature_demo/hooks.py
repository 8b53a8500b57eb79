def post_init_hook(env):
    """vbdt_workflow installs after vbdt_signature, so vbdt_signature's demo
    data cannot submit its draft to an approval route: this addon, installed
    automatically once both are, does it. Nothing happens without the demo
    draft (a database without demo data).

    Under ``scripts/serve`` (the demo PKI saved in ``VBDT_DEMO_PKI``), it
    also registers the DEMO fake VNPT SmartCA and Viettel MySign that
    ``testpki.py serve`` runs, lanhdao.ubnd's certificate at SmartCA and two
    more drafts for him to sign as a batch from the phone."""
    from odoo.addons.vbdt_signature.demo.data import (
        install_demo_remote,
        submit_demo_draft,
    )

    submit_demo_draft(env)
    install_demo_remote(env)
