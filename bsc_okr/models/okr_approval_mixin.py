from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from .approval_guard import state_change_allowed, state_pass
from .approval_messages import chatter_note
from .base import clean_text

APPROVAL_FIELDS = [
    "approval_request_id",
    "approval_pending",
    "approval_approver_user_ids",
    "approval_can_approve",
    "approval_can_cancel",
    "approval_next_states",
    "approval_history_html",
]


def _clean_text(value):
    """A stripped comment, or None for anything blank or not text (RPC input)."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


class OkrApprovalMixin(models.AbstractModel):
    """Multi-stage approval workflow shared by OKRs and learning plans.

    A concrete model inherits this mixin, declares its state field and a
    transition table, and gets: requests routed to the right approvers with a
    ``mail.activity`` each, approve / reject (with a reason) / cancel, chatter
    messages, an immutable stage history, escalation of stale requests, and a
    ``write()`` that refuses every state change that did not come through
    :meth:`_approval_apply`.

    Configuration (class attributes of the concrete model)::

        _approval_state_field = "state"            # Selection field
        _approval_owner_field = "owner_id"         # Many2one hr.employee
        _approval_department_field = "department_id"  # Many2one hr.department
        _approval_company_field = "company_id"     # Many2one res.company
        _approval_transitions = [
            {"from": "draft", "to": "approved", "pending": "submitted",
             "approver": "manager", "reject_to": "draft"},
            {"from": "approved", "to": "active", "approver": "owner"},
            {"from": ("draft", "approved"), "to": "cancelled",
             "approver": "owner"},
        ]

    The table's keys are checked and normalised once per model by
    ``engine/transitions.py``; where a transition may go and who decides it
    is in ``okr_approval_routing.py``; requests lock themselves and carry the
    approvers' activities (``okr.approval.request``); history rows come from
    ``okr.stage.history._log``; the chatter notes from ``approval_messages``.
    The full contract is in docs/architecture.md, section "Approval workflow".
    """

    _name = "okr.approval.mixin"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Approval Workflow Mixin"

    _approval_state_field = "state"
    _approval_owner_field = "owner_id"
    _approval_department_field = "department_id"
    _approval_company_field = "company_id"
    _approval_transitions = []
    # (declared table, its normalised rows), set per model at registry setup
    _approval_transition_table = (None, ())

    approval_request_id = fields.Many2one(
        "okr.approval.request",
        string="Pending Approval Request",
        compute="_compute_approval_fields",
        help="The approval request waiting for a decision, if any.",
    )
    approval_pending = fields.Boolean(
        compute="_compute_approval_fields",
        search="_search_approval_pending",
        help="A stage change is waiting for an approver's decision.",
    )
    approval_approver_user_ids = fields.Many2many(
        "res.users",
        string="Pending Approvers",
        compute="_compute_approval_fields",
        search="_search_approval_approver_user_ids",
        help="Who may decide the pending request. Concrete models add "
        "('approval_approver_user_ids', 'in', [user.id]) to their read rule so "
        "approvers can read what they decide.",
    )
    approval_can_approve = fields.Boolean(
        compute="_compute_approval_fields",
        search="_search_approval_can_approve",
        help="The current user may approve or reject the pending request.",
    )
    approval_can_cancel = fields.Boolean(
        compute="_compute_approval_fields",
        help="The current user may withdraw the pending request.",
    )
    approval_next_states = fields.Json(
        compute="_compute_approval_fields",
        help="States the current user may request (or apply, for owner "
        "transitions) from the current state; empty while a request is pending. "
        "Form views show one button per target state with it.",
    )
    approval_history_html = fields.Html(
        string="Stage History",
        compute="_compute_approval_history_html",
        sanitize=False,
        help="Who moved this record between stages, when, and why.",
    )

    # ------------------------------------------------------------------
    # Computes and searches
    # ------------------------------------------------------------------
    def _approval_pending_requests_by_res_id(self):
        """Pending requests of these records, by record id, in one query."""
        ids = [rid for rid in self._origin.ids if rid]
        if not ids:
            return {}
        # sudo: requests are restricted to the people involved, but whoever
        # reads the record may know that a decision is pending and by whom.
        requests = (
            self.env["okr.approval.request"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", ids),
                    ("state", "=", "pending"),
                ]
            )
        )
        return {request.res_id: request for request in requests}

    @api.depends_context("uid")
    @api.depends(lambda self: [self._approval_state_field])
    def _compute_approval_fields(self):
        pending = self._approval_pending_requests_by_res_id()
        user = self.env.user
        for record in self:
            request = pending.get(record._origin.id)
            record.approval_request_id = request.id if request else False
            record.approval_pending = bool(request)
            record.approval_approver_user_ids = (
                request.approver_user_ids.ids if request else []
            )
            record.approval_can_approve = bool(
                request
            ) and record._approval_user_may_decide(request, user)
            record.approval_can_cancel = bool(request) and (
                request.requested_by_id == user
                or record._approval_can_act_for_owner(user)
            )
            if request or not record._origin.id:
                record.approval_next_states = []
            elif record._approval_can_act_for_owner(user):
                record.approval_next_states = [
                    transition["to"]
                    for transition in record._approval_allowed_transitions()
                ]
            else:
                record.approval_next_states = []

    def _approval_request_query(self, domain):
        # sudo: only ids of matching records leave this query; record rules of
        # the concrete model still filter what the user gets back.
        query = (
            self.env["okr.approval.request"]
            .sudo()
            ._search(
                [("res_model", "=", self._name), ("state", "=", "pending"), *domain]
            )
        )
        return query.subselect("res_id")

    def _search_approval_pending(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on pending approvals."))
        positive = (operator == "=") == bool(value)
        return [
            ("id", "in" if positive else "not in", self._approval_request_query([]))
        ]

    def _search_approval_approver_user_ids(self, operator, value):
        if operator not in ("in", "="):
            raise UserError(self.env._("Unsupported search on pending approvers."))
        return [
            (
                "id",
                "in",
                self._approval_request_query([("approver_user_ids", "in", value)]),
            )
        ]

    def _search_approval_can_approve(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on approvals to decide."))
        positive = (operator == "=") == bool(value)
        query = self._approval_request_query(
            [
                ("approver_user_ids", "in", self.env.uid),
                ("requested_by_id", "!=", self.env.uid),
            ]
        )
        return [("id", "in" if positive else "not in", query)]

    @api.depends(lambda self: [self._approval_state_field])
    def _compute_approval_history_html(self):
        ids = [rid for rid in self._origin.ids if rid]
        by_res_id = defaultdict(list)
        if ids:
            # Whoever reads the record reads its history: the record's own
            # rules already decided that (this compute only runs on records
            # being read). History rows themselves are restricted to the
            # people involved, hence sudo after the explicit check.
            self._origin.filtered("id").check_access("read")
            rows = (
                self.env["okr.stage.history"]
                .sudo()
                .search([("res_model", "=", self._name), ("res_id", "in", ids)])
            )
            for row in rows:
                by_res_id[row.res_id].append(row)
        decisions = dict(
            self.env["okr.stage.history"]
            ._fields["decision"]
            ._description_selection(self.env)
        )
        for record in self:
            rows = by_res_id.get(record._origin.id, [])
            if not rows:
                record.approval_history_html = False
                continue
            lines = [
                {
                    "date": format_datetime(self.env, row.date),
                    "user": row.user_id.name or "",
                    "decision": decisions.get(row.decision, row.decision),
                    "from_state": record._approval_state_label(row.from_state),
                    "to_state": record._approval_state_label(row.to_state),
                    "result_state": record._approval_state_label(row.result_state),
                    "comment": row.comment or "",
                }
                for row in rows
            ]
            record.approval_history_html = self.env["ir.qweb"]._render(
                "bsc_okr.okr_stage_history_table", {"lines": lines}
            )

    # ------------------------------------------------------------------
    # CRUD: the state only moves through _approval_apply
    # ------------------------------------------------------------------
    @api.model
    def _approval_initial_states(self):
        """States a record may be created in (hook). Default: the state
        field's declared default, ignoring any ``default_*`` context key."""
        field = self._fields[self._approval_state_field]
        default = field.default(self) if callable(field.default) else field.default
        return {default} if default else set()

    def _approval_refuse_state_change(self, state):
        raise UserError(
            self.env._(
                "The stage of %(model)s can only change through its approval "
                "workflow (request, approve, reject); setting it directly to "
                "'%(state)s' is refused.",
                model=self._description,
                state=self._approval_state_label(state),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        field = self._approval_state_field
        initial = self._approval_initial_states()
        context_default = self.env.context.get(f"default_{field}")
        for vals in vals_list:
            state = vals.get(field, context_default)
            if state and state not in initial:
                self._approval_refuse_state_change(state)
        records = super().create(vals_list)
        for record in records:
            # a default_get override could still bring another state in
            if record[field] not in initial:
                record._approval_refuse_state_change(record[field])
        return records

    def write(self, vals):
        field = self._approval_state_field
        if field in vals:
            moving = self.filtered(lambda record: record[field] != vals[field])
            if moving and not state_change_allowed(self._name, moving.ids, vals[field]):
                moving._approval_refuse_state_change(vals[field])
        return super().write(vals)

    def unlink(self):
        pending = self._approval_pending_requests_by_res_id()
        if pending:
            requests = self.env["okr.approval.request"].browse(
                [request.id for request in pending.values()]
            )
            # sudo: the request model is read-only for users; deleting the
            # record they may delete withdraws its requests.
            requests.sudo()._record_decision(
                "cancelled", self.env._("The document was deleted.")
            )
        return super().unlink()

    # ------------------------------------------------------------------
    # Public actions (callable over RPC: each checks the caller's right)
    # ------------------------------------------------------------------
    def action_approval_request(self, to_state=None, comment=None):
        """Ask to move each record to ``to_state``.

        Allowed to the owner and to whoever may act for them (their manager
        chain, OKR administrators of the company). Transitions whose approver
        is ``owner`` are applied at once; the others create an
        ``okr.approval.request`` routed to the approvers, with an activity
        for each. Buttons pass ``to_state`` in the context key
        ``approval_to_state``.
        """
        to_state = to_state or self.env.context.get("approval_to_state")
        if not to_state or not isinstance(to_state, str):
            raise UserError(self.env._("Choose the stage to move to."))
        comment = _clean_text(comment)
        for record in self:
            record._approval_request_one(to_state, comment)
        return True

    def action_approval_approve(self, comment=None):
        """Approve the pending request of each record (approvers only).

        Returns True, or the Approvals list when the decision ended the
        user's access to a record (approvers may read a record only while
        its request waits for them).
        """
        comment = _clean_text(comment)
        for record in self:
            record._approval_decide("approved", comment)
        return self._approval_after_decision_action()

    def action_approval_reject(self, reason):
        """Reject the pending request of each record; a reason is required."""
        reason = _clean_text(reason)
        if not reason:
            raise UserError(self.env._("Give a reason to reject the request."))
        for record in self:
            record._approval_decide("rejected", reason)
        return self._approval_after_decision_action()

    def action_approval_cancel_request(self):
        """Withdraw the pending request (its requester or the owner's side)."""
        for record in self:
            record._approval_cancel_one()
        return True

    def _approval_after_decision_action(self):
        """True while the user still reads every record, else the Approvals
        list: reloading a record one may no longer read would fail."""
        if self._filtered_access("read") == self:
            return True
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approvals"),
            "res_model": "okr.approval.request",
            "views": [[False, "list"], [False, "form"]],
            "context": {"search_default_to_decide": 1},
        }

    def action_approval_open_reject_wizard(self):
        """Open the dialog asking for the rejection reason."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "okr.approval.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
            },
        }

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def _approval_request_one(self, to_state, comment):
        self.ensure_one()
        self.check_access("read")
        self._approval_ensure_owner_side()
        pending = self._approval_pending_requests_by_res_id().get(self.id)
        if pending:
            raise UserError(
                self.env._(
                    "%(record)s already waits for a decision on moving to "
                    "'%(target)s'. Withdraw that request first.",
                    record=self.display_name,
                    target=self._approval_state_label(pending.to_state),
                )
            )
        transition = self._approval_find_transition(to_state)
        if transition["approver"] == "owner":
            self._approval_apply(
                transition["to"], "applied", transition, comment=comment
            )
            return
        requester = self.env.user
        approvers, role = self._approval_resolve_approvers(transition, requester)
        company = self._approval_get_company()
        # sudo: requests are read-only for users; the caller's right was
        # checked above (owner side) and the approvers resolved by the rules.
        request = (
            self.env["okr.approval.request"]
            .sudo()
            .create(
                {
                    "res_model": self._name,
                    "res_id": self.id,
                    "res_name": self.display_name,
                    "company_id": company.id,
                    "from_state": transition["from"],
                    "to_state": transition["to"],
                    "pending_state": transition["pending"],
                    "reject_state": transition["reject_to"],
                    "approver_role": transition["approver"],
                    "resolved_role": role,
                    "requested_by_id": requester.id,
                    "owner_user_id": self._approval_get_owner().user_id.id,
                    "request_comment": comment or False,
                    "approver_user_ids": approvers.ids,
                }
            )
        )
        request._schedule_activities(approvers)
        self._approval_apply(
            transition["pending"] or transition["from"],
            "requested",
            transition,
            request=request,
            comment=comment,
        )

    def _approval_get_pending_request(self):
        """The pending request, or a refusal saying what happened to the last one."""
        request = self._approval_pending_requests_by_res_id().get(self.id)
        if request:
            return request
        # sudo: same reasoning as _approval_pending_requests_by_res_id
        last = (
            self.env["okr.approval.request"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "=", self.id)], limit=1)
        )
        if last:
            last._raise_already_decided()
        raise UserError(
            self.env._(
                "%(record)s has no request waiting for a decision.",
                record=self.display_name,
            )
        )

    def _approval_decide(self, decision, comment):
        self.ensure_one()
        self.check_access("read")
        request = self._approval_get_pending_request()
        user = self.env.user
        if user == request.requested_by_id:
            raise UserError(
                self.env._("You cannot approve or reject your own request.")
            )
        if not self._approval_user_may_decide(request, user):
            raise AccessError(
                self.env._(
                    "You are not an approver of this request. "
                    "It waits for: %(approvers)s.",
                    approvers=", ".join(request.approver_user_ids.mapped("name")),
                )
            )
        request._lock_for_decision()
        target = request.to_state if decision == "approved" else request.reject_state
        # request is a sudo record (see _approval_pending_requests_by_res_id):
        # users only read requests; the decision was checked just above.
        request._record_decision(decision, comment)
        transition = {"from": request.from_state, "to": request.to_state}
        # sudo: the decision was checked above. Approvers often read the
        # record only through its pending request, which was just decided:
        # the remaining steps must not depend on that access (the history
        # and the chatter still name the approver: the uid is unchanged).
        self.sudo()._approval_apply(
            target, decision, transition, request=request, comment=comment
        )

    def _approval_cancel_one(self):
        self.ensure_one()
        self.check_access("read")
        request = self._approval_get_pending_request()
        user = self.env.user
        if user != request.requested_by_id and not self._approval_can_act_for_owner(
            user
        ):
            raise AccessError(
                self.env._(
                    "Only the requester or the owner's side may withdraw this request."
                )
            )
        request._lock_for_decision()
        request._record_decision("cancelled")
        transition = {"from": request.from_state, "to": request.to_state}
        self._approval_apply(
            request.from_state, "cancelled", transition, request=request
        )

    def _approval_apply(
        self, new_state, decision, transition, request=None, comment=None
    ):
        """The single place where the state changes.

        Writes the state (when it differs) under a pass that ``write()``
        accepts, appends a row to ``okr.stage.history`` and posts the
        decision in the chatter. Callers check the rights first.
        """
        self.ensure_one()
        field = self._approval_state_field
        old_state = self[field]
        if new_state != old_state:
            with state_pass(self._name, self.ids, new_state):
                # sudo: the caller checked the right to make this transition;
                # approvers usually may read the record but not write it.
                self.sudo().write({field: new_state})
        self.env["okr.stage.history"]._log(
            self,
            decision,
            transition["from"],
            transition["to"],
            new_state,
            request=request,
            comment=comment,
        )
        self._approval_post_decision(decision, transition, request, comment)
        self.invalidate_recordset(APPROVAL_FIELDS)

    def _approval_post_decision(self, decision, transition, request, comment):
        """Post the decision in the chatter as an internal note.

        States, names and the comment only: never a grade, a confidence or
        any other value of the record.
        """
        # The chatter is not a bsc_okr model: its body is cleaned here.
        comment = clean_text(comment)
        body = chatter_note(
            self.env,
            decision,
            from_state=self._approval_state_label(transition["from"]),
            to_state=self._approval_state_label(transition["to"]),
            approvers=(
                ", ".join(request.approver_user_ids.mapped("name")) if request else ""
            ),
            comment=comment,
        )
        # sudo: approvers may not have the right to post on the record; the
        # author stays the current user.
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def _approval_force_state(self, state, comment=None):
        """Set the state outside the transition table (data files, migrations).

        Not reachable over RPC (private). Recorded in the history as
        'applied' by the current user. Demo data creates records in their
        initial state, then calls this through a ``<function>`` tag.
        """
        if state not in dict(self._approval_state_selection()):
            raise UserError(self.env._("Unknown stage %(state)s.", state=state))
        for record in self:
            current = record[self._approval_state_field]
            record._approval_apply(
                state, "applied", {"from": current, "to": state}, comment=comment
            )
        return True
