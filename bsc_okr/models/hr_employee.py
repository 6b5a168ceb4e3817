from odoo import Command, fields, models
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

    def _okr_check_portal_admin(self):
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
        # was checked by _okr_check_portal_admin.
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
        self._okr_check_portal_admin()
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
            # sudo: _okr_check_portal_admin() above; HR managers may not write res.users
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
        self._okr_check_portal_admin()
        group_okr = self.env.ref("bsc_okr.group_okr_user")
        for employee in self.filtered(lambda e: e.user_id.share):
            # sudo: _okr_check_portal_admin() above; HR managers may not write res.users
            user = employee.user_id.sudo()
            if user._is_portal() and user.active:
                self._okr_portal_wizard_user(user.partner_id).action_revoke_access()
            user.write({"groups_id": [Command.unlink(group_okr.id)]})
        return self._okr_portal_notification(
            self.env._("OKR portal access revoked where it was a portal user.")
        )
