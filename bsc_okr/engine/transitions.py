"""The approval workflow's transition table, checked and normalised once.

A model using the approval mixin declares its table as a list of dicts (see
``models/okr_approval_mixin.py``); a declared row may start from several
states. :func:`normalise_transitions` turns it into one read-only row per
``(from, to)`` pair with every key filled in, and refuses a table that names
an unknown key, role, state or field, or declares a pair twice. The mixin
calls it once per model when the registry is set up and keeps the result on
the model class.

>>> table = normalise_transitions(
...     [
...         {"from": "draft", "to": "approved", "pending": "submitted",
...          "approver": "manager"},
...         {"from": ("draft", "approved"), "to": "cancelled", "approver": "owner"},
...     ],
...     states={"draft", "submitted", "approved", "cancelled"},
... )
>>> for row in table:
...     print(row["from"], "->", row["to"], "| rejected:", row["reject_to"])
draft -> approved | rejected: draft
draft -> cancelled | rejected: draft
approved -> cancelled | rejected: approved
>>> table[0]["pending"], table[1]["pending"]
('submitted', None)
>>> try:
...     normalise_transitions(
...         [{"from": "draft", "to": "gone", "approver": "owner"}], states={"draft"}
...     )
... except EngineError as error:
...     print(error)
unknown_states(transition=('draft', 'gone'), states=['gone'])
"""

from types import MappingProxyType

from . import EngineError

#: Who may decide a transition: ``owner`` transitions are applied at once by
#: the owner's side, the other roles get a request to decide.
APPROVER_ROLES = (
    "manager",
    "department_manager",
    "strategy_officer",
    "executive",
    "named",
    "owner",
)

#: Keys a declared transition may hold.
TRANSITION_KEYS = frozenset(
    {"from", "to", "approver", "pending", "reject_to", "approver_field"}
)


def normalise_transitions(declared, states, field_names=()):
    """One read-only row per ``(from, to)`` pair of the ``declared`` table.

    ``states`` are the keys of the state selection, ``field_names`` the fields
    of the model (a ``named`` approver must name one of them). Each row holds
    every key of :data:`TRANSITION_KEYS`: ``pending`` and ``approver_field``
    default to None, ``reject_to`` to the row's ``from``. Rows keep the
    declared order. Raises :class:`~bsc_okr.engine.EngineError` (a
    ``ValueError``) on the first problem found.

    >>> row = normalise_transitions(
    ...     [{"from": "a", "to": "b", "approver": "named", "approver_field": "who"}],
    ...     states={"a", "b"},
    ...     field_names={"who"},
    ... )[0]
    >>> dict(row) == {"from": "a", "to": "b", "approver": "named",
    ...               "pending": None, "reject_to": "a", "approver_field": "who"}
    True
    >>> row["to"] = "c"
    Traceback (most recent call last):
    ...
    TypeError: 'mappingproxy' object does not support item assignment
    """
    states = set(states)
    field_names = set(field_names)
    result = []
    seen = set()
    for row in declared:
        unknown = set(row) - TRANSITION_KEYS
        if unknown:
            raise EngineError("unknown_keys", keys=sorted(unknown))
        sources = row.get("from")
        sources = (sources,) if isinstance(sources, str) else tuple(sources or ())
        target = row.get("to")
        approver = row.get("approver")
        if approver not in APPROVER_ROLES:
            raise EngineError("unknown_role", approver=approver)
        approver_field = row.get("approver_field") or None
        if approver == "named" and approver_field not in field_names:
            raise EngineError("named_without_field", approver_field=approver_field)
        for source in sources:
            transition = {
                "from": source,
                "to": target,
                "approver": approver,
                "pending": row.get("pending") or None,
                "reject_to": row.get("reject_to") or source,
                "approver_field": approver_field,
            }
            used = {source, target, transition["pending"], transition["reject_to"]}
            missing = (used - {None}) - states
            if missing:
                raise EngineError(
                    "unknown_states",
                    transition=(source, target),
                    states=sorted(missing),
                )
            if (source, target) in seen:
                raise EngineError("declared_twice", transition=(source, target))
            seen.add((source, target))
            result.append(MappingProxyType(transition))
    return tuple(result)
