"""OKR grading: key result progress and grades, objective grades, callouts;
progress of quantified results (initiative milestones) and weighted means.

Google's convention: each key result is graded 0.0-1.0; committed OKRs are
expected to reach 1.0, aspirational ones land around 0.6-0.7 when well set;
0.0-0.3 is red, 0.4-0.6 yellow, 0.7-1.0 green. Grades are information for
the conversation, never an appraisal: nothing here feeds a KPI.

Rounding: progress is never rounded (it is what the bars show); grades are
rounded to :data:`GRADE_DIGITS` decimals, per key result and per objective.

>>> progress = kr_progress(start=0, target=40, current=30)
>>> progress, kr_grade(progress), grade_band(kr_grade(progress))
(0.75, 0.75, 'green')
"""

import dataclasses
import math

from . import EPSILON, EngineError

INCREASE = "increase"
DECREASE = "decrease"
DIRECTIONS = (INCREASE, DECREASE)

COMMITTED = "committed"
ASPIRATIONAL = "aspirational"
OKR_TYPES = (COMMITTED, ASPIRATIONAL)

RED = "red"
YELLOW = "yellow"
GREEN = "green"

#: red < YELLOW_FROM <= yellow < GREEN_FROM <= green.
YELLOW_FROM = 0.4
GREEN_FROM = 0.7

COMMITTED_MISSED = "committed_missed"
ASPIRATIONAL_OVERSHOT = "aspirational_overshot"

#: Decimals kept on grades.
GRADE_DIGITS = 2
#: Confidence is scored 0..CONFIDENCE_MAX.
CONFIDENCE_MAX = 10


class GradingError(EngineError):
    """Invalid OKR data.

    Codes: ``target_equals_start`` (start, target); ``bad_direction``
    (direction); ``direction_mismatch`` (direction, start, target): e.g. an
    ``increase`` key result whose target is below its start;
    ``non_positive_weight`` (index, weight); ``bad_okr_type`` (okr_type);
    ``bad_streak`` (min_streak); ``confidence_range`` (value).
    """


def kr_progress(start, target, current, direction=INCREASE):
    """Progress of a numeric key result, 1.0 when the target is reached.

    ``increase``: ``(current - start) / (target - start)``; ``decrease``:
    ``(start - current) / (start - target)`` (the same number). The target
    must lie on the side of the start that ``direction`` announces
    (``direction_mismatch``) and differ from it (``target_equals_start``),
    else the ratio would be meaningless.

    Progress may exceed 1.0 (beyond the target shows more than 100 %) but is
    never negative: a current value worse than the start gives 0.0. None when
    ``current`` is None (no check-in yet).

    >>> kr_progress(10, 20, 25), kr_progress(10, 20, 5), kr_progress(10, 20, None)
    (1.5, 0.0, None)
    >>> kr_progress(50, 30, 45, direction=DECREASE)
    0.25
    """
    if direction not in DIRECTIONS:
        raise GradingError("bad_direction", direction=direction)
    if abs(target - start) <= EPSILON:
        raise GradingError("target_equals_start", start=start, target=target)
    if (target > start) != (direction == INCREASE):
        raise GradingError(
            "direction_mismatch", direction=direction, start=start, target=target
        )
    if current is None:
        return None
    if direction == INCREASE:
        progress = (current - start) / (target - start)
    else:
        progress = (start - current) / (start - target)
    return max(progress, 0.0)


def milestone_progress(done):
    """Progress of a milestone key result: 1.0 when done, else 0.0.

    >>> milestone_progress(True), milestone_progress(False)
    (1.0, 0.0)
    """
    return 1.0 if done else 0.0


def quantified_progress(start, target, current):
    """Progress 0.0-1.0 of a quantified result, e.g. an initiative milestone.

    The direction follows from the numbers (a target below the start is a
    decrease), the result is capped to 0.0-1.0, and a target equal to the
    start (refused on save) gives 0.0 rather than an error, so that a
    compute never fails on it.

    >>> quantified_progress(0, 40, 30), quantified_progress(50, 30, 45)
    (0.75, 0.25)
    >>> quantified_progress(0, 10, 25), quantified_progress(5, 5, 5)
    (1.0, 0.0)
    """
    if abs(target - start) < EPSILON:
        return 0.0
    direction = DECREASE if target < start else INCREASE
    progress = kr_progress(start, target, current, direction)
    return min(max(progress or 0.0, 0.0), 1.0)


def weighted_mean(items):
    """Weighted mean of ``(value, weight)`` pairs; None when there are none.

    When every weight is 0, every item weighs the same. Weights are the
    caller's to validate (constraints refuse negative ones).

    >>> weighted_mean([(1.0, 3), (0.0, 1)]), weighted_mean([(7, 2), (4, 1)])
    (0.75, 6.0)
    >>> weighted_mean([(1.0, 0), (0.0, 0)]), weighted_mean([])
    (0.5, None)
    """
    items = list(items)
    if not items:
        return None
    total = sum(weight for _value, weight in items)
    if total > 0:
        return sum(value * weight for value, weight in items) / total
    return sum(value for value, _weight in items) / len(items)


def kr_grade(progress):
    """Grade 0.0-1.0 of a key result: progress clamped, 2 decimals.

    Grading caps at 1.0; no progress (None) grades 0.0.

    >>> kr_grade(0.666), kr_grade(1.5), kr_grade(None)
    (0.67, 1.0, 0.0)
    """
    if progress is None:
        return 0.0
    return round(min(max(progress, 0.0), 1.0), GRADE_DIGITS)


