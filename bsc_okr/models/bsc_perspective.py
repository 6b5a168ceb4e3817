from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BscPerspective(models.Model):
    """A perspective of a scorecard, read bottom-up on the strategy map.

    The template creates Learning & Growth, Internal Process, Customer and
    Financial; perspectives can be renamed and more added (e.g.
    "Sustainability"). A higher sequence is drawn higher on the map.
    """

    _name = "bsc.perspective"
    _description = "Scorecard Perspective"
    _inherit = ["bsc.score.mixin"]
    _order = "scorecard_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    scorecard_id = fields.Many2one(
        "bsc.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    sequence = fields.Integer(
        default=10,
        help="Order on the map, bottom-up: the lowest sequence is drawn at the "
        "bottom (Learning & Growth), the highest at the top (Financial).",
    )
    kind = fields.Selection(
        [
            ("financial", "Financial"),
            ("customer", "Customer"),
            ("process", "Internal Process"),
            ("learning", "Learning & Growth"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    weight = fields.Float(
        default=1.0,
        help="Weight of this perspective in the scorecard score (re-normalised "
        "over the perspectives that have data).",
    )
    color = fields.Char(help="Background colour of the band on the map (#rrggbb).")
    description = fields.Text(translate=True)
    objective_ids = fields.One2many("bsc.objective", "perspective_id")

    @api.constrains("weight")
    def _check_weight(self):
        for perspective in self:
            if perspective.weight < 0:
                raise ValidationError(
                    self.env._(
                        "The weight of the perspective %(name)s cannot be "
                        "negative (%(weight)s).",
                        name=perspective.name,
                        weight=perspective.weight,
                    )
                )
