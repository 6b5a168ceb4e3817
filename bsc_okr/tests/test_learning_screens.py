from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .learning_common import LearningCase

KANBAN_SPEC = {
    "name": {},
    "state": {},
    "progress": {},
    "vote_average": {},
    "vote_count": {},
    "decision": {},
    "is_promoted": {},
    "approval_pending": {},
    "plan_type_id": {"fields": {"display_name": {}}},
    "campaign_id": {"fields": {"display_name": {}}},
    "owner_id": {"fields": {"display_name": {}}},
}


@tagged("post_install", "-at_install")
class TestLearningScreens(LearningCase):
    """The pipeline screens: kanban by stage, counts per type, the campaign's
    funnel and conversion, time spent in each stage."""

    def pipeline(self):
        """Six plans of the campaign in different stages (two types)."""
        plans = {}
        for name, state, decision in (
            ("Proposed", "propose", None),
            ("Learning", "learn", None),
            ("Presenting", "present", None),
            ("Adopted", "promote", "adopt"),
            ("Parked", "parked", "park"),
            ("Promoted", "promote", "pilot"),
        ):
            plan = self.make_plan(
                name=name,
                plan_type_id=(
                    self.type_lean if name in ("Learning", "Parked") else self.type_tech
                ).id,
            )
            plans[name] = self.advance(plan, state, decision=decision or "adopt")
        wizard = (
            self.env["okr.learning.promote.wizard"]
            .with_user(self.user_ceo)
            .with_context(default_plan_id=plans["Promoted"].id)
            .create(
                {
                    "scorecard_id": self.scorecard.id,
                    "objective_ids": [Command.link(self.obj_learning.id)],
                }
            )
        )
        wizard.action_promote()
        return plans

    def test_funnel_and_conversion(self):
        self.pipeline()
        campaign = self.campaign.with_user(self.user_ceo)  # the sponsor reads all
        self.assertEqual(
            (
                campaign.count_proposed,
                campaign.count_learning,
                campaign.count_presented,
                campaign.count_decided,
                campaign.count_promoted,
            ),
            (6, 5, 4, 3, 1),
        )
        self.assertAlmostEqual(campaign.conversion_rate, 1 / 6)
        action = campaign.action_view_decided()
        self.assertEqual(
            set(self.env["okr.learning.plan"].search(action["domain"]).mapped("name")),
            {"Adopted", "Parked", "Promoted"},
        )

    def test_kanban_by_stage_and_counts_per_type(self):
        plans = self.pipeline()
        Plan = self.env["okr.learning.plan"].with_user(self.user_ceo)
        domain = [("campaign_id", "=", self.campaign.id)]
        groups = Plan.web_read_group(domain, ["state"], ["state"])["groups"]
        counts = {group["state"]: group["state_count"] for group in groups}
        self.assertEqual(
            counts,
            {
                "propose": 1,
                "learn": 1,
                "present": 1,
                "decide": 0,
                "promote": 2,
                "parked": 1,
                "rejected": 0,
            },
            "every stage is a column, even empty ones",
        )
        per_type = dict(Plan._read_group(domain, ["plan_type_id"], ["__count"]))
        self.assertEqual(per_type, {self.type_lean: 2, self.type_tech: 4})
        self.assertTrue(plans["Promoted"].is_promoted)

    def test_kanban_query_count_is_flat(self):
        def make(count):
            return self.env["okr.learning.plan"].union(
                *(self.make_plan(name=f"Bulk {count}-{i}") for i in range(count))
            )

        def queries(plans):
            Plan = self.env["okr.learning.plan"].with_user(self.user_manager)
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            result = Plan.web_search_read([("id", "in", plans.ids)], KANBAN_SPEC)
            self.assertEqual(result["length"], len(plans))
            return self.cr.sql_log_count - start

        small, large = make(2), make(6)
        queries(small)  # warm the caches of rules and groups
        self.assertEqual(queries(small), queries(large))

    def test_campaign_funnel_query_count_is_flat(self):
        def make(count):
            campaigns = self.env["okr.learning.campaign"]
            for index in range(count):
                campaign = self.campaign.copy({"name": f"Campaign {count}-{index}"})
                campaign.action_start()
                for name in ("A", "B"):
                    self.make_plan(
                        name=f"{campaign.name} {name}", campaign_id=campaign.id
                    )
                campaigns |= campaign
            return campaigns

        def queries(campaigns):
            Campaign = self.env["okr.learning.campaign"].with_user(self.user_ceo)
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            rows = Campaign.browse(campaigns.ids).read(
                ["count_proposed", "count_promoted", "conversion_rate"]
            )
            self.assertEqual([row["count_proposed"] for row in rows], [2] * len(rows))
            return self.cr.sql_log_count - start

        small, large = make(1), make(4)
        queries(small)  # warm the caches of rules and groups
        self.assertEqual(queries(small), queries(large))

    def test_time_in_each_stage(self):
        with freeze_time("2026-02-02 09:00:00"):
            plan = self.make_plan()
            plan.with_user(self.user_employee).action_approval_request("learn")
        with freeze_time("2026-02-05 09:00:00"):
            plan.with_user(self.user_manager).action_approval_reject("Sharper goal")
            plan.with_user(self.user_employee).action_approval_request("learn")
        with freeze_time("2026-02-06 21:00:00"):
            plan.with_user(self.user_manager).action_approval_approve()
        with freeze_time("2026-02-20 09:00:00"):
            plan.with_user(self.user_employee).action_approval_request("present")
        with freeze_time("2026-02-26 09:00:00"):
            plan.with_user(self.user_manager).action_approval_approve()
        rows = (
            self.env["okr.learning.stage.report"]
            .with_user(self.user_manager)
            .search([("plan_id", "=", plan.id)], order="date_start")
        )
        self.assertEqual(rows.mapped("stage"), ["propose", "learn", "present"])
        self.assertEqual(
            [round(row.days, 1) for row in rows[:2]],
            [4.5, 19.5],
            "a rejection and a new request do not start a new stay",
        )
        self.assertEqual(rows.mapped("is_current"), [False, False, True])
        grouped = dict(
            self.env["okr.learning.stage.report"]
            .with_user(self.user_manager)
            ._read_group(
                [("plan_id", "=", plan.id), ("is_current", "=", False)],
                ["stage"],
                ["days:avg"],
            )
        )
        self.assertAlmostEqual(grouped["learn"], 19.5)
