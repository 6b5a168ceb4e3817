from . import okr_approval_reject_wizard
