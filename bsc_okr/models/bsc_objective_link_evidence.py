import contextlib
import contextvars
import html
import logging
from collections import defaultdict

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..engine import evidence
from ..engine import periods as engine_periods

_logger = logging.getLogger(__name__)

VERDICT_SELECTION = [
    (evidence.SUPPORTED, "Supported"),
    (evidence.CONTRADICTED, "Contradicted"),
    (evidence.REVERSE, "Reverse"),
    (evidence.NO_EVIDENCE, "No evidence"),
    (evidence.INSUFFICIENT, "Insufficient data"),
]
SERIES_SELECTION = [("scores", "Objective scores"), ("measures", "Measures")]
# Written only by _store_evidence (see _EVIDENCE_PASS).
EVIDENCE_FIELDS = frozenset(
    {
        "evidence_verdict",
        "evidence_lag",
        "evidence_r",
        "evidence_p",
        "evidence_q",
        "evidence_p_reverse",
        "evidence_q_reverse",
        "evidence_n",
        "evidence_series",
        "evidence_correlations",
        "evidence_date",
    }
)
# Editing one of these makes the stored evidence stale: it is cleared.
DEFINITION_FIELDS = frozenset(
    {"cause_id", "effect_id", "cause_measure_id", "effect_measure_id", "lag_periods"}
)
RETHINK_VERDICTS = (evidence.CONTRADICTED, evidence.REVERSE, evidence.NO_EVIDENCE)

# The pass is a context variable, not an ORM context key: RPC cannot forge it
# (see approval_guard.py), so nobody types a verdict in by hand.
_EVIDENCE_PASS = contextvars.ContextVar("bsc_okr_evidence_pass", default=False)


@contextlib.contextmanager
def _evidence_pass():
    token = _EVIDENCE_PASS.set(True)
    try:
        yield
    finally:
        _EVIDENCE_PASS.reset(token)


