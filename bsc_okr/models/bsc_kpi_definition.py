from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import EngineError, scoring
from .bsc_measure import POLARITY_SELECTION


class BscKpiDefinition(models.Model):
    """An individual KPI that is not a measure of the strategy map.

    E.g. "Orders shipped on time" for a planner. Scored with the same engine
    as BSC measures (polarity, baseline, target, range).
    """

    _name = "bsc.kpi.definition"
    _description = "Individual KPI"
    _inherit = ["bsc.authored.text.mixin"]
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to share the KPI with every company.",
    )
    unit_label = fields.Char(
        string="Unit",
        help="Shown after values, e.g. '%', 'days', 'orders'.",
        translate=True,
    )
    polarity = fields.Selection(
        POLARITY_SELECTION,
        required=True,
        default="higher",
    )
    baseline = fields.Float(
        help="Starting point: achievement is measured from it towards the target."
    )
    target = fields.Float(
        string="Default Target", help="Proposed target of new assignments."
    )
    range_min = fields.Float(help="Lowest good value (polarity 'Within a range').")
    range_max = fields.Float(help="Highest good value (polarity 'Within a range').")

    @api.constrains("polarity", "range_min", "range_max")
    def _check_range(self):
        for kpi in self:
            try:
                # No actual: only the definition is checked.
                scoring.achievement(
                    None,
                    kpi.target,
                    kpi.baseline,
                    kpi.polarity,
                    kpi.range_min if kpi.polarity == "range" else None,
                    kpi.range_max if kpi.polarity == "range" else None,
                )
            except EngineError as error:
                raise ValidationError(
                    self.env._(
                        "The KPI %(name)s has an invalid range: the lowest good "
                        "value must not exceed the highest.",
                        name=kpi.name,
                    )
                ) from error
