"""Where an approval-controlled record may go next, and who decides.

The second half of ``okr.approval.mixin`` (see ``okr_approval_mixin.py`` for
the workflow itself): the transition table, normalised once per model when
the registry is set up (``engine/transitions.py``), and the routing of a
request to its approvers: the owner's side, the roles, their fallbacks and
the final filter. Every method here is a hook a concrete model may override.
"""

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from ..engine.transitions import normalise_transitions


class OkrApprovalRouting(models.AbstractModel):
    _inherit = "okr.approval.mixin"

    # ------------------------------------------------------------------
    # Transition table
    # ------------------------------------------------------------------
    @api.model
    def _setup_complete(self):
        super()._setup_complete()
        field = self._fields.get(self._approval_state_field)
        if self._abstract or field is None or not isinstance(field.selection, list):
            # the mixin itself, or a selection computed at run time: the
            # table is normalised on first use instead
            return
        self._approval_normalise_transitions()

    def _approval_normalise_transitions(self):
        """Check and normalise the declared table, and keep it on the model's
        class with the declared list it comes from."""
        field = self._fields[self._approval_state_field]
        try:
            table = normalise_transitions(
                self._approval_transitions, field.get_values(self.env), self._fields
            )
        except ValueError as error:
            raise ValueError(
                f"{self._name}: invalid approval transition table: {error}"
            ) from error
        cls = self.env.registry[self._name]
        cls._approval_transition_table = (cls._approval_transitions, table)
        return table

    @api.model
    def _approval_get_transitions(self):
        """The normalised transition table (hook).

        Returns a list of read-only dicts with every key of
        :data:`~bsc_okr.engine.transitions.TRANSITION_KEYS` filled in, one
        per (from, to) pair, normalised once when the registry was set up.
        Override to add transitions computed at run time; keep the same shape.
        """
        declared, table = type(self)._approval_transition_table
        if declared is not self._approval_transitions:
            # the declared table was replaced at run time (a test's patch)
            table = self._approval_normalise_transitions()
        return list(table)

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

    def _approval_ensure_owner_side(self):
        user = self.env.user
        if not self._approval_can_act_for_owner(user):
            raise AccessError(
                self.env._(
                    "Only the owner of %(record)s, their managers or an OKR "
                    "administrator may change its stage.",
                    record=self.display_name,
                )
            )
