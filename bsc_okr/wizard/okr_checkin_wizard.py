from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class OkrCheckinWizard(models.TransientModel):
    """The quick check-in: every key result of an objective on one screen.

    Updating must take seconds, or people stop doing it in week two: the
    lines come pre-filled with the current values and confidence, so a
    check-in is changing what moved and pressing one button.
    """

    _name = "okr.checkin.wizard"
    _description = "Quick Check-in"

    date = fields.Date(required=True, default=fields.Date.context_today)
    line_ids = fields.One2many("okr.checkin.wizard.line", "wizard_id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" not in fields_list or values.get("line_ids"):
            return values
        context = self.env.context
        key_results = self.env["okr.key.result"]
        if context.get("default_key_result_ids"):
            key_results = key_results.browse(context["default_key_result_ids"])
        elif context.get("default_objective_id"):
            key_results = (
                self.env["okr.objective"]
                .browse(context["default_objective_id"])
                .key_result_ids
            )
        key_results = key_results._okr_filter_can_checkin()
        values["line_ids"] = [
            Command.create(
                {
                    "key_result_id": key_result.id,
                    "value": key_result.current_value,
                    "done": key_result.current_value >= 1.0,
                    "confidence": key_result.confidence,
                }
            )
            for key_result in key_results
        ]
        return values

    def action_confirm(self):
        """Post one check-in per line."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("There is no key result to check in on."))
        self.env["okr.checkin"].create(
            [
                {
                    "key_result_id": line.key_result_id.id,
                    "date": self.date,
                    "value": line._okr_value(),
                    "confidence": line.confidence,
                    "comment": line.comment or False,
                }
                for line in self.line_ids
            ]
        )
        return {"type": "ir.actions.act_window_close"}
