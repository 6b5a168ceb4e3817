from . import okr_checkin_wizard
from . import okr_checkin_wizard_line
from . import bsc_scorecard_export_wizard
