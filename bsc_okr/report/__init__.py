from . import bsc_scorecard_xlsx
from . import bsc_scorecard_xlsx_evidence
