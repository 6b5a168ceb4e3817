from odoo import api, fields, models

STATUS_SELECTION = [("red", "Red"), ("amber", "Amber"), ("green", "Green")]


class BscThresholdLine(models.Model):
    """One band of a threshold profile: ``[lower, upper)`` of achievement."""

    _name = "bsc.threshold.line"
    _description = "Threshold Band"
    _order = "profile_id, lower, id"

    profile_id = fields.Many2one(
        "bsc.threshold.profile", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="profile_id.company_id", store=True)
    status = fields.Selection(STATUS_SELECTION, required=True)
    lower = fields.Float(
        required=True,
        help="Achievement ratio where the band starts (included): 0.8 means "
        "80 % of the target.",
    )
    upper = fields.Float(
        help="Achievement ratio where the band stops (excluded). Ignored when "
        "the band is open-ended.",
    )
    upper_open = fields.Boolean(
        string="Open-ended",
        help="The band has no upper bound: every achievement above its lower "
        "bound falls in it. Exactly the last band must be open-ended.",
    )

    @api.constrains("status", "lower", "upper", "upper_open")
    def _check_profile_bands(self):
        for profile in self.profile_id:
            profile._get_bands()
