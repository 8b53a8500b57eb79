from . import vbdt_review_wizard
from . import vbdt_direction_wizard
from . import vbdt_handling_wizard
