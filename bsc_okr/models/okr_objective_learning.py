from odoo import api, fields, models
from odoo.exceptions import UserError


class OkrObjective(models.Model):
    """The learning side of objectives: the goal of a learning plan.

    Such a goal moves with its plan (the plan's approval activates it); its
    owner only reviews its grades. Whoever may read the plan reads its goal,
    key results and check-ins (see security/okr_security.xml).
    """

    _inherit = "okr.objective"

    learning_plan_id = fields.Many2one(
        "okr.learning.plan",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
        help="The learning plan whose goal this objective is.",
    )

    def _approval_allowed_transitions(self):
        transitions = super()._approval_allowed_transitions()
        if self.learning_plan_id:
            # The plan's stages drive its goal; the owner reviews grades.
            return [t for t in transitions if t["to"] == "graded"]
        return transitions

    def action_approval_request(self, to_state=None, comment=None):
        """Refuse stage requests on a learning goal, except grading."""
        to_state = to_state or self.env.context.get("approval_to_state")
        for objective in self:
            if objective.learning_plan_id and to_state != "graded":
                raise UserError(
                    self.env._(
                        "%(objective)s is the goal of the learning plan %(plan)s: "
                        "it moves with the plan's stages.",
                        objective=objective.display_name,
                        # sudo: the user's own objective names its plan; the plan's
                        # rules may hide it
                        plan=objective.learning_plan_id.sudo().display_name,
                    )
                )
        return super().action_approval_request(to_state=to_state, comment=comment)

    def _okr_ensure_key_results_editable(self):
        result = super()._okr_ensure_key_results_editable()
        self._learning_ensure_not_pending()
        return result

    def _learning_ensure_not_pending(self):
        """A learning goal and its key results are what the manager
        approves: they stay as they are while the plan waits for that
        approval."""
        if self.env.su:
            return
        for objective in self.filtered("learning_plan_id"):
            # Whether a request is pending is known to whoever edits the goal.
            plan = objective.learning_plan_id.sudo()
            if plan.approval_pending:
                raise UserError(
                    self.env._(
                        "The learning plan %(plan)s waits for approval: withdraw "
                        "the request to change its learning goal or key results.",
                        plan=plan.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("learning_plan_id") for vals in vals_list):
            raise UserError(
                self.env._(
                    "A learning goal is created by its learning plan: create the "
                    "plan instead."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if self._okr_locked_fields.intersection(vals):
            self._learning_ensure_not_pending()
        if "learning_plan_id" in vals and not self.env.su:
            # Set once, by the plan that creates the goal.
            linked = self.filtered("learning_plan_id")
            if linked or not vals["learning_plan_id"]:
                raise UserError(
                    self.env._(
                        "An objective's learning plan is set when the plan is "
                        "created; it cannot change."
                    )
                )
            plan = self.env["okr.learning.plan"].browse(vals["learning_plan_id"])
            if plan.objective_id != self:
                raise UserError(
                    self.env._(
                        "Only the learning plan created with this goal can be "
                        "linked to it."
                    )
                )
        return super().write(vals)
