from . import test_approval
from . import test_delegation
from . import test_access_rights
from . import test_incoming
from . import test_deadlines
from . import test_workflow_tour
from . import test_i18n
