from odoo import fields, models


class BscKpiDefinition(models.Model):
    """An individual KPI that is not a measure of the strategy map.

    E.g. "Orders shipped on time" for a planner. Scored with the same engine
    as BSC measures (polarity, baseline, target, range).
    """

    _name = "bsc.kpi.definition"
    _description = "Individual KPI"
    _inherit = ["bsc.scoring.rule.mixin", "bsc.authored.text.mixin"]
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
    target = fields.Float(
        string="Default Target", help="Proposed target of new assignments."
    )
