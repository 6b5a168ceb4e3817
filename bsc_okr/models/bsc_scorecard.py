import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, html_translate

from ..engine import periods as engine_periods
from .bsc_period import month_label

_logger = logging.getLogger(__name__)

STATE_SELECTION = [("draft", "Draft"), ("active", "Active"), ("archived", "Archived")]


class BscScorecard(models.Model):
    """A strategy for a horizon: its map, measures and action plan.

    Creating a scorecard creates its perspectives from a template (bottom-up:
    Learning & Growth, Internal Process, Customer, Financial) and one
    ``bsc.period`` per month of the horizon; changing the horizon adds or
    removes periods. A department scorecard may cascade from a parent one.
    Scores are computed by :meth:`_recompute_scores` and stored in
    ``bsc.score``.
    """

    _name = "bsc.scorecard"
    _description = "Balanced Scorecard"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "bsc.score.mixin",
        "bsc.authored.text.mixin",
    ]
    _order = "date_from desc, name, id"

    name = fields.Char(required=True, tracking=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="Horizon Start",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(
        string="Horizon End",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(
            year=fields.Date.context_today(self).year + 2, month=12, day=31
        ),
    )
    vision = fields.Html(
        help="Where the organisation wants to be at the horizon.",
        translate=html_translate,
    )
    mission = fields.Html(
        help="Why the organisation exists and whom it serves.", translate=html_translate
    )
    owner_id = fields.Many2one(
        "hr.employee",
        tracking=True,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    department_id = fields.Many2one(
        "hr.department",
        tracking=True,
        domain="[('company_id', 'in', [company_id, False])]",
        help="Set for a department scorecard. Departments managed by OKRs only "
        "cannot hold one.",
    )
    parent_id = fields.Many2one(
        "bsc.scorecard",
        string="Parent Scorecard",
        index=True,
        domain="[('id', '!=', id), ('company_id', '=', company_id)]",
        help="The scorecard this one cascades from (e.g. the company scorecard "
        "of a department scorecard).",
    )
    child_ids = fields.One2many("bsc.scorecard", "parent_id", string="Cascaded To")
    state = fields.Selection(
        STATE_SELECTION,
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        help="Only active scorecards are visible to every employee and accept "
        "measure values.",
    )
    perspective_ids = fields.One2many("bsc.perspective", "scorecard_id")
    objective_ids = fields.One2many("bsc.objective", "scorecard_id")
    measure_ids = fields.One2many("bsc.measure", "scorecard_id")
    link_ids = fields.One2many("bsc.objective.link", "scorecard_id")
    period_ids = fields.One2many("bsc.period", "scorecard_id")
    theme_ids = fields.Many2many(
        "bsc.theme",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Strategic themes of this map, shown as filters on the map.",
    )
    threshold_profile_id = fields.Many2one(
        "bsc.threshold.profile",
        required=True,
        default=lambda self: self.env["bsc.threshold.profile"]._default_profile(),
        domain="[('company_id', 'in', [company_id, False])]",
        help="Status bands of the roll-ups and of measures without a profile "
        "of their own.",
    )
    last_recompute = fields.Datetime(readonly=True, copy=False)
    objective_count = fields.Integer(compute="_compute_counts")
    measure_count = fields.Integer(compute="_compute_counts")
    initiative_count = fields.Integer(compute="_compute_counts")

    @api.depends("objective_ids", "measure_ids")
    def _compute_counts(self):
        counts = {}
        for model in ("bsc.objective", "bsc.measure"):
            counts[model] = dict(
                self.env[model]._read_group(
                    [("scorecard_id", "in", self.ids)], ["scorecard_id"], ["__count"]
                )
            )
        initiatives = dict(
            self.env["bsc.initiative"]._read_group(
                [("scorecard_id", "in", self.ids)], ["scorecard_id"], ["__count"]
            )
        )
        for scorecard in self:
            scorecard.objective_count = counts["bsc.objective"].get(scorecard, 0)
            scorecard.measure_count = counts["bsc.measure"].get(scorecard, 0)
            scorecard.initiative_count = initiatives.get(scorecard, 0)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for scorecard in self:
            if scorecard.date_from > scorecard.date_to:
                raise ValidationError(
                    self.env._(
                        "The horizon of %(name)s ends (%(end)s) before it starts "
                        "(%(start)s).",
                        name=scorecard.name,
                        start=scorecard.date_from,
                        end=scorecard.date_to,
                    )
                )

    @api.constrains("department_id")
    def _check_department_mode(self):
        for scorecard in self:
            if scorecard.department_id.management_mode == "okr":
                raise ValidationError(
                    self.env._(
                        "The department %(department)s is managed by OKRs only, so "
                        "it cannot hold a department scorecard. Change its "
                        "management mode to 'Balanced Scorecard only' or 'Balanced "
                        "Scorecard and OKR' first.",
                        department=scorecard.department_id.display_name,
                    )
                )

    @api.constrains("parent_id", "company_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A scorecard cannot cascade from itself, even indirectly.")
            )
        for scorecard in self:
            if scorecard.parent_id and scorecard.parent_id.company_id != (
                scorecard.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s can only cascade from a scorecard of the same "
                        "company.",
                        name=scorecard.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        scorecards = super().create(vals_list)
        if not self.env.context.get("bsc_no_template_perspectives"):
            scorecards._create_template_perspectives()
        scorecards._sync_periods()
        return scorecards

    def write(self, vals):
        result = super().write(vals)
        if "date_from" in vals or "date_to" in vals:
            self._sync_periods()
        return result

    def unlink(self):
        # Objectives first: their perspective link is ON DELETE RESTRICT
        # (a perspective holding objectives must not vanish on its own).
        self.objective_ids.unlink()
        return super().unlink()

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for scorecard, vals in zip(self, vals_list, strict=True):
            vals.setdefault("name", self.env._("%(name)s (copy)", name=scorecard.name))
        return vals_list

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        """Publish the scorecard: every employee sees its map, values open."""
        for scorecard in self:
            if not scorecard.objective_ids:
                raise UserError(
                    self.env._(
                        "%(name)s has no objective yet: draw the map before "
                        "activating it.",
                        name=scorecard.name,
                    )
                )
        self.write({"state": "active"})
        self._recompute_scores()

    def action_archive_scorecard(self):
        """Close the scorecard: read-only history, no more values."""
        self.write({"state": "archived"})

    def action_reset_to_draft(self):
        self.write({"state": "draft"})

    def action_recompute(self):
        """Refresh live measures and recompute every score now."""
        # Strategy Officers only: it writes values of live measures.
        self.check_access("write")
        locked = self._lock_for_recompute()
        if locked != self:
            raise UserError(
                self.env._(
                    "These scores are being recomputed right now (by the hourly "
                    "job or another user). Try again in a moment."
                )
            )
        self.measure_ids.filtered(
            lambda m: m.source_type == "live"
        )._refresh_live_values()
        self._recompute_scores()
        return True

    def action_open_strategy_map(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "bsc_okr.strategy_map",
            "name": self.env._("Strategy Map: %(name)s", name=self.name),
            "params": {"scorecard_id": self.id},
        }

    def _action_open_children(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("scorecard_id", "=", self.id)]
        action["context"] = {
            "default_scorecard_id": self.id,
            "search_default_group_perspective": 1,
        }
        return action

    def action_open_objectives(self):
        return self._action_open_children("bsc_okr.bsc_objective_action")

    def action_open_measures(self):
        return self._action_open_children("bsc_okr.bsc_measure_action")

    def action_open_initiatives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.bsc_initiative_action"
        )
        action["domain"] = [("scorecard_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _perspective_template(self):
        """Perspectives created with every scorecard, bottom-up."""
        return [
            {
                "name": self.env._("Learning & Growth"),
                "kind": "learning",
                "sequence": 10,
                "color": "#e8f3ec",
            },
            {
                "name": self.env._("Internal Process"),
                "kind": "process",
                "sequence": 20,
                "color": "#e9f0f8",
            },
            {
                "name": self.env._("Customer"),
                "kind": "customer",
                "sequence": 30,
                "color": "#f6f0e4",
            },
            {
                "name": self.env._("Financial"),
                "kind": "financial",
                "sequence": 40,
                "color": "#f3e8ef",
            },
        ]

    def _create_template_perspectives(self):
        """Create the template perspectives, named in every installed language.

        The names are created in English (the source language), then given
        their translation in each other active language: a scorecard created
        by a Chinese-speaking officer reads 學習與成長 for them and "Learning
        & Growth" for an English reader, instead of freezing the creator's
        language into every language.
        """
        template = self.with_context(lang="en_US")._perspective_template()
        perspectives = (
            self.env["bsc.perspective"]
            .with_context(lang="en_US")
            .create(
                [
                    dict(values, scorecard_id=scorecard.id)
                    for scorecard in self
                    if not scorecard.perspective_ids
                    for values in template
                ]
            )
        )
        perspectives._translate_template_names()

    def _sync_periods(self):
        """Make the periods match the horizon: one per month.

        Months leaving the horizon are removed, unless values or targets
        were recorded in them (then the change is refused).
        """
        Period = self.env["bsc.period"]
        existing = Period.search_fetch(
            [("scorecard_id", "in", self.ids)], ["scorecard_id", "date_start"]
        )
        by_scorecard = {}
        for period in existing:
            by_scorecard.setdefault(period.scorecard_id.id, {})[period.date_start] = (
                period
            )
        to_create = []
        to_remove = Period
        for scorecard in self:
            months = engine_periods.month_starts(scorecard.date_from, scorecard.date_to)
            current = by_scorecard.get(scorecard.id, {})
            for month in months:
                if month not in current:
                    first, last = engine_periods.period_bounds(month)
                    to_create.append(
                        {
                            "scorecard_id": scorecard.id,
                            "date_start": first,
                            "date_end": last,
                            "name": month_label(first, self.env.lang),
                            "code": first.strftime("%Y-%m"),
                        }
                    )
            wanted = set(months)
            to_remove |= Period.union(
                *(period for month, period in current.items() if month not in wanted)
            )
        if to_remove:
            used = self.env["bsc.measure.value"].search(
                [("period_id", "in", to_remove.ids)], limit=1
            ) or self.env["bsc.measure.target"].search(
                [("period_id", "in", to_remove.ids)], limit=1
            )
            if used:
                raise ValidationError(
                    self.env._(
                        "The new horizon of %(name)s leaves out %(period)s, which "
                        "already has measure values or targets. Keep that month "
                        "in the horizon or remove its data first.",
                        name=used.period_id.scorecard_id.name,
                        period=used.period_id.name,
                    )
                )
            to_remove.unlink()
        if to_create:
            Period.create(to_create)._bsc_localize_names()

    def _lock_for_recompute(self):
        """Lock the scorecards for a recomputation; return those obtained.

        ``FOR NO KEY UPDATE SKIP LOCKED``: two workers (the hourly cron on
        one, a user's Recompute button on another) never recompute the same
        scorecard at once; the one that finds it locked skips it.
        """
        if not self:
            return self
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _recompute_scores(self, period_ids=None):
        """Compute and store every score of these scorecards.

        Measures, objectives, perspectives and the scorecard itself are
        scored for each started period (restricted to ``period_ids`` when
        given) through the engine, stored in ``bsc.score`` and copied to the
        ``current_*`` fields. The number of queries does not depend on the
        number of measures (see ``bsc.score._compute_and_store``).
        """
        if not self:
            return True
        # scores are derived data written only here, for every reader; callers passed
        # their own access check on the scorecards
        self.env["bsc.score"].sudo()._compute_and_store(
            self.sudo(), period_ids=period_ids
        )
        return True

    @api.model
    def _cron_refresh_and_recompute(self):
        """Hourly: refresh live measures, then recompute active scorecards.

        ir.cron already guarantees that one job never runs twice at once
        (it locks its own row with SKIP LOCKED); the scorecard lock below
        additionally keeps the cron and a user's Recompute button apart.
        """
        scorecards = self.search([("state", "=", "active")])
        locked = scorecards._lock_for_recompute()
        if locked != scorecards:
            _logger.info(
                "bsc_okr: %d scorecard(s) skipped, being recomputed elsewhere",
                len(scorecards - locked),
            )
        live = self.env["bsc.measure"].search(
            [("scorecard_id", "in", locked.ids), ("source_type", "=", "live")]
        )
        live._refresh_live_values()
        locked._recompute_scores()
        return True

    def _record_value_series(self, series):
        """Record monthly values ending with the current month, in one batch.

        ``series`` maps a measure id to a list of values, the last one for
        the current month, the one before for the previous month, and so on;
        None leaves a month unreported. Months outside the horizon or not
        due for the measure's frequency are skipped. Used by the demo data
        and the benchmark; the values go through the normal checks.
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        this_month = engine_periods.month_range(today)[0]
        periods = {p.date_start: p for p in self.period_ids}
        measures = self.env["bsc.measure"].browse(list(series))
        vals_list = []
        for measure in measures:
            values = series[measure.id]
            for index, value in enumerate(values):
                months_back = len(values) - 1 - index
                month = this_month - relativedelta(months=months_back)
                period = periods.get(month)
                if value is None or not period or not measure._is_due(period):
                    continue
                vals_list.append(
                    {
                        "measure_id": measure.id,
                        "period_id": period.id,
                        "value": value,
                        "source": "push" if measure.source_type == "push" else "manual",
                    }
                )
        return self.env["bsc.measure.value"].create(vals_list)

    def _period_for(self, day):
        """The period of this scorecard containing ``day``, or empty."""
        self.ensure_one()
        return self.period_ids.filtered(lambda p: p.date_start <= day <= p.date_end)[:1]

    # ------------------------------------------------------------------
    # Strategy map
    # ------------------------------------------------------------------
    @api.model
    def _map_default_scorecard(self):
        return self.search([("state", "=", "active")], limit=1) or self.search(
            [], limit=1
        )

    def get_strategy_map_data(self, period_id=None):
        """Everything the strategy map client action draws, JSON-friendly.

        Called on one scorecard (or on none: the first active one the user
        can read). ``period_id`` picks the period whose scores are shown,
        default the current one. A handful of queries whatever the size of
        the map: one per model read, plus the m2m themes and owner names.
        Runs with the caller's rights: the record rules decide what is shown.
        """
        scorecard = self[:1] or self._map_default_scorecard()
        card_fields = ["name", "state", "date_from", "date_to", "current_period_id"]
        cards = self.search_read([], card_fields, limit=200, load=None)
        scorecards = [
            {"id": sc["id"], "name": sc["name"], "state": sc["state"]} for sc in cards
        ]
        if not scorecard:
            return {"scorecard": False, "scorecards": scorecards}
        today = fields.Date.context_today(self)
        card = next((sc for sc in cards if sc["id"] == scorecard.id), None)
        if card is None:
            [card] = scorecard.read(card_fields, load=None)
        periods = self.env["bsc.period"].search_read(
            [("scorecard_id", "=", scorecard.id), ("date_start", "<=", today)],
            ["name", "code"],
            order="date_start desc",
        )
        period_ids = [p["id"] for p in periods]
        if not period_id or period_id not in period_ids:
            period_id = (
                card["current_period_id"]
                if card["current_period_id"]
                else period_ids[0]
                if period_ids
                else False
            )
        perspectives = self.env["bsc.perspective"].search_read(
            [("scorecard_id", "=", scorecard.id)],
            ["name", "kind", "color", "sequence", "weight"],
            order="sequence desc, id",
        )
        Objective = self.env["bsc.objective"]
        objectives = Objective.search_read(
            [("scorecard_id", "=", scorecard.id)],
            ["name", "perspective_id", "owner_id", "execution_approach", "weight"],
        )
        links = self.env["bsc.objective.link"].search_read(
            [("scorecard_id", "=", scorecard.id)],
            ["cause_id", "effect_id", "strength", "hypothesis", "lag_periods"]
            + ["evidence_verdict", "evidence_lag", "evidence_r", "evidence_q"]
            + ["evidence_n", "cause_measure_id", "effect_measure_id"],
            load=None,
        )
        objective_names = {o["id"]: o["name"] for o in objectives}
        evidence_texts = self.env["bsc.objective.link"]._map_evidence_texts(
            links, objective_names
        )
        # One grouped query gives every theme with the objectives carrying it.
        objective_themes = {}
        themes = []
        for theme, objective_ids in Objective._read_group(
            [("scorecard_id", "=", scorecard.id), ("theme_ids", "!=", False)],
            ["theme_ids"],
            ["id:array_agg"],
        ):
            themes.append(theme)
            for objective_id in objective_ids:
                objective_themes.setdefault(objective_id, []).append(theme.id)
        themes = sorted(themes, key=lambda t: (t.sequence, t.name or "", t.id))
        scores = {}
        if period_id:
            for row in self.env["bsc.score"].search_read(
                [
                    ("scorecard_id", "=", scorecard.id),
                    ("period_id", "=", period_id),
                    ("level", "in", ("objective", "perspective", "scorecard")),
                ],
                [
                    "level",
                    "objective_id",
                    "perspective_id",
                    "score",
                    "status",
                    "coverage",
                    "missing_count",
                    "is_expected",
                ],
                load=None,
            ):
                record_id = row["objective_id"] or row["perspective_id"] or scorecard.id
                scores[(row["level"], record_id)] = {
                    "score": row["score"] if row["status"] != "no_data" else None,
                    "status": row["status"],
                    "coverage": row["coverage"],
                    "missing": row["missing_count"],
                }
        empty = {"score": None, "status": "no_data", "coverage": 0.0, "missing": 0}
        return {
            "scorecard": {
                "id": scorecard.id,
                "name": card["name"],
                "state": card["state"],
                "date_from": fields.Date.to_string(card["date_from"]),
                "date_to": fields.Date.to_string(card["date_to"]),
                **scores.get(("scorecard", scorecard.id), empty),
            },
            "scorecards": scorecards,
            "period_id": period_id,
            "periods": [
                {"id": p["id"], "name": p["name"], "code": p["code"]} for p in periods
            ],
            "perspectives": [
                {
                    "id": p["id"],
                    "name": p["name"],
                    "kind": p["kind"],
                    "color": p["color"] or "",
                    **scores.get(("perspective", p["id"]), empty),
                }
                for p in perspectives
            ],
            "themes": [
                {"id": t.id, "name": t.name, "color": t.color or ""} for t in themes
            ],
            "objectives": [
                {
                    "id": o["id"],
                    "name": o["name"],
                    "perspective_id": o["perspective_id"][0],
                    "theme_ids": objective_themes.get(o["id"], []),
                    "owner": o["owner_id"][1] if o["owner_id"] else "",
                    "approach": o["execution_approach"],
                    **scores.get(("objective", o["id"]), empty),
                }
                for o in objectives
            ],
            "links": [
                {
                    "id": lk["id"],
                    "cause_id": lk["cause_id"],
                    "effect_id": lk["effect_id"],
                    "strength": lk["strength"],
                    "hypothesis": lk["hypothesis"] or "",
                    "lag": lk["lag_periods"],
                    "evidence": lk["evidence_verdict"] or "",
                    "evidence_text": evidence_texts[lk["id"]],
                }
                for lk in links
            ],
        }
