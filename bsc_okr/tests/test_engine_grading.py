import doctest
import math

from odoo.tests import BaseCase, tagged

from .. import engine
from ..engine import grading
from ..engine.grading import (
    ASPIRATIONAL,
    ASPIRATIONAL_OVERSHOT,
    COMMITTED,
    COMMITTED_MISSED,
    DECREASE,
    GREEN,
    INCREASE,
    RED,
    YELLOW,
    GradingError,
)


@tagged("post_install", "-at_install")
class TestEngineGrading(BaseCase):
    """OKR grading: key result progress, grades, bands, callouts, sandbagging."""

    def assertGradingError(self, code, params, func, *args, **kwargs):
        with self.assertRaises(GradingError) as caught:
            func(*args, **kwargs)
        self.assertIsInstance(caught.exception, engine.EngineError)
        self.assertEqual(caught.exception.code, code)
        self.assertEqual(caught.exception.params, params)

    def test_doctests(self):
        result = doctest.testmod(grading)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    # ------------------------------------------------------------------
    def test_kr_progress_increase(self):
        self.assertEqual(grading.kr_progress(0, 40, 30), 0.75)
        self.assertEqual(grading.kr_progress(10, 20, 15), 0.5)
        self.assertEqual(grading.kr_progress(10, 20, 20), 1.0)
        # Beyond the target shows more than 100 %.
        self.assertEqual(grading.kr_progress(10, 20, 25), 1.5)
        # Worse than the start is 0, never negative.
        self.assertEqual(grading.kr_progress(10, 20, 5), 0.0)
        self.assertIsNone(grading.kr_progress(10, 20, None))

    def test_kr_progress_decrease(self):
        self.assertEqual(grading.kr_progress(50, 30, 45, DECREASE), 0.25)
        self.assertEqual(grading.kr_progress(50, 30, 30, DECREASE), 1.0)
        self.assertEqual(grading.kr_progress(50, 30, 20, DECREASE), 1.5)
        self.assertEqual(grading.kr_progress(50, 30, 60, DECREASE), 0.0)
        self.assertIsNone(grading.kr_progress(50, 30, None, DECREASE))

    def test_kr_progress_errors(self):
        self.assertGradingError(
            "target_equals_start",
            {"start": 5, "target": 5},
            grading.kr_progress,
            5,
            5,
            7,
        )
        self.assertGradingError(
            "target_equals_start",
            {"start": 5, "target": 5.0},
            grading.kr_progress,
            5,
            5.0,
            None,
        )
        self.assertGradingError(
            "direction_mismatch",
            {"direction": INCREASE, "start": 50, "target": 30},
            grading.kr_progress,
            50,
            30,
            40,
        )
        self.assertGradingError(
            "direction_mismatch",
            {"direction": DECREASE, "start": 30, "target": 50},
            grading.kr_progress,
            30,
            50,
            40,
            DECREASE,
        )
        self.assertGradingError(
            "bad_direction",
            {"direction": "up"},
            grading.kr_progress,
            0,
            1,
            1,
            "up",
        )

    def test_milestone_progress(self):
        self.assertEqual(grading.milestone_progress(True), 1.0)
        self.assertEqual(grading.milestone_progress(False), 0.0)

    def test_quantified_progress(self):
        """Initiative milestones: either direction, capped to 0.0-1.0."""
        self.assertEqual(grading.quantified_progress(0, 40, 30), 0.75)
        self.assertEqual(grading.quantified_progress(0, 40, 60), 1.0)
        self.assertEqual(grading.quantified_progress(0, 40, -5), 0.0)
        # A target below the start is a decrease.
        self.assertEqual(grading.quantified_progress(50, 30, 45), 0.25)
        self.assertEqual(grading.quantified_progress(50, 30, 10), 1.0)
        self.assertEqual(grading.quantified_progress(50, 30, 70), 0.0)
        # Target equal to the start: no progress, no error.
        self.assertEqual(grading.quantified_progress(5, 5, 9), 0.0)

    def test_weighted_mean(self):
        self.assertEqual(grading.weighted_mean([(1.0, 3), (0.0, 1)]), 0.75)
        self.assertEqual(grading.weighted_mean(iter([(8, 1), (2, 2)])), 4.0)
        # A zero weight counts for nothing while another weighs more...
        self.assertEqual(grading.weighted_mean([(1.0, 0), (0.5, 2)]), 0.5)
        # ...but when all weigh 0, all weigh the same.
        self.assertEqual(grading.weighted_mean([(1.0, 0), (0.0, 0)]), 0.5)
        self.assertIsNone(grading.weighted_mean([]))

    def test_kr_grade(self):
        self.assertEqual(grading.kr_grade(0.666), 0.67)
        self.assertEqual(grading.kr_grade(0.75), 0.75)
        self.assertEqual(grading.kr_grade(1.5), 1.0)  # grading caps at 1.0
        self.assertEqual(grading.kr_grade(-0.2), 0.0)
        self.assertEqual(grading.kr_grade(None), 0.0)

    # ------------------------------------------------------------------
    def test_objective_progress_caps_each_kr(self):
        # Without the cap, 2.0 and 0.0 would average to 1.0: "done".
        self.assertEqual(grading.objective_progress([(2.0, 1), (0.0, 1)]), 0.5)
        self.assertEqual(grading.objective_progress([(0.5, 3), (1.0, 1)]), 0.625)
        # No check-in counts as no progress.
        self.assertEqual(grading.objective_progress([(0.5, 3), (None, 1)]), 0.375)
        self.assertIsNone(grading.objective_progress([]))

    def test_objective_grade(self):
        self.assertEqual(grading.objective_grade([(0.7, 2), (1.0, 1)]), 0.8)
        # Progress values are graded first (capped, rounded).
        self.assertEqual(grading.objective_grade([(0.7, 2), (1.3, 1)]), 0.8)
        self.assertEqual(grading.objective_grade([(1 / 3, 1)]), 0.33)
        self.assertEqual(grading.objective_grade([(0.5, 1), (None, 1)]), 0.25)
        self.assertIsNone(grading.objective_grade([]))

    def test_objective_weights(self):
        for func in (grading.objective_progress, grading.objective_grade):
            for weight in (0, -1, None):
                with self.subTest(func=func.__name__, weight=weight):
                    self.assertGradingError(
                        "non_positive_weight",
                        {"index": 1, "weight": weight},
                        func,
                        [(0.5, 1), (0.5, weight)],
                    )

    # ------------------------------------------------------------------
    def test_grade_band(self):
        expected = {
            0.0: RED,
            0.3: RED,
            0.35: RED,
            0.39: RED,
            0.4: YELLOW,
            0.6: YELLOW,
            0.65: YELLOW,
            0.69: YELLOW,
            0.7: GREEN,
            1.0: GREEN,
        }
        for grade, band in expected.items():
            with self.subTest(grade=grade):
                self.assertEqual(grading.grade_band(grade), band)
        # Float noise on a boundary belongs to the upper band.
        self.assertEqual(grading.grade_band(math.nextafter(0.4, 0)), YELLOW)
        self.assertEqual(grading.grade_band(math.nextafter(0.7, 0)), GREEN)
        self.assertEqual(grading.grade_band(0.7 - 1e-6), YELLOW)
        self.assertIsNone(grading.grade_band(None))

    def test_grade_callout(self):
        self.assertEqual(grading.grade_callout(0.9, COMMITTED), COMMITTED_MISSED)
        self.assertEqual(grading.grade_callout(0.0, COMMITTED), COMMITTED_MISSED)
        self.assertIsNone(grading.grade_callout(1.0, COMMITTED))
        self.assertEqual(
            grading.grade_callout(1.0, ASPIRATIONAL), ASPIRATIONAL_OVERSHOT
        )
        self.assertIsNone(grading.grade_callout(0.99, ASPIRATIONAL))
        self.assertIsNone(grading.grade_callout(0.7, ASPIRATIONAL))
        self.assertIsNone(grading.grade_callout(None, COMMITTED))
        self.assertGradingError(
            "bad_okr_type",
            {"okr_type": "kpi"},
            grading.grade_callout,
            0.5,
            "kpi",
        )

    # ------------------------------------------------------------------
    def test_sandbagging_flags_streak(self):
        history = [("Q1", [0.6]), ("Q2", [1.0, 1.0]), ("Q3", [1.0])]
        result = grading.sandbagging(history)
        self.assertTrue(result)
        self.assertTrue(result.flagged)
        self.assertEqual(result.streak, 2)
        self.assertEqual(result.cycles, ("Q3", "Q2"))

    def test_sandbagging_not_flagged(self):
        # One objective below 1.0 in the latest cycle breaks the streak.
        result = grading.sandbagging([("Q1", [1.0]), ("Q2", [1.0, 0.7])])
        self.assertFalse(result)
        self.assertEqual(result.streak, 0)
        self.assertEqual(result.cycles, ())
        # A single cycle is not a streak of 2.
        result = grading.sandbagging([("Q1", [0.5]), ("Q2", [1.0])])
        self.assertFalse(result)
        self.assertEqual(result.streak, 1)
        # No history at all.
        self.assertFalse(grading.sandbagging([]))
        # Higher threshold.
        history = [("Q1", [1.0]), ("Q2", [1.0])]
        self.assertTrue(grading.sandbagging(history))
        self.assertFalse(grading.sandbagging(history, min_streak=3))
        self.assertTrue(grading.sandbagging(history, min_streak=1))

    def test_sandbagging_skips_cycles_without_grades(self):
        history = [
            ("Q1", [1.0]),
            ("Q2", []),  # no aspirational objective
            ("Q3", [1.0]),
            ("Q4", [None]),  # open cycle, not graded yet
        ]
        result = grading.sandbagging(history)
        self.assertTrue(result)
        self.assertEqual(result.streak, 2)
        self.assertEqual(result.cycles, ("Q3", "Q1"))
        # Ungraded objectives inside a graded cycle are ignored as well.
        result = grading.sandbagging([("Q1", [1.0, None]), ("Q2", [1.0])])
        self.assertEqual(result.streak, 2)

    def test_sandbagging_bad_streak(self):
        self.assertGradingError(
            "bad_streak", {"min_streak": 0}, grading.sandbagging, [], 0
        )

    def test_confidence_ok(self):
        for value in (0, 5, 10, 7.5, 0.0, None):
            with self.subTest(value=value):
                self.assertTrue(grading.confidence_ok(value))
        for value in (-1, 10.5, 11, True, "7"):
            with self.subTest(value=value):
                self.assertGradingError(
                    "confidence_range", {"value": value}, grading.confidence_ok, value
                )
        with self.assertRaises(GradingError) as caught:
            grading.confidence_ok(float("nan"))
        self.assertEqual(caught.exception.code, "confidence_range")
