from odoo.tests import tagged

from .common import BscOkrCase


@tagged("post_install", "-at_install")
class TestGroups(BscOkrCase):
    """The role groups, their implication chains and who gets them by default."""

    def test_okr_chain(self):
        user = self.env.ref("bsc_okr.group_okr_user")
        manager = self.env.ref("bsc_okr.group_okr_manager")
        admin = self.env.ref("bsc_okr.group_okr_admin")
        self.assertIn(user, manager.implied_ids)
        self.assertIn(manager, admin.implied_ids)
        self.assertIn(user, admin.trans_implied_ids)
        self.assertTrue(self.user_okr_admin.has_group("bsc_okr.group_okr_manager"))
        self.assertTrue(self.user_okr_admin.has_group("bsc_okr.group_okr_user"))
        self.assertFalse(self.user_manager.has_group("bsc_okr.group_okr_admin"))

    def test_all_groups_in_one_category(self):
        category = self.env.ref("bsc_okr.module_category_strategy_okr")
        for xmlid in (
            "group_okr_user",
            "group_okr_manager",
            "group_okr_admin",
            "group_strategy_officer",
            "group_executive",
            "group_kpi_appraisal",
        ):
            group = self.env.ref(f"bsc_okr.{xmlid}")
            self.assertEqual(group.category_id, category, xmlid)

    def test_internal_users_are_okr_users(self):
        self.assertIn(
            self.env.ref("bsc_okr.group_okr_user"),
            self.env.ref("base.group_user").implied_ids,
        )
        self.assertTrue(self.user_employee.has_group("bsc_okr.group_okr_user"))
        self.assertTrue(self.user_hr.has_group("bsc_okr.group_okr_user"))

    def test_strategy_roles_imply_only_okr_user(self):
        for xmlid in ("group_strategy_officer", "group_executive"):
            group = self.env.ref(f"bsc_okr.{xmlid}")
            self.assertEqual(
                group.trans_implied_ids, self.env.ref("bsc_okr.group_okr_user"), xmlid
            )
        self.assertFalse(self.user_strategy.has_group("bsc_okr.group_okr_manager"))
        self.assertFalse(
            self.user_executive.has_group("bsc_okr.group_strategy_officer")
        )

    def test_kpi_appraisal_implies_nothing(self):
        """Appraisal staff must not inherit any OKR right through their role."""
        group = self.env.ref("bsc_okr.group_kpi_appraisal")
        self.assertFalse(group.implied_ids)
        implying = self.env["res.groups"].search([("implied_ids", "in", group.ids)])
        self.assertFalse(implying, "no group may imply KPI Appraisal")

    def test_portal_employee_is_okr_user_not_internal(self):
        self.assertTrue(self.user_portal.has_group("bsc_okr.group_okr_user"))
        self.assertTrue(self.user_portal.share)
        self.assertFalse(self.user_portal.has_group("base.group_user"))

    def test_admin_runs_the_module_but_is_not_appraisal_staff(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("bsc_okr.group_okr_admin"))
        self.assertTrue(admin.has_group("bsc_okr.group_strategy_officer"))
        self.assertTrue(admin.has_group("bsc_okr.group_executive"))
        self.assertFalse(admin.has_group("bsc_okr.group_kpi_appraisal"))

    def test_company_settings_defaults(self):
        self.assertTrue(self.company.okr_strict_appraisal_wall)
        self.assertEqual(self.company.okr_stale_days, 14)
        self.assertEqual(self.company.okr_approval_escalation_days, 5)

    def test_department_management_mode_default(self):
        self.assertEqual(self.dept_production.management_mode, "both")

    def test_app_menu_visible_to_employees(self):
        root = self.env.ref("bsc_okr.bsc_okr_menu_root")
        visible = (
            self.env["ir.ui.menu"].with_user(self.user_okr_admin)._visible_menu_ids()
        )
        self.assertIn(root.id, visible)
