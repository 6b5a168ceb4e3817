from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BscPerspective(models.Model):
    """A perspective of a scorecard, read bottom-up on the strategy map.

    The template creates Learning & Growth, Internal Process, Customer and
    Financial; perspectives can be renamed and more added (e.g.
    "Sustainability"). A higher sequence is drawn higher on the map.
    """

    _name = "bsc.perspective"
    _description = "Scorecard Perspective"
    _inherit = ["bsc.score.mixin"]
    _order = "scorecard_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    scorecard_id = fields.Many2one(
        "bsc.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    sequence = fields.Integer(
        default=10,
        help="Order on the map, bottom-up: the lowest sequence is drawn at the "
        "bottom (Learning & Growth), the highest at the top (Financial).",
    )
    kind = fields.Selection(
        [
            ("financial", "Financial"),
            ("customer", "Customer"),
            ("process", "Internal Process"),
            ("learning", "Learning & Growth"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    weight = fields.Float(
        default=1.0,
        help="Weight of this perspective in the scorecard score (re-normalised "
        "over the perspectives that have data).",
    )
    color = fields.Char(help="Background colour of the band on the map (#rrggbb).")
    description = fields.Text(translate=True)
    objective_ids = fields.One2many("bsc.objective", "perspective_id")

    @api.constrains("weight")
    def _check_weight(self):
        for perspective in self:
            if perspective.weight < 0:
                raise ValidationError(
                    self.env._(
                        "The weight of the perspective %(name)s cannot be "
                        "negative (%(weight)s).",
                        name=perspective.name,
                        weight=perspective.weight,
                    )
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _translate_template_names(self, langs=None):
        """Translate the names these perspectives got from the template.

        Each perspective whose English name is still the template name of its
        kind, and that has no name of its own in a language, gets the template
        name of that language. A renamed perspective, or one translated by
        hand, keeps its name. ``langs`` defaults to the active languages.
        """
        if langs is None:
            langs = [code for code, _name in self.env["res.lang"].get_installed()]
        langs = [lang for lang in langs if lang != "en_US"]
        if not langs or not self:
            return
        Scorecard = self.env["bsc.scorecard"]
        english = {
            values["kind"]: values["name"]
            for values in Scorecard.with_context(lang="en_US")._perspective_template()
        }
        candidates = self.with_context(lang="en_US").filtered(
            lambda perspective: english.get(perspective.kind) == perspective.name
        )
        for lang in langs:
            translated = {
                values["kind"]: values["name"]
                for values in Scorecard.with_context(lang=lang)._perspective_template()
            }
            to_write = defaultdict(lambda: self.browse())
            for perspective in candidates.with_context(lang=lang):
                kind = perspective.kind
                # Reading in a language without a value falls back to English.
                if perspective.name == english[kind] != translated[kind]:
                    to_write[kind] |= perspective
            for kind, perspectives in to_write.items():
                perspectives.with_context(lang=lang).write({"name": translated[kind]})

    @api.model
    def _translate_all_template_names(self, langs):
        """Translate the template names of every company's perspectives.

        Called when a language's terms are loaded, so that perspectives created
        before the language was installed (the demo's, for one) read in it too.
        """
        # Loading a language is an administrator's act (or the installer's); it
        # must reach the perspectives of every company, which the multi-company
        # rules of the current user would hide: sudo, after checking who asks.
        if not (self.env.su or self.env.user._is_system()):
            return
        english = [
            values["name"]
            for values in self.env["bsc.scorecard"]
            .with_context(lang="en_US")
            ._perspective_template()
        ]
        perspectives = (
            self.sudo()
            .with_context(lang="en_US", active_test=False)
            .search([("name", "in", english)])
        )
        perspectives._translate_template_names(langs)
