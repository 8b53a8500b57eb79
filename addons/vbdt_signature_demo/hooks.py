def post_init_hook(env):
    """vbdt_workflow installs after vbdt_signature, so vbdt_signature's demo
    data cannot submit its draft to an approval route: this addon, installed
    automatically once both are, does it. Nothing happens without the demo
    draft (a database without demo data)."""
    from odoo.addons.vbdt_signature.demo.data import submit_demo_draft

    submit_demo_draft(env)
