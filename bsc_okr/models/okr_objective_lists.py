from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression


class OkrObjective(models.Model):
    """Whose objectives are listed where, and which workflow step a button
    takes: the rules the portal's pages (and any other screen) ask for."""

    # A file of its own: okr_objective.py is long enough already.
    _inherit = "okr.objective"  # pylint: disable=consider-merging-classes-inherited

    #: The workflow steps offered as buttons, and the stage each requests
    #: (None: withdraw the pending request). Which of them may be taken
    #: now comes from the transition table (``approval_next_states``).
    _okr_workflow_steps = {
        "submit": "approved",
        "activate": "active",
        "withdraw": None,
    }

    @api.model
    def _okr_my_domain(self, user):
        """``user``'s own objectives (not the goals of learning plans)."""
        return [("owner_user_id", "=", user.id), ("is_learning", "=", False)]

    @api.model
    def _okr_team_domain(self, user, cycle):
        """The objectives of ``user``'s team in ``cycle``, theirs excepted,
        cancelled ones left out. Portal users have no team (the org chart
        says who is in one)."""
        if user.share:
            return expression.FALSE_DOMAIN
        return [
            ("in_my_team", "=", True),
            ("owner_user_id", "!=", user.id),
            ("cycle_id", "=", cycle.id),
            ("state", "!=", "cancelled"),
        ]

    def _okr_latest_checkin_dates(self):
        """``{objective: date}`` of the latest check-in on each objective of
        ``self`` with key results (False before the first), in one query."""
        return dict(
            self.env["okr.key.result"]._read_group(
                [("objective_id", "in", self.ids)],
                ["objective_id"],
                ["last_checkin_date:max"],
            )
        )

    def _okr_workflow_actions(self):
        """The workflow steps (keys of ``_okr_workflow_steps``) the current
        user may take on this objective now."""
        self.ensure_one()
        next_states = self.approval_next_states or []
        return {
            step
            for step, to_state in self._okr_workflow_steps.items()
            if (
                self.approval_can_cancel
                if to_state is None
                else to_state in next_states
            )
        }

    def _okr_workflow_step(self, step):
        """Take the workflow step ``step`` (see ``_okr_workflow_steps``);
        the approval mixin refuses what the transition table does not allow."""
        self.ensure_one()
        if step not in self._okr_workflow_steps:
            raise UserError(self.env._("This stage cannot be requested now."))
        to_state = self._okr_workflow_steps[step]
        if to_state is None:
            return self.action_approval_cancel_request()
        return self.action_approval_request(to_state)
