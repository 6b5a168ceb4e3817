import functools
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import periods as engine_periods
from ..engine import scoring
from .bsc_score_mixin import STATUS_SELECTION

LEVELS = [
    ("measure", "Measure"),
    ("objective", "Objective"),
    ("perspective", "Perspective"),
    ("scorecard", "Scorecard"),
]
CURRENT_FIELDS = (
    "current_period_id",
    "current_score",
    "current_status",
    "current_coverage",
    "current_missing_count",
    "current_trend",
)
MEASURE_CURRENT_FIELDS = (
    *CURRENT_FIELDS,
    "current_actual",
    "current_target",
    "current_achievement",
)


class BscScore(models.Model):
    """A stored score: one row per (level, record, period).

    Written only by :meth:`_compute_and_store` (for
    ``bsc.scorecard._recompute_scores``); trends, pivots, graphs and the
    Excel export read these rows instead of recomputing.
    """

    _name = "bsc.score"
    _description = "Strategy Score"
    _order = "period_date desc, level, id"
    _rec_name = "period_id"

    level = fields.Selection(LEVELS, required=True, index=True)
    scorecard_id = fields.Many2one(
        "bsc.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    period_id = fields.Many2one(
        "bsc.period", required=True, ondelete="cascade", index=True
    )
    period_date = fields.Date(string="Month", required=True)
    perspective_id = fields.Many2one(
        "bsc.perspective", ondelete="cascade", index="btree_not_null"
    )
    objective_id = fields.Many2one(
        "bsc.objective", ondelete="cascade", index="btree_not_null"
    )
    measure_id = fields.Many2one(
        "bsc.measure", ondelete="cascade", index="btree_not_null"
    )
    actual = fields.Float(
        aggregator="sum", help="Accumulated value, measures only (year to date)."
    )
    target = fields.Float(
        aggregator="sum", help="Accumulated target, measures only (year to date)."
    )
    achievement = fields.Float(
        aggregator="avg", help="Achievement ratio, measures only (1.0 = on target)."
    )
    score = fields.Float(aggregator="avg", help="Score 0-10; empty without data.")
    status = fields.Selection(STATUS_SELECTION, required=True, default="no_data")
    coverage = fields.Float(
        aggregator="avg",
        help="Share of the weight below that had data (1.0 = all reported).",
    )
    missing_count = fields.Integer(
        string="Missing Values",
        aggregator="sum",
        help="Measures below that were due but have no value.",
    )
    is_expected = fields.Boolean(
        string="Due",
        help="Whether anything was due: a quarterly measure in January, or an "
        "objective without due measures, expects nothing and is left out of "
        "the roll-ups.",
    )

    @api.depends("level", "measure_id", "objective_id", "perspective_id")
    def _compute_display_name(self):
        for score in self:
            record = (
                score.measure_id
                or score.objective_id
                or score.perspective_id
                or score.scorecard_id
            )
            score.display_name = f"{record.display_name} — {score.period_id.name}"

    # ------------------------------------------------------------------
    # Recomputation
    # ------------------------------------------------------------------
    @api.model
    def _compute_and_store(self, scorecards, period_ids=None):
        """Score every level of ``scorecards`` for their started periods.

        A fixed number of queries whatever the number of measures: one
        fetch per model involved, one DELETE and one INSERT of the score
        rows, one UPDATE per model for the ``current_*`` columns.
        """
        today = fields.Date.context_today(self)
        scorecards.fetch(["date_from", "date_to", "threshold_profile_id", "company_id"])
        data = self._fetch_scoring_data(scorecards)
        bands = self._bands_by_profile(
            scorecards.threshold_profile_id | data["measures"].threshold_profile_id
        )
        rows = []
        current = {}
        scored_period_ids = []
        for scorecard in scorecards:
            periods = data["periods"][scorecard.id]
            scored = [
                p
                for p in periods
                if p.date_start <= today and (period_ids is None or p.id in period_ids)
            ]
            if not scored:
                continue
            scored_period_ids += [p.id for p in scored]
            results = self._score_scorecard(scorecard, periods, scored, data, bands)
            rows += self._result_rows(scorecard, scored, results)
            current_period = max(
                (p for p in periods if p.date_start <= today),
                key=lambda p: p.date_start,
            )
            if current_period in scored:
                current[scorecard] = (current_period, periods, results)
        previous_scores = self._previous_scores(current)
        self._write_rows(scorecards, scored_period_ids, rows)
        self._write_current(current, previous_scores, data)
        return True

    def _fetch_scoring_data(self, scorecards):
        """Everything the engine needs, one search per model."""
        env = self.env
        periods = env["bsc.period"].search_fetch(
            [("scorecard_id", "in", scorecards.ids)],
            ["scorecard_id", "date_start"],
            order="date_start, id",
        )
        perspectives = env["bsc.perspective"].search_fetch(
            [("scorecard_id", "in", scorecards.ids)], ["scorecard_id", "weight"]
        )
        objectives = env["bsc.objective"].search_fetch(
            [("scorecard_id", "in", scorecards.ids)],
            ["scorecard_id", "perspective_id", "weight"],
        )
        measures = env["bsc.measure"].search_fetch(
            [("scorecard_id", "in", scorecards.ids)],
            [
                "scorecard_id",
                "objective_id",
                "polarity",
                "range_min",
                "range_max",
                "frequency",
                "accumulation",
                "baseline",
                "target",
                "weight",
                "threshold_profile_id",
            ],
        )
        # Values and targets are the bulk of the data (measures x periods):
        # read as plain tuples, without building a record per row, which
        # made this fetch the slowest step of a company-scale recompute
        # (bench/RESULTS.md, measure 1). The recomputation runs as superuser
        # (see bsc.scorecard._recompute_scores): no record rule is skipped.
        env["bsc.measure.value"].flush_model(
            ["measure_id", "period_id", "value", "is_current"]
        )
        env["bsc.measure.target"].flush_model(["measure_id", "period_id", "target"])
        values = env.execute_query(
            SQL(
                "SELECT measure_id, period_id, value FROM bsc_measure_value"
                " WHERE is_current AND measure_id = ANY(%s)",
                measures.ids,
            )
        )
        targets = env.execute_query(
            SQL(
                "SELECT measure_id, period_id, target FROM bsc_measure_target"
                " WHERE measure_id = ANY(%s)",
                measures.ids,
            )
        )
        by_scorecard = defaultdict(list)
        for period in periods:
            by_scorecard[period.scorecard_id.id].append(period)
        return {
            "periods": by_scorecard,
            "perspectives": perspectives,
            "objectives": objectives,
            "measures": measures,
            "values": {(m, p): v for m, p, v in values},
            "targets": {(m, p): t for m, p, t in targets},
        }

    def _bands_by_profile(self, profiles):
        lines = self.env["bsc.threshold.line"].search_fetch(
            [("profile_id", "in", profiles.ids)],
            ["profile_id", "status", "lower", "upper", "upper_open"],
        )
        raw = defaultdict(list)
        for line in lines:
            raw[line.profile_id.id].append(
                (line.status, line.lower, None if line.upper_open else line.upper)
            )
        bands = {}
        for profile_id, profile_bands in raw.items():
            try:
                bands[profile_id] = scoring.validate_bands(profile_bands)
            except scoring.BandError:
                # Profiles are validated on save; never block scoring on one.
                bands[profile_id] = scoring.DEFAULT_BANDS
        return bands

    def _score_measure_series(self, measure, periods, horizon_start, data, bands):
        """Engine result of each due period of a measure: {period_id: result}.

        ``periods`` are ``(id, date_start)`` pairs in date order (plain
        tuples: this loop runs measures x periods times). The engine
        accumulates (:func:`~odoo.addons.bsc_okr.engine.scoring.measure_series`)
        and scores; this method only feeds it.
        """
        values = data["values"]
        targets = data["targets"]
        default_target = measure.target
        due = [
            (period_id, date_start)
            for period_id, date_start in periods
            if engine_periods.is_due(date_start, measure.frequency, horizon_start)
        ]
        accumulated = scoring.measure_series(
            [
                (
                    date_start,
                    values.get((measure.id, period_id)),
                    targets.get((measure.id, period_id), default_target),
                )
                for period_id, date_start in due
            ],
            measure.accumulation,
            functools.partial(engine_periods.window_start, horizon_start=horizon_start),
        )
        score_args = (
            measure.baseline,
            measure.polarity,
            bands,
            measure.range_min,
            measure.range_max,
        )
        return {
            period_id: (
                actual,
                target,
                scoring.score_measure(actual, target, *score_args),
            )
            for (period_id, _date), (actual, target) in zip(
                due, accumulated, strict=True
            )
        }

    def _score_scorecard(self, scorecard, periods, scored, data, bands):
        """Results per (level, record id, period id) for one scorecard.

        Each result is a dict with the score row's values. A period where a
        measure is not due carries the latest due period's result (e.g. a
        quarterly measure in May shows March); before its first due period
        a measure expects nothing and stays out of the roll-ups.
        """
        horizon_start = scorecard.date_from
        card_bands = bands.get(scorecard.threshold_profile_id.id, scoring.DEFAULT_BANDS)
        results = {}
        measures_by_objective = defaultdict(list)
        period_rows = [(p.id, p.date_start) for p in periods]
        scored_ids = {p.id for p in scored}
        for measure in data["measures"]:
            if measure.scorecard_id != scorecard:
                continue
            measures_by_objective[measure.objective_id.id].append(measure)
            measure_bands = bands.get(
                measure.threshold_profile_id.id or scorecard.threshold_profile_id.id,
                scoring.DEFAULT_BANDS,
            )
            series = self._score_measure_series(
                measure, period_rows, horizon_start, data, measure_bands
            )
            latest = None
            for period_id, _date_start in period_rows:
                if period_id in series:
                    latest = series[period_id]
                if period_id not in scored_ids:
                    continue
                if latest is None:
                    results[("measure", measure.id, period_id)] = {
                        "is_expected": False,
                        "status": scoring.NO_DATA,
                        "coverage": 0.0,
                        "missing_count": 0,
                    }
                    continue
                actual, target, result = latest
                results[("measure", measure.id, period_id)] = {
                    "is_expected": True,
                    "actual": actual,
                    "target": target,
                    "achievement": result.achievement,
                    "score": result.score,
                    "status": result.status,
                    "coverage": 1.0 if result.score is not None else 0.0,
                    "missing_count": 0 if result.score is not None else 1,
                }
        objectives_by_perspective = defaultdict(list)
        for objective in data["objectives"]:
            if objective.scorecard_id == scorecard:
                objectives_by_perspective[objective.perspective_id.id].append(objective)
        perspectives = [p for p in data["perspectives"] if p.scorecard_id == scorecard]
        for period in scored:
            perspective_items = []
            for perspective in perspectives:
                objective_items = []
                for objective in objectives_by_perspective[perspective.id]:
                    items = [
                        (results[("measure", m.id, period.id)], m.weight)
                        for m in measures_by_objective[objective.id]
                    ]
                    node = self._rollup(items, card_bands)
                    results[("objective", objective.id, period.id)] = node
                    objective_items.append((node, objective.weight))
                node = self._rollup(objective_items, card_bands)
                results[("perspective", perspective.id, period.id)] = node
                perspective_items.append((node, perspective.weight))
            results[("scorecard", scorecard.id, period.id)] = self._rollup(
                perspective_items, card_bands
            )
        return results

    def _rollup(self, items, bands):
        """Roll up child results that expected something; sum their gaps."""
        expected = [(node, weight) for node, weight in items if node["is_expected"]]
        result = scoring.rollup(
            [(node.get("score"), weight) for node, weight in expected], bands
        )
        return {
            "is_expected": bool(expected),
            "score": result.score,
            "status": result.status,
            "coverage": result.coverage,
            "missing_count": sum(node["missing_count"] for node, _w in expected),
        }

    def _result_rows(self, scorecard, scored, results):
        period_dates = {p.id: p.date_start for p in scored}
        rows = []
        for (level, record_id, period_id), node in results.items():
            rows.append(
                {
                    "level": level,
                    "scorecard_id": scorecard.id,
                    "company_id": scorecard.company_id.id,
                    "period_id": period_id,
                    "period_date": period_dates[period_id],
                    "measure_id": record_id if level == "measure" else None,
                    "objective_id": record_id if level == "objective" else None,
                    "perspective_id": record_id if level == "perspective" else None,
                    "actual": node.get("actual"),
                    "target": node.get("target"),
                    "achievement": node.get("achievement"),
                    "score": node.get("score"),
                    "status": node["status"],
                    "coverage": node["coverage"],
                    "missing_count": node["missing_count"],
                    "is_expected": node["is_expected"],
                }
            )
        return rows

    def _previous_scores(self, current):
        """Scores of the period before each current one (for trends).

        Taken from this run's results when computed, else from the stored
        rows (one query for all scorecards).
        """
        previous = {}
        to_read = {}
        for scorecard, (period, periods, results) in current.items():
            index = periods.index(period)
            if not index:
                continue
            before = periods[index - 1]
            if any(key[2] == before.id for key in results):
                previous.update(
                    {
                        (key[0], key[1]): node.get("score")
                        for key, node in results.items()
                        if key[2] == before.id
                    }
                )
            else:
                to_read[scorecard.id] = before.id
        if to_read:
            rows = self.search_fetch(
                [("period_id", "in", list(to_read.values()))],
                ["level", "measure_id", "objective_id", "perspective_id"]
                + ["scorecard_id", "score", "status"],
            )
            for row in rows:
                record_id = (
                    row.measure_id.id
                    or row.objective_id.id
                    or row.perspective_id.id
                    or row.scorecard_id.id
                )
                previous[(row.level, record_id)] = (
                    row.score if row.status != scoring.NO_DATA else None
                )
        return previous

    def _write_rows(self, scorecards, period_ids, rows):
        """Replace the score rows of the scored periods: one DELETE, one INSERT."""
        cr = self.env.cr
        if period_ids:
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE scorecard_id IN %s AND period_id IN %s",
                    SQL.identifier(self._table),
                    tuple(scorecards.ids),
                    tuple(period_ids),
                )
            )
        if rows:
            fnames = list(rows[0])
            arrays = [
                SQL(
                    "%s::%s[]",
                    [row[fname] for row in rows],
                    SQL(self._fields[fname].column_type[1]),
                )
                for fname in fnames
            ]
            cr.execute(
                SQL(
                    "INSERT INTO %s (%s, create_uid, create_date, write_uid, "
                    "write_date) SELECT u.*, %s, %s, %s, %s FROM unnest(%s) AS u",
                    SQL.identifier(self._table),
                    SQL(", ").join(SQL.identifier(fname) for fname in fnames),
                    self.env.uid,
                    cr.now(),
                    self.env.uid,
                    cr.now(),
                    SQL(", ").join(arrays),
                )
            )
        self.invalidate_model()
        for model in ("bsc.measure", "bsc.objective"):
            self.env[model].invalidate_model(["score_ids"])

    def _write_current(self, current, previous_scores, data):
        """Copy the current period's results to the ``current_*`` columns."""
        updates = defaultdict(dict)
        for scorecard, (period, _periods, results) in current.items():
            for (level, record_id, period_id), node in results.items():
                if period_id != period.id:
                    continue
                score = node.get("score")
                trend = scoring.trend(score, previous_scores.get((level, record_id)))
                vals = {
                    "current_period_id": period.id,
                    "current_score": score,
                    "current_status": node["status"],
                    "current_coverage": node["coverage"],
                    "current_missing_count": node["missing_count"],
                    "current_trend": trend,
                }
                if level == "measure":
                    vals.update(
                        current_actual=node.get("actual"),
                        current_target=node.get("target"),
                        current_achievement=node.get("achievement"),
                    )
                updates[f"bsc.{level}"][record_id] = vals
            updates["bsc.scorecard"][scorecard.id]["last_recompute"] = self.env.cr.now()
        for model_name, by_id in updates.items():
            self._bulk_update(self.env[model_name], by_id)

    def _bulk_update(self, model, by_id):
        """UPDATE many rows with different values in one statement."""
        if not by_id:
            return
        ids = list(by_id)
        fnames = list(next(iter(by_id.values())))
        arrays = [SQL("%s::int4[]", ids)] + [
            SQL(
                "%s::%s[]",
                [by_id[record_id][fname] for record_id in ids],
                SQL(model._fields[fname].column_type[1]),
            )
            for fname in fnames
        ]
        self.env.cr.execute(
            SQL(
                "UPDATE %s AS t SET %s FROM unnest(%s) AS v(id, %s) WHERE t.id = v.id",
                SQL.identifier(model._table),
                SQL(", ").join(
                    SQL("%s = v.%s", SQL.identifier(fname), SQL.identifier(fname))
                    for fname in fnames
                ),
                SQL(", ").join(arrays),
                SQL(", ").join(SQL.identifier(fname) for fname in fnames),
            )
        )
        records = model.browse(ids)
        records.invalidate_recordset(fnames)
        records.modified(fnames)
