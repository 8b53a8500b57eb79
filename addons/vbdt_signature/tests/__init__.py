from . import test_certificate
from . import test_signing
from . import test_verification
from . import test_access_rights
from . import test_pkcs11
from . import test_signature_tour
from . import test_delegation
from . import test_bulk_verification
