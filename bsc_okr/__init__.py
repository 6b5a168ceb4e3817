from . import models
from .hooks import uninstall_hook
from . import wizard
from . import report
