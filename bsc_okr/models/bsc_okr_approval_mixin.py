import logging
from collections import defaultdict

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_datetime, mute_logger

from .approval_guard import history_pass, state_change_allowed, state_pass
from .base import clean_text

_logger = logging.getLogger(__name__)

APPROVER_ROLES = (
    "manager",
    "department_manager",
    "strategy_officer",
    "executive",
    "named",
    "owner",
)
TRANSITION_KEYS = {"from", "to", "approver", "pending", "reject_to", "approver_field"}
ACTIVITY_TYPE_XMLID = "bsc_okr.mail_activity_type_approval"
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


class BscOkrApprovalMixin(models.AbstractModel):
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

    Each transition: ``from`` (a state or a tuple of states), ``to``,
    ``approver`` (one of :data:`APPROVER_ROLES`), optional ``pending`` (the
    state the record shows while the request waits; without it the record
    stays in ``from``), optional ``reject_to`` (state after a rejection,
    default ``from``), and ``approver_field`` for the ``named`` role (a
    Many2one/Many2many to ``res.users`` or ``hr.employee`` on the record).
    The full contract is in docs/architecture.md, section "Approval workflow".
    """

    _name = "bsc_okr.approval.mixin"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Approval Workflow Mixin"

    _approval_state_field = "state"
    _approval_owner_field = "owner_id"
    _approval_department_field = "department_id"
    _approval_company_field = "company_id"
    _approval_transitions = []

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
            requests.sudo().write(
                {
                    "state": "cancelled",
                    "decided_by_id": self.env.uid,
                    "decided_on": fields.Datetime.now(),
                    "decision_comment": self.env._("The document was deleted."),
                }
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
    # Transition table
    # ------------------------------------------------------------------
    @api.model
    def _approval_get_transitions(self):
        """The normalised transition table (hook).

        Returns a list of dicts with every key of :data:`TRANSITION_KEYS`
        filled in, one per (from, to) pair. Override to add transitions
        computed at run time; keep the same shape.
        """
        states = {key for key, _label in self._approval_state_selection()}
        result = []
        seen = set()
        for declared in self._approval_transitions:
            unknown = set(declared) - TRANSITION_KEYS
            if unknown:
                raise ValueError(
                    f"{self._name}: unknown transition keys {sorted(unknown)}"
                )
            sources = declared.get("from")
            sources = (sources,) if isinstance(sources, str) else tuple(sources or ())
            target = declared.get("to")
            approver = declared.get("approver")
            if approver not in APPROVER_ROLES:
                raise ValueError(f"{self._name}: unknown approver role {approver!r}")
            if (
                approver == "named"
                and declared.get("approver_field") not in self._fields
            ):
                raise ValueError(
                    f"{self._name}: 'named' transitions need an approver_field"
                )
            for source in sources:
                transition = {
                    "from": source,
                    "to": target,
                    "approver": approver,
                    "pending": declared.get("pending") or None,
                    "reject_to": declared.get("reject_to") or source,
                    "approver_field": declared.get("approver_field") or None,
                }
                used = {source, target, transition["pending"], transition["reject_to"]}
                if not (used - {None}) <= states:
                    raise ValueError(
                        f"{self._name}: transition {transition} names unknown states"
                    )
                if (source, target) in seen:
                    raise ValueError(
                        f"{self._name}: transition {source} -> {target} declared twice"
                    )
                seen.add((source, target))
                result.append(transition)
        return result

    def _approval_state_selection(self):
        field = self._fields[self._approval_state_field]
        return field._description_selection(self.env)

    def _approval_state_label(self, state):
        if not state:
            return ""
        return dict(self._approval_state_selection()).get(state, state)

    def _approval_allowed_transitions(self):
        self.ensure_one()
        current = self[self._approval_state_field]
        return [t for t in self._approval_get_transitions() if t["from"] == current]

    def _approval_find_transition(self, to_state):
        """The transition from the current state to ``to_state``, or a clear
        refusal naming the stages that may come next."""
        allowed = self._approval_allowed_transitions()
        for transition in allowed:
            if transition["to"] == to_state:
                return transition
        current = self[self._approval_state_field]
        if allowed:
            raise UserError(
                self.env._(
                    "%(record)s cannot go from '%(current)s' to '%(target)s': "
                    "stages cannot be skipped. Allowed next stages: %(allowed)s.",
                    record=self.display_name,
                    current=self._approval_state_label(current),
                    target=self._approval_state_label(to_state),
                    allowed=", ".join(
                        self._approval_state_label(t["to"]) for t in allowed
                    ),
                )
            )
        raise UserError(
            self.env._(
                "%(record)s cannot go from '%(current)s' to '%(target)s': "
                "no stage follows '%(current)s'.",
                record=self.display_name,
                current=self._approval_state_label(current),
                target=self._approval_state_label(to_state),
            )
        )

    # ------------------------------------------------------------------
    # Who: owner side and approvers
    # ------------------------------------------------------------------
    def _approval_get_owner(self):
        """The owner employee (hr.employee), possibly empty."""
        if self._approval_owner_field in self._fields:
            # routing only: portal users cannot read hr.employee; the owner is not shown
            return self[self._approval_owner_field].sudo()
        return self.env["hr.employee"].sudo()

    def _approval_get_department(self):
        if self._approval_department_field in self._fields:
            # routing only: the department's manager chain decides who approves
            return self[self._approval_department_field].sudo()
        return self.env["hr.department"].sudo()

    def _approval_get_company(self):
        if (
            self._approval_company_field in self._fields
            and self[self._approval_company_field]
        ):
            return self[self._approval_company_field]
        return self.env.company

    def _approval_can_act_for_owner(self, user):
        """Whether ``user`` may request or apply transitions (hook).

        The owner, anyone above the owner in the manager chain, and OKR
        administrators of the record's company. The org chart is read as
        superuser: users outside HR cannot read other employees' managers,
        and only ids are compared here.
        """
        self.ensure_one()
        company = self._approval_get_company()
        if user.has_group("bsc_okr.group_okr_admin") and company in user.company_ids:
            return True
        owner = self._approval_get_owner()
        if not owner:
            return False
        if owner.user_id == user:
            return True
        seen = set()
        manager = owner.parent_id
        while manager and manager.id not in seen:
            if manager.user_id == user:
                return True
            seen.add(manager.id)
            manager = manager.parent_id
        return False

    @api.model
    def _approval_group(self, name):
        """A bsc_okr group by xmlid name, without env.ref()'s existence query
        (this runs once per record in the button helpers)."""
        group_id = self.env["ir.model.data"]._xmlid_to_res_id(f"bsc_okr.{name}")
        return self.env["res.groups"].browse(group_id)

    def _approval_filter_approvers(self, users, requester):
        """Drop users who may never decide on this record (hook).

        Never the requester, never the owner (nobody approves their own
        change), no inactive or portal users, nobody outside the record's
        company, and no KPI appraisal staff: OKRs and learning plans must
        stay out of appraisal (see the appraisal wall).
        """
        company = self._approval_get_company()
        owner_user = self._approval_get_owner().user_id
        # group membership is checked to keep appraisal staff out, never shown
        appraisal = self._approval_group("group_kpi_appraisal").sudo()
        return (
            users.sudo()
            .filtered(
                lambda user: (
                    user.active
                    and not user.share
                    and user != requester
                    and user != owner_user
                    and company in user.company_ids
                    and user not in appraisal.users
                )
            )
            .with_env(self.env)
        )

    def _approval_role_users(self, role, transition, requester):
        """Candidate approvers for one role (before the final filter).

        ``manager`` and ``department_manager`` walk up their chain to the
        first eligible user, so a manager requesting for their report is
        approved by their own manager.
        """
        Users = self.env["res.users"]
        eligible = lambda user: self._approval_filter_approvers(user, requester)  # noqa: E731
        if role == "manager":
            seen = set()
            manager = self._approval_get_owner().parent_id
            while manager and manager.id not in seen:
                if eligible(manager.user_id):
                    return manager.user_id
                seen.add(manager.id)
                manager = manager.parent_id
            return Users
        if role == "department_manager":
            seen = set()
            department = self._approval_get_department()
            while department and department.id not in seen:
                if eligible(department.manager_id.user_id):
                    return department.manager_id.user_id
                seen.add(department.id)
                department = department.parent_id
            return Users
        if role in ("strategy_officer", "executive", "okr_admin"):
            group = self._approval_group(f"group_{role}")
            # approvers of a role are found whatever the requester may read; only they
            # get the request
            return Users.sudo().search(
                [
                    ("groups_id", "in", group.id),
                    ("company_ids", "in", self._approval_get_company().id),
                ]
            )
        if role == "named":
            # the named approver is resolved to a user for routing, not shown
            value = self[transition["approver_field"]].sudo()
            if value._name == "hr.employee":
                return value.user_id
            if value._name == "res.users":
                return value
            raise ValueError(
                f"{self._name}: {transition['approver_field']} must point to users"
            )
        return Users

    def _approval_fallback_roles(self, role):
        """Roles tried, in order, when ``role`` resolves to nobody (hook)."""
        if role == "manager":
            return ["department_manager", "okr_admin"]
        if role == "okr_admin":
            return []
        return ["okr_admin"]

    def _approval_resolve_approvers(self, transition, requester):
        """Approvers of ``transition`` requested by ``requester``.

        Returns ``(users, role)``: the role that actually resolved (the
        declared one or a fallback). Raises when nobody is left.
        """
        self.ensure_one()
        role = transition["approver"]
        for step in [role, *self._approval_fallback_roles(role)]:
            users = self._approval_filter_approvers(
                self._approval_role_users(step, transition, requester), requester
            )
            if users:
                return users, step
        raise UserError(
            self.env._(
                "Nobody can approve moving %(record)s to '%(target)s': the "
                "approver, the fallbacks and the OKR administrators of "
                "%(company)s are missing or are the requester. Ask an OKR "
                "administrator to set the organisation chart.",
                record=self.display_name,
                target=self._approval_state_label(transition["to"]),
                company=self._approval_get_company().name,
            )
        )

    def _approval_user_may_decide(self, request, user):
        return (
            user in request.approver_user_ids
            and user != request.requested_by_id
            and bool(self._approval_filter_approvers(user, request.requested_by_id))
        )

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def _approval_check_owner_side(self):
        user = self.env.user
        if not self._approval_can_act_for_owner(user):
            raise AccessError(
                self.env._(
                    "Only the owner of %(record)s, their managers or an OKR "
                    "administrator may change its stage.",
                    record=self.display_name,
                )
            )

    def _approval_request_one(self, to_state, comment):
        self.ensure_one()
        self.check_access("read")
        self._approval_check_owner_side()
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
        self._approval_schedule_activities(request, approvers)
        self._approval_apply(
            transition["pending"] or transition["from"],
            "requested",
            transition,
            request=request,
            comment=comment,
        )

    def _approval_lock_request(self, request):
        """Lock the request row so that exactly one decision wins.

        NOWAIT: a second approver acting at the same moment gets a clear
        message at once instead of waiting, then deciding on stale data.
        """
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM okr_approval_request "
                        "WHERE id = %s FOR UPDATE NOWAIT",
                        request.id,
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Someone else is deciding on this request right now. "
                    "Reload the page in a moment to see the outcome."
                )
            ) from None
        except psycopg2.errors.SerializationFailure:
            raise UserError(
                self.env._(
                    "This request was decided by someone else a moment ago. "
                    "Reload the page to see the outcome."
                )
            ) from None
        request.invalidate_recordset()
        if request.state != "pending":
            request._raise_already_decided()

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
        self._approval_lock_request(request)
        target = request.to_state if decision == "approved" else request.reject_state
        # request is a sudo record (see _approval_pending_requests_by_res_id):
        # users only read requests; the decision was checked just above.
        request.write(
            {
                "state": decision,
                "decided_by_id": user.id,
                "decided_on": fields.Datetime.now(),
                "decision_comment": comment or False,
            }
        )
        self._approval_close_activities(request)
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
        self._approval_lock_request(request)
        request.write(
            {
                "state": "cancelled",
                "decided_by_id": user.id,
                "decided_on": fields.Datetime.now(),
            }
        )
        self._approval_close_activities(request)
        transition = {"from": request.from_state, "to": request.to_state}
        self._approval_apply(
            request.from_state, "cancelled", transition, request=request
        )

    def _approval_schedule_activities(self, request, users, summary=None):
        """One 'Approval' activity per user on the record, linked to the request."""
        if not users:
            return
        activity_type = self.env.ref(ACTIVITY_TYPE_XMLID)
        deadline = fields.Date.add(
            fields.Date.context_today(self),
            days=self._approval_get_company().okr_approval_escalation_days,
        )
        summary = summary or self.env._(
            "Approve: %(from_state)s → %(to_state)s",
            from_state=self._approval_state_label(request.from_state),
            to_state=self._approval_state_label(request.to_state),
        )
        # sudo: approvers often may not write the record, which creating and
        # closing activities on it requires; the request was checked already.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": self.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": summary,
                        "date_deadline": deadline,
                    }
                    for user in users
                ]
            )
        )
        # the request (checked already, see above) links its own activities
        request.sudo().activity_ids = [(4, activity.id) for activity in activities]

    def _approval_close_activities(self, request):
        # sudo: see _approval_schedule_activities
        request.sudo().activity_ids.unlink()

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
        self._approval_log_history(
            decision,
            transition["from"],
            transition["to"],
            new_state,
            request=request,
            comment=comment,
        )
        self._approval_post_decision(decision, transition, request, comment)
        self.invalidate_recordset(APPROVAL_FIELDS)

    def _approval_log_history(
        self, decision, from_state, to_state, result_state, **kwargs
    ):
        request = kwargs.get("request")
        with history_pass():
            # sudo: history is read-only for everybody; rows are only written
            # here, after the caller's checks.
            return (
                self.env["okr.stage.history"]
                .sudo()
                .create(
                    {
                        "res_model": self._name,
                        "res_id": self.id,
                        "res_name": self.display_name,
                        "company_id": self._approval_get_company().id,
                        "request_id": request.id if request else False,
                        "from_state": from_state,
                        "to_state": to_state,
                        "result_state": result_state,
                        "decision": decision,
                        "user_id": self.env.uid,
                        "owner_user_id": self._approval_get_owner().user_id.id,
                        "comment": kwargs.get("comment") or False,
                    }
                )
            )

    def _approval_post_decision(self, decision, transition, request, comment):
        """Post the decision in the chatter as an internal note.

        States, names and the comment only: never a grade, a confidence or
        any other value of the record.
        """
        # The chatter is not a bsc_okr model: its body is cleaned here.
        comment = clean_text(comment)
        from_state = self._approval_state_label(transition["from"])
        to_state = self._approval_state_label(transition["to"])
        approvers = (
            ", ".join(request.approver_user_ids.mapped("name")) if request else ""
        )
        if decision == "requested" and comment:
            body = self.env._(
                "Approval requested: %(from_state)s → %(to_state)s. "
                "Approvers: %(approvers)s. Comment: %(comment)s",
                from_state=from_state,
                to_state=to_state,
                approvers=approvers,
                comment=comment,
            )
        elif decision == "requested":
            body = self.env._(
                "Approval requested: %(from_state)s → %(to_state)s. "
                "Approvers: %(approvers)s.",
                from_state=from_state,
                to_state=to_state,
                approvers=approvers,
            )
        elif decision == "approved" and comment:
            body = self.env._(
                "Approved: %(from_state)s → %(to_state)s. Comment: %(comment)s",
                from_state=from_state,
                to_state=to_state,
                comment=comment,
            )
        elif decision == "approved":
            body = self.env._(
                "Approved: %(from_state)s → %(to_state)s.",
                from_state=from_state,
                to_state=to_state,
            )
        elif decision == "rejected":
            body = self.env._(
                "Rejected: %(from_state)s → %(to_state)s. Reason: %(comment)s",
                from_state=from_state,
                to_state=to_state,
                comment=comment,
            )
        elif decision == "cancelled":
            body = self.env._(
                "Approval request withdrawn: %(from_state)s → %(to_state)s.",
                from_state=from_state,
                to_state=to_state,
            )
        elif decision == "escalated":
            body = self.env._(
                "Approval of %(from_state)s → %(to_state)s escalated to %(approvers)s.",
                from_state=from_state,
                to_state=to_state,
                approvers=comment,
            )
        elif comment:
            body = self.env._(
                "Stage changed: %(from_state)s → %(to_state)s. Comment: %(comment)s",
                from_state=from_state,
                to_state=to_state,
                comment=comment,
            )
        else:
            body = self.env._(
                "Stage changed: %(from_state)s → %(to_state)s.",
                from_state=from_state,
                to_state=to_state,
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
