"""Balanced Scorecard scoring: achievement, bands, scores, roll-ups.

The chain for one measure in one period is::

    actual, target, baseline --achievement()--> ratio (1.0 == 100 %)
    ratio --score()--> 0..10          ratio --status_for(bands)--> colour

and scores roll up measure -> objective -> perspective -> scorecard with
:func:`rollup`, whose status comes from the rolled-up score
(:func:`status_from_score`).

Rounding: achievements are never rounded (statuses are decided on the exact
ratio, with :data:`EPSILON` tolerance at band boundaries); scores, including
rolled-up scores, are rounded to :data:`SCORE_DIGITS` decimals at each level,
so that a reader can redo a roll-up by hand from the scores on screen.

>>> score_measure(90, 100)
MeasureScore(achievement=0.9, score=9.0, status='amber')
"""

import itertools
import math
from typing import NamedTuple

from . import EPSILON, EngineError

# Polarity of a measure: which direction is good.
HIGHER = "higher"
LOWER = "lower"
RANGE = "range"
POLARITIES = (HIGHER, LOWER, RANGE)

# Status of a measure, objective, perspective or scorecard.
GREEN = "green"
AMBER = "amber"
RED = "red"
NO_DATA = "no_data"
STATUSES = (RED, AMBER, GREEN)

# How values (and targets) accumulate over the periods of a window.
SUM = "sum"
AVERAGE = "average"
LAST = "last"
METHODS = (SUM, AVERAGE, LAST)

# Trend of a score from one period to the next.
UP = "up"
FLAT = "flat"
DOWN = "down"
#: A score above (below) the previous one by more than this is up (down).
TREND_TOLERANCE = 0.005

#: Scores are 0..SCORE_MAX.
SCORE_MAX = 10.0
#: Decimals kept on scores.
SCORE_DIGITS = 2


class MeasureError(EngineError):
    """Invalid measure definition: polarity, range bounds, accumulation.

    Codes: ``bad_polarity`` (polarity), ``range_missing_bound`` and
    ``range_inverted`` (range_min, range_max), ``bad_method`` (method).
    """


class BandError(EngineError):
    """Invalid threshold bands.

    Codes: ``no_bands``; ``bad_status`` (status); ``empty_band`` (lower,
    upper); ``first_band_start`` (lower): the first band starts above 0;
    ``last_band_closed`` (upper): the last band has an upper bound;
    ``gap`` and ``overlap`` (lower, upper): the uncovered or doubly covered
    interval between two neighbouring bands (``None`` meaning infinite).
    """


class WeightError(EngineError):
    """Invalid weight in a roll-up.

    Codes: ``negative_weight`` and ``missing_weight`` (index, weight).
    """


