from . import hub
