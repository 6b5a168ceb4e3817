from . import bsc_scorecard_xlsx
