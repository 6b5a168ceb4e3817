from odoo import fields, models

STATUS_SELECTION = [
    ("green", "Green"),
    ("amber", "Amber"),
    ("red", "Red"),
    ("no_data", "No Data"),
]
TREND_SELECTION = [("up", "Up"), ("flat", "Flat"), ("down", "Down")]


class BscScoreMixin(models.AbstractModel):
    """Current score of a scorecard, perspective, objective or measure.

    "Current" is the latest period of the scorecard that has started as of
    the day of the last recomputation. These columns are written only by
    :meth:`bsc.scorecard._recompute_scores` (in bulk, one statement per
    model), never by users; the history per period is in ``bsc.score``.
    """

    _name = "bsc.score.mixin"
    _description = "Current Strategy Score"

    current_period_id = fields.Many2one(
        "bsc.period",
        readonly=True,
        help="The latest period that had started at the last recomputation.",
    )
    current_score = fields.Float(
        string="Score",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Score 0-10 in the current period. Empty without data.",
    )
    current_status = fields.Selection(
        STATUS_SELECTION,
        string="Status",
        readonly=True,
        default="no_data",
        help="Status in the current period, from the threshold bands.",
    )
    current_coverage = fields.Float(
        string="Coverage",
        readonly=True,
        aggregator="avg",
        help="Share of the weight below that had data in the current period "
        "(1.0 = everything reported). Missing data is never counted as zero.",
    )
    current_missing_count = fields.Integer(
        string="Missing Values",
        readonly=True,
        help="Number of measures below that were due but have no value in the "
        "current period.",
    )
    current_trend = fields.Selection(
        TREND_SELECTION,
        string="Trend",
        readonly=True,
        help="Score of the current period compared with the previous one.",
    )
