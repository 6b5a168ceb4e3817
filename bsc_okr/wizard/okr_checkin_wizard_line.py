from odoo import api, fields, models


class OkrCheckinWizardLine(models.TransientModel):
    """One key result in the quick check-in."""

    _name = "okr.checkin.wizard.line"
    _description = "Quick Check-in Line"

    wizard_id = fields.Many2one("okr.checkin.wizard", required=True, ondelete="cascade")
    key_result_id = fields.Many2one("okr.key.result", required=True)
    metric_type = fields.Selection(related="key_result_id.metric_type")
    unit = fields.Char(related="key_result_id.unit")
    start_value = fields.Float(related="key_result_id.start_value", string="Start")
    target_value = fields.Float(related="key_result_id.target_value", string="Target")
    current_value = fields.Float(
        related="key_result_id.current_value", string="Current"
    )
    value = fields.Float(string="New Value")
    done = fields.Boolean(help="For a milestone: is it done?")
    confidence = fields.Integer(default=5, help="0-10")
    comment = fields.Char(help="What moved, what blocks.")

    @api.onchange("done")
    def _onchange_done(self):
        for line in self.filtered(lambda line_: line_.metric_type == "milestone"):
            line.value = 1.0 if line.done else 0.0

    def _okr_value(self):
        """The value to post: a milestone is 1 when done, else 0."""
        self.ensure_one()
        if self.metric_type == "milestone":
            return 1.0 if self.done else 0.0
        return self.value
