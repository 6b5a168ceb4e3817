from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import scoring


class BscThresholdProfile(models.Model):
    """Status bands (red / amber / green) over the achievement ratio.

    A measure uses its own profile, else its scorecard's; roll-ups
    (objective, perspective, scorecard) read their score through the
    scorecard's profile. The bands are checked by the engine: no gap, no
    overlap, the first band starting at 0 % or below, the last one open.
    """

    _name = "bsc.threshold.profile"
    _description = "Threshold Profile"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the profile between companies.",
    )
    line_ids = fields.One2many(
        "bsc.threshold.line", "profile_id", string="Bands", copy=True
    )
    description = fields.Text(translate=True)

    @api.constrains("line_ids")
    def _check_bands(self):
        for profile in self:
            profile._get_bands()

    def _get_bands(self):
        """Validated engine bands of this profile, sorted by lower bound.

        Raises a translated ValidationError naming the gap, overlap or other
        problem found by :func:`engine.scoring.validate_bands`.
        """
        self.ensure_one()
        bands = [
            scoring.Band(
                line.status, line.lower, None if line.upper_open else line.upper
            )
            for line in self.line_ids
        ]
        try:
            return scoring.validate_bands(bands)
        except scoring.BandError as error:
            raise ValidationError(self._band_error_message(error)) from None

    def _band_error_message(self, error):
        """Translated sentence for an engine BandError."""

        def pct(value):
            if value is None:
                return self.env._("infinity")
            return f"{value * 100:g} %"

        params = {key: pct(value) for key, value in error.params.items()}
        name = self.display_name
        code = error.code
        if code == "no_bands":
            return self.env._(
                "The threshold profile %(profile)s needs at least one band.",
                profile=name,
            )
        if code == "empty_band":
            return self.env._(
                "In the threshold profile %(profile)s, the band from %(lower)s to "
                "%(upper)s is empty: its upper bound must be above its lower bound.",
                profile=name,
                lower=params.get("lower"),
                upper=params.get("upper"),
            )
        if code == "first_band_start":
            return self.env._(
                "In the threshold profile %(profile)s, the first band starts at "
                "%(lower)s: it must start at 0 %% or below so that every "
                "achievement has a status.",
                profile=name,
                lower=params.get("lower"),
            )
        if code == "last_band_closed":
            return self.env._(
                "In the threshold profile %(profile)s, the last band stops at "
                "%(upper)s: tick 'Open-ended' on it so that achievements above "
                "it still have a status.",
                profile=name,
                upper=params.get("upper"),
            )
        if code == "gap":
            return self.env._(
                "The threshold profile %(profile)s has a gap between %(lower)s "
                "and %(upper)s: no band covers those achievements.",
                profile=name,
                lower=params.get("lower"),
                upper=params.get("upper"),
            )
        if code == "overlap":
            return self.env._(
                "The threshold profile %(profile)s has overlapping bands between "
                "%(lower)s and %(upper)s: two bands cover those achievements.",
                profile=name,
                lower=params.get("lower"),
                upper=params.get("upper"),
            )
        return self.env._(
            "A band of the threshold profile %(profile)s is invalid (%(code)s).",
            profile=name,
            code=code,
        )

    @api.model
    def _default_profile(self, company=None):
        """The profile to use when none is chosen: the company's first, else
        the shared default shipped in data."""
        company = company or self.env.company
        profile = self.search(
            [("company_id", "in", [company.id, False])],
            order="company_id, sequence, id",
            limit=1,
        )
        return profile or self.env.ref(
            "bsc_okr.bsc_threshold_profile_default", raise_if_not_found=False
        )
