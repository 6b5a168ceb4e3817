from odoo import api, fields, models


class OkrLearningPlanType(models.Model):
    """A kind of learning plan, e.g. Lean, Employee Satisfaction or Black
    Technology (the reference case's ongoing plans).

    Configured by OKR administrators; the pipeline screens count and compare
    plans per type.
    """

    _name = "okr.learning.plan.type"
    _description = "Learning Plan Type"
    _inherit = ["bsc.authored.text.mixin"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(
        translate=True, help="What plans of this type explore, in a sentence."
    )
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the type between companies."
    )
    active = fields.Boolean(default=True)
    plan_count = fields.Integer(compute="_compute_plan_count")

    @api.depends_context("uid")
    def _compute_plan_count(self):
        # Counts what the reader may read: the plans' rules apply.
        counts = dict(
            self.env["okr.learning.plan"]._read_group(
                [("plan_type_id", "in", self.ids)], ["plan_type_id"], ["__count"]
            )
        )
        for plan_type in self:
            plan_type.plan_count = counts.get(plan_type, 0)
