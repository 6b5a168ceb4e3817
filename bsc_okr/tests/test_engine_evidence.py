import doctest
import math

import numpy as np

from odoo.tests import BaseCase, tagged

from ..engine import evidence
from ..engine.evidence import (
    CONTRADICTED,
    INSUFFICIENT,
    NO_EVIDENCE,
    REVERSE,
    SUPPORTED,
    LinkSeries,
    assess_links,
    granger_test,
)

# Fixture series (30 periods). Y follows X two periods later; W is a
# random walk unrelated to both.
X = [8.41, 10.48, 6.21, 12.79, 11.28, 9.42, 9.38, 10.61, 9.46, 9.55, 11.44, 11.03]
X += [9.87, 9.83, 10.32, 8.77, 9.19, 11.1, 9.74, 7.25, 9.05, 11.31, 9.54, 9.7]
X += [11.28, 13.65, 8.57, 12.7, 7.54, 10.35]
Y = [4.66, 7.49, 4.16, 6.97, 3.21, 7.22, 7.27, 6.53, 5.83, 5.74, 4.85, 7.17]
Y += [7.46, 7.34, 8.11, 5.08, 8.75, 8.41, 7.13, 7.49, 5.18, 5.34, 4.99, 6.76]
Y += [5.43, 6.1, 8.06, 7.63, 4.16, 6.62]
W = [-0.97, -2.4, -3.31, -2.02, -2.61, -2.36, -3.57, -3.4, -5.14, -5.84, -3.59]
W += [-4.17, -3.05, -2.6, -2.75, -3.4, -2.11, -2.29, -0.76, -1.48, -1.43, -0.96]
W += [-0.59, -1.82, -2.48, -2.68, -3.53, -2.86, -2.27, -4.23]

# Reference figures: statsmodels 0.15.0,
# grangercausalitytests(np.column_stack([effect, cause]), maxlag=[lag])
# [lag][0]["ssr_ftest"] -> (F, p, df_denom, df_num). Produced once;
# statsmodels is not a dependency of bsc_okr.
STATSMODELS_SSR_FTEST = [
    # (cause, effect, differenced, lag, F, p, df_denom)
    ("X", "Y", False, 1, 1.4240562563046986, 0.24351270531652622, 26),
    ("X", "Y", False, 2, 6.861251795789671, 0.004604143716108022, 23),
    ("X", "Y", False, 3, 3.862742374985759, 0.024910724389866436, 20),
    ("Y", "X", False, 1, 1.1260423629223468, 0.2983792439533715, 26),
    ("Y", "X", False, 2, 0.9880572442163832, 0.387555615982992, 23),
    ("Y", "X", False, 3, 4.183213370746754, 0.018827949625784594, 20),
    ("W", "Y", False, 1, 0.005653291275229065, 0.9406403791146601, 26),
    ("W", "Y", False, 2, 0.37122103880563617, 0.693949970741355, 23),
    ("W", "Y", False, 3, 0.6079173975889679, 0.6176014861851877, 20),
    ("W", "Y", True, 1, 0.25557028168644075, 0.617608264754803, 25),
    ("W", "Y", True, 2, 0.1298540329724322, 0.8788917375784369, 22),
    ("W", "Y", True, 3, 0.17063003389402703, 0.9148983853000155, 19),
]
SERIES = {"X": X, "Y": Y, "W": W}