def _weighted_mean(items, value_of):
    total_weight = weighted_sum = 0.0
    for index, (value, weight) in enumerate(items):
        if weight is None or weight <= 0:
            raise GradingError("non_positive_weight", index=index, weight=weight)
        total_weight += weight
        weighted_sum += value_of(value) * weight
    if not total_weight:
        return None
    return weighted_sum / total_weight


def _capped_progress(progress):
    return 0.0 if progress is None else min(max(progress, 0.0), 1.0)


def objective_progress(items):
    """Weighted progress of an objective from ``(kr progress, weight)`` pairs.

    Each key result's progress is capped at 1.0 first, so that one
    overshooting key result cannot hide another that lags; a key result
    without check-in (None) counts as 0.0, as in :func:`kr_grade`. Weights
    must be > 0 (``non_positive_weight``). None when there is no key result.
    Not rounded.

    >>> objective_progress([(2.0, 1), (0.0, 1)])
    0.5
    >>> objective_progress([(0.5, 3), (None, 1)]), objective_progress([])
    (0.375, None)
    """
    return _weighted_mean(items, _capped_progress)


def objective_grade(items):
    """Grade 0.0-1.0 of an objective from ``(kr grade, weight)`` pairs.

    The weighted mean of the key results' grades (each passed through
    :func:`kr_grade`, so progress values are accepted too), rounded to 2
    decimals. Weights must be > 0. None when there is no key result.

    >>> objective_grade([(0.7, 2), (1.3, 1)])
    0.8
    """
    mean = _weighted_mean(items, kr_grade)
    return None if mean is None else round(mean, GRADE_DIGITS)


def grade_band(grade):
    """Colour of a grade: red < 0.4 <= yellow < 0.7 <= green.

    Google's bands are 0.0-0.3 red, 0.4-0.6 yellow, 0.7-1.0 green; grades in
    between (0.35, 0.65) belong to the lower band. None (not graded) gives
    None.

    >>> [grade_band(g) for g in (0.0, 0.39, 0.4, 0.65, 0.7, 1.0, None)]
    ['red', 'red', 'yellow', 'yellow', 'green', 'green', None]
    """
    if grade is None:
        return None
    if grade >= GREEN_FROM - EPSILON:
        return GREEN
    if grade >= YELLOW_FROM - EPSILON:
        return YELLOW
    return RED


def grade_callout(grade, okr_type):
    """What deserves a word in the review, or None.

    - ``committed_missed``: a committed objective graded below 1.0;
    - ``aspirational_overshot``: an aspirational objective graded 1.0, a hint
      that it was not ambitious enough.

    None when the grade is None (not graded yet).

    >>> grade_callout(0.9, COMMITTED), grade_callout(1.0, ASPIRATIONAL)
    ('committed_missed', 'aspirational_overshot')
    >>> grade_callout(1.0, COMMITTED), grade_callout(0.7, ASPIRATIONAL)
    (None, None)
    """
    if okr_type not in OKR_TYPES:
        raise GradingError("bad_okr_type", okr_type=okr_type)
    if grade is None:
        return None
    reached = grade >= 1.0 - EPSILON
    if okr_type == COMMITTED and not reached:
        return COMMITTED_MISSED
    if okr_type == ASPIRATIONAL and reached:
        return ASPIRATIONAL_OVERSHOT
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class Sandbagging:
    """Result of :func:`sandbagging`; true when ``flagged``.

    ``streak`` is the number of most recent cycles in a row where every
    aspirational objective of the owner was graded 1.0; ``cycles`` their
    keys, most recent first.
    """

    flagged: bool
    streak: int
    cycles: tuple

    def __bool__(self):
        return self.flagged


def sandbagging(history, min_streak=2):
    """Whether an owner keeps fully reaching their aspirational objectives.

    ``history`` is a list of ``(cycle_key, grades)`` in chronological order,
    ``grades`` being the grades of the owner's aspirational objectives in
    that cycle. Walking back from the most recent cycle, count the cycles in
    a row where *all* those grades are >= 1.0; flag when the count reaches
    ``min_streak``. Aspirational objectives that always land at 1.0 were not
    aspirational.

    Cycles without any graded aspirational objective (empty, or only None
    grades: not graded yet) are skipped: they neither extend nor break the
    streak, so a cycle just opened does not hide the pattern.

    >>> history = [("Q1", [0.6]), ("Q2", [1.0, 1.0]), ("Q3", []), ("Q4", [1.0])]
    >>> sandbagging(history)
    Sandbagging(flagged=True, streak=2, cycles=('Q4', 'Q2'))
    >>> bool(sandbagging(history, min_streak=3))
    False
    """
    if min_streak < 1:
        raise GradingError("bad_streak", min_streak=min_streak)
    cycles = []
    for cycle_key, grades in reversed(history):
        graded = [grade for grade in grades if grade is not None]
        if not graded:
            continue
        if min(graded) < 1.0 - EPSILON:
            break
        cycles.append(cycle_key)
    return Sandbagging(len(cycles) >= min_streak, len(cycles), tuple(cycles))


def confidence_ok(value):
    """Validate a confidence level: a number 0..10, or None (not given).

    Returns True, or raises ``confidence_range`` (value) for anything else,
    booleans and NaN included.

    >>> confidence_ok(7), confidence_ok(2.5), confidence_ok(None)
    (True, True, True)
    """
    if value is None:
        return True
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or math.isnan(value)
        or not 0 <= value <= CONFIDENCE_MAX
    ):
        raise GradingError("confidence_range", value=value)
    return True
