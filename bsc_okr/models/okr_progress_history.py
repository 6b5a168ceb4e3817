from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from ..engine import burnup, grading

#: model -> (kind of its rows, unique index of a row per day, its columns)
_KINDS = {
    "okr.objective": (
        "objective",
        "okr_progress_history_objective_day_uniq",
        "(objective_id, date) WHERE key_result_id IS NULL",
    ),
    "okr.key.result": (
        "key_result",
        "okr_progress_history_key_result_day_uniq",
        "(key_result_id, date) WHERE key_result_id IS NOT NULL",
    ),
}


class OkrProgressHistory(models.Model):
    """Progress over time: one row per objective and per key result per day
    on which its progress, confidence or grade changed, with the progress
    expected that day (the burn-up's straight line).

    Rows are written only by :meth:`_okr_record`, in bulk, from the flush of
    the stored figures (``okr.progress.history.mixin``) and from the deferred
    roll-up of check-ins; nobody creates, writes or deletes them by hand (no
    ACL line allows it). A user reads the rows of the objectives and key
    results they can read (``user_can_read``: the records' own rules decide).
    """

    _name = "okr.progress.history"
    _description = "OKR Progress History"
    _order = "date, id"

    kind = fields.Selection(
        [("objective", "Objective"), ("key_result", "Key Result")],
        required=True,
        readonly=True,
        help="Whether the row is the objective's own figure or one of its "
        "key results'.",
    )
    objective_id = fields.Many2one(
        "okr.objective", required=True, readonly=True, index=True, ondelete="cascade"
    )
    key_result_id = fields.Many2one(
        "okr.key.result", readonly=True, index=True, ondelete="cascade"
    )
    owner_id = fields.Many2one(
        "hr.employee",
        readonly=True,
        index=True,
        help="The owner of the objective or key result that day.",
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    cycle_id = fields.Many2one("okr.cycle", readonly=True, index=True)
    date = fields.Date(required=True, readonly=True)
    progress = fields.Float(readonly=True, aggregator="avg")
    expected_progress = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Where the progress should be that day: the straight line from "
        "0 at the cycle's start to 1 at its end.",
    )
    confidence = fields.Float(readonly=True, aggregator="avg", digits=(3, 1))
    grade = fields.Float(readonly=True, aggregator="avg")
    user_can_read = fields.Boolean(
        compute="_compute_user_can_read",
        search="_search_user_can_read",
        help="Technical: the reader may read the objective or key result of "
        "the row (what the record rules ask).",
    )

    def init(self):
        # One row per record and day: the bulk upsert of _okr_record
        # conflicts on these.
        for _kind, index, expression in _KINDS.values():
            if not index_exists(self.env.cr, index):
                self.env.cr.execute(
                    SQL(
                        "CREATE UNIQUE INDEX %s ON okr_progress_history %s",
                        SQL.identifier(index),
                        SQL(expression),
                    )
                )

    @api.depends_context("uid")
    @api.depends("kind", "objective_id", "key_result_id")
    def _compute_user_can_read(self):
        # The actual user's rights on the objectives and key results (also
        # on a superuser environment: the record rules check sudo records
        # with this field), never this model's own rules.
        env = self.sudo(False).env
        objectives = env["okr.objective"].browse(self.objective_id.ids)
        key_results = env["okr.key.result"].browse(self.key_result_id.ids)
        readable_objectives = set(objectives._filtered_access("read").ids)
        readable_key_results = set(key_results._filtered_access("read").ids)
        for row in self:
            if row.kind == "key_result":
                row.user_can_read = row.key_result_id.id in readable_key_results
            else:
                row.user_can_read = row.objective_id.id in readable_objectives

    def _search_user_can_read(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on readable history."))
        # Record rules evaluate their domains as superuser: step back to the
        # actual user, so that the rules of the objective and of the key
        # result decide (one home for who sees which OKR).
        env = self.sudo(False).env
        domain = [
            "|",
            "&",
            ("kind", "=", "objective"),
            ("objective_id", "in", env["okr.objective"]._search([])),
            "&",
            ("kind", "=", "key_result"),
            ("key_result_id", "in", env["okr.key.result"]._search([])),
        ]
        if (operator == "=") != value:
            domain = ["!", *domain]
        return domain

    @api.model
    def _search(self, domain, *args, **kwargs):
        # The rows are written when the figures of objectives and key results
        # reach the database: write the pending ones before reading.
        for model in ("okr.key.result", "okr.objective"):
            self.env[model].flush_model(list(self.env[model]._okr_history_fields))
        return super()._search(domain, *args, **kwargs)

    # ------------------------------------------------------------------
    # Writing (the only way in)
    # ------------------------------------------------------------------
    @api.model
    def _okr_record(self, records, day=None):
        """Record today's figures of ``records`` (objectives or key results,
        one model) as they are in the database: two queries whatever their
        number. A record whose progress, confidence and grade equal its
        latest earlier row gets no row; a second change the same day updates
        that day's row.
        """
        if not records:
            return
        kind = _KINDS[records._name][0]
        day = day or fields.Date.context_today(self)
        cr = self.env.cr
        if kind == "objective":
            cr.execute(
                SQL(
                    """
                    SELECT o.id, NULL, o.owner_id, o.company_id, o.cycle_id,
                           o.progress, o.confidence, o.grade,
                           c.date_start, c.date_end
                      FROM okr_objective o
                      JOIN okr_cycle c ON c.id = o.cycle_id
                     WHERE o.id IN %s
                    """,
                    tuple(records.ids),
                )
            )
        else:
            cr.execute(
                SQL(
                    """
                    SELECT o.id, kr.id, kr.owner_id, o.company_id, o.cycle_id,
                           kr.progress, kr.confidence, kr.grade,
                           c.date_start, c.date_end
                      FROM okr_key_result kr
                      JOIN okr_objective o ON o.id = kr.objective_id
                      JOIN okr_cycle c ON c.id = o.cycle_id
                     WHERE kr.id IN %s
                    """,
                    tuple(records.ids),
                )
            )
        # the five ids, then the figures with today's date and expected
        # progress: the row shape of _okr_upsert
        rows = [
            (
                *ids,
                day,
                progress,
                burnup.expected_progress(start, end, day),
                confidence,
                grade,
            )
            for *ids, progress, confidence, grade, start, end in cr.fetchall()
        ]
        self._okr_upsert(records._name, rows)

    @api.model
    def _okr_upsert(self, model_name, rows):
        """Write ``rows`` of records of ``model_name`` in one statement:
        ``(objective id, key result id or None, owner id, company id, cycle
        id, day, progress, expected progress, confidence, grade)``, at most
        one per record and day. A row equal to the record's latest earlier
        one is left out (nothing changed); an existing row of that day is
        updated."""
        if not rows:
            return
        kind, _index, target = _KINDS[model_name]
        cr = self.env.cr
        values = SQL(", ").join(
            SQL(
                "(%s::int4, %s::int4, %s::int4, %s::int4, %s::int4, %s::date,"
                " %s::float8, %s::float8, %s::float8, %s::float8)",
                objective_id,
                key_result_id,
                owner_id,
                company_id,
                cycle_id,
                day,
                progress or 0.0,
                expected or 0.0,
                float(confidence or 0.0),
                grade or 0.0,
            )
            for (
                objective_id,
                key_result_id,
                owner_id,
                company_id,
                cycle_id,
                day,
                progress,
                expected,
                confidence,
                grade,
            ) in rows
        )
        if kind == "objective":
            same = SQL("h.objective_id = v.objective_id AND h.key_result_id IS NULL")
        else:
            same = SQL("h.key_result_id = v.key_result_id")
        cr.execute(
            SQL(
                """
                INSERT INTO okr_progress_history
                       (kind, objective_id, key_result_id, owner_id, company_id,
                        cycle_id, date, progress, expected_progress, confidence,
                        grade, create_uid, create_date, write_uid, write_date)
                SELECT %(kind)s, v.objective_id, v.key_result_id, v.owner_id,
                       v.company_id, v.cycle_id, v.date, v.progress, v.expected,
                       v.confidence, v.grade, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (VALUES %(values)s) AS v(objective_id, key_result_id,
                        owner_id, company_id, cycle_id, date, progress,
                        expected, confidence, grade)
                 WHERE EXISTS (
                           SELECT 1 FROM okr_progress_history h
                            WHERE %(same)s AND h.date = v.date)
                    OR NOT EXISTS (
                           SELECT 1
                             FROM (SELECT h.progress, h.confidence, h.grade
                                     FROM okr_progress_history h
                                    WHERE %(same)s AND h.date < v.date
                                 ORDER BY h.date DESC
                                    LIMIT 1) AS last
                            WHERE (last.progress, last.confidence, last.grade)
                                  IS NOT DISTINCT FROM
                                  (v.progress, v.confidence, v.grade))
                    ON CONFLICT %(target)s
                    DO UPDATE SET progress = EXCLUDED.progress,
                                  expected_progress = EXCLUDED.expected_progress,
                                  confidence = EXCLUDED.confidence,
                                  grade = EXCLUDED.grade,
                                  owner_id = EXCLUDED.owner_id,
                                  write_uid = EXCLUDED.write_uid,
                                  write_date = EXCLUDED.write_date
                """,
                kind=kind,
                uid=self.env.uid,
                now=self.env.cr.now(),
                values=values,
                same=same,
                target=SQL(target),
            )
        )
        self.invalidate_model()

    @api.model
    def _okr_rebuild_from_checkins(self, cycles):
        """Replay the check-ins of the objectives of ``cycles`` up to today:
        a row for each day a check-in moved a key result or its objective,
        with the figures of that day (grades are not replayed). For the demo
        and for databases whose check-ins predate the history; the same
        rules as the live figures (``_okr_progress_of``, the engine's
        roll-ups). Rows of those days are replaced."""
        if not isinstance(cycles, models.BaseModel):
            cycles = self.env["okr.cycle"].browse(cycles)  # from a data file
        today = fields.Date.context_today(self)
        objectives = (
            self.env["okr.objective"]
            .sudo()
            .search([("cycle_id", "in", cycles.ids), ("state", "!=", "cancelled")])
        )
        key_results = objectives.key_result_ids
        checkins = (
            self.env["okr.checkin"]
            .sudo()
            .search_fetch(
                [("key_result_id", "in", key_results.ids), ("date", "<=", today)],
                ["key_result_id", "date", "value", "confidence"],
                order="date, id",
            )
        )
        days = sorted(set(checkins.mapped("date")))
        by_kr = defaultdict(list)
        for checkin in checkins:
            by_kr[checkin.key_result_id.id].append(checkin)
        kr_rows, objective_rows = [], []
        # Before any check-in: the start values. Only what moves gets a row.
        last_kr = {
            kr.id: (kr._okr_progress_of(kr.start_value), kr.confidence)
            for kr in key_results
        }
        last_objective = {
            objective.id: self._okr_rollup(objective, last_kr)
            for objective in objectives
        }
        for day in days:
            figures = {}
            for kr in key_results:
                done = [c for c in by_kr[kr.id] if c.date <= day]
                value = done[-1].value if done else kr.start_value
                confidence = done[-1].confidence if done else kr.confidence
                figures[kr.id] = (kr._okr_progress_of(value), confidence)
            for objective in objectives:
                cycle = objective.cycle_id
                expected = burnup.expected_progress(
                    cycle.date_start, cycle.date_end, day
                )
                head = (objective.id,)
                tail = (objective.company_id.id, cycle.id, day)
                for kr in objective.key_result_ids:
                    if last_kr[kr.id] != figures[kr.id]:
                        last_kr[kr.id] = progress, confidence = figures[kr.id]
                        kr_rows.append(
                            (*head, kr.id, kr.owner_id.id, *tail)
                            + (progress, expected, confidence, 0.0)
                        )
                rollup = self._okr_rollup(objective, figures)
                if last_objective[objective.id] != rollup:
                    last_objective[objective.id] = progress, confidence = rollup
                    objective_rows.append(
                        (*head, None, objective.owner_id.id, *tail)
                        + (progress, expected, confidence, 0.0)
                    )
        self._okr_upsert("okr.key.result", kr_rows)
        self._okr_upsert("okr.objective", objective_rows)

    @api.model
    def _okr_rollup(self, objective, figures):
        """``(progress, confidence)`` of ``objective`` from its key results'
        ``figures`` ``{key result id: (progress, confidence)}``: the engine's
        roll-ups that its stored fields use."""
        weighted = [
            (figures[kr.id], kr.weight)
            for kr in objective.key_result_ids
            if kr.weight > 0
        ]
        progress = grading.objective_progress(
            [(figure[0], weight) for figure, weight in weighted]
        )
        confidence = grading.weighted_mean(
            (figure[1], weight) for figure, weight in weighted
        )
        return progress or 0.0, confidence or 0.0

    # ------------------------------------------------------------------
    # Reading: the chart of progress over time
    # ------------------------------------------------------------------
    @api.model
    def _okr_chart(self, cycle, progress_points, confidence_points):
        """The specification of a progress chart (what the OWL component
        ``bsc_okr.progress_chart`` draws with Chart.js, in the back end and
        the portal alike): ``progress_points`` ``[(date, 0..1)]`` against
        the expected straight line of ``cycle``, ``confidence_points``
        ``[(date, 0..10)]`` below.
        """
        to_string = fields.Date.to_string
        actual = [
            {"x": to_string(day), "y": round(progress * 100.0, 1)}
            for day, progress in progress_points
        ]
        expected = []
        if cycle.date_start and cycle.date_end:
            expected = [
                {"x": to_string(day), "y": round(progress * 100.0, 1)}
                for day, progress in burnup.expected_line(
                    cycle.date_start, cycle.date_end
                )
            ]
        return {
            "title": self.env._("Progress over time"),
            "x_min": to_string(cycle.date_start) if cycle.date_start else None,
            "x_max": to_string(cycle.date_end) if cycle.date_end else None,
            "y_max": max([100.0] + [point["y"] for point in actual]),
            "series": [
                {"label": self.env._("Actual"), "style": "actual", "points": actual},
                {
                    "label": self.env._("Expected"),
                    "style": "expected",
                    "points": expected,
                },
            ],
            "confidence": {
                "label": self.env._("Confidence (0-10)"),
                "points": [
                    {"x": to_string(day), "y": round(confidence, 1)}
                    for day, confidence in confidence_points
                ],
            },
            "empty": self.env._("No progress recorded yet."),
        }
