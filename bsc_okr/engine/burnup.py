"""The burn-up of an OKR cycle: where progress should be on a given day.

Expected progress is the straight line from the cycle's first day (0.0) to
its last day (1.0): an objective on track has done as much of its work as
the share of the cycle already gone.

>>> from datetime import date
>>> expected_progress(date(2026, 1, 1), date(2026, 3, 31), date(2026, 1, 1))
0.0
>>> expected_progress(date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 31))
1.0
>>> round(expected_progress(date(2026, 1, 1), date(2026, 1, 3), date(2026, 1, 2)), 2)
0.5
>>> expected_progress(date(2026, 1, 1), date(2026, 3, 31), date(2025, 12, 1))
0.0
>>> expected_progress(date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1))
1.0
"""


def expected_progress(date_start, date_end, day):
    """Share of the cycle ``date_start``..``date_end`` (both included) gone
    on ``day``, 0.0 before the start, 1.0 from the last day on.

    A cycle of a single day (or one whose end precedes its start) is
    expected done on its last day and not before.
    """
    if day >= date_end:
        return 1.0
    if day <= date_start:
        return 0.0
    return (day - date_start).days / (date_end - date_start).days


def expected_line(date_start, date_end):
    """The two points of the expected line, ``[(date_start, 0.0),
    (date_end, 1.0)]``: what a chart draws for the whole cycle."""
    return [(date_start, 0.0), (date_end, 1.0)]
