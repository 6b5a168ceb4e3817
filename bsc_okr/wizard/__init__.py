from . import okr_checkin_wizard
from . import okr_checkin_wizard_line
