"""Statistical support for the cause-effect links of a strategy map.

A strategy map is a hypothesis ("skills drive lean production, which drives
on-time delivery..."). This module tests one link against the history of its
two series, the cause and the effect, and the links of a whole map together:

1. *Enough data*: periods where one side is missing are dropped (never
   filled); fewer than ``min_periods`` aligned periods, or a constant series,
   give :data:`INSUFFICIENT` rather than NaN or an error.
2. *Changes, not levels*: the series are differenced once by default, so two
   series that both grow over time do not look linked.
3. *Delay*: the cross-correlation of the cause ``k`` periods earlier with the
   effect, for ``k`` in ``0..L`` (``L`` the link's expected delay, default
   :data:`DEFAULT_MAX_LAG`, at most a third of the observations). The lag
   with the largest ``|r|`` is kept.
4. *Prediction*: a Granger F-test at that lag (at least 1): does the cause's
   past improve an autoregression of the effect on its own past? Tested in
   both directions, from the sums of squared residuals of the restricted and
   unrestricted OLS fits (the ``ssr_ftest`` of statsmodels), p-values from
   scipy's F distribution.
5. *Many links at once*: Benjamini-Hochberg q-values over every tested link
   of a map (:func:`assess_links`).

This is statistical support, never proof: see ``docs/evidence.md``.
Plain Python with numpy and scipy, no Odoo import.

>>> import numpy as np
>>> rng = np.random.default_rng(7)
>>> x = rng.normal(size=36)
>>> y = np.r_[0, 0, 0.8 * x[:-2]] + rng.normal(scale=0.3, size=36)
>>> [result] = assess_links([LinkSeries(x.tolist(), y.tolist(), max_lag=3)])
>>> result.verdict, result.lag, result.n
('supported', 2, 36)
>>> assess_links([LinkSeries([1.0] * 20, list(range(20)))])[0].verdict
'insufficient'
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
REVERSE = "reverse"
NO_EVIDENCE = "no_evidence"
INSUFFICIENT = "insufficient"
VERDICTS = (SUPPORTED, CONTRADICTED, REVERSE, NO_EVIDENCE, INSUFFICIENT)

#: Aligned periods needed before a link is tested (a company may raise it).
DEFAULT_MIN_PERIODS = 12
#: Largest delay tested when the link names none.
DEFAULT_MAX_LAG = 3
#: q-value below which a test is significant.
ALPHA = 0.10
# Relative variance below which a series counts as constant (rounding noise).
_CONSTANT_TOLERANCE = 1e-12


@dataclass
class LinkSeries:
    """The input of one link: two period-aligned series.

    ``cause`` and ``effect`` hold one value per period, in period order,
    ``None`` (or NaN) where a period has no value; both are already
    oriented so that higher is better (see :func:`oriented`).
    ``max_lag`` is the link's expected delay (``None``: the default).
    """

    cause: list
    effect: list
    max_lag: int | None = None
    min_periods: int = DEFAULT_MIN_PERIODS
    difference: bool = True


@dataclass
class LinkEvidence:
    """The verdict of one link and the figures behind it.

    ``n`` counts the aligned periods with both values; ``lag`` and ``r``
    are the best lag and its correlation; ``p_value`` (cause predicts
    effect) and ``p_reverse`` (effect predicts cause) come from the Granger
    F-tests, ``q_value`` and ``q_reverse`` from the Benjamini-Hochberg
    correction over the map. ``correlations`` maps each lag tested to its r.
    Figures that could not be computed are ``None``, never NaN.
    """

    verdict: str
    n: int = 0
    lag: int | None = None
    r: float | None = None
    f_stat: float | None = None
    p_value: float | None = None
    q_value: float | None = None
    f_reverse: float | None = None
    p_reverse: float | None = None
    q_reverse: float | None = None
    correlations: dict = field(default_factory=dict)


def oriented(values, polarity="higher", range_min=None, range_max=None):
    """Values turned so that higher is better, ``None`` kept.

    >>> oriented([1, None, 3], "lower")
    [-1.0, None, -3.0]
    >>> oriented([4, 5, 8], "range", 4, 6)
    [-1.0, 0.0, -3.0]
    """
    result = []
    for value in values:
        if value is None:
            result.append(None)
        elif polarity == "lower":
            result.append(-float(value))
        elif polarity == "range":
            middle = ((range_min or 0.0) + (range_max or 0.0)) / 2
            result.append(0.0 - abs(float(value) - middle))
        else:
            result.append(float(value))
    return result


def _as_array(values):
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _is_constant(values):
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return True
    scale = max(1.0, float(np.max(np.abs(finite))))
    return float(np.var(finite)) <= _CONSTANT_TOLERANCE * scale * scale


def aligned(cause, effect, difference=True):
    """The two series on one grid, a period with a missing side dropped.

    Returns ``(cause, effect, n)``: float arrays with NaN where a pair is
    missing (kept in place, so that lags still count periods), differenced
    once when ``difference`` (a change needs both periods present), and
    ``n`` the number of periods where both values exist.

    >>> x, y, n = aligned([1, 2, None, 4], [1, 3, 5, None])
    >>> n, x.tolist(), y.tolist()
    (2, [nan, 1.0, nan, nan], [nan, 2.0, nan, nan])
    """
    x, y = _as_array(cause), _as_array(effect)
    if x.shape != y.shape:
        raise ValueError("cause and effect must cover the same periods")
    both = np.isfinite(x) & np.isfinite(y)
    x[~both] = np.nan
    y[~both] = np.nan
    n = int(both.sum())
    if difference:
        x = np.r_[np.nan, np.diff(x)]
        y = np.r_[np.nan, np.diff(y)]
    return x, y, n


def lagged(series, lag):
    """``series`` shifted ``lag`` periods later (NaN-padded): x[t - lag]."""
    if lag <= 0:
        return series.copy()
    return np.r_[np.full(lag, np.nan), series[:-lag]]


def cross_correlations(cause, effect, max_lag):
    """Pearson r of ``cause[t - k]`` with ``effect[t]`` for k in 0..max_lag.

    Lags whose pairs are too few or constant are left out.
    """
    result = {}
    for lag in range(max_lag + 1):
        x = lagged(cause, lag)
        mask = np.isfinite(x) & np.isfinite(effect)
        if mask.sum() < 3 or _is_constant(x[mask]) or _is_constant(effect[mask]):
            continue
        # numpy's Pearson r: scipy's pearsonr also computes a p-value we do
        # not use, and costs five times as much over a map of 600 links.
        r = float(np.corrcoef(x[mask], effect[mask])[0, 1])
        if math.isfinite(r):
            result[lag] = r
    return result


def _ssr(target, design):
    coef, _res, _rank, _sv = np.linalg.lstsq(design, target, rcond=None)
    residuals = target - design @ coef
    return float(residuals @ residuals)


def granger_test(effect, cause, lag):
    """Granger F-test: does ``cause``'s past help predict ``effect``?

    The restricted OLS regresses ``effect[t]`` on a constant and
    ``effect[t-1..t-lag]``, the unrestricted one adds
    ``cause[t-1..t-lag]``; rows with a missing value are dropped.
    ``F = ((SSR_r - SSR_u) / lag) / (SSR_u / (nobs - 2 lag - 1))``,
    the ``ssr_ftest`` of statsmodels' ``grangercausalitytests``.

    Returns ``(F, p, nobs)``, or ``None`` when there are too few rows or a
    degenerate fit.
    """
    effect = np.asarray(effect, dtype=float)
    cause = np.asarray(cause, dtype=float)
    own = [lagged(effect, k) for k in range(1, lag + 1)]
    other = [lagged(cause, k) for k in range(1, lag + 1)]
    columns = np.column_stack([effect, *own, *other])
    rows = np.all(np.isfinite(columns), axis=1)
    nobs = int(rows.sum())
    df_denom = nobs - 2 * lag - 1
    if df_denom < 1:
        return None
    data = columns[rows]
    target = data[:, 0]
    ones = np.ones((nobs, 1))
    restricted = np.hstack([ones, data[:, 1 : lag + 1]])
    unrestricted = np.hstack([ones, data[:, 1:]])
    ssr_r = _ssr(target, restricted)
    ssr_u = _ssr(target, unrestricted)
    scale = max(1.0, float(target @ target))
    if ssr_r <= _CONSTANT_TOLERANCE * scale:
        # The effect's own past explains it exactly: nothing left to explain.
        return None
    if ssr_u <= _CONSTANT_TOLERANCE * scale:
        return (math.inf, 0.0, nobs)
    f_stat = max(0.0, (ssr_r - ssr_u) / lag) / (ssr_u / df_denom)
    p_value = float(stats.f.sf(f_stat, lag, df_denom))
    return (float(f_stat), p_value, nobs)


def evaluate_link(link):
    """Figures of one link before the correction over the map.

    Returns a :class:`LinkEvidence` whose verdict is :data:`INSUFFICIENT`
    or provisional (``None``), to be settled by :func:`assess_links`.
    """
    x, y, n = aligned(link.cause, link.effect, link.difference)
    if n < max(link.min_periods, 4) or _is_constant(x) or _is_constant(y):
        return LinkEvidence(INSUFFICIENT, n=n)
    usable = int((np.isfinite(x) & np.isfinite(y)).sum())
    wanted = DEFAULT_MAX_LAG if link.max_lag is None else int(link.max_lag)
    max_lag = max(0, min(wanted, usable // 3))
    correlations = cross_correlations(x, y, max_lag)
    if not correlations:
        return LinkEvidence(INSUFFICIENT, n=n)
    best = max(correlations, key=lambda k: (abs(correlations[k]), -k))
    granger_lag = max(1, best)
    forward = granger_test(y, x, granger_lag)
    backward = granger_test(x, y, granger_lag)
    if forward is None or backward is None:
        return LinkEvidence(INSUFFICIENT, n=n, correlations=correlations)
    return LinkEvidence(
        None,
        n=n,
        lag=best,
        r=correlations[best],
        f_stat=forward[0],
        p_value=forward[1],
        f_reverse=backward[0],
        p_reverse=backward[1],
        correlations=correlations,
    )


def _q_values(p_values):
    if not p_values:
        return []
    return [float(q) for q in stats.false_discovery_control(p_values, method="bh")]


def assess_links(links, alpha=ALPHA):
    """Verdicts of every link of a map, q-values corrected over the map.

    :param links: list of :class:`LinkSeries`.
    :returns: list of :class:`LinkEvidence`, in the same order.

    Benjamini-Hochberg runs over the tested links (not those with
    insufficient data), once for the forward p-values and once for the
    reverse ones. The verdict, with both series oriented higher-is-better:

    - *supported*: the cause predicts the effect (q < alpha) and the best
      lag's r is positive;
    - *contradicted*: it predicts it (q < alpha) with a negative r;
    - *reverse*: only the effect predicts the cause;
    - *no evidence*: neither direction is significant.
    """
    results = [evaluate_link(link) for link in links]
    tested = [res for res in results if res.verdict is None]
    for res, q in zip(tested, _q_values([r.p_value for r in tested]), strict=True):
        res.q_value = q
    for res, q in zip(tested, _q_values([r.p_reverse for r in tested]), strict=True):
        res.q_reverse = q
    for res in tested:
        if res.q_value < alpha:
            res.verdict = SUPPORTED if res.r > 0 else CONTRADICTED
        elif res.q_reverse < alpha:
            res.verdict = REVERSE
        else:
            res.verdict = NO_EVIDENCE
    return results
