from odoo import fields, models


class BscTheme(models.Model):
    """A strategic theme crossing the perspectives of a map.

    The reference case runs two: "Scale" (grow and defend the existing
    business, planned with the BSC) and "Innovation" (explore new ones,
    driven by OKRs). The strategy map highlights a theme's objectives.
    """

    _name = "bsc.theme"
    _description = "Strategic Theme"
    _inherit = ["bsc.authored.text.mixin"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Char(help="Colour of the theme's chip and highlight (#rrggbb).")
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to share the theme between companies.",
    )
    active = fields.Boolean(default=True)
