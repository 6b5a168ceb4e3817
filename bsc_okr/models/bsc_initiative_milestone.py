from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..engine import grading

OWNER_WRITABLE_FIELDS = {"current_value", "note"}


class BscInitiativeMilestone(models.Model):
    """A milestone of an initiative, defined as a quantified result.

    Progress goes from ``start_value`` to ``target_value`` (either
    direction). The initiative's owner may update ``current_value`` and the
    note; everything else is Strategy Officer work.
    """

    _name = "bsc.initiative.milestone"
    _description = "Initiative Milestone"
    _inherit = ["bsc.progress.mixin", "bsc.authored.text.mixin"]
    _order = "initiative_id, date_due, sequence, id"

    initiative_id = fields.Many2one(
        "bsc.initiative", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="initiative_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    metric = fields.Char(
        required=True,
        help="What is counted, e.g. 'prototype units tested with families'.",
        translate=True,
    )
    unit = fields.Char(help="e.g. 'units', '%', 'HKD'.", translate=True)
    start_value = fields.Float()
    target_value = fields.Float(required=True)
    current_value = fields.Float()
    weight = fields.Float(default=1.0, help="Weight in the initiative's progress.")
    date_due = fields.Date(string="Due Date")
    note = fields.Text(translate=True)
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        help="From start to target (0.0-1.0), capped at 1.0.",
    )

    @api.depends("start_value", "target_value", "current_value")
    def _compute_progress(self):
        for milestone in self:
            # A target equal to the start is refused by _check_values; the
            # engine gives 0.0 for it meanwhile, so the compute stays total.
            milestone.progress = grading.quantified_progress(
                milestone.start_value, milestone.target_value, milestone.current_value
            )

    @api.constrains("start_value", "target_value")
    def _check_values(self):
        for milestone in self:
            if abs(milestone.target_value - milestone.start_value) < 1e-9:
                raise ValidationError(
                    self.env._(
                        "The milestone %(name)s must target a result different "
                        "from its start value (%(value)s).",
                        name=milestone.name,
                        value=milestone.start_value,
                    )
                )

    @api.constrains("weight")
    def _check_weight(self):
        for milestone in self:
            if milestone.weight < 0:
                raise ValidationError(
                    self.env._(
                        "The weight of the milestone %(name)s cannot be negative.",
                        name=milestone.name,
                    )
                )

    def write(self, vals):
        if (
            not self.env.su
            and set(vals) - OWNER_WRITABLE_FIELDS
            and not self.env.user.has_group("bsc_okr.group_strategy_officer")
        ):
            raise AccessError(
                self.env._(
                    "As owner of an initiative you may update the current value "
                    "and note of its milestones; the rest is set by Strategy "
                    "Officers."
                )
            )
        return super().write(vals)
