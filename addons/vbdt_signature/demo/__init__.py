"""Demo and test material, outside the runtime code: the certomancer test
PKI (``testpki``), generated documents and images (``documents``) and the
demo data (``data``). The addon's ``__init__`` never imports this package;
the demo data loader, the tests and the benchmark do."""
