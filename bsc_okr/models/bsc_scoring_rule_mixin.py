from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import scoring

POLARITY_SELECTION = [
    ("higher", "Higher is better"),
    ("lower", "Lower is better"),
    ("range", "Within a range"),
]


class BscScoringRuleMixin(models.AbstractModel):
    """How a value is scored: polarity, baseline, target and good range.

    The inputs of ``engine.scoring.score_measure`` that a record defines,
    declared and checked once for the three kinds of records the engine
    scores: strategy map measures, individual KPI definitions and the KPI
    assignments copied from either. Inheriting models add their own
    attributes (tracking, labels, computes) by redeclaring a field with
    those attributes only.
    """

    _name = "bsc.scoring.rule.mixin"
    _description = "Scoring Rule"

    polarity = fields.Selection(
        POLARITY_SELECTION,
        required=True,
        default="higher",
    )
    baseline = fields.Float(
        help="Starting point: achievement is measured from it towards the target."
    )
    target = fields.Float()
    range_min = fields.Float(help="Lowest good value (polarity 'Within a range').")
    range_max = fields.Float(help="Highest good value (polarity 'Within a range').")

    @api.constrains("polarity", "range_min", "range_max")
    def _check_range(self):
        for rule in self.filtered(lambda r: r.polarity == scoring.RANGE):
            try:
                scoring.check_range(rule.range_min, rule.range_max)
            except scoring.MeasureError as error:
                raise ValidationError(
                    self.env._(
                        "The range of %(name)s is inverted: its lowest good value "
                        "(%(min)s) is above its highest (%(max)s).",
                        name=rule.display_name,
                        min=rule.range_min,
                        max=rule.range_max,
                    )
                ) from error