# --------------------------------------------------------------------------
# Achievement
# --------------------------------------------------------------------------
def achievement(
    actual, target, baseline=0.0, polarity=HIGHER, range_min=None, range_max=None
):
    """Achievement ratio of a measure (1.0 == 100 %), or None without data.

    ``None`` when ``actual`` is None, or when ``target`` is None for the
    ``higher``/``lower`` polarities. A ``baseline`` of None counts as 0.
    The polarity and range bounds are checked even without data, so that a
    bad definition shows up before the first value is entered.

    - ``higher``: ``(actual - baseline) / (target - baseline)``;
    - ``lower``: ``(baseline - actual) / (baseline - target)``.

    The result is not clamped: above 1.0 beats the target, below 0.0 is worse
    than the baseline (:func:`score` clamps).

    >>> achievement(80, 100)
    0.8
    >>> achievement(90, 80, baseline=100, polarity=LOWER)
    0.5
    >>> achievement(40, 100, baseline=50)  # worse than the baseline
    -0.2

    When the target equals the baseline (e.g. both 0), there is no scale:
    the measure scores 1.0 if it meets the target in the good direction
    (``>=`` for higher, ``<=`` for lower, within EPSILON), else 0.0.

    >>> achievement(3, 0), achievement(0, 0), achievement(-1, 0)
    (1.0, 1.0, 0.0)
    >>> achievement(2, 5, baseline=5, polarity=LOWER)
    1.0

    When the target lies on the *bad* side of the baseline (a planned
    decline: higher is better, baseline 100, target 80), the formula is read
    as ``1 + excess / |target - baseline|`` where ``excess`` is how far the
    actual beats the target in the good direction. That is the same formula
    for ordinary targets and stays monotonic for planned declines: meeting
    the target gives 1.0, holding the baseline gives 2.0.

    >>> achievement(80, 80, baseline=100), achievement(90, 80, baseline=100)
    (1.0, 1.5)

    ``range``: the target is ignored and the measure is good inside
    ``[range_min, range_max]`` (inclusive, within EPSILON): 1.0. Outside it
    falls linearly with the distance ``d`` to the nearest bound:
    ``max(0, 1 - d / width)`` where ``width = range_max - range_min``, or
    ``max(|nearest bound|, 1.0)`` when the range is a single point. Both
    bounds are required.

    >>> achievement(5, None, polarity=RANGE, range_min=4, range_max=6)
    1.0
    >>> achievement(7, None, polarity=RANGE, range_min=4, range_max=6)
    0.5
    >>> achievement(0, None, polarity=RANGE, range_min=4, range_max=6)
    0.0
    """
    if polarity == RANGE:
        check_range(range_min, range_max)
        if actual is None:
            return None
        return _range_achievement(actual, range_min, range_max)
    if polarity not in (HIGHER, LOWER):
        raise MeasureError("bad_polarity", polarity=polarity)
    if actual is None or target is None:
        return None
    baseline = baseline or 0.0
    if polarity == HIGHER:
        gain, span = actual - baseline, target - baseline
    else:
        gain, span = baseline - actual, baseline - target
    if span > EPSILON:
        return gain / span
    # How far the actual beats the target in the good direction.
    excess = gain - span
    if span >= -EPSILON:
        return 1.0 if excess >= -EPSILON else 0.0
    return 1.0 + excess / -span


def check_range(range_min, range_max):
    """Check the good range of a ``range`` measure: both bounds, in order.

    Raises :class:`MeasureError` ``range_missing_bound`` or
    ``range_inverted``; returns None when the range is valid (a single
    point included).

    >>> check_range(4, 6), check_range(5, 5)
    (None, None)
    >>> try:
    ...     check_range(6, 4)
    ... except MeasureError as error:
    ...     print(error.code)
    range_inverted
    """
    if range_min is None or range_max is None:
        raise MeasureError(
            "range_missing_bound", range_min=range_min, range_max=range_max
        )
    if range_min > range_max:
        raise MeasureError("range_inverted", range_min=range_min, range_max=range_max)


def _range_achievement(actual, range_min, range_max):
    if actual < range_min - EPSILON:
        bound = range_min
    elif actual > range_max + EPSILON:
        bound = range_max
    else:
        return 1.0
    width = range_max - range_min
    if width <= EPSILON:
        width = max(abs(bound), 1.0)
    return max(0.0, 1.0 - abs(actual - bound) / width)


# --------------------------------------------------------------------------
# Bands and status
# --------------------------------------------------------------------------
class Band(NamedTuple):
    """A threshold band ``[lower, upper)`` over achievement ratios.

    ``lower=None`` means minus infinity, ``upper=None`` plus infinity.
    """

    status: str
    lower: float | None
    upper: float | None


#: red < 0.8 <= amber < 1.0 <= green.
DEFAULT_BANDS = (
    Band(RED, 0.0, 0.8),
    Band(AMBER, 0.8, 1.0),
    Band(GREEN, 1.0, None),
)


def _lower_key(band):
    return -math.inf if band.lower is None else band.lower


