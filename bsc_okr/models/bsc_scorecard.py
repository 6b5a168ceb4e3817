import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, html_translate

from ..engine import periods as engine_periods
from ..engine import scoring as engine_scoring
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
        The map's content comes from :meth:`_snapshot`, like the workbook's.
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
        # date_start and date_end read here: the snapshot finds them cached.
        periods = self.env["bsc.period"].search_read(
            [("scorecard_id", "=", scorecard.id), ("date_start", "<=", today)],
            ["name", "code", "date_start", "date_end"],
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
        snapshot = scorecard._snapshot(
            self.env["bsc.period"].browse(period_id or []),
            measures=False,
            initiatives=False,
        )
        scores = snapshot["scores"]
        empty = {"score": None, "status": "no_data", "coverage": 0.0, "missing": 0}

        def score(level, record_id):
            node = scores.get((level, record_id), {}).get(period_id)
            if not node:
                return empty
            return {
                "score": node["score"],
                "status": node["status"],
                "coverage": node["coverage"],
                "missing": node["missing_count"],
            }

        return {
            "scorecard": {
                "id": scorecard.id,
                "name": card["name"],
                "state": card["state"],
                "date_from": fields.Date.to_string(card["date_from"]),
                "date_to": fields.Date.to_string(card["date_to"]),
                **score("scorecard", scorecard.id),
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
                    "color": p["color"],
                    **score("perspective", p["id"]),
                }
                for p in snapshot["perspectives"]
            ],
            "themes": snapshot["themes"],
            "objectives": [
                {
                    "id": o["id"],
                    "name": o["name"],
                    "perspective_id": o["perspective_id"],
                    "theme_ids": o["theme_ids"],
                    "owner": o["owner"],
                    "approach": o["execution_approach"],
                    **score("objective", o["id"]),
                }
                for o in snapshot["objectives"]
            ],
            "links": [
                {
                    "id": lk["id"],
                    "cause_id": lk["cause_id"],
                    "effect_id": lk["effect_id"],
                    "strength": lk["strength"],
                    "hypothesis": lk["hypothesis"],
                    "lag": lk["lag_periods"],
                    "evidence": lk["evidence_verdict"],
                    "evidence_text": lk["evidence_text"],
                }
                for lk in snapshot["links"]
            ],
        }

    # ------------------------------------------------------------------
    # Snapshot: the one read model of the map and the workbook
    # ------------------------------------------------------------------
    @api.model
    def _default_period_range(self, periods):
        """(first, last) period shown by default: the horizon start to the
        current period (the latest one started), or the first period when
        none has started yet.
        """
        periods = periods.sorted("date_start")
        today = fields.Date.context_today(self)
        started = periods.filtered(lambda p: p.date_start <= today)
        return periods[:1], started[-1:] or periods[:1]

    def _export_options(self, data=None):
        """The validated options of an export of this scorecard (the Excel
        workbook and its wizard); a translated UserError for bad input.

        Keys of ``data``, all optional: ``period_from_id`` and
        ``period_to_id`` (see :meth:`_export_period_range`),
        ``department_ids`` (the objectives, measures and initiatives of these
        departments and their sub-departments) and ``include_initiatives``
        (default True). The OKR bridge adds ``include_okr``.

        :return: dict with ``periods`` (the exported ones, in order),
            ``period_from``, ``period_to``, ``departments``,
            ``include_initiatives`` and ``include_okr`` (False here).
        """
        self.ensure_one()
        data = data or {}
        periods, period_from, period_to = self._export_period_range(
            data.get("period_from_id"), data.get("period_to_id")
        )
        department_ids = data.get("department_ids") or []
        if not isinstance(department_ids, list | tuple) or not all(
            isinstance(dep, int) and not isinstance(dep, bool) for dep in department_ids
        ):
            raise UserError(self.env._("The departments to export are not valid."))
        return {
            "periods": periods,
            "period_from": period_from,
            "period_to": period_to,
            "departments": self.env["hr.department"].browse(department_ids).exists(),
            "include_initiatives": bool(data.get("include_initiatives", True)),
            "include_okr": False,
        }

    def _export_period_range(self, period_from_id=None, period_to_id=None):
        """The periods an export covers: ``period_from_id`` to
        ``period_to_id`` (ids of this scorecard's periods), by default
        :meth:`_default_period_range`; a translated UserError when an id is
        not an id, not a period of this scorecard, or the range is reversed.

        :return: (periods of the range in order, first period, last period)
        """
        self.ensure_one()
        periods = self.env["bsc.period"].search(
            [("scorecard_id", "=", self.id)], order="date_start, id"
        )
        period_from = self._export_period(periods, period_from_id)
        period_to = self._export_period(periods, period_to_id)
        default_from, default_to = self._default_period_range(periods)
        period_from = period_from or default_from
        period_to = period_to or default_to
        if period_from.date_start > period_to.date_start:
            raise UserError(
                self.env._(
                    "The period range is reversed: %(start)s comes after %(end)s. "
                    "Choose a start period before the end period.",
                    start=period_from.name,
                    end=period_to.name,
                )
            )
        return (
            periods.filtered(
                lambda p: period_from.date_start <= p.date_start <= period_to.date_start
            ),
            period_from,
            period_to,
        )

    def _export_period(self, periods, period_id):
        """The period ``period_id`` among ``periods`` (this scorecard's), or
        an empty recordset when not given; a UserError otherwise."""
        if not period_id:
            return self.env["bsc.period"]
        if not isinstance(period_id, int) or isinstance(period_id, bool):
            raise UserError(self.env._("The period to export is not valid."))
        period = self.env["bsc.period"].browse(period_id)
        if period not in periods:
            period = period.exists()
            # Name only a period the user may read; otherwise its id.
            label = (
                period.display_name
                if period and period.has_access("read")
                else "#%s" % period_id
            )
            raise UserError(
                self.env._(
                    "The period %(period)s is outside the horizon of %(scorecard)s "
                    "(%(start)s to %(end)s). Choose a period of this scorecard.",
                    period=label,
                    scorecard=self.name,
                    start=format_date(self.env, self.date_from),
                    end=format_date(self.env, self.date_to),
                )
            )
        return period

    @api.model
    def _snapshot_department_ids(self, departments):
        """The departments a department filter keeps: ``departments`` and
        their sub-departments (a set of ids), or None when not filtering."""
        if not departments:
            return None
        return set(
            self.env["hr.department"].search([("id", "child_of", departments.ids)]).ids
        )

    @api.model
    def _snapshot_names(self, model, ids):
        """{id: name} of the records the user may read, in one query."""
        ids = {record_id for record_id in ids if record_id}
        if not ids:
            return {}
        return {
            record["id"]: record["name"]
            for record in self.env[model].search_read(
                [("id", "in", list(ids))], ["name"]
            )
        }

    def _snapshot(
        self,
        periods,
        departments=None,
        measures=True,
        initiatives=True,
        themes=True,
        owners=True,
    ):
        """This scorecard as plain data (dicts, lists, ids), read as the user.

        The one read model of the scorecard: the strategy map and the Excel
        workbook both render it. A fixed number of queries whatever the
        size of the map, and the record rules decide what it holds.

        :param periods: ``bsc.period`` records whose stored scores are read
            (their names and dates should be in the cache already).
        :param departments: ``hr.department`` records: keep only the
            objectives, measures and initiatives of these departments and
            their sub-departments (perspective and overall scores stay those
            of the whole scorecard).
        :param measures: add the measures, their owners, departments, unit
            labels and stored scores.
        :param initiatives: add the initiatives and their milestones.
        :param themes: add the strategic themes of the objectives.
        :param owners: add each objective's owner name (read as the map
            always has: the name of the employee, whoever reads).
        :return: a dict with keys ``periods``, ``perspectives``,
            ``objectives`` (all readable ones, top-down as on the map, each
            with its ``perspective`` name), ``shown_objective_ids`` (those
            the department filter keeps), ``links`` (touching a shown
            objective, in the map's order, with their ``cause`` and
            ``effect`` names and their evidence), ``scores`` ({(level,
            record id): {period id: {score, status, coverage,
            missing_count}}}), ``themes``, and when asked ``measures`` (each
            with its ``objective`` and ``perspective`` names),
            ``measure_scores`` ({measure id: {period id: (actual, target,
            achievement, score, status)}}), ``unit_suffixes``
            (:meth:`bsc.measure._unit_value_suffixes`) and ``initiatives``
            (each with its ``cost_ratio``, :meth:`bsc.initiative._cost_ratios`).
            A score is None when there is none to show
            (:func:`..engine.scoring.reported_score`: no data, no score).
        """
        self.ensure_one()
        env = self.env
        dept_ids = self._snapshot_department_ids(departments)
        perspectives = [
            {
                "id": p["id"],
                "name": p["name"],
                "kind": p["kind"],
                "color": p["color"] or "",
                "sequence": p["sequence"],
                "weight": p["weight"],
            }
            for p in env["bsc.perspective"].search_read(
                [("scorecard_id", "=", self.id)],
                ["name", "kind", "color", "sequence", "weight"],
                order="sequence desc, id",
            )
        ]
        objectives = self._snapshot_objectives(dept_ids, owners)
        perspective_names = {p["id"]: p["name"] for p in perspectives}
        for objective in objectives:
            objective["perspective"] = perspective_names.get(
                objective["perspective_id"], ""
            )
        if themes:
            theme_list = self._snapshot_themes(objectives)
        else:
            theme_list = []
        objective_names = {o["id"]: o["name"] for o in objectives}
        measure_list = self._snapshot_measures(dept_ids) if measures else []
        if dept_ids is not None:
            shown = {m["objective_id"] for m in measure_list} | {
                o["id"] for o in objectives if o["department_id"] in dept_ids
            }
        else:
            shown = set(objective_names)
        # Measures in the order of the map: perspectives top-down, then the
        # objectives' order, then the measures' own order.
        rank = {o["id"]: index for index, o in enumerate(objectives)}
        measure_list = sorted(
            (m for m in measure_list if m["objective_id"] in rank),
            key=lambda m: rank[m["objective_id"]],
        )
        for measure in measure_list:
            objective = objectives[rank[measure["objective_id"]]]
            measure["objective"] = objective["name"]
            measure["perspective"] = objective["perspective"]
        snapshot = {
            "periods": [
                {
                    "id": period.id,
                    "name": period.name,
                    "code": period.code,
                    "date_start": period.date_start,
                    "date_end": period.date_end,
                }
                for period in periods
            ],
            "perspectives": perspectives,
            "objectives": objectives,
            "shown_objective_ids": shown,
            "links": self._snapshot_links(objective_names, rank, shown),
            "scores": self._snapshot_scores(periods),
            "themes": theme_list,
            "department_ids": dept_ids,
        }
        if measures:
            snapshot["measures"] = measure_list
            snapshot["measure_scores"] = self._snapshot_measure_scores(periods)
            snapshot["unit_suffixes"] = env["bsc.measure"]._unit_value_suffixes()
        if initiatives:
            snapshot["initiatives"] = self._snapshot_initiatives(
                dept_ids, shown, objective_names
            )
        return snapshot

    def _snapshot_objectives(self, dept_ids, owners):
        fnames = ["name", "perspective_id", "execution_approach", "weight"]
        if owners:
            fnames.append("owner_id")
        if dept_ids is not None:
            fnames.append("department_id")
        rows = self.env["bsc.objective"].search_read(
            [("scorecard_id", "=", self.id)],
            fnames,
            order="perspective_sequence desc, sequence, id",
            # The owner's name as the ORM gives it to every reader of the
            # objective; the other many2ones as ids (no name query).
            load="_classic_read" if owners else None,
        )

        def record_id(value):
            return value[0] if isinstance(value, list | tuple) else value or False

        return [
            {
                "id": row["id"],
                "name": row["name"],
                "perspective_id": record_id(row["perspective_id"]),
                "execution_approach": row["execution_approach"],
                "weight": row["weight"],
                "owner_id": record_id(row.get("owner_id")),
                "owner": row["owner_id"][1] if owners and row["owner_id"] else "",
                "department_id": record_id(row.get("department_id")),
                "theme_ids": [],
            }
            for row in rows
        ]

    def _snapshot_themes(self, objectives):
        """Themes of the objectives, sorted; fills each objective's theme_ids."""
        # One grouped query gives every theme with the objectives carrying it.
        objective_themes = {}
        themes = []
        for theme, objective_ids in self.env["bsc.objective"]._read_group(
            [("scorecard_id", "=", self.id), ("theme_ids", "!=", False)],
            ["theme_ids"],
            ["id:array_agg"],
        ):
            themes.append(theme)
            for objective_id in objective_ids:
                objective_themes.setdefault(objective_id, []).append(theme.id)
        for objective in objectives:
            objective["theme_ids"] = objective_themes.get(objective["id"], [])
        themes = sorted(themes, key=lambda t: (t.sequence, t.name or "", t.id))
        return [{"id": t.id, "name": t.name, "color": t.color or ""} for t in themes]

    def _snapshot_links(self, objective_names, rank, shown):
        """Links touching a shown objective, both ends readable, in the
        order of their objectives on the map; each with its evidence."""
        Link = self.env["bsc.objective.link"]
        rows = Link.search_read(
            [("scorecard_id", "=", self.id)],
            ["cause_id", "effect_id", "strength", "hypothesis", "lag_periods"]
            + ["cause_measure_id", "effect_measure_id", "evidence_series"]
            + ["evidence_verdict", "evidence_lag", "evidence_r", "evidence_p"]
            + ["evidence_q", "evidence_q_reverse", "evidence_n", "evidence_date"],
            load=None,
        )
        texts = Link._map_evidence_texts(rows, objective_names)
        links = sorted(
            (
                link
                for link in rows
                if (link["cause_id"] in shown or link["effect_id"] in shown)
                and link["cause_id"] in rank
                and link["effect_id"] in rank
            ),
            key=lambda link: (rank[link["cause_id"]], rank[link["effect_id"]]),
        )
        for link in links:
            link["cause"] = objective_names[link["cause_id"]]
            link["effect"] = objective_names[link["effect_id"]]
            link["hypothesis"] = link["hypothesis"] or ""
            link["evidence_verdict"] = link["evidence_verdict"] or ""
            link["evidence_text"] = texts[link["id"]]
        return links

    def _snapshot_scores(self, periods):
        """Stored scorecard, perspective and objective scores, one query.

        :return: {(level, record id): {period id: row dict}}, the record id
            of the scorecard level being the scorecard's.
        """
        if not periods:
            return {}
        groups = self.env["bsc.score"]._read_group(
            [
                ("scorecard_id", "=", self.id),
                ("level", "in", ("scorecard", "perspective", "objective")),
                ("period_id", "in", periods.ids),
            ],
            ["level", "perspective_id", "objective_id"],
            [
                "period_id:array_agg",
                "score:array_agg",
                "status:array_agg",
                "coverage:array_agg",
                "missing_count:array_agg",
            ],
        )
        scores = {}
        for level, perspective, objective, *arrays in groups:
            record_id = (objective or perspective or self).id
            scores[(level, record_id)] = {
                period_id: {
                    "score": engine_scoring.reported_score(score, status),
                    "status": status,
                    "coverage": coverage,
                    "missing_count": missing,
                }
                for period_id, score, status, coverage, missing in zip(
                    *arrays, strict=True
                )
            }
        return scores

    def _snapshot_measures(self, dept_ids):
        """Measures (kept by the department filter) with their owner's and
        department's names and their unit label."""
        Measure = self.env["bsc.measure"]
        rows = Measure.search_read(
            [("scorecard_id", "=", self.id)],
            ["name", "objective_id", "owner_id", "department_id", "unit"]
            + ["unit_label", "polarity", "baseline", "company_id"],
            load=None,
        )
        if dept_ids is not None:
            rows = [m for m in rows if m["department_id"] in dept_ids]
        owners = self._snapshot_names("hr.employee", (m["owner_id"] for m in rows))
        departments = self._snapshot_names(
            "hr.department", (m["department_id"] for m in rows)
        )
        units = Measure.browse([m["id"] for m in rows])._unit_display_labels()
        return [
            {
                "id": m["id"],
                "name": m["name"],
                "objective_id": m["objective_id"],
                "owner": owners.get(m["owner_id"], ""),
                "department": departments.get(m["department_id"], ""),
                "department_id": m["department_id"],
                "unit": m["unit"],
                "unit_label": units[m["id"]],
                "polarity": m["polarity"],
                "baseline": m["baseline"],
            }
            for m in rows
        ]

    def _snapshot_measure_scores(self, periods):
        """Stored measure scores of ``periods``, one query.

        Grouped by measure with ``array_agg`` (ordered by row id, so the
        arrays line up): a few thousand groups instead of one ORM record
        per score row.

        :return: {measure id: {period id: (actual, target, achievement,
            score, status)}}
        """
        if not periods:
            return {}
        score_fields = ("actual", "target", "achievement", "score", "status")
        groups = self.env["bsc.score"]._read_group(
            [
                ("scorecard_id", "=", self.id),
                ("level", "=", "measure"),
                ("period_id", "in", periods.ids),
            ],
            ["measure_id"],
            ["period_id:array_agg"] + [f"{fname}:array_agg" for fname in score_fields],
            # Any order: rows follow the measures' order; this one avoids
            # joining the tables of bsc.measure's _order.
            order="__count",
        )
        reported_score = engine_scoring.reported_score
        return {
            measure.id: {
                period_id: (
                    actual,
                    target,
                    achievement,
                    reported_score(score, status),
                    status,
                )
                for period_id, actual, target, achievement, score, status in zip(
                    period_ids, *values, strict=True
                )
            }
            for measure, period_ids, *values in groups
        }

    def _snapshot_initiatives(self, dept_ids, shown, objective_names):
        """Initiatives serving this map (kept by the department filter), each
        with its milestones and the names of its objectives, owner and
        department."""
        Initiative = self.env["bsc.initiative"]
        initiatives = Initiative.search_read(
            [("scorecard_id", "=", self.id)],
            ["name", "objective_ids", "owner_id", "department_id", "date_start"]
            + ["date_end", "budget", "actual_cost", "state", "progress"],
            load=None,
        )
        if dept_ids is not None:
            initiatives = [
                initiative
                for initiative in initiatives
                if initiative["department_id"] in dept_ids
                or shown.intersection(initiative["objective_ids"])
            ]
        milestones = {initiative["id"]: [] for initiative in initiatives}
        if initiatives:
            for milestone in self.env["bsc.initiative.milestone"].search_read(
                [("initiative_id", "in", list(milestones))],
                ["initiative_id", "name", "metric", "unit", "start_value"]
                + ["target_value", "current_value", "date_due", "progress"],
                load=None,
            ):
                milestones[milestone["initiative_id"]].append(milestone)
        owners = self._snapshot_names(
            "hr.employee", (i["owner_id"] for i in initiatives)
        )
        departments = self._snapshot_names(
            "hr.department", (i["department_id"] for i in initiatives)
        )
        # Objectives of other scorecards an initiative also serves.
        names = dict(objective_names)
        names.update(
            self._snapshot_names(
                "bsc.objective",
                (
                    objective_id
                    for initiative in initiatives
                    for objective_id in initiative["objective_ids"]
                    if objective_id not in names
                ),
            )
        )
        # budget and actual_cost were just read: no further query.
        cost_ratios = Initiative.browse([i["id"] for i in initiatives])._cost_ratios()
        for initiative in initiatives:
            initiative["cost_ratio"] = cost_ratios[initiative["id"]]
            initiative["objectives"] = [
                names[oid] for oid in initiative["objective_ids"] if oid in names
            ]
            initiative["owner"] = owners.get(initiative["owner_id"], "")
            initiative["department"] = departments.get(initiative["department_id"], "")
            initiative["milestones"] = milestones[initiative["id"]]
        return initiatives
