from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import graph


class BscObjectiveLink(models.Model):
    """A cause-effect arrow of the strategy map: cause enables effect.

    Both objectives belong to the same scorecard; the links of a map form a
    directed acyclic graph (checked with :mod:`engine.graph`).
    """

    _name = "bsc.objective.link"
    _description = "Cause-Effect Link"
    _inherit = ["bsc.authored.text.mixin"]
    _order = "scorecard_id, id"

    cause_id = fields.Many2one(
        "bsc.objective",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('scorecard_id', '=', scorecard_id)]",
    )
    effect_id = fields.Many2one(
        "bsc.objective",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('scorecard_id', '=', scorecard_id), ('id', '!=', cause_id)]",
    )
    scorecard_id = fields.Many2one(
        "bsc.scorecard",
        compute="_compute_scorecard_id",
        store=True,
        readonly=False,
        required=True,
        index=True,
        ondelete="cascade",
        precompute=True,
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    hypothesis = fields.Text(
        help="Why the cause should move the effect, e.g. 'Faster product "
        "development wins more brand partner orders'.",
        translate=True,
    )
    lag_periods = fields.Integer(
        string="Expected Lag (months)",
        help="How many months the effect is expected to follow the cause.",
    )
    strength = fields.Selection(
        [("weak", "Weak"), ("medium", "Medium"), ("strong", "Strong")],
        default="medium",
        required=True,
        help="Drawn as the thickness of the arrow on the map.",
    )

    _sql_constraints = [
        (
            "cause_effect_uniq",
            "UNIQUE(cause_id, effect_id)",
            "These two objectives are already linked.",
        ),
    ]

    @api.depends("cause_id")
    def _compute_scorecard_id(self):
        for link in self:
            if link.cause_id:
                link.scorecard_id = link.cause_id.scorecard_id

    def _compute_display_name(self):
        for link in self:
            link.display_name = f"{link.cause_id.name} → {link.effect_id.name}"

    @api.constrains("cause_id", "effect_id", "scorecard_id")
    def _check_link(self):
        for link in self:
            if link.cause_id == link.effect_id:
                raise ValidationError(
                    self.env._(
                        "The objective %(name)s cannot be linked to itself.",
                        name=link.cause_id.name,
                    )
                )
            if (
                link.cause_id.scorecard_id != link.scorecard_id
                or link.effect_id.scorecard_id != link.scorecard_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(cause)s and %(effect)s belong to different scorecards: "
                        "a cause-effect link stays within one strategy map.",
                        cause=link.cause_id.name,
                        effect=link.effect_id.name,
                    )
                )
        self._validate_acyclic()

    def _validate_acyclic(self):
        """Refuse links that close a loop, naming the loop."""
        for scorecard in self.scorecard_id:
            links = self.search_fetch(
                [("scorecard_id", "=", scorecard.id)], ["cause_id", "effect_id"]
            )
            new = links & self
            edges = [(lk.cause_id.id, lk.effect_id.id) for lk in links - new]
            for link in new:
                cycle = graph.would_create_cycle(
                    edges, link.cause_id.id, link.effect_id.id
                )
                if cycle:
                    names = dict(
                        (o.id, o.name) for o in self.env["bsc.objective"].browse(cycle)
                    )
                    raise ValidationError(
                        self.env._(
                            "The link %(cause)s → %(effect)s would close a loop in "
                            "the strategy map: %(path)s. Cause and effect must "
                            "point one way only.",
                            cause=link.cause_id.name,
                            effect=link.effect_id.name,
                            path=" → ".join(names[node] for node in cycle),
                        )
                    )
                edges.append((link.cause_id.id, link.effect_id.id))
