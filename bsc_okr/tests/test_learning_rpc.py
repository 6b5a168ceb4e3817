from odoo.tests import HttpCase, tagged

from .learning_common import LearningCase
from .rpc_common import XmlRpcMixin
from .test_approval_rpc import CLICK_JS

PLAN = "okr.learning.plan"


@tagged("post_install", "-at_install")
class TestLearningRpc(XmlRpcMixin, HttpCase, LearningCase):
    """The refusals hold over XML-RPC, and the web client drives the plan."""

    def test_state_cannot_be_written_over_rpc(self):
        plan = self.make_plan()
        for context in (
            None,
            {"bsc_okr_approval_state_pass": True, "install_mode": True},
        ):
            self.assert_refused(
                "approval workflow",
                self.user_employee,
                PLAN,
                "write",
                plan.ids,
                {"state": "promote"},
                **({"context": context} if context else {}),
            )
        self.assert_refused(
            "approval workflow",
            self.user_employee,
            PLAN,
            "create",
            {
                "name": "Born promoted",
                "plan_type_id": self.type_tech.id,
                "cycle_id": self.cycle_feb.id,
                "state": "promote",
            },
        )
        for method, args in (
            ("_approval_apply", ["promote", "approved", {}]),
            ("_approval_force_state", ["promote"]),
            ("_learning_apply_decision", [1]),
            ("_learning_link_initiative", [1]),
        ):
            self.assert_refused(
                "Private methods", self.user_employee, PLAN, method, plan.ids, *args
            )
        self.assert_refused(
            "set by its workflow",
            self.user_employee,
            PLAN,
            "write",
            plan.ids,
            {"initiative_id": 1, "is_published": True},
        )
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "propose")
        self.assertFalse(plan.is_published)

    def test_workflow_refusals_over_rpc(self):
        plan = self.make_plan()
        self.assert_refused(
            "cannot be skipped",
            self.user_employee,
            PLAN,
            "action_approval_request",
            plan.ids,
            "decide",
        )
        self.rpc(self.user_manager, PLAN, "action_approval_request", plan.ids, "learn")
        self.assert_refused(
            "own request", self.user_manager, PLAN, "action_approval_approve", plan.ids
        )
        self.assert_refused(
            "reason", self.user_ceo, PLAN, "action_approval_reject", plan.ids, " "
        )
        self.assertTrue(
            self.rpc(self.user_ceo, PLAN, "action_approval_approve", plan.ids)
        )
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "learn")
        self.assert_refused(
            "stage only",
            self.user_manager,
            "okr.learning.decision",
            "create",
            {"plan_id": plan.id, "decision": "adopt", "rationale": "Go"},
        )

    def test_history_cannot_be_edited_over_rpc(self):
        plan = self.advance(self.make_plan(), "learn")
        rows = self.history(plan)
        for user in (self.user_employee, self.user_okr_admin):
            self.assert_refused(
                "cannot be changed",
                user,
                "okr.stage.history",
                "write",
                rows.ids,
                {"comment": "tampered", "user_id": user.id},
            )
            self.assert_refused(
                "not allowed to delete", user, "okr.stage.history", "unlink", rows.ids
            )
        rows.invalidate_recordset()
        self.assertEqual(rows, self.history(plan))
        self.assertFalse(any(rows.mapped("comment")))

    def test_promotion_refusals_over_rpc(self):
        parked = self.advance(self.make_plan(), "parked", decision="park")
        wizard_id = self.rpc(
            self.user_strategy,
            "okr.learning.promote.wizard",
            "create",
            {
                "scorecard_id": self.scorecard.id,
                "objective_ids": [self.obj_learning.id],
            },
            context={"default_plan_id": parked.id},
        )
        self.assert_refused(
            "adopted or piloted",
            self.user_strategy,
            "okr.learning.promote.wizard",
            "action_promote",
            [wizard_id],
        )
        self.assertFalse(parked.initiative_id)

    def test_start_learning_in_the_web_client(self):
        """The owner asks to start learning, the manager approves: two
        clicks in the plan's form, recorded in the history."""
        plan = self.make_plan()
        action = self.env.ref("bsc_okr.okr_learning_plan_action")
        url = f"/odoo/action-{action.id}/{plan.id}"
        self.browser_js(
            url,
            CLICK_JS % {"button": "action_approval_request"},
            login=self.user_employee.login,
        )
        self.assertTrue(self.pending_request(plan))
        self.browser_js(
            url,
            CLICK_JS % {"button": "action_approval_approve"},
            login=self.user_manager.login,
        )
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "learn")
        self.assertEqual(plan.objective_id.state, "active")
        self.assertEqual(
            self.history(plan).mapped("user_id"), self.user_employee | self.user_manager
        )
