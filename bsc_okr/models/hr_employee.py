from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    okr_managed_department_ids = fields.One2many(
        "hr.department",
        "manager_id",
        string="Managed Departments",
        groups="hr.group_hr_user",
        help="Technical: the departments this employee heads; OKR record "
        "rules give their managers the department scope through it.",
    )
    okr_manager_chain_ids = fields.Many2many(
        "hr.employee",
        "hr_employee_okr_manager_chain_rel",
        "employee_id",
        "manager_id",
        string="Manager Chain",
        compute="_compute_okr_manager_chain_ids",
        store=True,
        recursive=True,
        # Archived employees stay in the chain, as they stay in the org chart
        # that child_of walks: read and recompute it whatever active_test is.
        context={"active_test": False},
        groups="base.group_system",
        help="Technical: this employee and every manager above it (parent_id, "
        "archived ones included). The manager scope of the record rules, "
        "owner_id.okr_manager_chain_ids in user.employee_ids, costs one join "
        "where owner_id.parent_id child_of user.employee_ids costs one query "
        "per level of the org chart at each search.",
    )

    @api.depends("parent_id", "parent_id.okr_manager_chain_ids")
    def _compute_okr_manager_chain_ids(self):
        for employee in self:
            # _origin: a new (onchange) record is in no stored chain yet.
            employee.okr_manager_chain_ids = (
                employee._origin | employee.parent_id.okr_manager_chain_ids
            )

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        self._okr_flush_manager_chain()
        if any(employees.user_id):
            employees._okr_clear_rule_cache()
        return employees

    def write(self, vals):
        # Before the write: the stored chains still name self in every
        # employee below it, archived ones included.
        below = self._okr_employees_below() if "parent_id" in vals else None
        res = super().write(vals)
        if below is not None:
            # The ORM recomputes the chain of the active subordinates only
            # (through child_ids, which hides archived ones): mark the whole
            # subtree, so that no archived employee keeps a former manager.
            self._okr_flush_manager_chain(below)
        if "user_id" in vals or ("active" in vals and any(self.user_id)):
            self._okr_clear_rule_cache()
        return res

    def unlink(self):
        below = self._okr_employees_below()
        had_users = any(self.user_id)
        res = super().unlink()
        # The database nulls the subordinates' parent_id (ondelete set null)
        # behind the ORM's back.
        self._okr_flush_manager_chain(below.exists())
        if had_users:
            self._okr_clear_rule_cache()
        return res

    def _okr_employees_below(self):
        """Every employee under ``self`` in the org chart, archived ones
        included, read from the stored chains: one query."""
        # sudo: the org chart only (who reports to whom), read to keep the
        # technical chain exact; nothing is returned to the caller.
        return (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("okr_manager_chain_ids", "in", self.ids), ("id", "not in", self.ids)]
            )
        )

    def _okr_flush_manager_chain(self, employees=None):
        """Recompute the pending chains (and those of ``employees``) now.
        A search does not recompute a stored computed many2many before it
        reads its relation table (the ORM flushes the columns a query reads,
        and a relation table has none), so a record rule would read a
        pending chain: chains are written with the change that moves them."""
        field = self._fields["okr_manager_chain_ids"]
        if employees:
            self.env.add_to_compute(field, employees)
        self.env["hr.employee"].flush_model([field.name])

    def _okr_clear_rule_cache(self):
        """Record rules are cached with user.employee_ids evaluated (the
        active employees linked to the user): a change of user link, or an
        archived or restored employee with a user, changes that value;
        the transaction's cache of that one2many is not always told."""
        self.env["res.users"].invalidate_model(["employee_ids"])
        self.env.registry.clear_cache()

    def _okr_ensure_portal_admin(self):
        """HR managers and OKR administrators hand out portal access."""
        user = self.env.user
        if not self.env.su and not (
            user.has_group("hr.group_hr_manager")
            or user.has_group("bsc_okr.group_okr_admin")
        ):
            raise AccessError(
                self.env._(
                    "Only HR managers and OKR administrators grant or revoke "
                    "OKR portal access."
                )
            )

    def _okr_portal_wizard_user(self, partner):
        # sudo: portal.wizard is the administrators' tool; the caller's right
        # was checked by _okr_ensure_portal_admin.
        wizard = (
            self.env["portal.wizard"]
            .sudo()
            .create({"partner_ids": [Command.link(partner.id)]})
        )
        return wizard.user_ids[:1]

    def action_okr_grant_portal_access(self):
        """Create (or reactivate) a portal user for each employee, link it to
        the employee, give it the OKR employee group and send the signup
        invitation. Employees with an internal user already use the portal
        pages with it and are left alone. Everything is checked first:
        nothing is written unless every employee can get access."""
        self._okr_ensure_portal_admin()
        todo = self.filtered(lambda e: not e.user_id or e.user_id.share)
        for employee in todo:
            if not employee.work_email and not employee.user_id:
                raise UserError(
                    self.env._(
                        "%(employee)s has no work e-mail: the portal invitation "
                        "is sent there. Add one first.",
                        employee=employee.name,
                    )
                )
        group_okr = self.env.ref("bsc_okr.group_okr_user")
        for employee in todo:
            # sudo: _okr_ensure_portal_admin() above; HR managers may not
            # write res.users
            user = employee.user_id.sudo()
            if not user:
                partner = employee.work_contact_id
                if not partner:
                    employee._create_work_contacts()
                    partner = employee.work_contact_id
                wizard_user = self._okr_portal_wizard_user(partner)
                wizard_user.email = employee.work_email
                if not (wizard_user.is_portal and wizard_user.user_id.active):
                    wizard_user.action_grant_access()
                # sudo: the portal user the checked administrator just granted
                user = wizard_user.user_id.sudo()
            elif not user.active or not user._is_portal():
                wizard_user = self._okr_portal_wizard_user(user.partner_id)
                wizard_user.action_grant_access()
            # sudo: linking users and groups is the administrators' job,
            # checked above.
            user.sudo().write(
                {
                    "groups_id": [Command.link(group_okr.id)],
                    "company_ids": [Command.link(employee.company_id.id)],
                }
            )
            if employee.user_id != user:
                # sudo: the employee <-> user link, for the checked administrator
                employee.sudo().user_id = user
        return self._okr_portal_notification(
            self.env._(
                "OKR portal access granted to %(count)s employee(s); new "
                "portal users received an invitation e-mail.",
                count=len(todo),
            )
        )

    def _okr_portal_notification(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "success", "sticky": False},
        }

    def action_okr_revoke_portal_access(self):
        """Close the portal: the portal user loses the OKR group and is
        archived; the employee keeps the link to it (its OKRs keep their
        owner and a later grant reactivates the same user). Internal users
        are not touched."""
        self._okr_ensure_portal_admin()
        group_okr = self.env.ref("bsc_okr.group_okr_user")
        for employee in self.filtered(lambda e: e.user_id.share):
            # sudo: _okr_ensure_portal_admin() above; HR managers may not
            # write res.users
            user = employee.user_id.sudo()
            if user._is_portal() and user.active:
                self._okr_portal_wizard_user(user.partner_id).action_revoke_access()
            user.write({"groups_id": [Command.unlink(group_okr.id)]})
        return self._okr_portal_notification(
            self.env._("OKR portal access revoked where it was a portal user.")
        )
