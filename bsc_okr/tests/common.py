"""Shared fixtures: a company of its own with one user per role.

Tests never rely on demo data: they build this small organisation instead.

    ceo (Executive + Strategy Officer + OKR manager)
     ├── manager (OKR manager, head of Production)
     │    ├── employee (OKR user, Production)
     │    └── portal (portal user, Production)
     ├── peer (OKR user, Sales)
     └── hr (HR officer + KPI appraisal, HR)
    okr_admin and strategy officer have no employee in the chain.
"""

from odoo.tests import TransactionCase, new_test_user


class BscOkrCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create({"name": "Test Toys Ltd"})
        cls.other_company = cls.env["res.company"].create({"name": "Other Toys"})
        cls.env.user.company_ids |= cls.company | cls.other_company

        def user(login, groups, name=None, company=None):
            company = company or cls.company
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                name=name or login.replace("_", " ").title(),
                company_id=company.id,
                company_ids=[company.id],
            )

        cls.user_ceo = user(
            "t_ceo",
            "base.group_user,bsc_okr.group_executive,"
            "bsc_okr.group_strategy_officer,bsc_okr.group_okr_manager",
        )
        cls.user_manager = user(
            "t_manager", "base.group_user,bsc_okr.group_okr_manager"
        )
        cls.user_employee = user("t_employee", "base.group_user")
        cls.user_peer = user("t_peer", "base.group_user")
        cls.user_portal = user("t_portal", "base.group_portal,bsc_okr.group_okr_user")
        cls.user_hr = user(
            "t_hr", "base.group_user,hr.group_hr_user,bsc_okr.group_kpi_appraisal"
        )
        cls.user_okr_admin = user(
            "t_okr_admin", "base.group_user,bsc_okr.group_okr_admin"
        )
        cls.user_strategy = user(
            "t_strategy", "base.group_user,bsc_okr.group_strategy_officer"
        )
        cls.user_executive = user(
            "t_executive", "base.group_user,bsc_okr.group_executive"
        )
        cls.user_other_company = user(
            "t_other",
            "base.group_user,bsc_okr.group_okr_admin",
            company=cls.other_company,
        )

        Department = cls.env["hr.department"]
        cls.dept_management = Department.create(
            {"name": "Management", "company_id": cls.company.id}
        )
        cls.dept_production = Department.create(
            {
                "name": "Production",
                "company_id": cls.company.id,
                "parent_id": cls.dept_management.id,
            }
        )
        cls.dept_sales = Department.create(
            {
                "name": "Sales",
                "company_id": cls.company.id,
                "parent_id": cls.dept_management.id,
            }
        )
        cls.dept_hr = Department.create(
            {
                "name": "HR",
                "company_id": cls.company.id,
                "parent_id": cls.dept_management.id,
            }
        )

        Employee = cls.env["hr.employee"]

        def employee(name, user, department, parent=None):
            return Employee.create(
                {
                    "name": name,
                    "user_id": user.id if user else False,
                    "department_id": department.id,
                    "parent_id": parent.id if parent else False,
                    "company_id": cls.company.id,
                }
            )

        cls.emp_ceo = employee("CEO", cls.user_ceo, cls.dept_management)
        cls.emp_manager = employee(
            "Manager", cls.user_manager, cls.dept_production, cls.emp_ceo
        )
        cls.emp_employee = employee(
            "Employee", cls.user_employee, cls.dept_production, cls.emp_manager
        )
        cls.emp_portal = employee(
            "Portal Worker", cls.user_portal, cls.dept_production, cls.emp_manager
        )
        cls.emp_peer = employee("Peer", cls.user_peer, cls.dept_sales, cls.emp_ceo)
        cls.emp_hr = employee("HR Officer", cls.user_hr, cls.dept_hr, cls.emp_ceo)
        cls.emp_okr_admin = employee(
            "OKR Admin", cls.user_okr_admin, cls.dept_management
        )
        cls.emp_strategy = employee(
            "Strategy Officer", cls.user_strategy, cls.dept_management
        )
        cls.emp_executive = employee(
            "Executive", cls.user_executive, cls.dept_management
        )
        cls.dept_management.manager_id = cls.emp_ceo
        cls.dept_production.manager_id = cls.emp_manager
