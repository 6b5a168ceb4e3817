from . import res_company
from . import res_config_settings
from . import hr_department
from . import bsc_okr_approval_mixin
from . import okr_approval_request
from . import okr_stage_history
