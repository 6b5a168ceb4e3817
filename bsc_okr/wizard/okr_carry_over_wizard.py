from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class OkrCarryOverWizard(models.TransientModel):
    """Carry objectives over into the next cycle before their cycle closes
    (closing carries those whose retrospective says so by itself)."""

    _name = "okr.carry.over.wizard"
    _description = "Carry Objectives Over"

    objective_ids = fields.Many2many(
        "okr.objective",
        string="Objectives",
        domain="[('state', 'in', ('active', 'graded')), "
        "('carried_to_ids', '=', False), ('cycle_id.state', '!=', 'closed')]",
        help="Each is copied into the cycle that follows its own, with its "
        "key results starting from their last value.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        ids = context.get("active_ids") or []
        if context.get("active_model") == "okr.objective":
            objectives = self.env["okr.objective"].browse(ids)
        elif context.get("active_model") == "okr.cycle":
            # The objectives of the cycle whose retrospective says "carry
            # over", as far as the user may read them.
            objectives = self.env["okr.objective"].search(
                [
                    ("cycle_id", "in", ids),
                    ("retrospective_ids.next_step", "=", "carry_over"),
                    ("carried_to_ids", "=", False),
                ]
            )
        else:
            objectives = self.env["okr.objective"]
        if "objective_ids" in fields_list:
            values["objective_ids"] = [Command.set(objectives.ids)]
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.objective_ids:
            raise UserError(self.env._("Choose the objectives to carry over."))
        return self.objective_ids.action_carry_over()
