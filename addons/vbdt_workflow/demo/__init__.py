"""Demo material, outside the runtime code: the demo scenario
(``scenario``) that the demo data runs step by step. The addon's ``__init__``
never imports this package; ``res.company._vbdt_demo_step`` imports it when
the demo data loads."""