def validate_bands(bands):
    """Check threshold bands and return them sorted by lower bound.

    Rules (each broken rule raises :class:`BandError` with its code):

    - at least one band (``no_bands``);
    - status is red, amber or green (``bad_status``);
    - ``lower < upper`` in each band (``empty_band``);
    - the first band starts at or below 0, or at None = minus infinity
      (``first_band_start``), so every achievement from 0 up is covered
      (values below the first lower bound still fall in the first band, see
      :func:`status_for`);
    - the last band is open-ended, upper None (``last_band_closed``);
    - each upper bound equals the next lower bound within EPSILON (``gap``
      or ``overlap``, with the offending interval as lower/upper).

    Bands may be given as :class:`Band` or plain ``(status, lower, upper)``
    tuples; a list of :class:`Band` is returned.

    >>> [band.status for band in validate_bands([(GREEN, 1, None), (RED, None, 1)])]
    ['red', 'green']
    >>> try:
    ...     validate_bands([(RED, 0, 0.7), (GREEN, 0.8, None)])
    ... except BandError as error:
    ...     print(error.code, error.params)
    gap {'lower': 0.7, 'upper': 0.8}
    """
    result = sorted((Band(*band) for band in bands), key=_lower_key)
    if not result:
        raise BandError("no_bands")
    for band in result:
        if band.status not in STATUSES:
            raise BandError("bad_status", status=band.status)
        if (
            band.lower is not None
            and band.upper is not None
            and band.upper - band.lower <= EPSILON
        ):
            raise BandError("empty_band", lower=band.lower, upper=band.upper)
    first_lower = result[0].lower
    if first_lower is not None and first_lower > EPSILON:
        raise BandError("first_band_start", lower=first_lower)
    for band, following in itertools.pairwise(result):
        if band.upper is None:
            raise BandError("overlap", lower=following.lower, upper=None)
        next_lower = _lower_key(following)
        if band.upper < next_lower - EPSILON:
            raise BandError("gap", lower=band.upper, upper=next_lower)
        if band.upper > next_lower + EPSILON:
            raise BandError("overlap", lower=following.lower, upper=band.upper)
    if result[-1].upper is not None:
        raise BandError("last_band_closed", upper=result[-1].upper)
    return result


def status_for(ratio, bands=DEFAULT_BANDS):
    """Status of an achievement ratio through validated, sorted bands.

    ``NO_DATA`` when ``ratio`` is None. A band contains its lower bound
    (minus EPSILON, so that 0.7999999999999999 from float arithmetic counts
    as 0.8); a ratio below the first band falls in the first band.

    >>> [status_for(r) for r in (None, -3, 0.79, 0.8, 0.99, 1.0, 2.5)]
    ['no_data', 'red', 'red', 'amber', 'amber', 'green', 'green']
    """
    if ratio is None:
        return NO_DATA
    for band in reversed(bands):
        if band.lower is None or ratio >= band.lower - EPSILON:
            return band.status
    return bands[0].status


def score(ratio):
    """Score 0..10 of an achievement ratio: ``10 * clamp(ratio, 0, 1)``.

    Rounded to :data:`SCORE_DIGITS` decimals; None stays None.

    >>> score(0.876), score(1.7), score(-0.2), score(None)
    (8.76, 10.0, 0.0, None)
    """
    if ratio is None:
        return None
    return round(SCORE_MAX * min(max(ratio, 0.0), 1.0), SCORE_DIGITS)


def reported_score(value, status):
    """The score a reader is shown for a stored ``value`` and ``status``.

    No data, no score: a ``NO_DATA`` row's stored value (0.0 in a Float
    column) is not a score, so it is None, as is a missing value.

    >>> reported_score(0.0, NO_DATA), reported_score(None, GREEN)
    (None, None)
    >>> reported_score(7.5, AMBER), reported_score(0.0, RED)
    (7.5, 0.0)
    """
    if status == NO_DATA:
        return None
    return value


def cost_ratio(actual_cost, budget):
    """Share of a budget spent (1.0 = all of it, above 1.0 over budget),
    or None without a budget (nothing to compare the cost with).

    >>> cost_ratio(30.0, 120.0), cost_ratio(150.0, 100.0)
    (0.25, 1.5)
    >>> cost_ratio(30.0, 0.0) is None, cost_ratio(0.0, None) is None
    (True, True)
    """
    if not budget:
        return None
    return (actual_cost or 0.0) / budget


def status_from_score(value, bands=DEFAULT_BANDS):
    """Status of a 0..10 score, read through the achievement bands.

    The score is divided by 10, so with the default bands 9 is amber and
    10 green. ``NO_DATA`` when the score is None.

    >>> status_from_score(9), status_from_score(10), status_from_score(None)
    ('amber', 'green', 'no_data')
    """
    if value is None:
        return NO_DATA
    return status_for(value / SCORE_MAX, bands)


class MeasureScore(NamedTuple):
    """Achievement ratio, 0..10 score and status of one measure in a period."""

    achievement: float | None
    score: float | None
    status: str


