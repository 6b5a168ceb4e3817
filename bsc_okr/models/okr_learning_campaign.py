from odoo import api, fields, models
from odoo.tools.translate import html_translate

#: Stages of a learning plan in funnel order; the decided ones share a rank.
FUNNEL_RANKS = {
    "propose": 0,
    "learn": 1,
    "present": 2,
    "decide": 3,
    "promote": 4,
    "parked": 4,
    "rejected": 4,
}


class OkrLearningCampaign(models.Model):
    """A leader's call for learning plans (fusion mode 3, steps 1-2).

    The leader champions the OKR way of working and puts forward a first
    idea of the innovation strategy, e.g. "Digital, social and smart toys".
    The campaign holds that theme, its time box, its sponsor and
    participants, the learning plans that answer it and the monthly
    presentation sessions, and shows its funnel: proposed, learning,
    presented, decided, promoted.

    A campaign carries no OKR data: every employee of the company reads it.
    Its funnel counts the plans the reader may read.
    """

    _name = "okr.learning.campaign"
    _description = "Learning Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin", "bsc.authored.text.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Theme",
        required=True,
        tracking=True,
        translate=True,
        help="The innovation direction the leader proposes, e.g. 'Digital, "
        "social and smart toys'.",
    )
    strategy_idea = fields.Html(
        string="First Idea of the Strategy",
        help="The leader's first idea of the innovation strategy: the question "
        "the learning plans answer.",
        translate=html_translate,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(required=True, tracking=True)
    date_end = fields.Date(
        required=True,
        tracking=True,
        help="The time box: in the reference case, three months (propose, "
        "learn, decide).",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        help="New learning plans are proposed to a running campaign; a closed "
        "campaign refuses them.",
    )
    sponsor_id = fields.Many2one(
        "hr.employee",
        required=True,
        tracking=True,
        check_company=True,
        help="The executive who champions the campaign; by default the sponsor "
        "of its plans. Reads every plan of the campaign.",
    )
    sponsor_user_id = fields.Many2one(
        "res.users",
        related="sponsor_id.user_id",
        store=True,
        index=True,
        string="Sponsor's User",
    )
    participant_ids = fields.Many2many(
        "hr.employee",
        "okr_learning_campaign_participant_rel",
        "campaign_id",
        "employee_id",
        string="Participants",
        check_company=True,
        help="The managers invited to propose a learning plan.",
    )
    plan_ids = fields.One2many("okr.learning.plan", "campaign_id", string="Plans")
    session_ids = fields.One2many(
        "okr.learning.session", "campaign_id", string="Sessions"
    )
    count_proposed = fields.Integer(
        string="Proposed", compute="_compute_funnel", help="All plans."
    )
    count_learning = fields.Integer(
        string="Learning",
        compute="_compute_funnel",
        help="Plans whose learning was approved (learning or further).",
    )
    count_presented = fields.Integer(
        string="Presented",
        compute="_compute_funnel",
        help="Plans that presented their results (presented or further).",
    )
    count_decided = fields.Integer(
        string="Decided",
        compute="_compute_funnel",
        help="Plans the executives decided on: adopted, piloted, parked or rejected.",
    )
    count_promoted = fields.Integer(
        string="Promoted",
        compute="_compute_funnel",
        help="Plans promoted into an initiative of the Balanced Scorecard.",
    )
    conversion_rate = fields.Float(
        string="Conversion",
        compute="_compute_funnel",
        help="Promoted plans out of proposed plans.",
    )
    session_count = fields.Integer(compute="_compute_session_count")

    _sql_constraints = [
        (
            "date_check",
            "CHECK(date_end >= date_start)",
            "A campaign cannot end before it starts.",
        ),
    ]

    @api.depends_context("uid")
    @api.depends("plan_ids.state", "plan_ids.initiative_id")
    def _compute_funnel(self):
        """One grouped query for every campaign, with the reader's rights."""
        counts = {campaign: dict.fromkeys(range(6), 0) for campaign in self}
        for campaign, state, promoted, count in self.env[
            "okr.learning.plan"
        ]._read_group(
            [("campaign_id", "in", self.ids)],
            ["campaign_id", "state", "is_promoted"],
            ["__count"],
        ):
            rank = 5 if promoted else FUNNEL_RANKS.get(state, 0)
            counts[campaign][rank] += count
        for campaign in self:
            by_rank = counts[campaign]
            reached = [sum(by_rank[r] for r in range(rank, 6)) for rank in range(6)]
            campaign.count_proposed = reached[0]
            campaign.count_learning = reached[1]
            campaign.count_presented = reached[2]
            campaign.count_decided = reached[4]
            campaign.count_promoted = reached[5]
            campaign.conversion_rate = reached[5] / reached[0] if reached[0] else 0.0

    @api.depends("session_ids")
    def _compute_session_count(self):
        counts = dict(
            self.env["okr.learning.session"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]
            )
        )
        for campaign in self:
            campaign.session_count = counts.get(campaign, 0)

    @api.constrains("sponsor_id")
    def _check_sponsor_is_executive(self):
        for campaign in self:
            self.env["okr.learning.plan"]._learning_ensure_executive(
                campaign.sponsor_id, campaign.display_name
            )

    @api.model
    def _learning_open_campaigns_domain(self):
        """The campaigns a new learning plan may answer, in the back end and
        the portal alike: running ones (a draft campaign is not announced
        yet; a closed one refuses plans, see okr.learning.plan)."""
        return [("state", "=", "running")]

    def action_start(self):
        """Open the campaign: learning plans are proposed."""
        self.write({"state": "running"})
        return True

    def action_close(self):
        """Close the campaign: no new plan joins it."""
        self.write({"state": "closed"})
        return True

    def action_reset_draft(self):
        """Back to draft."""
        self.write({"state": "draft"})
        return True

    def _action_plans(self, domain=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.okr_learning_plan_action"
        )
        action["domain"] = [("campaign_id", "=", self.id), *(domain or [])]
        action["context"] = {
            "default_campaign_id": self.id,
            "search_default_group_state": 0,
        }
        return action

    def action_view_plans(self):
        """All plans of the campaign."""
        return self._action_plans()

    def action_view_learning(self):
        """Plans that reached the learning stage."""
        return self._action_plans([("state", "!=", "propose")])

    def action_view_presented(self):
        """Plans that presented their results."""
        return self._action_plans([("state", "not in", ("propose", "learn"))])

    def action_view_decided(self):
        """Plans decided by the executives."""
        return self._action_plans([("state", "in", ("promote", "parked", "rejected"))])

    def action_view_promoted(self):
        """Plans promoted into the Balanced Scorecard."""
        return self._action_plans([("is_promoted", "=", True)])

    def action_view_sessions(self):
        """The presentation sessions of the campaign."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.okr_learning_session_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action
