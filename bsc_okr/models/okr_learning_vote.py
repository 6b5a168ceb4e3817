from odoo import api, fields, models
from odoo.exceptions import UserError

RATINGS = [
    ("1", "1 - Not convinced"),
    ("2", "2 - Doubtful"),
    ("3", "3 - Worth a look"),
    ("4", "4 - Promising"),
    ("5", "5 - Let's do it"),
]


class OkrLearningVote(models.Model):
    """One person's rating of a presented learning plan (1-5 stars).

    The reference case's "publish and brainstorm" step: the audience rates
    the plans it reads while they are presented or wait for the decision.
    One rating per person and plan (a second one updates it); the plan shows
    the average. Each person reads their own ratings only.
    """

    _name = "okr.learning.vote"
    _description = "Learning Plan Rating"
    _inherit = ["bsc.authored.text.mixin"]
    _order = "id desc"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "okr.learning.plan",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
    )
    rating = fields.Selection(RATINGS, required=True, default="3")
    comment = fields.Char(
        help="A word for the owner; the discussion is in the chatter.",
        translate=True,
    )

    _sql_constraints = [
        (
            "plan_user_uniq",
            "UNIQUE(plan_id, user_id)",
            "You already rated this learning plan: change your rating instead.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su or not vals.get("user_id"):
                # A rating is always the current user's.
                vals["user_id"] = self.env.uid
            plan = self.env["okr.learning.plan"].browse(vals.get("plan_id"))
            if not plan.exists():
                raise UserError(self.env._("Choose the learning plan to rate."))
            plan._learning_ensure_can_vote()
            if self.search_count(
                [("plan_id", "=", plan.id), ("user_id", "=", vals["user_id"])]
            ):
                raise UserError(
                    self.env._(
                        "You already rated %(plan)s: change your rating instead.",
                        plan=plan.display_name,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) - {"rating", "comment"}:
            raise UserError(self.env._("Only the rating and its comment can change."))
        for vote in self:
            vote.plan_id._learning_ensure_can_vote()
        return super().write(vals)
