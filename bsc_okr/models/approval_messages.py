"""The chatter notes of the approval workflow, one per decision.

Each step of the workflow (see ``okr_approval_mixin.py``) posts one internal
note naming the states, the people and the comment, never a value of the
record. The notes are a table rather than a ladder of ``if``: adding a
decision adds a row. Each row is keyed by ``(decision, with a comment?)``,
``None`` meaning "with or without"; it makes a lazy translation of its text
with the values of the step, which :func:`chatter_note` renders in the
language of the environment (Odoo fills the values in, and falls back to
the English text if a translation misses a placeholder).

The values given to every row: ``from_state``, ``to_state`` (labels),
``approvers`` (names of the request's approvers) and ``comment``.
"""

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

CHATTER_NOTES = {
    ("requested", True): lambda **values: _lt(
        "Approval requested: %(from_state)s → %(to_state)s. "
        "Approvers: %(approvers)s. Comment: %(comment)s",
        **values,
    ),
    ("requested", False): lambda **values: _lt(
        "Approval requested: %(from_state)s → %(to_state)s. Approvers: %(approvers)s.",
        **values,
    ),
    ("approved", True): lambda **values: _lt(
        "Approved: %(from_state)s → %(to_state)s. Comment: %(comment)s",
        **values,
    ),
    ("approved", False): lambda **values: _lt(
        "Approved: %(from_state)s → %(to_state)s.",
        **values,
    ),
    # a rejection always has a reason (action_approval_reject requires one)
    ("rejected", None): lambda **values: _lt(
        "Rejected: %(from_state)s → %(to_state)s. Reason: %(comment)s",
        **values,
    ),
    ("cancelled", None): lambda **values: _lt(
        "Approval request withdrawn: %(from_state)s → %(to_state)s.",
        **values,
    ),
    # the comment of an escalation names the approvers it added
    ("escalated", None): lambda **values: _lt(
        "Approval of %(from_state)s → %(to_state)s escalated to %(approvers)s.",
        **{**values, "approvers": values["comment"]},
    ),
    # any other decision (applied: a step without approval)
    (None, True): lambda **values: _lt(
        "Stage changed: %(from_state)s → %(to_state)s. Comment: %(comment)s",
        **values,
    ),
    (None, False): lambda **values: _lt(
        "Stage changed: %(from_state)s → %(to_state)s.",
        **values,
    ),
}


def chatter_note(env, decision, from_state, to_state, approvers, comment):
    """The note of ``decision``, in ``env``'s language, with these values."""
    with_comment = bool(comment)
    keys = ((decision, with_comment), (decision, None), (None, with_comment))
    row = next(CHATTER_NOTES[key] for key in keys if key in CHATTER_NOTES)
    note = row(
        from_state=from_state, to_state=to_state, approvers=approvers, comment=comment
    )
    return env._(note)
