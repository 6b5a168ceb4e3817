from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

DECISIONS = [
    ("adopt", "Adopt"),
    ("pilot", "Pilot"),
    ("park", "Park"),
    ("reject", "Reject"),
]
#: The plan's stage after each decision.
DECISION_TARGETS = {
    "adopt": "promote",
    "pilot": "promote",
    "park": "parked",
    "reject": "rejected",
}


class OkrLearningDecision(models.Model):
    """The executives' investment decision on a presented learning plan
    (fusion mode 3, step 8): adopt, pilot, park or reject, with the
    resources granted and the rationale.

    Recorded by an executive who is not the plan's owner while the plan is
    in the 'Decide' stage; creating it moves the plan (adopt/pilot ->
    promote, park -> parked, reject -> rejected) through the approval
    mixin, logged in the stage history. A decision is never edited or
    deleted: a new decision is a new record.
    """

    _name = "okr.learning.decision"
    _description = "Learning Plan Decision"
    _inherit = ["bsc.authored.text.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "okr.learning.plan",
        required=True,
        index=True,
        # A decided plan is never deleted (see the plan's ondelete check).
        ondelete="cascade",
        check_company=True,
        domain="[('state', '=', 'decide')]",
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    decision = fields.Selection(
        DECISIONS,
        required=True,
        help="Adopt: enter the BSC's execution. Pilot: a limited trial, also "
        "promoted. Park: not now. Reject: not at all.",
    )
    budget = fields.Monetary(help="Budget granted for the next step.")
    headcount = fields.Float(
        string="People (FTE)", help="People granted, in full-time equivalents."
    )
    people_ids = fields.Many2many(
        "hr.employee",
        "okr_learning_decision_employee_rel",
        "decision_id",
        "employee_id",
        string="People Assigned",
        check_company=True,
    )
    rationale = fields.Text(
        required=True,
        help="Why: told to the owner and kept in the history.",
        translate=True,
    )
    decided_by_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)

    @api.constrains("budget", "headcount")
    def _check_resources(self):
        for decision in self:
            if decision.budget < 0 or decision.headcount < 0:
                raise ValidationError(
                    self.env._(
                        "The resources granted to %(plan)s cannot be negative.",
                        plan=decision.plan_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Check the decider and the plan before anything is written, then
        move each plan to the stage its decision leads to."""
        user = self.env.user
        for vals in vals_list:
            vals["decided_by_id"] = user.id
            if not (vals.get("rationale") or "").strip():
                raise UserError(
                    self.env._(
                        "Give the rationale of the decision: the owner reads it."
                    )
                )
            plan = self.env["okr.learning.plan"].browse(vals.get("plan_id"))
            if not plan.exists():
                raise UserError(self.env._("Choose the learning plan to decide on."))
            # Locked first: of two executives deciding at once, the second
            # is told at once, before writing anything.
            plan._learning_lock()
            plan._learning_ensure_can_decide(user)
        decisions = super().create(vals_list)
        for decision in decisions:
            decision.plan_id._learning_apply_decision(decision)
        return decisions

    def write(self, vals):
        if self:
            raise UserError(
                self.env._("A decision is not edited; record a new one instead.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A decision on a learning plan is never deleted."))

    def _learning_target_state(self):
        self.ensure_one()
        return DECISION_TARGETS[self.decision]
