"""Unforgeable passes for the two writes only the approval mixin may make.

A state change of an approval-controlled record and the creation of a stage
history row are only accepted while the approval mixin holds the matching
pass. The passes live in context variables, not in the ORM context: the ORM
context travels over RPC (a client can put any JSON key in it), a context
variable cannot, and it survives ``sudo()`` without being granted by it. Each
pass is set for the duration of one call and reset right after, so nothing
leaks to later code on the same thread.
"""

import contextlib
import contextvars

# (model name, frozenset of record ids, target state) or None
_STATE_PASS = contextvars.ContextVar("bsc_okr_approval_state_pass", default=None)
# True while the mixin writes its own history rows
_HISTORY_PASS = contextvars.ContextVar("bsc_okr_stage_history_pass", default=False)


@contextlib.contextmanager
def state_pass(model_name, ids, state):
    """Allow ``write({state_field: state})`` on these records for one block."""
    token = _STATE_PASS.set((model_name, frozenset(ids), state))
    try:
        yield
    finally:
        _STATE_PASS.reset(token)


def state_change_allowed(model_name, ids, state):
    """Whether the current block holds a pass covering this state change."""
    current = _STATE_PASS.get()
    return bool(
        current
        and current[0] == model_name
        and set(ids) <= current[1]
        and current[2] == state
    )


@contextlib.contextmanager
def history_pass():
    """Allow ``okr.stage.history`` rows to be created for one block."""
    token = _HISTORY_PASS.set(True)
    try:
        yield
    finally:
        _HISTORY_PASS.reset(token)


def history_create_allowed():
    return _HISTORY_PASS.get()