def score_measure(
    actual,
    target,
    baseline=0.0,
    polarity=HIGHER,
    bands=DEFAULT_BANDS,
    range_min=None,
    range_max=None,
):
    """Score one measure for one period: a :class:`MeasureScore`.

    ``bands`` must already be validated (:func:`validate_bands`): this sits in
    the hot path and does not re-check them. The status is decided on the
    unrounded achievement.

    >>> score_measure(None, 100)
    MeasureScore(achievement=None, score=None, status='no_data')
    >>> score_measure(5, None, polarity=RANGE, range_min=4, range_max=6)
    MeasureScore(achievement=1.0, score=10.0, status='green')
    """
    ratio = achievement(actual, target, baseline, polarity, range_min, range_max)
    return MeasureScore(ratio, score(ratio), status_for(ratio, bands))


# --------------------------------------------------------------------------
# Weighted roll-up
# --------------------------------------------------------------------------
class RollupResult(NamedTuple):
    """Result of :func:`rollup`.

    ``score`` 0..10 or None; ``status``; ``coverage`` 0..1, the share of the
    weight that had data; ``missing``, the number of items without data.
    """

    score: float | None
    status: str
    coverage: float
    missing: int


def rollup(items, bands=DEFAULT_BANDS):
    """Weighted roll-up of ``(score or None, weight)`` pairs.

    Missing data is never counted as zero: the score is the weighted mean
    of the items *with* data, weights re-normalised over them; ``coverage``
    says how much of the total weight that was, and ``missing`` how many
    items had no data.

    - Weights must be >= 0 (``negative_weight``) and not None
      (``missing_weight``).
    - An item of weight 0 does not count in the score or the coverage, but
      still counts in ``missing`` when it has no data.
    - If *all* weights are 0, every item weighs the same (coverage is then the
      share of items with data).
    - If the only items with data weigh 0 while others weigh more, there is
      no score (NO_DATA): zero-weight items are informative only.
    - No item with data: score None, status NO_DATA, coverage 0.0.

    The score is rounded to :data:`SCORE_DIGITS` decimals; the status comes
    from it through :func:`status_from_score`.

    >>> rollup([(8.0, 2), (None, 1), (5.0, 1)])
    RollupResult(score=7.0, status='red', coverage=0.75, missing=1)
    >>> rollup([(None, 1)])
    RollupResult(score=None, status='no_data', coverage=0.0, missing=1)
    >>> rollup([(10.0, 0), (4.0, 0)])
    RollupResult(score=7.0, status='red', coverage=1.0, missing=0)
    """
    total_weight = data_weight = weighted_sum = plain_sum = 0.0
    count = data_count = missing = 0
    for index, (value, weight) in enumerate(items):
        if weight is None:
            raise WeightError("missing_weight", index=index, weight=weight)
        if weight < 0:
            raise WeightError("negative_weight", index=index, weight=weight)
        count += 1
        total_weight += weight
        if value is None:
            missing += 1
            continue
        data_count += 1
        plain_sum += value
        if weight > EPSILON:
            data_weight += weight
            weighted_sum += value * weight
    if total_weight <= EPSILON:
        # All weights zero: equal weights.
        if not data_count:
            return RollupResult(None, NO_DATA, 0.0, missing)
        mean = plain_sum / data_count
        coverage = data_count / count
    elif data_weight <= EPSILON:
        return RollupResult(None, NO_DATA, 0.0, missing)
    else:
        mean = weighted_sum / data_weight
        coverage = data_weight / total_weight
    value = round(mean, SCORE_DIGITS)
    return RollupResult(value, status_from_score(value, bands), coverage, missing)


# --------------------------------------------------------------------------
# Accumulation over periods
# --------------------------------------------------------------------------
def accumulate(values, method):
    """Accumulate ``(period_key, value or None)`` pairs of one window.

    ``values`` are in period order, from the window start (e.g. January, for
    year to date) up to and including the scoring period. None values are
    skipped, never counted as 0:

    - ``sum``: sum of the values (:func:`math.fsum`);
    - ``average``: their mean;
    - ``last``: the last value, carried forward over later empty periods.

    None when no period has a value. Targets accumulate with the same method
    as their actuals.

    >>> months = [("01", 10.0), ("02", None), ("03", 20.0), ("04", None)]
    >>> accumulate(months, SUM), accumulate(months, AVERAGE)
    (30.0, 15.0)
    >>> accumulate(months, LAST), accumulate([("01", None)], SUM)
    (20.0, None)
    """
    present = [value for _key, value in values if value is not None]
    if method not in METHODS:
        raise MeasureError("bad_method", method=method)
    if not present:
        return None
    if method == SUM:
        return math.fsum(present)
    if method == AVERAGE:
        return math.fsum(present) / len(present)
    return present[-1]


