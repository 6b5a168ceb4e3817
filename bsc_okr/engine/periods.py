"""Period arithmetic: months, quarters and accumulation windows.

A scoring period is a calendar month, identified by its first day. Measures
are due monthly, at calendar quarter ends or at calendar year end; values
accumulate year to date, but never from before the scorecard's horizon.
OKR cycles are calendar quarters by default, months for learning plans.

Functions accept :class:`datetime.date` (or datetime) values and return
dates.

>>> from datetime import date
>>> [str(m) for m in month_starts(date(2024, 11, 15), date(2025, 2, 1))]
['2024-11-01', '2024-12-01', '2025-01-01', '2025-02-01']
"""

import calendar
import datetime

from . import EngineError

MONTHLY = "monthly"
QUARTERLY = "quarterly"
YEARLY = "yearly"
FREQUENCIES = (MONTHLY, QUARTERLY, YEARLY)


class PeriodError(EngineError):
    """Invalid period input.

    Codes: ``date_order`` (date_from, date_to); ``bad_frequency``
    (frequency).
    """


def _as_date(day):
    return day.date() if isinstance(day, datetime.datetime) else day


def _first_of_month(day):
    return datetime.date(day.year, day.month, 1)


def _add_months(day, months):
    """First day of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_starts(date_from, date_to):
    """First day of every month overlapping ``[date_from, date_to]``.

    Both ends inclusive; ``date_from`` after ``date_to`` raises
    ``date_order``.

    >>> month_starts(datetime.date(2024, 3, 31), datetime.date(2024, 3, 31))
    [datetime.date(2024, 3, 1)]
    """
    if _as_date(date_from) > _as_date(date_to):
        raise PeriodError("date_order", date_from=date_from, date_to=date_to)
    months = []
    month = _first_of_month(date_from)
    last = _first_of_month(date_to)
    while month <= last:
        months.append(month)
        month = _add_months(month, 1)
    return months


def month_range(day):
    """First and last day of the month of ``day``.

    >>> month_range(datetime.date(2024, 2, 10))
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    first = _first_of_month(day)
    return first, first.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_bounds(month_start):
    """First and last day of the scoring period (the month) of ``month_start``.

    Scoring periods are calendar months, so this is :func:`month_range`;
    kept under its own name for the scoring code.

    >>> period_bounds(datetime.date(2023, 12, 1))
    (datetime.date(2023, 12, 1), datetime.date(2023, 12, 31))
    """
    return month_range(month_start)


def next_month(day):
    """First day of the month after the month of ``day``.

    >>> next_month(datetime.date(2024, 12, 31))
    datetime.date(2025, 1, 1)
    """
    return _add_months(day, 1)


def quarter_range(day):
    """First and last day of the calendar quarter of ``day``.

    >>> quarter_range(datetime.date(2024, 5, 17))
    (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))
    """
    first = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return first, _add_months(first, 3) - datetime.timedelta(days=1)


def next_quarter(day):
    """First day of the calendar quarter after the quarter of ``day``.

    >>> next_quarter(datetime.date(2024, 11, 2))
    datetime.date(2025, 1, 1)
    """
    return _add_months(quarter_range(day)[0], 3)


def is_due(month_start, frequency, horizon_start=None):
    """Whether a measure of ``frequency`` expects a value for that month.

    - ``monthly``: every month;
    - ``quarterly``: calendar quarter ends, March, June, September and
      December;
    - ``yearly``: December, the calendar year end.

    Months before the month of ``horizon_start`` are never due (None: no
    horizon). Fiscal years that do not follow the calendar are not
    supported.

    >>> [m for m in range(1, 13) if is_due(datetime.date(2024, m, 1), QUARTERLY)]
    [3, 6, 9, 12]
    >>> is_due(datetime.date(2024, 3, 1), MONTHLY, datetime.date(2024, 4, 1))
    False
    """
    if frequency not in FREQUENCIES:
        raise PeriodError("bad_frequency", frequency=frequency)
    month = _first_of_month(month_start)
    if horizon_start is not None and month < _first_of_month(horizon_start):
        return False
    if frequency == MONTHLY:
        return True
    if frequency == QUARTERLY:
        return month_start.month % 3 == 0
    return month_start.month == 12


def window_start(month_start, horizon_start=None):
    """First month of the accumulation window of ``month_start``.

    Calendar year to date: January of the same year, but not before the
    month of ``horizon_start`` (None: no horizon). A month before the
    horizon is its own window (there is nothing before it to accumulate).

    >>> d = datetime.date
    >>> window_start(d(2024, 8, 1)), window_start(d(2024, 8, 1), d(2024, 3, 15))
    (datetime.date(2024, 1, 1), datetime.date(2024, 3, 1))
    >>> window_start(d(2025, 2, 1), d(2024, 3, 1))
    datetime.date(2025, 1, 1)
    """
    month = _first_of_month(month_start)
    start = datetime.date(month.year, 1, 1)
    if horizon_start is not None:
        start = max(start, _first_of_month(horizon_start))
    return min(start, month)
