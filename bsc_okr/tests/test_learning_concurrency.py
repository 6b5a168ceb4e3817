"""Two approvers, or two executives, acting at once on a learning plan, in
two real transactions: exactly one wins, the other is told.

These tests commit (see concurrency_common): the class creates its own
users, cycle and plans in the main company and removes all of it at the end.
"""

from contextlib import closing

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .concurrency_common import TwoCursorCase

PLAN = "okr.learning.plan"


@tagged("post_install", "-at_install", "bsc_okr_commits")
class TestLearningConcurrency(TwoCursorCase):
    LOGINS = (
        "t_lconc_owner",
        "t_lconc_admin_one",
        "t_lconc_admin_two",
        "t_lconc_exec_one",
        "t_lconc_exec_two",
    )

    @classmethod
    def _setup_committed(cls, env):
        company = env.ref("base.main_company")
        groups = {
            "owner": "base.group_user",
            "admin": "base.group_user,bsc_okr.group_okr_admin",
            "exec": "base.group_user,bsc_okr.group_executive",
        }
        users = {
            login: cls._make_test_user(env, login, groups[login.split("_")[2]], company)
            for login in cls.LOGINS
        }
        cls.owner_uid = users["t_lconc_owner"].id
        cls.admin_one_uid = users["t_lconc_admin_one"].id
        cls.admin_two_uid = users["t_lconc_admin_two"].id
        cls.exec_one_uid = users["t_lconc_exec_one"].id
        cls.exec_two_uid = users["t_lconc_exec_two"].id
        # No manager and no department: the OKR administrators approve.
        cls.employee_id = (
            env["hr.employee"]
            .create(
                {
                    "name": "Concurrent Learner",
                    "user_id": cls.owner_uid,
                    "company_id": company.id,
                }
            )
            .id
        )
        cls.cycle_id = (
            env["okr.cycle"]
            .create(
                {
                    "name": "Jan 2031 (concurrency test)",
                    "company_id": company.id,
                    "cycle_type": "month",
                    "date_start": "2031-01-01",
                    "date_end": "2031-01-31",
                }
            )
            .id
        )
        cls.company_id = company.id

    @classmethod
    def _remove_committed_data(cls):
        with cls.registry.cursor() as cr:
            # The history, decisions and started plans refuse deletion except
            # when the module is uninstalled: these rows are this class's own.
            env = api.Environment(cr, SUPERUSER_ID, {MODULE_UNINSTALL_FLAG: True})
            cycle = env["okr.cycle"].browse(getattr(cls, "cycle_id", None)).exists()
            goals = env["okr.objective"].search([("cycle_id", "in", cycle.ids)])
            plans = env[PLAN].search([("objective_id", "in", goals.ids)])
            for model, records in ((PLAN, plans), ("okr.objective", goals)):
                env["okr.stage.history"].search(
                    [("res_model", "=", model), ("res_id", "in", records.ids)]
                ).unlink()
                env["okr.approval.request"].search(
                    [("res_model", "=", model), ("res_id", "in", records.ids)]
                ).unlink()
            plans.decision_ids.unlink()
            plans.unlink()  # and their goals
            goals.exists().unlink()
            cycle.unlink()
            cls._remove_test_users(env)

    def setUp(self):
        # Committed before the two cursors open: a plan waiting for the OKR
        # administrators' approval to start learning, and one waiting for
        # the executives' decision.
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Plan = env[PLAN].with_user(self.owner_uid)
            values = {
                "company_id": self.company_id,
                "plan_type_id": env.ref("bsc_okr.okr_learning_plan_type_lean").id,
                "cycle_id": self.cycle_id,
                "key_result_ids": [
                    Command.create({"name": "Plants visited", "target_value": 3})
                ],
            }
            learning = Plan.create({**values, "name": "Lean at a bakery"})
            learning.action_approval_request("learn")
            approvers = learning.sudo().approval_approver_user_ids.ids
            self.assertIn(self.admin_one_uid, approvers)
            self.assertIn(self.admin_two_uid, approvers)
            deciding = Plan.create({**values, "name": "Lean at a hospital"})
            deciding.sudo()._approval_force_state("decide")
            self.learning_id, self.deciding_id = learning.id, deciding.id
        super().setUp()

    def plan_as(self, cr, uid, plan_id):
        return self.env_as(cr, uid)[PLAN].browse(plan_id)

    def test_two_approvers_at_once(self):
        self.plan_as(
            self.cr_one, self.admin_one_uid, self.learning_id
        ).action_approval_approve()
        with self.assertRaisesRegex(UserError, "deciding on this request right now"):
            self.plan_as(
                self.cr_two, self.admin_two_uid, self.learning_id
            ).action_approval_approve()
        self.cr_two.rollback()
        self.cr_one.commit()
        with self.assertRaisesRegex(UserError, "already approved by T Lconc Admin One"):
            self.plan_as(
                self.cr_two, self.admin_two_uid, self.learning_id
            ).action_approval_approve()
        self.cr_two.rollback()
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            plan = env[PLAN].browse(self.learning_id)
            self.assertEqual(plan.state, "learn")
            self.assertEqual(plan.objective_id.state, "active")
            history = env["okr.stage.history"].search(
                [("res_model", "=", PLAN), ("res_id", "=", plan.id)], order="id"
            )
            self.assertEqual(history.mapped("decision"), ["requested", "approved"])
            self.assertEqual(history[-1].user_id.id, self.admin_one_uid)
            goal_history = env["okr.stage.history"].search(
                [
                    ("res_model", "=", "okr.objective"),
                    ("res_id", "=", plan.objective_id.id),
                ]
            )
            self.assertEqual(len(goal_history), 1, "the goal started once")

    def test_two_executives_decide_at_once(self):
        Decision = "okr.learning.decision"
        self.env_as(self.cr_one, self.exec_one_uid)[Decision].create(
            {"plan_id": self.deciding_id, "decision": "adopt", "rationale": "Go"}
        )
        with self.assertRaisesRegex(UserError, "deciding on or promoting"):
            self.env_as(self.cr_two, self.exec_two_uid)[Decision].create(
                {"plan_id": self.deciding_id, "decision": "reject", "rationale": "No"}
            )
        self.cr_two.rollback()
        self.cr_one.commit()
        with self.assertRaisesRegex(UserError, "'Decide' stage only"):
            self.env_as(self.cr_two, self.exec_two_uid)[Decision].create(
                {"plan_id": self.deciding_id, "decision": "reject", "rationale": "No"}
            )
        self.cr_two.rollback()
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            plan = env[PLAN].browse(self.deciding_id)
            self.assertEqual(plan.state, "promote")
            self.assertEqual(plan.decision_ids.mapped("decision"), ["adopt"])
            self.assertEqual(plan.decision_ids.decided_by_id.id, self.exec_one_uid)
