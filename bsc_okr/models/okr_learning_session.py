from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import html_translate

from .okr_learning_plan import PUBLISHED_STATES


class OkrLearningSession(models.Model):
    """A monthly presentation session: the learning plans presented together
    to their audience, who discuss and rate them ("publish and brainstorm").

    A session carries no OKR data (its plans are listed as far as the reader
    may read them): every employee of the company reads it.
    """

    _name = "okr.learning.session"
    _description = "Learning Presentation Session"
    _inherit = ["mail.thread", "bsc.authored.text.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, translate=True)
    date = fields.Date(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    campaign_id = fields.Many2one(
        "okr.learning.campaign", index=True, check_company=True, ondelete="restrict"
    )
    plan_ids = fields.Many2many(
        "okr.learning.plan",
        "okr_learning_session_plan_rel",
        "session_id",
        "plan_id",
        string="Plans Presented",
        check_company=True,
        domain="[('is_published', '=', True)]",
    )
    attendee_ids = fields.Many2many(
        "hr.employee",
        "okr_learning_session_attendee_rel",
        "session_id",
        "employee_id",
        string="Attendees",
        check_company=True,
    )
    notes = fields.Html(
        help="What was discussed: questions, challenges, next steps.",
        translate=html_translate,
    )
    plan_count = fields.Integer(compute="_compute_plan_count")

    @api.depends_context("uid")
    @api.depends("plan_ids")
    def _compute_plan_count(self):
        for session in self:
            session.plan_count = len(session.plan_ids)

    @api.constrains("plan_ids", "campaign_id")
    def _check_plans(self):
        for session in self:
            # Stages and campaigns are compared, whatever the reader may read.
            plans = session.plan_ids.sudo()
            unpublished = plans.filtered(lambda p: p.state not in PUBLISHED_STATES)
            if unpublished:
                raise ValidationError(
                    self.env._(
                        "%(plans)s have not presented their results yet.",
                        plans=", ".join(unpublished.mapped("display_name")),
                    )
                )
            if session.campaign_id:
                strangers = plans.filtered(
                    lambda p, s=session: p.campaign_id != s.campaign_id
                )
                if strangers:
                    raise ValidationError(
                        self.env._(
                            "%(plans)s do not belong to the campaign %(campaign)s.",
                            plans=", ".join(strangers.mapped("display_name")),
                            campaign=session.campaign_id.display_name,
                        )
                    )
