from odoo import api, fields, models
from odoo.exceptions import UserError


class BscInitiative(models.Model):
    """The learning side of initiatives: where a promoted plan went.

    Set by the promote wizard together with the plan's ``initiative_id``
    and ``origin``, so that both records point at each other and the
    action plan shows which initiatives came out of learning.
    """

    _inherit = "bsc.initiative"

    learning_plan_id = fields.Many2one(
        "okr.learning.plan",
        string="From Learning Plan",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
        # The appraisal wall: a Many2one's display name is read as superuser
        # by web_read, so the plan's title would reach appraisal staff who
        # may not read the plan. Hidden from them, like every OKR field.
        groups="!bsc_okr.group_kpi_appraisal",
        help="The learning plan this initiative was promoted from.",
    )
    learning_decision = fields.Selection(
        related="learning_plan_id.decision",
        string="Learning Decision",
        groups="!bsc_okr.group_kpi_appraisal",
        help="Adopted or piloted by the executives.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("learning_plan_id") for vals in vals_list):
            self._learning_refuse_manual_link()
        return super().create(vals_list)

    def write(self, vals):
        if "learning_plan_id" in vals and not self.env.su:
            self._learning_refuse_manual_link()
        return super().write(vals)

    def _learning_refuse_manual_link(self):
        # Only the promote wizard links plans (as superuser, after its
        # checks): a hand-made link would fake a promotion.
        raise UserError(
            self.env._(
                "An initiative is linked to a learning plan by promoting the "
                "plan (Promote on the plan), not by hand."
            )
        )
