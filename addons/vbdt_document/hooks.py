def post_init_hook(env):
    """Give the companies that existed before installation their registers and
    their entry in the agency directory (new companies get them on create)."""
    env["res.company"].search([])._vbdt_setup_agency()
