import ast
import datetime
import doctest
import functools
import math
import pathlib
import sys
import time

from odoo.tests import BaseCase, tagged

from .. import engine
from ..engine import periods, scoring
from ..engine.scoring import (
    AMBER,
    AVERAGE,
    DEFAULT_BANDS,
    GREEN,
    HIGHER,
    LAST,
    LOWER,
    NO_DATA,
    RANGE,
    RED,
    SUM,
    Band,
    BandError,
    MeasureError,
    WeightError,
)

# Allowed in the engine besides the standard library (see engine/evidence.py).
NUMERICAL_LIBRARIES = frozenset({"numpy", "scipy"})


@tagged("post_install", "-at_install")
class TestEngineScoring(BaseCase):
    """BSC measure scoring: achievement, bands, scores, roll-ups, accumulation."""

    def assertEngineError(self, error_class, code, params, func, *args, **kwargs):
        with self.assertRaises(error_class) as caught:
            func(*args, **kwargs)
        self.assertIsInstance(caught.exception, engine.EngineError)
        self.assertIsInstance(caught.exception, ValueError)
        self.assertEqual(caught.exception.code, code)
        self.assertEqual(caught.exception.params, params)

    # ------------------------------------------------------------------
    def test_doctests(self):
        for module in (engine, scoring):
            result = doctest.testmod(module)
            self.assertGreater(result.attempted, 0, module.__name__)
            self.assertEqual(result.failed, 0, module.__name__)

    def test_engine_error(self):
        error = engine.EngineError("gap", lower=0.7, upper=0.8)
        self.assertEqual(error.code, "gap")
        self.assertEqual(error.params, {"lower": 0.7, "upper": 0.8})
        self.assertEqual(str(error), "gap(lower=0.7, upper=0.8)")
        self.assertEqual(str(engine.EngineError("no_bands")), "no_bands")
        self.assertEqual(engine.EPSILON, 1e-9)

    def test_engine_imports_no_odoo(self):
        """The engine stays plain Python: the standard library, itself, and the
        numerical libraries of requirements.txt (numpy, scipy), never odoo."""
        engine_dir = pathlib.Path(engine.__file__).parent
        sources = sorted(engine_dir.glob("*.py"))
        self.assertGreaterEqual(len(sources), 5)
        for source in sources:
            tree = ast.parse(source.read_text(), str(source))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    if node.level:  # relative: inside the engine
                        continue
                    names = [node.module]
                else:
                    continue
                for name in names:
                    with self.subTest(source=source.name, name=name):
                        self.assertIn(
                            name.split(".")[0],
                            sys.stdlib_module_names | NUMERICAL_LIBRARIES,
                            source.name,
                        )

    # ------------------------------------------------------------------
    # achievement
    # ------------------------------------------------------------------
    def test_achievement_higher(self):
        self.assertAlmostEqual(scoring.achievement(80, 100), 0.8)
        self.assertAlmostEqual(scoring.achievement(150, 200, baseline=100), 0.5)
        self.assertAlmostEqual(scoring.achievement(250, 200, baseline=100), 1.5)
        # Worse than the baseline: negative, not clamped here.
        self.assertAlmostEqual(scoring.achievement(50, 200, baseline=100), -0.5)
        # A baseline of None counts as 0.
        self.assertAlmostEqual(scoring.achievement(30, 60, baseline=None), 0.5)

    def test_achievement_lower(self):
        self.assertAlmostEqual(
            scoring.achievement(90, 80, baseline=100, polarity=LOWER), 0.5
        )
        self.assertAlmostEqual(
            scoring.achievement(70, 80, baseline=100, polarity=LOWER), 1.5
        )
        self.assertAlmostEqual(
            scoring.achievement(110, 80, baseline=100, polarity=LOWER), -0.5
        )
        self.assertAlmostEqual(
            scoring.achievement(5, 0, baseline=10, polarity=LOWER), 0.5
        )

    def test_achievement_no_data(self):
        self.assertIsNone(scoring.achievement(None, 100))
        self.assertIsNone(scoring.achievement(50, None))
        self.assertIsNone(scoring.achievement(50, None, polarity=LOWER))
        self.assertIsNone(
            scoring.achievement(None, None, polarity=RANGE, range_min=1, range_max=2)
        )

    def test_achievement_target_equals_baseline(self):
        # Zero target with zero baseline, higher is better.
        self.assertEqual(scoring.achievement(5, 0), 1.0)
        self.assertEqual(scoring.achievement(0, 0), 1.0)
        self.assertEqual(scoring.achievement(-0.5, 0), 0.0)
        # Non-zero target equal to the baseline.
        self.assertEqual(scoring.achievement(100, 100, baseline=100), 1.0)
        self.assertEqual(scoring.achievement(99, 100, baseline=100), 0.0)
        # Lower is better: meeting means <=.
        self.assertEqual(scoring.achievement(0, 0, polarity=LOWER), 1.0)
        self.assertEqual(scoring.achievement(-2, 0, polarity=LOWER), 1.0)
        self.assertEqual(scoring.achievement(1, 0, polarity=LOWER), 0.0)
        # Within EPSILON counts as met.
        self.assertEqual(scoring.achievement(-1e-12, 0), 1.0)

    def test_achievement_planned_decline(self):
        """Target on the bad side of the baseline stays monotonic."""
        # Higher is better, baseline 100, the plan accepts a fall to 80.
        values = [scoring.achievement(a, 80, baseline=100) for a in (70, 80, 90, 100)]
        self.assertEqual(values, [0.5, 1.0, 1.5, 2.0])
        # Lower is better, baseline 10, the plan accepts a rise to 20.
        values = [
            scoring.achievement(a, 20, baseline=10, polarity=LOWER)
            for a in (30, 20, 15, 10)
        ]
        self.assertEqual(values, [0.0, 1.0, 1.5, 2.0])

    def test_achievement_bad_polarity(self):
        self.assertEngineError(
            MeasureError,
            "bad_polarity",
            {"polarity": "sideways"},
            scoring.achievement,
            1,
            2,
            polarity="sideways",
        )
        # Checked even without data.
        with self.assertRaises(MeasureError):
            scoring.achievement(None, None, polarity="sideways")

    def test_achievement_range(self):
        def range_ach(actual, low=4.0, high=6.0):
            return scoring.achievement(
                actual, None, polarity=RANGE, range_min=low, range_max=high
            )

        # Inside, bounds included; the target is ignored.
        self.assertEqual([range_ach(v) for v in (4, 5, 6)], [1.0, 1.0, 1.0])
        # Within EPSILON of a bound is inside.
        self.assertEqual(range_ach(4 - 1e-12), 1.0)
        self.assertEqual(range_ach(6 + 1e-12), 1.0)
        self.assertEqual(
            scoring.achievement(5, 999, polarity=RANGE, range_min=4, range_max=6), 1.0
        )
        # Outside: 1 - distance / width, floored at 0.
        self.assertAlmostEqual(range_ach(7), 0.5)
        self.assertAlmostEqual(range_ach(3.5), 0.75)
        self.assertEqual(range_ach(8), 0.0)
        self.assertEqual(range_ach(-100), 0.0)
        # Single-point range: the width is max(|bound|, 1).
        self.assertAlmostEqual(range_ach(12, 10, 10), 0.8)
        self.assertAlmostEqual(range_ach(0.5, 0, 0), 0.5)
        self.assertEqual(range_ach(10, 10, 10), 1.0)

    def test_achievement_range_errors(self):
        self.assertEngineError(
            MeasureError,
            "range_inverted",
            {"range_min": 6, "range_max": 4},
            scoring.achievement,
            5,
            None,
            polarity=RANGE,
            range_min=6,
            range_max=4,
        )
        with self.assertRaises(MeasureError):
            scoring.achievement(None, None, polarity=RANGE, range_min=6, range_max=4)
        self.assertEngineError(
            MeasureError,
            "range_missing_bound",
            {"range_min": None, "range_max": 4},
            scoring.achievement,
            5,
            None,
            polarity=RANGE,
            range_max=4,
        )

    # ------------------------------------------------------------------
    # bands and status
    # ------------------------------------------------------------------
    def test_default_bands(self):
        self.assertEqual(scoring.validate_bands(DEFAULT_BANDS), list(DEFAULT_BANDS))
        self.assertEqual(
            [(b.status, b.lower, b.upper) for b in DEFAULT_BANDS],
            [(RED, 0.0, 0.8), (AMBER, 0.8, 1.0), (GREEN, 1.0, None)],
        )

    def test_validate_bands_sorts_and_accepts_tuples(self):
        bands = scoring.validate_bands(
            [(GREEN, 1.0, None), (RED, None, 0.5), (AMBER, 0.5, 1.0)]
        )
        self.assertEqual([b.status for b in bands], [RED, AMBER, GREEN])
        self.assertTrue(all(isinstance(b, Band) for b in bands))
        # A single open band from 0 is valid.
        self.assertEqual(
            scoring.validate_bands([(GREEN, 0, None)]), [Band(GREEN, 0, None)]
        )
        # Neighbours equal within EPSILON are adjacent.
        scoring.validate_bands([(RED, 0, 0.8), (GREEN, 0.8 + 1e-12, None)])
        # First band may start below 0.
        scoring.validate_bands([(RED, -1.0, 0.8), (GREEN, 0.8, None)])

    def test_validate_bands_errors(self):
        cases = [
            ([], "no_bands", {}),
            ([("blue", 0, None)], "bad_status", {"status": "blue"}),
            (
                [(RED, 0, 0.5), (AMBER, 0.5, 0.5), (GREEN, 0.5, None)],
                "empty_band",
                {"lower": 0.5, "upper": 0.5},
            ),
            (
                [(RED, 0, 0.7), (GREEN, 0.8, None)],
                "gap",
                {"lower": 0.7, "upper": 0.8},
            ),
            (
                [(RED, 0, 0.9), (GREEN, 0.8, None)],
                "overlap",
                {"lower": 0.8, "upper": 0.9},
            ),
            (
                [(RED, 0, None), (GREEN, 1.0, None)],
                "overlap",
                {"lower": 1.0, "upper": None},
            ),
            (
                [(RED, None, 0.5), (AMBER, None, 1.0), (GREEN, 1.0, None)],
                "overlap",
                {"lower": None, "upper": 0.5},
            ),
            ([(RED, 0.1, 1.0), (GREEN, 1.0, None)], "first_band_start", {"lower": 0.1}),
            ([(RED, 0, 0.8), (GREEN, 0.8, 2.0)], "last_band_closed", {"upper": 2.0}),
        ]
        for bands, code, params in cases:
            with self.subTest(code=code, bands=bands):
                self.assertEngineError(
                    BandError, code, params, scoring.validate_bands, bands
                )

    def test_status_for(self):
        self.assertEqual(scoring.status_for(None), NO_DATA)
        self.assertEqual(scoring.status_for(-5.0), RED)  # below the first band
        self.assertEqual(scoring.status_for(0.0), RED)
        self.assertEqual(scoring.status_for(0.7999), RED)
        self.assertEqual(scoring.status_for(0.8), AMBER)
        self.assertEqual(scoring.status_for(0.9999), AMBER)
        self.assertEqual(scoring.status_for(1.0), GREEN)
        self.assertEqual(scoring.status_for(3.0), GREEN)
        # Float noise at a boundary belongs to the upper band.
        self.assertEqual(scoring.status_for(math.nextafter(0.8, 0)), AMBER)
        self.assertEqual(scoring.status_for(0.8 - 1e-6), RED)
        # Custom bands: green is low here, and the first band takes values below.
        bands = scoring.validate_bands(
            [(GREEN, 0.0, 0.5), (AMBER, 0.5, 0.9), (RED, 0.9, None)]
        )
        self.assertEqual(
            [scoring.status_for(r, bands) for r in (-1.0, 0.0, 0.6, 0.9, 1.2)],
            [GREEN, GREEN, AMBER, RED, RED],
        )

    def test_score(self):
        self.assertIsNone(scoring.score(None))
        self.assertEqual(scoring.score(0.876), 8.76)
        self.assertEqual(scoring.score(0.87649), 8.76)
        self.assertEqual(scoring.score(1.0), 10.0)
        self.assertEqual(scoring.score(2.4), 10.0)
        self.assertEqual(scoring.score(-0.3), 0.0)
        self.assertEqual(scoring.score(0.0), 0.0)

    def test_status_from_score(self):
        self.assertEqual(scoring.status_from_score(9), AMBER)
        self.assertEqual(scoring.status_from_score(9.99), AMBER)
        self.assertEqual(scoring.status_from_score(10), GREEN)
        self.assertEqual(scoring.status_from_score(8), AMBER)
        self.assertEqual(scoring.status_from_score(7.99), RED)
        self.assertEqual(scoring.status_from_score(None), NO_DATA)

    def test_score_measure(self):
        result = scoring.score_measure(90, 100, 0.0, HIGHER, DEFAULT_BANDS)
        self.assertEqual(tuple(result), (0.9, 9.0, AMBER))
        self.assertEqual(result.achievement, 0.9)
        self.assertEqual(result.score, 9.0)
        self.assertEqual(result.status, AMBER)
        result = scoring.score_measure(130, 100)
        self.assertEqual((result.score, result.status), (10.0, GREEN))
        self.assertAlmostEqual(result.achievement, 1.3)
        result = scoring.score_measure(-10, 100)
        self.assertEqual((result.score, result.status), (0.0, RED))
        result = scoring.score_measure(None, 100)
        self.assertEqual(tuple(result), (None, None, NO_DATA))
        result = scoring.score_measure(
            7, None, polarity=RANGE, range_min=4, range_max=6
        )
        self.assertEqual(tuple(result), (0.5, 5.0, RED))
        # Status is decided on the unrounded achievement: 0.99999 rounds to a
        # score of 10.0 but is still amber.
        result = scoring.score_measure(99.999, 100)
        self.assertEqual((result.score, result.status), (10.0, AMBER))

    def test_score_measure_speed(self):
        """2,000 measures x 24 periods must score well under a second."""
        bands = scoring.validate_bands(DEFAULT_BANDS)
        polarities = (HIGHER, LOWER, RANGE)
        rows = [
            (
                float(i % 137) if i % 11 else None,
                100.0,
                10.0,
                polarities[i % 3],
                40.0,
                60.0,
            )
            for i in range(2000 * 24)
        ]
        score_measure = scoring.score_measure
        started = time.process_time()
        results = [
            score_measure(actual, target, base, pol, bands, low, high)
            for actual, target, base, pol, low, high in rows
        ]
        elapsed = time.process_time() - started
        self.assertEqual(len(results), 48000)
        self.assertEqual(sum(r.status == NO_DATA for r in results), 48000 // 11 + 1)
        self.assertLess(elapsed, 1.0)

    # ------------------------------------------------------------------
    # roll-up
    # ------------------------------------------------------------------
    def test_rollup_weighted(self):
        result = scoring.rollup([(8.0, 2), (5.0, 1), (10.0, 1)])
        self.assertEqual(result.score, 7.75)
        self.assertEqual(result.status, RED)
        self.assertEqual(result.coverage, 1.0)
        self.assertEqual(result.missing, 0)
        self.assertEqual(scoring.rollup([(10.0, 1), (10.0, 3)]).status, GREEN)
        self.assertEqual(scoring.rollup([(9.0, 1)]).status, AMBER)

    def test_rollup_missing_data_renormalises(self):
        result = scoring.rollup([(8.0, 2), (None, 1), (5.0, 1)])
        # (8*2 + 5*1) / 3, not / 4: missing data never counts as zero.
        self.assertEqual(result.score, 7.0)
        self.assertEqual(result.coverage, 0.75)
        self.assertEqual(result.missing, 1)
        self.assertEqual(result.status, RED)

    def test_rollup_rounds(self):
        result = scoring.rollup([(10.0, 1), (0.0, 2)])
        self.assertEqual(result.score, 3.33)

    def test_rollup_no_data(self):
        for items in ([(None, 1), (None, 2)], []):
            with self.subTest(items=items):
                result = scoring.rollup(items)
                self.assertIsNone(result.score)
                self.assertEqual(result.status, NO_DATA)
                self.assertEqual(result.coverage, 0.0)
                self.assertEqual(result.missing, len(items))

    def test_rollup_zero_weights(self):
        # A zero-weight item is listed but does not count.
        result = scoring.rollup([(10.0, 1), (0.0, 0), (None, 0)])
        self.assertEqual(result.score, 10.0)
        self.assertEqual(result.coverage, 1.0)
        self.assertEqual(result.missing, 1)
        # All weights zero: equal weights.
        result = scoring.rollup([(10.0, 0), (4.0, 0), (None, 0)])
        self.assertEqual(result.score, 7.0)
        self.assertAlmostEqual(result.coverage, 2 / 3)
        self.assertEqual(result.missing, 1)
        # Only zero-weight items have data: no score.
        result = scoring.rollup([(None, 1), (10.0, 0)])
        self.assertIsNone(result.score)
        self.assertEqual(result.status, NO_DATA)

    def test_rollup_weight_errors(self):
        self.assertEngineError(
            WeightError,
            "negative_weight",
            {"index": 1, "weight": -1},
            scoring.rollup,
            [(5.0, 1), (5.0, -1)],
        )
        self.assertEngineError(
            WeightError,
            "missing_weight",
            {"index": 0, "weight": None},
            scoring.rollup,
            [(5.0, None)],
        )

    def test_rollup_custom_bands(self):
        bands = scoring.validate_bands([(RED, 0, 0.5), (GREEN, 0.5, None)])
        self.assertEqual(scoring.rollup([(6.0, 1)], bands).status, GREEN)
        self.assertEqual(scoring.rollup([(4.0, 1)], bands).status, RED)

    def test_rollup_three_levels(self):
        """measure -> objective -> perspective -> scorecard, one objective empty."""
        measures = {
            "revenue": [(scoring.score_measure(90, 100).score, 2)],  # 9.0
            "margin": [
                (scoring.score_measure(100, 100).score, 1),  # 10.0
                (scoring.score_measure(None, 100).score, 1),  # no data
            ],
            "nps": [
                (scoring.score_measure(None, 50).score, 1),
                (scoring.score_measure(None, 70).score, 3),
            ],
            "retention": [(scoring.score_measure(60, 100).score, 1)],  # 6.0
        }
        objectives = {name: scoring.rollup(items) for name, items in measures.items()}
        self.assertEqual(objectives["margin"].score, 10.0)
        self.assertEqual(objectives["margin"].coverage, 0.5)
        self.assertIsNone(objectives["nps"].score)
        self.assertEqual(objectives["nps"].status, NO_DATA)

        financial = scoring.rollup(
            [(objectives["revenue"].score, 1), (objectives["margin"].score, 1)]
        )
        self.assertEqual(financial.score, 9.5)
        self.assertEqual(financial.status, AMBER)
        # The whole "nps" objective has no data: the customer perspective is
        # scored on "retention" alone, weights re-normalised.
        customer = scoring.rollup(
            [(objectives["nps"].score, 3), (objectives["retention"].score, 1)]
        )
        self.assertEqual(customer.score, 6.0)
        self.assertEqual(customer.coverage, 0.25)
        self.assertEqual(customer.missing, 1)
        self.assertEqual(customer.status, RED)

        scorecard = scoring.rollup([(financial.score, 3), (customer.score, 1)])
        self.assertEqual(scorecard.score, 8.62)  # (9.5*3 + 6) / 4 = 8.625
        self.assertEqual(scorecard.status, AMBER)
        self.assertEqual(scorecard.coverage, 1.0)

    # ------------------------------------------------------------------
    # accumulation
    # ------------------------------------------------------------------
    def test_accumulate(self):
        months = [("01", 10.0), ("02", None), ("03", 20.0), ("04", None)]
        self.assertEqual(scoring.accumulate(months, SUM), 30.0)
        self.assertEqual(scoring.accumulate(months, AVERAGE), 15.0)
        self.assertEqual(scoring.accumulate(months, LAST), 20.0)  # carried forward
        for method in (SUM, AVERAGE, LAST):
            with self.subTest(method=method):
                self.assertIsNone(scoring.accumulate([("01", None)], method))
                self.assertIsNone(scoring.accumulate([], method))
        # Exact sums: 0.1 ten times is 1.0.
        self.assertEqual(scoring.accumulate([(i, 0.1) for i in range(10)], SUM), 1.0)
        # A zero value is data, not missing.
        self.assertEqual(scoring.accumulate([("01", 4.0), ("02", 0.0)], AVERAGE), 2.0)
        self.assertEqual(scoring.accumulate([("01", 4.0), ("02", 0.0)], LAST), 0.0)

    def test_accumulate_bad_method(self):
        self.assertEngineError(
            MeasureError,
            "bad_method",
            {"method": "median"},
            scoring.accumulate,
            [("01", 1.0)],
            "median",
        )
        self.assertEngineError(
            MeasureError,
            "bad_method",
            {"method": "median"},
            scoring.accumulate_series,
            [],
            "median",
        )

    def test_accumulate_series_matches_accumulate(self):
        """Year to date from a horizon starting in March 2024, over 24 months."""
        horizon = datetime.date(2024, 3, 1)
        months = periods.month_starts(horizon, datetime.date(2026, 2, 1))
        values = [None if i % 4 == 1 else float(i) for i in range(len(months))]
        series = list(zip(months, values, strict=True))
        window_of = functools.partial(periods.window_start, horizon_start=horizon)
        for method in (SUM, AVERAGE, LAST):
            with self.subTest(method=method):
                result = scoring.accumulate_series(series, method, window_of)
                expected = []
                for index, month in enumerate(months):
                    start = months.index(window_of(month))
                    expected.append(
                        scoring.accumulate(series[start : index + 1], method)
                    )
                self.assertEqual(result, expected)
        result = scoring.accumulate_series(series, SUM, window_of)
        # March 2024 opens the first window, January 2025 the second.
        self.assertEqual(result[0], 0.0)
        self.assertEqual(result[9], sum(v for v in values[:10] if v is not None))
        self.assertEqual(result[10], 10.0)

    def test_accumulate_series_window_reset(self):
        series = [(1, 5.0), (2, None), (13, None), (14, 2.0)]

        def by_year(month):
            return (month - 1) // 12

        self.assertEqual(
            scoring.accumulate_series(series, LAST, by_year), [5.0, 5.0, None, 2.0]
        )
        self.assertEqual(scoring.accumulate_series(series, LAST), [5.0, 5.0, 5.0, 2.0])
        self.assertEqual(scoring.accumulate_series([], SUM), [])

    def test_accumulated_score(self):
        """Targets accumulate like actuals before scoring year to date."""
        actuals = [("01", 90.0), ("02", 120.0), ("03", 60.0)]
        targets = [("01", 100.0), ("02", 100.0), ("03", 100.0)]
        result = scoring.score_measure(
            scoring.accumulate(actuals, SUM), scoring.accumulate(targets, SUM)
        )
        self.assertAlmostEqual(result.achievement, 0.9)
        self.assertEqual((result.score, result.status), (9.0, AMBER))

    # ------------------------------------------------------------------
    # measure series and trend (what bsc.score feeds and stores)
    # ------------------------------------------------------------------
    def test_measure_series(self):
        """Year to date from March 2024: the actual and target of each month."""
        horizon = datetime.date(2024, 3, 1)
        months = periods.month_starts(horizon, datetime.date(2025, 3, 1))
        window_of = functools.partial(periods.window_start, horizon_start=horizon)
        # Values in March, May, January; targets 100 a month, 40 in May.
        values = {0: 10.0, 2: 30.0, 10: 5.0}
        series = [
            (month, values.get(index), 40.0 if index == 2 else 100.0)
            for index, month in enumerate(months)
        ]
        result = scoring.measure_series(series, SUM, window_of)
        self.assertEqual(result[0], (10.0, 100.0))
        # April: nothing reported, so no actual; its own target.
        self.assertEqual(result[1], (None, 100.0))
        # May: March + May, against the targets of the months reported.
        self.assertEqual(result[2], (40.0, 140.0))
        # January 2025 opens a new window.
        self.assertEqual(result[10], (5.0, 100.0))
        self.assertEqual(result[11], (None, 100.0))
        average = scoring.measure_series(series, AVERAGE, window_of)
        self.assertEqual(average[2], (20.0, 70.0))
        last = scoring.measure_series(series, LAST, window_of)
        # The last value carries forward, against each month's own target.
        self.assertEqual(last[1], (10.0, 100.0))
        self.assertEqual(last[3], (30.0, 100.0))
        self.assertEqual(last[9], (30.0, 100.0))
        self.assertEqual(last[10], (5.0, 100.0))
        self.assertEqual(scoring.measure_series([], SUM), [])
        with self.assertRaises(MeasureError):
            scoring.measure_series(series, "median")

    def test_measure_series_matches_accumulate(self):
        """The series equals scoring each month on its own with accumulate()."""
        horizon = datetime.date(2024, 5, 1)
        months = periods.month_starts(horizon, datetime.date(2026, 4, 1))
        window_of = functools.partial(periods.window_start, horizon_start=horizon)
        series = [
            (
                month,
                None if index % 3 == 1 else float(index * 7 % 11),
                None if index % 5 == 4 else 10.0 + index,
            )
            for index, month in enumerate(months)
        ]
        for method in (SUM, AVERAGE, LAST):
            with self.subTest(method=method):
                expected = []
                for index, (month, value, target) in enumerate(series):
                    start = months.index(window_of(month))
                    window = series[start : index + 1]
                    reported = [(k, v) for k, v, _t in window if v is not None]
                    if method == LAST:
                        expected.append((scoring.accumulate(reported, LAST), target))
                    elif value is None:
                        expected.append((None, target))
                    else:
                        targets = [(k, t) for k, v, t in window if v is not None]
                        expected.append(
                            (
                                scoring.accumulate(reported, method),
                                scoring.accumulate(targets, method),
                            )
                        )
                self.assertEqual(
                    scoring.measure_series(series, method, window_of), expected
                )

    def test_trend(self):
        self.assertEqual(scoring.trend(7.0, 6.0), scoring.UP)
        self.assertEqual(scoring.trend(6.0, 7.0), scoring.DOWN)
        # Within the tolerance either way: flat.
        self.assertEqual(scoring.trend(7.004, 7.0), scoring.FLAT)
        self.assertEqual(scoring.trend(6.996, 7.0), scoring.FLAT)
        self.assertEqual(scoring.trend(7.01, 7.0), scoring.UP)
        self.assertEqual(scoring.trend(0.0, 0.0), scoring.FLAT)
        self.assertIsNone(scoring.trend(None, 7.0))
        self.assertIsNone(scoring.trend(7.0, None))
        self.assertEqual(scoring.trend(7.5, 7.0, tolerance=1.0), scoring.FLAT)
