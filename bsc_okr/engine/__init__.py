"""Plain-Python calculation core of bsc_okr: no Odoo import below this package.

The models feed plain values in and store what comes out, in the spirit of
mis_builder's ``kpimatrix.py``; only the standard library is used here,
plus numpy and scipy for the statistics of :mod:`.evidence`.

- :mod:`.scoring`: BSC measure achievement, threshold bands, scores, weighted
  roll-ups and accumulation over periods;
- :mod:`.grading`: OKR key result progress, grades, callouts, sandbagging;
- :mod:`.graph`: cause-effect links of the strategy map and OKR alignment
  (paths and cycle detection);
- :mod:`.periods`: month, quarter and accumulation-window arithmetic;
- :mod:`.burnup`: expected progress of an OKR cycle (the burn-up's straight
  line);
- :mod:`.tracking`: whether a key result is on track, at risk or off track
  (alerts, digests, dashboard), and confidence drops;
- :mod:`.evidence`: statistical support of the map's cause-effect links
  (lagged correlation, Granger F-tests, Benjamini-Hochberg q-values);
- :mod:`.transitions`: the approval workflow's transition table, checked and
  normalised once per model.

Errors are :class:`EngineError` instances carrying a machine-readable
``code`` and the offending data in ``params``; they hold no translated text,
the ORM layer turns them into translated messages.
"""

#: Tolerance for float comparisons throughout the engine (boundaries of bands,
#: "target equals baseline", zero weights...).
EPSILON = 1e-9


class EngineError(ValueError):
    """Base of every error raised by the engine.

    ``code`` names the problem (``"gap"``, ``"negative_weight"``...) and
    ``params`` holds the offending data, so that the caller can build a
    translated message with named placeholders:

    >>> err = EngineError("gap", lower=0.8, upper=0.9)
    >>> err.code, err.params
    ('gap', {'lower': 0.8, 'upper': 0.9})
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(code, params)

    def __str__(self):
        details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.code}({details})" if details else self.code
