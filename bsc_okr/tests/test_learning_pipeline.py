import base64

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .learning_common import IN_FEB, LearningCase


@tagged("post_install", "-at_install")
class TestLearningPipeline(LearningCase):
    """A learning plan from proposal to a promoted BSC initiative, every step
    taken by the person who would take it, every approval recorded."""

    def test_full_pipeline(self):
        with freeze_time("2026-02-02 09:00:00"):
            plan = self.make_plan(audience="company")
            goal = plan.objective_id
            self.assertEqual(plan.state, "propose")
            self.assertEqual(plan.owner_id, self.emp_employee)
            self.assertEqual(plan.sponsor_id, self.emp_ceo, "the campaign's sponsor")
            # the goal is an OKR of the monthly cycle, owned by the plan's owner
            self.assertTrue(goal.is_learning)
            self.assertEqual(goal.learning_plan_id, plan)
            self.assertEqual(goal.cycle_id, self.cycle_feb)
            self.assertEqual(goal.owner_id, self.emp_employee)
            self.assertEqual(goal.state, "draft")
            self.assertEqual(len(plan.key_result_ids), 2)
            self.assertEqual(plan.key_result_ids, goal.key_result_ids)

            # propose -> learn: the owner asks, the manager approves
            plan.with_user(self.user_employee).action_approval_request("learn")
            self.assertEqual(plan.approval_approver_user_ids, self.user_manager)
            self.assertEqual(self.approval_activities(plan).user_id, self.user_manager)
            plan.with_user(self.user_manager).action_approval_approve()
        self.assertEqual(plan.state, "learn")
        self.assertEqual(goal.state, "active", "check-ins are open")
        self.assertFalse(self.approval_activities(plan))

        with freeze_time(IN_FEB):
            # learn: monthly check-ins on the learning key results, findings
            visits, families = plan.key_result_ids.sorted("sequence")
            self._checkin(visits, 3, user=self.user_employee, comment="3 studios")
            self._checkin(families, 12, user=self.user_employee)
            self.assertEqual(visits.current_value, 3)
            self.assertEqual(len(plan.with_user(self.user_employee).checkin_ids), 2)
            attachment = (
                self.env["ir.attachment"]
                .with_user(self.user_employee)
                .create(
                    {
                        "name": "visit.txt",
                        "datas": base64.b64encode(b"notes"),
                        "res_model": "okr.learning.finding",
                    }
                )
            )
            finding = (
                self.env["okr.learning.finding"]
                .with_user(self.user_employee)
                .create(
                    {
                        "plan_id": plan.id,
                        "name": "Parents buy learning, children buy fun",
                        "kind": "customer",
                        "attachment_ids": [Command.link(attachment.id)],
                    }
                )
            )
            self.assertEqual(finding.author_id, self.user_employee)
            self.assertEqual(plan.finding_count, 1)

            # learn -> present: the manager approves; results are published
            plan.with_user(self.user_employee).action_approval_request("present")
            self.assertFalse(plan.is_published)
            plan.with_user(self.user_manager).action_approval_approve()
        self.assertEqual(plan.state, "present")
        self.assertTrue(plan.is_published)

        # present: the audience (here the company) reads, discusses and rates
        peer_plan = plan.with_user(self.user_peer)
        self.assertEqual(peer_plan.name, "Smart toys learning plan")
        self.assertEqual(
            peer_plan.objective_id.with_user(self.user_peer).progress, goal.progress
        )
        peer_plan.message_post(body="What about an app?", message_type="comment")
        for user, rating in ((self.user_peer, "4"), (self.user_manager, "5")):
            self.env["okr.learning.vote"].with_user(user).create(
                {"plan_id": plan.id, "rating": rating}
            )
        self.assertEqual(plan.vote_count, 2)
        self.assertAlmostEqual(plan.vote_average, 4.5)
        self.assertEqual(peer_plan.my_vote, "4")
        session = (
            self.env["okr.learning.session"]
            .with_user(self.user_manager)
            .create(
                {
                    "name": "February presentations",
                    "date": "2026-02-27",
                    "campaign_id": self.campaign.id,
                    "company_id": self.company.id,
                    "plan_ids": [Command.link(plan.id)],
                    "attendee_ids": [Command.set((self.emp_ceo | self.emp_peer).ids)],
                }
            )
        )
        self.assertEqual(plan.session_ids, session)

        # present -> decide: the sponsor puts it on the executives' agenda
        plan.with_user(self.user_employee).action_approval_request("decide")
        self.assertEqual(plan.approval_approver_user_ids, self.user_ceo)
        plan.with_user(self.user_ceo).action_approval_approve()
        self.assertEqual(plan.state, "decide")

        # decide: an executive adopts it with resources
        decision = self.decide(
            plan,
            "adopt",
            budget=80000,
            headcount=1.5,
            people_ids=[Command.link(self.emp_peer.id)],
            rationale="Parents asked for it in every interview.",
        )
        self.assertEqual(plan.state, "promote")
        self.assertEqual(plan.decision_id, decision)
        self.assertEqual(plan.decision, "adopt")
        self.assertEqual(decision.decided_by_id, self.user_executive)

        # promote: a Strategy Officer creates the initiative, a new objective
        # in Learning & Growth and a measure; KRs become milestones
        wizard = (
            self.env["okr.learning.promote.wizard"]
            .with_user(self.user_strategy)
            .with_context(default_plan_id=plan.id)
            .create(
                {
                    "scorecard_id": self.scorecard.id,
                    "objective_ids": [Command.link(self.obj_customer.id)],
                    "create_objective": True,
                    "objective_name": "Master smart-toy learning",
                    "perspective_id": self.persp["learning"].id,
                    "create_measure": True,
                    "measure_name": "Smart-toy prototypes tested",
                    "measure_target": 3,
                    "date_start": "2026-03-01",
                    "date_end": "2026-08-31",
                }
            )
        )
        self.assertEqual(wizard.budget, 80000, "the budget granted")
        action = wizard.action_promote()
        initiative = self.env["bsc.initiative"].browse(action["res_id"])
        self.assertEqual(initiative.name, "Smart toys learning plan")
        self.assertEqual(initiative.scorecard_id, self.scorecard)
        self.assertEqual(initiative.budget, 80000)
        self.assertEqual(initiative.owner_id, self.emp_employee)
        new_objective = initiative.objective_ids - self.obj_customer
        self.assertEqual(new_objective.name, "Master smart-toy learning")
        self.assertEqual(new_objective.perspective_id, self.persp["learning"])
        self.assertEqual(new_objective.execution_approach, "okr")
        self.assertEqual(new_objective.measure_ids.name, "Smart-toy prototypes tested")
        self.assertEqual(new_objective.measure_ids.target, 3)
        # links both ways, and the initiative tells its origin
        self.assertEqual(plan.initiative_id, initiative)
        self.assertTrue(plan.is_promoted)
        self.assertEqual(initiative.learning_plan_id, plan)
        self.assertEqual(initiative.origin, "Smart toys learning plan")
        self.assertEqual(initiative.learning_decision, "adopt")
        milestones = initiative.milestone_ids.sorted("id")
        self.assertEqual(
            [
                (m.metric, m.unit, m.start_value, m.target_value, m.current_value)
                for m in milestones
            ],
            [
                ("Toy makers visited", "visits", 0, 4, 3),
                ("Families interviewed", "families", 0, 20, 12),
            ],
        )
        self.assertEqual(milestones.mapped("weight"), [1.0, 2.0])
        self.assertEqual(str(milestones[0].date_due), "2026-08-31")
        self.assertAlmostEqual(initiative.progress, (0.75 + 0.6 * 2) / 3)

        # every step is in the history, by the person who took it
        rows = self.history(plan)
        self.assertEqual(
            [(r.decision, r.result_state, r.user_id) for r in rows],
            [
                ("requested", "propose", self.user_employee),
                ("approved", "learn", self.user_manager),
                ("requested", "learn", self.user_employee),
                ("approved", "present", self.user_manager),
                ("requested", "present", self.user_employee),
                ("approved", "decide", self.user_ceo),
                ("approved", "promote", self.user_executive),
            ],
        )
        self.assertEqual(rows[-1].comment, "Parents asked for it in every interview.")
        goal_rows = self.history(goal)
        self.assertEqual(
            (goal_rows.decision, goal_rows.to_state, goal_rows.user_id),
            ("applied", "active", self.user_manager),
        )

        # the campaign's funnel
        self.campaign.invalidate_recordset()
        self.assertEqual(
            (
                self.campaign.count_proposed,
                self.campaign.count_learning,
                self.campaign.count_presented,
                self.campaign.count_decided,
                self.campaign.count_promoted,
            ),
            (1, 1, 1, 1, 1),
        )
        self.assertEqual(self.campaign.conversion_rate, 1.0)

    def test_link_an_existing_initiative(self):
        plan = self.advance(self.make_plan(), "promote", decision="pilot")
        existing = self.env["bsc.initiative"].create(
            {
                "name": "Voice doll feasibility",
                "company_id": self.company.id,
                "objective_ids": [Command.link(self.obj_process.id)],
                "milestone_ids": [
                    Command.create(
                        {
                            "name": "Prototypes",
                            "metric": "prototypes",
                            "target_value": 3,
                        }
                    )
                ],
            }
        )
        wizard = (
            self.env["okr.learning.promote.wizard"]
            .with_user(self.user_executive)
            .with_context(default_plan_id=plan.id)
            .create(
                {
                    "scorecard_id": self.scorecard.id,
                    "initiative_mode": "link",
                    "initiative_id": existing.id,
                }
            )
        )
        wizard.action_promote()
        self.assertEqual(plan.initiative_id, existing)
        self.assertEqual(existing.learning_plan_id, plan)
        self.assertEqual(existing.learning_decision, "pilot")
        self.assertEqual(len(existing.milestone_ids), 3, "one kept, two from the KRs")
        self.assertEqual(existing.name, "Voice doll feasibility", "kept as it was")

    def test_parked_and_rejected(self):
        parked = self.advance(
            self.make_plan(name="Stroller repositioning"), "parked", decision="park"
        )
        rejected = self.advance(
            self.make_plan(name="Toy vending"), "rejected", decision="reject"
        )
        self.assertEqual(parked.decision, "park")
        self.assertEqual(rejected.decision, "reject")
        self.assertFalse(parked.approval_next_states)
        self.campaign.invalidate_recordset()
        self.assertEqual(self.campaign.count_decided, 2)
        self.assertEqual(self.campaign.count_promoted, 0)
