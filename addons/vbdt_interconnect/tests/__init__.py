from . import test_exchange
from . import test_outbox_locking
from . import test_hub
from . import test_access_rights
from . import test_take_back
from . import test_inbox_concurrency
from . import test_hub_retention
from . import test_revision
