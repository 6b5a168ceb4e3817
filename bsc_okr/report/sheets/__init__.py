"""The sheets of the Excel scorecard, in workbook order: one class each,
rendering the scorecard snapshot (``bsc.scorecard._snapshot``)."""

from .data import DataSheet
from .evidence import EvidenceSheet
from .initiatives import InitiativesSheet
from .measures import MeasuresSheet
from .okr import OkrAlignmentSheet
from .strategy_map import StrategyMapSheet
from .summary import SummarySheet

SHEETS = [
    SummarySheet,
    StrategyMapSheet,
    MeasuresSheet,
    InitiativesSheet,
    OkrAlignmentSheet,
    DataSheet,
    EvidenceSheet,
]