class BscObjectiveLinkEvidence(models.Model):
    """The statistical support of a cause-effect link (docs/evidence.md).

    A link's two series, by default its objectives' stored period scores,
    or a cause and an effect measure of those objectives, are tested by
    :mod:`engine.evidence`; the verdict and its figures are stored here by
    :meth:`bsc.scorecard._test_links` (the scorecard action and the monthly
    cron) and nowhere else.
    """

    _inherit = "bsc.objective.link"

    cause_measure_id = fields.Many2one(
        "bsc.measure",
        ondelete="set null",
        domain="[('objective_id', '=', cause_id)]",
        help="Test this measure of the cause instead of the cause's score "
        "(set both measures or neither).",
    )
    effect_measure_id = fields.Many2one(
        "bsc.measure",
        ondelete="set null",
        domain="[('objective_id', '=', effect_id)]",
        help="Test this measure of the effect instead of the effect's score.",
    )
    evidence_verdict = fields.Selection(
        VERDICT_SELECTION,
        string="Evidence",
        readonly=True,
        copy=False,
        index=True,
        help="What the history says about this link; empty until it is "
        "tested. Statistical support, not proof: see the Evidence tab.",
    )
    evidence_lag = fields.Integer(
        string="Best Lag (periods)",
        readonly=True,
        copy=False,
        help="Delay at which changes of the cause and of the effect correlate most.",
    )
    evidence_r = fields.Float(
        string="Correlation (r)",
        readonly=True,
        copy=False,
        digits=(3, 2),
        help="Correlation of the changes at the best lag, -1 to 1, after "
        "each side's polarity (positive: better cause, better effect).",
    )
    evidence_p = fields.Float(
        string="p-value",
        readonly=True,
        copy=False,
        digits=(5, 4),
        help="Granger F-test: chance of a prediction this good if the cause's "
        "past told nothing about the effect.",
    )
    evidence_q = fields.Float(
        string="q-value",
        readonly=True,
        copy=False,
        digits=(5, 4),
        help="The p-value corrected for testing every link of the map at once "
        "(Benjamini-Hochberg); below 0.10 counts as significant.",
    )
    evidence_p_reverse = fields.Float(
        string="Reverse p-value",
        readonly=True,
        copy=False,
        digits=(5, 4),
        help="The same test the other way round: does the effect predict the cause?",
    )
    evidence_q_reverse = fields.Float(
        string="Reverse q-value", readonly=True, copy=False, digits=(5, 4)
    )
    evidence_n = fields.Integer(
        string="Observations",
        readonly=True,
        copy=False,
        help="Periods in which both series have a value.",
    )
    evidence_series = fields.Selection(
        SERIES_SELECTION,
        string="Series Tested",
        readonly=True,
        copy=False,
    )
    evidence_correlations = fields.Json(
        readonly=True,
        copy=False,
        help="Correlation by lag tested: {lag: r}.",
    )
    evidence_date = fields.Datetime(string="Tested On", readonly=True, copy=False)
    evidence_summary = fields.Char(
        compute="_compute_evidence_summary",
        help="The verdict in a manager's words, as on the strategy map.",
    )
    evidence_chart = fields.Html(
        compute="_compute_evidence_chart",
        sanitize=False,
        help="Both series over time, and the correlation by lag.",
    )

    @api.depends(
        "evidence_verdict", "evidence_lag", "evidence_r", "evidence_q", "evidence_n"
    )
    @api.depends_context("lang")
    def _compute_evidence_summary(self):
        names = self._evidence_series_names()
        for link in self:
            link.evidence_summary = link._evidence_text(*names[link.id])

    def _compute_evidence_chart(self):
        series = self._evidence_series()
        for link in self:
            link.evidence_chart = link._evidence_chart_svg(series[link.id])

    @api.constrains("lag_periods", "scorecard_id")
    def _check_lag_periods(self):
        for link in self:
            horizon = len(link.scorecard_id.period_ids)
            if link.lag_periods < 0 or (horizon and link.lag_periods > horizon):
                raise ValidationError(
                    self.env._(
                        "The expected lag of %(link)s must be between 0 and "
                        "%(months)s months (the scorecard's horizon).",
                        link=link.display_name,
                        months=horizon,
                    )
                )

    @api.constrains("cause_measure_id", "effect_measure_id", "cause_id", "effect_id")
    def _check_measures(self):
        for link in self:
            if bool(link.cause_measure_id) != bool(link.effect_measure_id):
                raise ValidationError(
                    self.env._(
                        "%(link)s names only one measure: set a cause measure and "
                        "an effect measure, or neither to test the objectives' "
                        "scores.",
                        link=link.display_name,
                    )
                )
            if link.cause_measure_id and (
                link.cause_measure_id.objective_id != link.cause_id
                or link.effect_measure_id.objective_id != link.effect_id
            ):
                raise ValidationError(
                    self.env._(
                        "The measures of %(link)s must belong to its objectives: "
                        "the cause measure to %(cause)s, the effect measure to "
                        "%(effect)s.",
                        link=link.display_name,
                        cause=link.cause_id.name,
                        effect=link.effect_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if any(EVIDENCE_FIELDS & set(vals) for vals in vals_list):
            self._refuse_evidence_write()
        return super().create(vals_list)

    def write(self, vals):
        if EVIDENCE_FIELDS & set(vals) and not _EVIDENCE_PASS.get():
            self._refuse_evidence_write()
        if DEFINITION_FIELDS & set(vals) and not _EVIDENCE_PASS.get():
            # The old verdict tested other series: never show it for the new ones.
            vals = dict(vals, **self._empty_evidence())
            with _evidence_pass():
                return super().write(vals)
        return super().write(vals)

    def _refuse_evidence_write(self):
        raise AccessError(
            self.env._(
                "The evidence of a cause-effect link is computed from the "
                "measures' history: use “Test the map's links” on the scorecard."
            )
        )

    @api.model
    def _empty_evidence(self):
        return {
            "evidence_verdict": False,
            "evidence_lag": 0,
            "evidence_r": 0.0,
            "evidence_p": 0.0,
            "evidence_q": 0.0,
            "evidence_p_reverse": 0.0,
            "evidence_q_reverse": 0.0,
            "evidence_n": 0,
            "evidence_series": False,
            "evidence_correlations": False,
            "evidence_date": False,
        }

    # ------------------------------------------------------------------
    # Series
    # ------------------------------------------------------------------
    def _evidence_series(self):
        """The two aligned series of each link: {link id: dict}.

        Each dict holds ``labels`` (period names), ``cause`` and ``effect``
        (raw values, None where missing), the oriented ``cause_oriented`` and
        ``effect_oriented`` fed to the engine, and ``source`` (scores or
        measures). Periods are the scorecard's started months; a measure
        series keeps the months where either measure is due. One read per
        model for all links.
        """
        today = fields.Date.context_today(self)
        links = self.filtered("id")
        links.fetch(
            ["scorecard_id", "cause_id", "effect_id", "cause_measure_id"]
            + ["effect_measure_id"]
        )
        Period = self.env["bsc.period"]
        periods = Period.search_fetch(
            [
                ("scorecard_id", "in", links.scorecard_id.ids),
                ("date_start", "<=", today),
            ],
            ["scorecard_id", "date_start", "name"],
            order="date_start, id",
        )
        by_scorecard = defaultdict(list)
        for period in periods:
            by_scorecard[period.scorecard_id.id].append(period)
        score_links = links.filtered(lambda lk: not lk.cause_measure_id)
        measure_links = links - score_links
        scores = {}
        if score_links:
            objective_ids = (score_links.cause_id | score_links.effect_id).ids
            for row in self.env["bsc.score"].search_fetch(
                [
                    ("level", "=", "objective"),
                    ("objective_id", "in", objective_ids),
                    ("period_id", "in", periods.ids),
                ],
                ["objective_id", "period_id", "score", "status", "is_expected"],
            ):
                if row.is_expected and row.status != "no_data":
                    scores[(row.objective_id.id, row.period_id.id)] = row.score
        values = {}
        measures = measure_links.cause_measure_id | measure_links.effect_measure_id
        if measures:
            measures.fetch(["polarity", "range_min", "range_max", "frequency"])
            for row in self.env["bsc.measure.value"].search_fetch(
                [
                    ("measure_id", "in", measures.ids),
                    ("is_current", "=", True),
                    ("period_id", "in", periods.ids),
                ],
                ["measure_id", "period_id", "value"],
            ):
                values[(row.measure_id.id, row.period_id.id)] = row.value
        result = {}
        for link in self:
            grid = by_scorecard.get(link.scorecard_id.id, []) if link.id else []
            cause_m, effect_m = link.cause_measure_id, link.effect_measure_id
            if cause_m and effect_m:
                horizon = link.scorecard_id.date_from
                grid = [
                    p
                    for p in grid
                    if engine_periods.is_due(p.date_start, cause_m.frequency, horizon)
                    or engine_periods.is_due(p.date_start, effect_m.frequency, horizon)
                ]
                cause = [values.get((cause_m.id, p.id)) for p in grid]
                effect = [values.get((effect_m.id, p.id)) for p in grid]
                cause_oriented = evidence.oriented(
                    cause, cause_m.polarity, cause_m.range_min, cause_m.range_max
                )
                effect_oriented = evidence.oriented(
                    effect, effect_m.polarity, effect_m.range_min, effect_m.range_max
                )
                source = "measures"
            else:
                cause = [scores.get((link.cause_id.id, p.id)) for p in grid]
                effect = [scores.get((link.effect_id.id, p.id)) for p in grid]
                # Scores already carry polarity and targets: higher is better.
                cause_oriented, effect_oriented = cause, effect
                source = "scores"
            result[link.id] = {
                "labels": [p.name for p in grid],
                "cause": cause,
                "effect": effect,
                "cause_oriented": cause_oriented,
                "effect_oriented": effect_oriented,
                "source": source,
            }
        return result

    def _evidence_inputs(self, series, min_periods):
        """The engine's input for each link, in order: its two oriented
        series (from :meth:`_evidence_series`), its expected delay and the
        company's minimum of periods."""
        return [
            evidence.LinkSeries(
                series[link.id]["cause_oriented"],
                series[link.id]["effect_oriented"],
                max_lag=link.lag_periods or None,
                min_periods=min_periods,
            )
            for link in self
        ]

    def _evidence_series_names(self):
        """(cause name, effect name) of each link's series, for the texts."""
        return {
            link.id: (
                link.cause_measure_id.name or link.cause_id.name or "",
                link.effect_measure_id.name or link.effect_id.name or "",
            )
            for link in self
        }

    @api.model
    def _map_evidence_texts(self, rows, objective_names):
        """{link id: evidence text} for the map's link rows (already read).

        No query for the objectives (their names are given); one for the
        measures' names, only when a link tests measures.
        """
        measure_ids = {
            row[key]
            for row in rows
            for key in ("cause_measure_id", "effect_measure_id")
            if row[key]
        }
        measures = self.env["bsc.measure"].browse(sorted(measure_ids))
        if measures:
            measures.fetch(["name"])
        measure_names = {measure.id: measure.name for measure in measures}
        texts = {}
        for row in rows:
            cause = measure_names.get(row["cause_measure_id"]) or objective_names.get(
                row["cause_id"], ""
            )
            effect = measure_names.get(row["effect_measure_id"]) or objective_names.get(
                row["effect_id"], ""
            )
            texts[row["id"]] = self.browse(row["id"])._evidence_text(cause, effect)
        return texts

    # ------------------------------------------------------------------
    # Storing
    # ------------------------------------------------------------------
    def _store_evidence(self, result, source):
        """Write one engine result on this link, inside the caller's savepoint."""
        self.ensure_one()
        tested = result.verdict != evidence.INSUFFICIENT

        def figure(value):
            # Never NaN or infinity in the database.
            return value if tested and value is not None and abs(value) < 1e300 else 0.0

        vals = {
            "evidence_verdict": result.verdict,
            "evidence_lag": result.lag or 0,
            "evidence_r": figure(result.r),
            "evidence_p": figure(result.p_value),
            "evidence_q": figure(result.q_value),
            "evidence_p_reverse": figure(result.p_reverse),
            "evidence_q_reverse": figure(result.q_reverse),
            "evidence_n": result.n,
            "evidence_series": source,
            "evidence_correlations": {
                str(lag): round(r, 4) for lag, r in result.correlations.items()
            }
            or False,
            "evidence_date": fields.Datetime.now(),
        }
        with _evidence_pass():
            self.write(vals)

    def _lock_for_evidence(self):
        """Lock these links' rows; return the links locked, without those
        someone else holds (one query, no waiting).

        A link being edited right now keeps its old verdict (cleared by the
        edit itself) and is tested on the next run.
        """
        if not self.ids:
            return self.browse()
        try:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED",
                    SQL.identifier(self._table),
                    tuple(self.ids),
                )
            )
        except psycopg2.errors.SerializationFailure:
            return self.browse()
        return self.browse(row[0] for row in self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Texts and chart
    # ------------------------------------------------------------------
    def _evidence_text(self, cause, effect):
        """The verdict and its figures in words, for the map and the form."""
        self.ensure_one()
        env = self.env
        verdict = self.evidence_verdict
        if not verdict:
            return env._("Not tested yet.")
        if verdict == evidence.INSUFFICIENT:
            return env._(
                "Too little history to test: %(n)s months with both values.",
                n=self.evidence_n,
            )
        figures = env._(
            "r = %(r).2f, q = %(q).2f, %(n)s months",
            r=self.evidence_r,
            q=self.evidence_q,
            n=self.evidence_n,
        )
        if verdict == evidence.SUPPORTED:
            if self.evidence_lag:
                text = env._(
                    "Changes in %(cause)s are followed %(lag)s month(s) later by "
                    "changes in %(effect)s in the same direction",
                    cause=cause,
                    effect=effect,
                    lag=self.evidence_lag,
                )
            else:
                text = env._(
                    "Changes in %(cause)s go with changes in %(effect)s in the "
                    "same month, in the same direction",
                    cause=cause,
                    effect=effect,
                )
        elif verdict == evidence.CONTRADICTED:
            text = env._(
                "Changes in %(cause)s are followed %(lag)s month(s) later by "
                "changes in %(effect)s in the opposite direction",
                cause=cause,
                effect=effect,
                lag=self.evidence_lag,
            )
        elif verdict == evidence.REVERSE:
            text = env._(
                "Changes in %(effect)s come first and are followed by changes in "
                "%(cause)s: the arrow may point the other way",
                cause=cause,
                effect=effect,
            )
        else:
            text = env._(
                "Changes in %(cause)s do not help predict changes in %(effect)s",
                cause=cause,
                effect=effect,
            )
        return env._("%(text)s; %(figures)s.", text=text, figures=figures)

    def _evidence_chart_svg(self, series):
        """An inline SVG: both series (each scaled to its range) over time,
        then bars of the correlation by lag."""
        width, height, pad = 560, 160, 24
        labels = series["labels"]
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="o_bsc_evidence_chart" '
            f'width="{width}" height="{height * 2 + pad}" role="img">'
        ]
        if len(labels) >= 2:
            for values, color in (
                (series["cause"], "#2f6db5"),
                (series["effect"], "#d9822b"),
            ):
                present = [v for v in values if v is not None]
                if not present:
                    continue
                low, high = min(present), max(present)
                span = (high - low) or 1.0
                step = (width - 2 * pad) / (len(labels) - 1)
                points = " ".join(
                    f"{pad + i * step:.1f},"
                    f"{height - pad - (v - low) / span * (height - 2 * pad):.1f}"
                    for i, v in enumerate(values)
                    if v is not None
                )
                parts.append(
                    f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                    f'points="{points}"/>'
                )
            cause_name, effect_name = self._evidence_series_names()[self.id]
            parts.append(
                f'<text x="{pad}" y="12" font-size="11" fill="#2f6db5">'
                f"{html.escape(cause_name)}</text>"
                f'<text x="{width - pad}" y="12" font-size="11" fill="#d9822b" '
                f'text-anchor="end">{html.escape(effect_name)}</text>'
                f'<text x="{pad}" y="{height - 4}" font-size="10">'
                f"{html.escape(labels[0])}</text>"
                f'<text x="{width - pad}" y="{height - 4}" font-size="10" '
                f'text-anchor="end">{html.escape(labels[-1])}</text>'
            )
        correlations = self.evidence_correlations or {}
        if correlations:
            top = height + pad
            middle = top + height / 2
            bar = (width - 2 * pad) / max(len(correlations), 1)
            caption = self.env._("Correlation of the changes by lag (months)")
            parts.append(
                f'<text x="{pad}" y="{top + 10}" font-size="11">'
                f"{html.escape(caption)}"
                "</text>"
                f'<line x1="{pad}" x2="{width - pad}" y1="{middle}" y2="{middle}" '
                'stroke="#9AA0A6"/>'
            )
            for index, lag in enumerate(sorted(correlations, key=int)):
                r = float(correlations[lag])
                size = abs(r) * (height / 2 - pad)
                y = middle - size if r > 0 else middle
                color = "#2E9E5B" if r > 0 else "#D3455B"
                if int(lag) == self.evidence_lag:
                    color = "#1F2D3D"
                parts.append(
                    f'<rect x="{pad + index * bar + 4:.1f}" y="{y:.1f}" '
                    f'width="{bar - 8:.1f}" height="{size:.1f}" fill="{color}"/>'
                    f'<text x="{pad + (index + 0.5) * bar:.1f}" y="{top + height - 4}" '
                    f'font-size="10" text-anchor="middle">{int(lag)}: {r:.2f}</text>'
                )
        parts.append("</svg>")
        return "".join(parts)