def lagged_pair(seed, periods=36, lag=2, beta=0.8):
    """y[t] = beta * x[t - lag] + noise over ``periods`` periods."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=periods + lag)
    y = beta * x[:-lag] + rng.normal(size=periods)
    return x[lag:].tolist(), y.tolist()


def random_walks(seed, periods=36):
    rng = np.random.default_rng(10_000 + seed)
    return (
        np.cumsum(rng.normal(size=periods)).tolist(),
        np.cumsum(rng.normal(size=periods)).tolist(),
    )


@tagged("post_install", "-at_install")
class TestEngineEvidence(BaseCase):
    """Statistical support of a link: figures, verdicts, bad input."""

    def test_doctests(self):
        result = doctest.testmod(evidence)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_granger_matches_statsmodels(self):
        for row in STATSMODELS_SSR_FTEST:
            cause, effect, differenced, lag, f_ref, p_ref, df_ref = row
            with self.subTest(cause=cause, effect=effect, lag=lag, diff=differenced):
                x, y = np.array(SERIES[cause]), np.array(SERIES[effect])
                if differenced:
                    x, y = np.diff(x), np.diff(y)
                f_stat, p_value, nobs = granger_test(y, x, lag)
                self.assertAlmostEqual(f_stat, f_ref, delta=1e-6)
                self.assertAlmostEqual(p_value, p_ref, delta=1e-6)
                self.assertEqual(nobs - 2 * lag - 1, df_ref)

    def test_granger_drops_rows_with_gaps(self):
        y = list(Y)
        y[10] = None
        full = granger_test(np.array(Y, dtype=float), np.array(X), 2)
        gapped = granger_test(
            np.array([np.nan if v is None else v for v in y]), np.array(X), 2
        )
        # The missing value removes its own row and the two rows lagging it.
        self.assertEqual(gapped[2], full[2] - 3)
        self.assertNotAlmostEqual(gapped[0], full[0])

    def test_fixture_verdicts(self):
        supported, unrelated = assess_links(
            [
                LinkSeries(X, Y, max_lag=3, difference=False),
                LinkSeries(W, Y, max_lag=3),
            ]
        )
        self.assertEqual(supported.verdict, SUPPORTED)
        self.assertEqual(supported.lag, 2)
        self.assertEqual(supported.n, 30)
        self.assertGreater(supported.r, 0.4)
        self.assertEqual(set(supported.correlations), {0, 1, 2, 3})
        self.assertEqual(unrelated.verdict, NO_EVIDENCE)
        # Benjamini-Hochberg over the two links: q >= p, q of the largest p == p.
        self.assertGreaterEqual(supported.q_value, supported.p_value)
        self.assertAlmostEqual(unrelated.q_value, unrelated.p_value)
        self.assertAlmostEqual(supported.q_value, min(1.0, supported.p_value * 2))

    def test_polarity_decides_supported_or_contradicted(self):
        x, y = lagged_pair(3)
        [forward] = assess_links([LinkSeries(x, y)])
        [inverted] = assess_links([LinkSeries(evidence.oriented(x, "lower"), y)])
        self.assertEqual(forward.verdict, SUPPORTED)
        self.assertEqual(inverted.verdict, CONTRADICTED)
        self.assertAlmostEqual(inverted.r, -forward.r)

    def test_reverse(self):
        x, y = lagged_pair(5, lag=1)
        # The "effect" x leads the "cause" y by one period.
        [result] = assess_links([LinkSeries(y, x)])
        self.assertEqual(result.verdict, REVERSE)
        self.assertLess(result.q_reverse, 0.10)
        self.assertGreaterEqual(result.q_value, 0.10)

    def test_lagged_effect_found_at_lag_two(self):
        """y[t] = 0.8 x[t-2] + noise, 36 periods: supported at lag 2 in >= 80%."""
        hits = 0
        for seed in range(200):
            x, y = lagged_pair(seed)
            [result] = assess_links([LinkSeries(x, y, max_lag=3)])
            hits += result.verdict == SUPPORTED and result.lag == 2
        self.assertGreaterEqual(hits, 160, f"{hits}/200 found at lag 2")

    def test_random_walks_rarely_supported(self):
        """Independent random walks are called supported in <= 12% of seeds."""
        supported = 0
        for seed in range(200):
            x, y = random_walks(seed)
            [result] = assess_links([LinkSeries(x, y)])
            supported += result.verdict == SUPPORTED
        self.assertLessEqual(supported, 24, f"{supported}/200 supported")

    def test_levels_would_mislead(self):
        """Two trends look linked in levels, not in changes."""
        rng = np.random.default_rng(11)
        trend = np.arange(36, dtype=float)
        x = (trend + rng.normal(size=36)).tolist()
        y = (2 * trend + rng.normal(size=36)).tolist()
        [levels] = assess_links([LinkSeries(x, y, difference=False)])
        [changes] = assess_links([LinkSeries(x, y)])
        self.assertGreater(levels.correlations[0], 0.9)
        self.assertLess(abs(changes.correlations[0]), 0.5)

    def test_insufficient_data(self):
        x, y = lagged_pair(1)
        cases = {
            "no values": ([None] * 36, [None] * 36),
            "zeros": ([0.0] * 36, y),
            "constant effect": (x, [5.0] * 36),
            "too few": (x[:11], y[:11]),
            "gaps leave too few": (
                [v if i % 3 else None for i, v in enumerate(x)],
                [v if i % 2 else None for i, v in enumerate(y)],
            ),
            "nan": ([math.nan] * 36, y),
        }
        for name, (cause, effect) in cases.items():
            with self.subTest(name):
                [result] = assess_links([LinkSeries(cause, effect)])
                self.assertEqual(result.verdict, INSUFFICIENT)
                self.assertIsNone(result.q_value)
                self.assertIsNone(result.r)

    def test_minimum_periods(self):
        x, y = lagged_pair(2, periods=20)
        [default] = assess_links([LinkSeries(x, y)])
        [strict] = assess_links([LinkSeries(x, y, min_periods=24)])
        self.assertNotEqual(default.verdict, INSUFFICIENT)
        self.assertEqual(default.n, 20)
        self.assertEqual(strict.verdict, INSUFFICIENT)

    def test_gaps_are_dropped_not_filled(self):
        x, y = lagged_pair(4)
        x[7] = None
        y[20] = None
        [result] = assess_links([LinkSeries(x, y)])
        self.assertEqual(result.n, 34)
        self.assertEqual(result.verdict, SUPPORTED)
        for value in (result.r, result.p_value, result.q_value):
            self.assertTrue(math.isfinite(value))

    def test_lag_bounds(self):
        x, y = lagged_pair(6, periods=15)
        # An expected delay longer than a third of the observations is capped.
        [long] = assess_links([LinkSeries(x, y, max_lag=40)])
        self.assertLessEqual(max(long.correlations), 14 // 3)
        [zero] = assess_links([LinkSeries(x, y, max_lag=0)])
        self.assertEqual(set(zero.correlations), {0})
        self.assertEqual(zero.lag, 0)
        # Granger needs at least one lag: tested at 1.
        self.assertIsNotNone(zero.p_value)

    def test_inputs_of_different_length(self):
        with self.assertRaises(ValueError):
            evidence.aligned([1, 2, 3], [1, 2])

    def test_no_link(self):
        self.assertEqual(assess_links([]), [])