def accumulate_series(series, method, window_of=None):
    """Accumulated value at every period of a series, in one pass.

    ``series`` is a list of ``(period_key, value or None)`` in period order;
    the result is a list of the same length whose item ``i`` equals
    ``accumulate()`` over the periods of the window of ``series[i]`` up to
    ``i``. ``window_of(period_key)`` gives the window of a period (e.g.
    ``functools.partial(periods.window_start, horizon_start=...)``): the
    accumulation restarts whenever it changes. Without it the whole series
    is one window. Each step re-sums its window exactly (``math.fsum``), so
    the cost is periods x window length: trivial for year-to-date windows.

    >>> series = [(1, 1.0), (2, None), (3, 2.0), (13, 5.0), (14, None)]
    >>> accumulate_series(series, SUM, window_of=lambda m: (m - 1) // 12)
    [1.0, 1.0, 3.0, 5.0, 5.0]
    >>> accumulate_series(series, AVERAGE)
    [1.0, 1.0, 1.5, 2.6666666666666665, 2.6666666666666665]
    """
    if method not in METHODS:
        raise MeasureError("bad_method", method=method)
    result = []
    present = []
    window = None
    for index, (key, value) in enumerate(series):
        if window_of is not None:
            key_window = window_of(key)
            if index and key_window != window:
                present = []
            window = key_window
        if value is not None:
            present.append(value)
        if not present:
            result.append(None)
        elif method == SUM:
            result.append(math.fsum(present))
        elif method == AVERAGE:
            result.append(math.fsum(present) / len(present))
        else:
            result.append(present[-1])
    return result


def measure_series(series, method, window_of=None):
    """The ``(actual, target)`` to score at every period of a measure.

    ``series`` lists ``(period_key, value or None, target or None)`` for the
    periods where the measure is due, in period order; ``window_of`` is as in
    :func:`accumulate_series`. Values accumulate with
    :func:`accumulate_series`; targets accumulate the same way, but only over
    the periods that have a value, so that a month not yet reported does not
    raise the bar.

    - ``sum`` and ``average``: a period without a value has no actual (it is
      missing, never a zero) and keeps its own target;
    - ``last``: the last value is carried forward over empty periods, and is
      compared with the period's own target.

    >>> series = [(1, 10.0, 100.0), (2, None, 100.0), (3, 20.0, 50.0)]
    >>> measure_series(series, SUM)
    [(10.0, 100.0), (None, 100.0), (30.0, 150.0)]
    >>> measure_series(series, LAST)
    [(10.0, 100.0), (10.0, 100.0), (20.0, 50.0)]
    >>> measure_series(series, AVERAGE, window_of=lambda month: month // 3)
    [(10.0, 100.0), (None, 100.0), (20.0, 50.0)]
    """
    actuals = accumulate_series(
        [(key, value) for key, value, _target in series], method, window_of
    )
    if method == LAST:
        return [
            (actual, target)
            for (_k, _v, target), actual in zip(series, actuals, strict=True)
        ]
    targets = accumulate_series(
        [(key, None if value is None else target) for key, value, target in series],
        method,
        window_of,
    )
    return [
        (None, target) if value is None else (actual, accumulated)
        for (_key, value, target), actual, accumulated in zip(
            series, actuals, targets, strict=True
        )
    ]


def trend(score, previous, tolerance=TREND_TOLERANCE):
    """Trend of a score against the previous period's: up, flat or down.

    Within ``tolerance`` either way it is flat (rounding noise is no trend);
    None when either score is None.

    >>> trend(7.0, 6.0), trend(7.0, 7.004), trend(5.0, 7.0), trend(5.0, None)
    ('up', 'flat', 'down', None)
    """
    if score is None or previous is None:
        return None
    if score > previous + tolerance:
        return UP
    if score < previous - tolerance:
        return DOWN
    return FLAT
