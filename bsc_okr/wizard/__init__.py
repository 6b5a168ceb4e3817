from . import okr_checkin_wizard
from . import okr_checkin_wizard_line
from . import okr_approval_reject_wizard
from . import okr_learning_promote_wizard
from . import bsc_scorecard_export_wizard
from . import okr_carry_over_wizard
from . import okr_import_wizard
