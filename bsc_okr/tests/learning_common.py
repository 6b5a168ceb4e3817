"""Learning plan fixtures on top of the OKR and BSC fixtures.

    Feb 2026 (monthly cycle, running), Mar 2026 (monthly, planning)
    campaign "Digital, social and smart toys" (running), sponsor: CEO
    the BSC scorecard of BscCase (objectives per perspective)

Plans are created by their owners (``make_plan``) and moved along the
pipeline by the people who would do it (``advance``): the owner requests,
the owner's manager approves learning and presenting, the sponsor puts the
plan on the agenda, an executive decides.
"""

import datetime

from odoo import Command

from .approval_common import ApprovalHelpers
from .bsc_common import BscCase
from .okr_common import OkrCase

FEB_START = datetime.date(2026, 2, 1)
FEB_END = datetime.date(2026, 2, 28)
IN_FEB = "2026-02-16 09:00:00"


class LearningCase(ApprovalHelpers, OkrCase, BscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Cycle = cls.env["okr.cycle"]
        cls.cycle_feb = Cycle.create(
            {
                "name": "Feb 2026",
                "company_id": cls.company.id,
                "cycle_type": "month",
                "date_start": FEB_START,
                "date_end": FEB_END,
            }
        )
        cls.cycle_feb.action_start()
        cls.cycle_mar = Cycle.create(
            {
                "name": "Mar 2026",
                "company_id": cls.company.id,
                "cycle_type": "month",
                "date_start": "2026-03-01",
                "date_end": "2026-03-31",
            }
        )
        cls.campaign = cls.env["okr.learning.campaign"].create(
            {
                "name": "Digital, social and smart toys",
                "company_id": cls.company.id,
                "date_start": FEB_START,
                "date_end": "2026-04-30",
                "sponsor_id": cls.emp_ceo.id,
                "participant_ids": [
                    Command.set((cls.emp_manager | cls.emp_employee | cls.emp_peer).ids)
                ],
            }
        )
        cls.campaign.action_start()
        cls.type_lean = cls.env.ref("bsc_okr.okr_learning_plan_type_lean")
        cls.type_tech = cls.env.ref("bsc_okr.okr_learning_plan_type_black_technology")

    @classmethod
    def make_plan(cls, user=None, name="Smart toys learning plan", krs=None, **vals):
        """A plan proposed by ``user`` (default: the employee) with two
        learning key results."""
        if krs is None:
            krs = [
                {
                    "name": "Toy makers visited",
                    "unit": "visits",
                    "start_value": 0,
                    "target_value": 4,
                },
                {
                    "name": "Families interviewed",
                    "unit": "families",
                    "start_value": 0,
                    "target_value": 20,
                    "weight": 2,
                },
            ]
        Plan = cls.env["okr.learning.plan"].with_user(user or cls.user_employee)
        plan = Plan.create(
            {
                "name": name,
                "company_id": cls.company.id,
                "campaign_id": cls.campaign.id,
                "plan_type_id": cls.type_tech.id,
                "cycle_id": cls.cycle_feb.id,
                "goal_name": f"{name}: what to learn",
                "key_result_ids": [Command.create(kr) for kr in krs],
                **vals,
            }
        )
        return plan.with_env(cls.env)

    def advance(self, plan, state, decision="adopt", owner=None, manager=None):
        """Walk ``plan`` through the real workflow up to ``state``."""
        owner = owner or self.user_employee
        manager = manager or self.user_manager
        steps = [
            ("propose", "learn", manager),
            ("learn", "present", manager),
            ("present", "decide", self.user_ceo),
        ]
        for source, target, approver in steps:
            if plan.state == state:
                return plan
            if plan.state != source:
                continue
            plan.with_user(owner).action_approval_request(target)
            plan.with_user(approver).action_approval_approve()
            self.assertEqual(plan.state, target)
        if plan.state != state:
            self.decide(plan, decision)
            self.assertEqual(plan.state, state)
        return plan

    def decide(self, plan, decision, user=None, **vals):
        return (
            self.env["okr.learning.decision"]
            .with_user(user or self.user_executive)
            .create(
                {
                    "plan_id": plan.id,
                    "decision": decision,
                    "rationale": vals.pop("rationale", "Worth it"),
                    **vals,
                }
            )
        )
