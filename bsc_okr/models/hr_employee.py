from odoo import fields, models


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
