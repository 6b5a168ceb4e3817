from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .learning_common import LearningCase


@tagged("post_install", "-at_install")
class TestLearningRefusals(LearningCase):
    """Bad input and faults, each tried by the user who would try it:
    refused with a clear message, nothing half-written."""

    def test_skipping_a_stage(self):
        plan = self.advance(self.make_plan(), "learn")
        with self.assertRaisesRegex(UserError, "cannot be skipped"):
            plan.with_user(self.user_employee).action_approval_request("decide")
        with self.assertRaisesRegex(UserError, "cannot be skipped"):
            plan.with_user(self.user_manager).action_approval_request("promote")
        self.assertEqual(plan.state, "learn")
        self.assertFalse(self.pending_request(plan))

    def test_deciding_by_request_is_refused(self):
        plan = self.advance(self.make_plan(), "decide")
        self.assertFalse(plan.with_user(self.user_employee).approval_next_states)
        with self.assertRaisesRegex(UserError, "executives' decision"):
            plan.with_user(self.user_employee).action_approval_request("promote")
        self.assertEqual(plan.state, "decide")

    def test_approving_ones_own_request(self):
        plan = self.make_plan()
        # the manager requests on behalf of the employee, then tries to approve
        plan.with_user(self.user_manager).action_approval_request("learn")
        self.assertEqual(plan.approval_approver_user_ids, self.user_ceo)
        with self.assertRaisesRegex(UserError, "own request"):
            plan.with_user(self.user_manager).action_approval_approve()
        # the owner is never an approver of their own plan
        with self.assertRaises(AccessError):
            plan.with_user(self.user_employee).action_approval_approve()
        self.assertEqual(plan.state, "propose")
        plan.with_user(self.user_ceo).action_approval_approve()
        self.assertEqual(plan.state, "learn")

    def test_rejecting_without_a_reason(self):
        plan = self.make_plan()
        plan.with_user(self.user_employee).action_approval_request("learn")
        for reason in ("", "   ", None):
            with self.assertRaisesRegex(UserError, "reason"):
                plan.with_user(self.user_manager).action_approval_reject(reason)
        self.assertTrue(self.pending_request(plan))
        plan.with_user(self.user_manager).action_approval_reject("Too broad")
        self.assertEqual(plan.state, "propose")
        self.assertEqual(self.history(plan)[-1].comment, "Too broad")
        self.assertEqual(plan.objective_id.state, "draft", "the goal did not start")

    def test_key_results_fixed_while_waiting_for_approval(self):
        plan = self.make_plan()
        plan.with_user(self.user_employee).action_approval_request("learn")
        key_result = plan.key_result_ids[0].with_user(self.user_employee)
        with self.assertRaisesRegex(UserError, "waits for approval"):
            key_result.write({"target_value": 1})
        with self.assertRaisesRegex(UserError, "waits for approval"):
            plan.with_user(self.user_employee).write(
                {
                    "key_result_ids": [
                        Command.create({"name": "Easy", "target_value": 1})
                    ]
                }
            )
        with self.assertRaisesRegex(UserError, "waits for approval"):
            plan.with_user(self.user_employee).write({"goal_name": "Something easier"})
        self.assertEqual(len(plan.key_result_ids), 2)
        plan.with_user(self.user_employee).action_approval_cancel_request()
        key_result.write({"target_value": 5})
        self.assertEqual(key_result.target_value, 5)

    def test_learning_needs_key_results(self):
        plan = self.make_plan(krs=[])
        with self.assertRaisesRegex(UserError, "key results"):
            plan.with_user(self.user_employee).action_approval_request("learn")
        self.assertFalse(self.pending_request(plan))

    def test_strangers_cannot_move_the_plan(self):
        plan = self.make_plan()
        with self.assertRaises(AccessError):
            plan.with_user(self.user_peer).action_approval_request("learn")
        with self.assertRaises(AccessError):
            plan.with_user(self.user_hr).action_approval_request("learn")

    def test_goal_moves_with_the_plan_only(self):
        plan = self.make_plan()
        with self.assertRaisesRegex(UserError, "moves with the plan"):
            plan.objective_id.with_user(self.user_employee).action_submit()
        self.assertEqual(plan.objective_id.state, "draft")
        with self.assertRaisesRegex(UserError, "created by its learning plan"):
            self.env["okr.objective"].with_user(self.user_employee).create(
                {
                    "name": "Sneaky goal",
                    "cycle_id": self.cycle_feb.id,
                    "owner_id": self.emp_employee.id,
                    "learning_plan_id": plan.id,
                }
            )
        other = self._make_objective(self.emp_employee, "Mine", cycle=self.cycle_feb)
        with self.assertRaisesRegex(UserError, "cannot change|created with this goal"):
            other.with_user(self.user_employee).write({"learning_plan_id": plan.id})

    def test_writing_workflow_fields_directly(self):
        plan = self.advance(self.make_plan(), "learn")
        initiative = self.env["bsc.initiative"].create(
            {"name": "Fake", "company_id": self.company.id}
        )
        as_owner = plan.with_user(self.user_employee)
        for vals in (
            {"state": "promote"},
            {"initiative_id": initiative.id},
            {"is_published": True},
            {"vote_average": 5},
        ):
            with self.assertRaises(UserError):
                as_owner.write(vals)
        with self.assertRaisesRegex(UserError, "promoting the plan"):
            initiative.with_user(self.user_strategy).write(
                {"learning_plan_id": plan.id}
            )
        self.assertEqual(plan.state, "learn")
        self.assertFalse(plan.initiative_id)
        self.assertFalse(plan.is_published)

    def test_locked_after_proposal(self):
        plan = self.advance(self.make_plan(), "learn")
        with self.assertRaisesRegex(UserError, "past its proposal"):
            plan.with_user(self.user_employee).write(
                {"plan_type_id": self.type_lean.id}
            )
        with self.assertRaisesRegex(UserError, "fixed"):
            plan.key_result_ids[0].with_user(self.user_employee).write(
                {"target_value": 1}
            )
        # the owner's manager may still correct it
        plan.with_user(self.user_manager).write({"plan_type_id": self.type_lean.id})
        self.assertEqual(plan.plan_type_id, self.type_lean)
        with self.assertRaisesRegex(UserError, "has started"):
            plan.with_user(self.user_employee).unlink()

    def test_decisions(self):
        plan = self.make_plan()
        with self.assertRaises(AccessError, msg="not presented: unreadable"):
            self.decide(plan, "adopt")
        self.advance(plan, "present")
        with self.assertRaisesRegex(UserError, "Decide' stage only"):
            self.decide(plan, "adopt")
        self.advance(plan, "decide")
        for user in (self.user_manager, self.user_employee, self.user_strategy):
            with self.assertRaises(AccessError):
                self.decide(plan, "adopt", user=user)
        with self.assertRaisesRegex(UserError, "rationale"):
            self.decide(plan, "adopt", rationale="  ")
        with self.assertRaises(ValidationError):
            self.decide(plan, "adopt", budget=-5)
        self.assertEqual(plan.state, "decide")
        self.assertFalse(plan.decision_ids)
        decision = self.decide(plan, "park")
        with self.assertRaisesRegex(UserError, "not edited"):
            decision.with_user(self.user_executive).write({"decision": "adopt"})
        with self.assertRaises(AccessError):
            decision.unlink()  # as the executive: no such right
        with self.assertRaisesRegex(UserError, "never deleted"):
            decision.sudo().unlink()
        with self.assertRaisesRegex(UserError, "Decide' stage only"):
            self.decide(plan, "adopt")
        self.assertEqual(plan.state, "parked")

    def test_executive_never_decides_on_own_plan(self):
        plan = self.make_plan(user=self.user_executive, name="Exec's plan")
        plan._approval_force_state("decide")
        with self.assertRaisesRegex(AccessError, "own plan"):
            self.decide(plan, "adopt", user=self.user_executive)

    def test_votes(self):
        plan = self.advance(self.make_plan(audience="company"), "learn")
        Vote = self.env["okr.learning.vote"]
        with self.assertRaisesRegex(UserError, "presented"):
            Vote.with_user(self.user_manager).create(
                {"plan_id": plan.id, "rating": "4"}
            )
        self.assertFalse(plan.with_user(self.user_manager).can_vote)
        self.advance(plan, "present")
        self.assertTrue(plan.with_user(self.user_peer).can_vote)
        self.assertFalse(plan.with_user(self.user_employee).can_vote, "the owner")
        with self.assertRaisesRegex(UserError, "own learning plan"):
            Vote.with_user(self.user_employee).create(
                {"plan_id": plan.id, "rating": "5"}
            )
        vote = Vote.with_user(self.user_peer).create(
            {"plan_id": plan.id, "rating": "2", "user_id": self.user_ceo.id}
        )
        self.assertEqual(vote.user_id, self.user_peer, "one votes as oneself")
        with self.assertRaisesRegex(UserError, "already rated"):
            Vote.with_user(self.user_peer).create({"plan_id": plan.id, "rating": "5"})
        vote.with_user(self.user_peer).write({"rating": "3"})
        self.assertEqual(plan.vote_average, 3)
        with self.assertRaises(AccessError):
            vote.with_user(self.user_manager).write({"rating": "1"})
        self.assertFalse(
            Vote.with_user(self.user_manager).search([("plan_id", "=", plan.id)]),
            "ratings are private; the plan shows the average",
        )

    def test_findings_closed_after_presentation(self):
        plan = self.advance(self.make_plan(), "decide")
        with self.assertRaisesRegex(UserError, "findings are closed"):
            self.env["okr.learning.finding"].with_user(self.user_employee).create(
                {"plan_id": plan.id, "name": "Late idea"}
            )
        with self.assertRaises(AccessError):
            self.env["okr.learning.finding"].with_user(self.user_peer).create(
                {"plan_id": self.make_plan(name="Other").id, "name": "Not mine"}
            )

    # ------------------------------------------------------------------
    # Promotion
    # ------------------------------------------------------------------
    def promote_wizard(self, plan, user=None, **vals):
        return (
            self.env["okr.learning.promote.wizard"]
            .with_user(user or self.user_strategy)
            .with_context(default_plan_id=plan.id)
            .create(
                {
                    "scorecard_id": self.scorecard.id,
                    "objective_ids": [Command.link(self.obj_learning.id)],
                    **vals,
                }
            )
        )

    def assert_nothing_promoted(self, plan):
        plan.invalidate_recordset()
        self.assertFalse(plan.initiative_id)
        self.assertFalse(
            self.env["bsc.initiative"].search([("learning_plan_id", "=", plan.id)])
        )
        self.assertFalse(
            self.env["bsc.objective"].search([("name", "=", "Half-made objective")])
        )

    def test_promoting_a_plan_not_adopted_or_piloted(self):
        plan = self.advance(self.make_plan(), "parked", decision="park")
        with self.assertRaisesRegex(UserError, "adopted or piloted"):
            self.promote_wizard(plan).action_promote()
        with self.assertRaisesRegex(UserError, "adopted or piloted"):
            plan.with_user(self.user_strategy).action_open_promote_wizard()
        other = self.advance(self.make_plan(name="Still presenting"), "present")
        with self.assertRaisesRegex(UserError, "adopted or piloted"):
            self.promote_wizard(other).action_promote()
        self.assert_nothing_promoted(plan)

    def test_promoting_twice(self):
        plan = self.advance(self.make_plan(), "promote")
        self.promote_wizard(plan).action_promote()
        first = plan.initiative_id
        with self.assertRaisesRegex(UserError, "already promoted"):
            self.promote_wizard(plan, user=self.user_ceo).action_promote()
        self.assertEqual(
            self.env["bsc.initiative"].search([("learning_plan_id", "=", plan.id)]),
            first,
        )

    def test_only_strategy_officers_and_executives_promote(self):
        plan = self.advance(self.make_plan(), "promote")
        for user in (self.user_employee, self.user_manager, self.user_okr_admin):
            with self.assertRaises(AccessError):
                plan.with_user(user).action_open_promote_wizard()
            with self.assertRaises(AccessError):
                self.promote_wizard(plan, user=user)
        self.assert_nothing_promoted(plan)

    def test_promotion_input_is_validated_first(self):
        plan = self.advance(self.make_plan(), "promote")
        other_card = self.env["bsc.scorecard"].create(
            {
                "name": "Other",
                "company_id": self.company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
            }
        )
        cases = [
            ({"objective_ids": [Command.clear()]}, "serves strategic objectives"),
            (
                {
                    "create_objective": True,
                    "objective_name": "Half-made objective",
                    "perspective_id": other_card.perspective_ids[0].id,
                },
                "perspective",
            ),
            (
                {"create_measure": True, "measure_name": " "},
                "Name the new measure",
            ),
            ({"date_start": "2026-05-01", "date_end": "2026-04-01"}, "ends before"),
            ({"initiative_mode": "link"}, "initiative to link"),
        ]
        for vals, message in cases:
            with self.subTest(message=message):
                with self.assertRaisesRegex(UserError, message):
                    self.promote_wizard(plan, **vals).action_promote()
                self.assert_nothing_promoted(plan)

    def test_failure_in_the_middle_leaves_nothing(self):
        """The objective and the initiative are created, then the milestones
        fail: the whole promotion is rolled back with the request."""
        plan = self.advance(self.make_plan(), "promote")
        wizard = self.promote_wizard(
            plan,
            create_objective=True,
            objective_name="Half-made objective",
            perspective_id=self.persp["learning"].id,
        )
        Milestone = self.env.registry["bsc.initiative.milestone"]
        with (
            patch.object(Milestone, "create", side_effect=UserError("Disk full")),
            self.assertRaisesRegex(UserError, "Disk full"),
        ):
            wizard.action_promote()
        self.assert_nothing_promoted(plan)
        self.assertEqual(plan.state, "promote")
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", plan._name),
                    ("res_id", "=", plan.id),
                    ("body", "ilike", "Promoted into"),
                ]
            )
        )
        # and it works once the fault is gone
        wizard.action_promote()
        self.assertTrue(plan.initiative_id)

    def test_other_company_plan(self):
        plan = self.advance(self.make_plan(), "promote")
        with self.assertRaises(AccessError):
            plan.with_user(self.user_other_company).read(["name"])
