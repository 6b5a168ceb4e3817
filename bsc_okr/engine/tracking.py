"""Whether an OKR key result is on track: the one rule of alerts, digests
and the dashboard.

A key result is compared with the burn-up's straight line
(:func:`.burnup.expected_progress`): the *gap* is how far its progress lags
behind the share of the cycle already gone, and the owner's confidence
(0-10) is read beside it.

- **off track**: the gap is at least :data:`OFF_TRACK_GAP` (30 points), or
  the confidence is at most :data:`OFF_TRACK_CONFIDENCE` (2);
- **at risk**: the gap is at least :data:`AT_RISK_GAP` (15 points), or the
  confidence is at most :data:`AT_RISK_CONFIDENCE` (4; the default
  confidence of a new key result, 5, is even odds and on track);
- **on track** otherwise.

>>> track_status(progress=0.5, expected=0.5, confidence=7)
'on_track'
>>> track_status(progress=0.3, expected=0.5, confidence=7)
'at_risk'
>>> track_status(progress=0.1, expected=0.5, confidence=7)
'off_track'
>>> track_status(progress=0.9, expected=0.5, confidence=2)
'off_track'
>>> track_status(progress=0.9, expected=0.5, confidence=4)
'at_risk'
>>> track_status(progress=0.0, expected=0.0, confidence=5)
'on_track'
>>> confidence_drop(previous=8, confidence=5)
3
>>> confidence_drop(previous=None, confidence=5)
0
"""

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK)

#: Lag behind the expected line (in progress, 0.0-1.0) from which a key
#: result is at risk, and off track.
AT_RISK_GAP = 0.15
OFF_TRACK_GAP = 0.30
#: Confidence (0-10) at or below which a key result is at risk, off track.
AT_RISK_CONFIDENCE = 4
OFF_TRACK_CONFIDENCE = 2

_EPSILON = 1e-9


def track_status(progress, expected, confidence):
    """``on_track``, ``at_risk`` or ``off_track`` for a key result at
    ``progress`` (0.0-1.0, may exceed 1.0) when ``expected`` (0.0-1.0) of
    the cycle is gone and its owner's confidence is ``confidence`` (0-10)."""
    gap = (expected or 0.0) - (progress or 0.0)
    confidence = confidence or 0
    if gap >= OFF_TRACK_GAP - _EPSILON or confidence <= OFF_TRACK_CONFIDENCE:
        return OFF_TRACK
    if gap >= AT_RISK_GAP - _EPSILON or confidence <= AT_RISK_CONFIDENCE:
        return AT_RISK
    return ON_TRACK


def confidence_drop(previous, confidence):
    """How many points ``confidence`` fell from ``previous`` (0 when it
    rose, stayed, or there was no previous check-in)."""
    if previous is None:
        return 0
    return max(0, int(previous) - int(confidence or 0))
