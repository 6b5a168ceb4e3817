from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .learning_common import LearningCase


@tagged("post_install", "-at_install")
class TestLearningSecurity(LearningCase):
    """Learning plans are OKRs: visible to the people involved and, once
    presented, to their audience; never to appraisal staff; the goal, key
    results, check-ins, findings, decisions and stage times follow the plan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_hr_exec = new_test_user(
            cls.env,
            login="t_hr_exec",
            groups="base.group_user,bsc_okr.group_executive,"
            "bsc_okr.group_okr_manager,bsc_okr.group_kpi_appraisal",
            name="HR Executive",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        # Somebody in Sales without a manager: the Sales department's
        # manager (a plain OKR user) approves their plans.
        cls.user_solo = new_test_user(
            cls.env,
            login="t_solo",
            groups="base.group_user",
            name="T Solo",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.emp_solo = cls.env["hr.employee"].create(
            {
                "name": "Solo",
                "user_id": cls.user_solo.id,
                "department_id": cls.dept_sales.id,
                "company_id": cls.company.id,
            }
        )
        cls.dept_sales.manager_id = cls.emp_peer
        cls.emp_solo.parent_id = False  # hr set the new department manager
        cls.plan = cls.make_plan(
            participant_ids=[Command.link(cls.emp_portal.id)], audience="managers"
        )

    def readers(self, records, users):
        """The users among ``users`` who may read every record."""
        return [
            user
            for user in users
            if records.with_user(user)._filtered_access("read") == records
        ]

    def everybody(self):
        return [
            self.user_employee,
            self.user_portal,
            self.user_manager,
            self.user_ceo,
            self.user_peer,
            self.user_executive,
            self.user_strategy,
            self.user_okr_admin,
            self.user_hr,
            self.user_hr_exec,
            self.user_other_company,
        ]

    def test_proposal_is_read_by_the_people_involved(self):
        involved = [
            self.user_employee,  # owner
            self.user_portal,  # participant
            self.user_manager,  # manager chain
            self.user_ceo,  # manager chain, sponsor
            self.user_okr_admin,
        ]
        self.assertEqual(self.readers(self.plan, self.everybody()), involved)
        self.assertEqual(
            self.readers(self.plan.objective_id, self.everybody()),
            involved,
            "the goal follows the plan",
        )
        self.assertEqual(
            self.readers(self.plan.key_result_ids, self.everybody()), involved
        )

    def test_presented_to_managers(self):
        self.advance(self.plan, "present")
        audience = [
            self.user_employee,
            self.user_portal,
            self.user_manager,
            self.user_ceo,
            self.user_executive,
            self.user_strategy,
            self.user_okr_admin,
        ]
        self.assertEqual(self.readers(self.plan, self.everybody()), audience)
        self.assertEqual(
            self.readers(self.plan.objective_id, self.everybody()), audience
        )

    def test_presented_to_the_company(self):
        self.plan.audience = "company"
        self.advance(self.plan, "present")
        company = [
            u
            for u in self.everybody()
            if u not in (self.user_hr, self.user_hr_exec, self.user_other_company)
        ]
        self.assertEqual(self.readers(self.plan, self.everybody()), company)
        with self.subTest("check-ins and findings follow the plan"):
            checkin = self._checkin(
                self.plan.key_result_ids[0], 1, user=self.user_employee
            )
            finding = (
                self.env["okr.learning.finding"]
                .with_user(self.user_employee)
                .create({"plan_id": self.plan.id, "name": "A finding"})
            )
            for records in (checkin, finding):
                self.assertEqual(self.readers(records, self.everybody()), company)

    def test_appraisal_staff_see_their_own_only(self):
        """Even published to the company, even as executives; their own plan
        they read (with its goal), nothing else."""
        self.plan.audience = "company"
        self.advance(self.plan, "decide")
        decision = self.decide(self.plan, "adopt")
        for user in (self.user_hr, self.user_hr_exec):
            for records in (
                self.plan,
                self.plan.objective_id,
                self.plan.key_result_ids,
                decision,
            ):
                with self.assertRaises(AccessError):
                    records.with_user(user).check_access("read")
            self.assertFalse(
                self.env["okr.learning.stage.report"]
                .with_user(user)
                .search([("plan_id", "=", self.plan.id)])
            )
        own = self.make_plan(
            user=self.user_hr, name="Employee Satisfaction Learning Plan"
        )
        for records in (own, own.objective_id, own.key_result_ids):
            self.assertEqual(self.readers(records, [self.user_hr]), [self.user_hr])
        self.assertEqual(
            self.env["okr.learning.plan"].with_user(self.user_hr).search([]), own
        )

    def test_appraisal_executives_never_decide(self):
        self.advance(self.plan, "decide")
        with self.assertRaises(AccessError):
            self.decide(self.plan, "adopt", user=self.user_hr_exec)
        self.assertEqual(self.plan.state, "decide")

    def test_approvers_read_while_they_decide(self):
        """A plan without campaign or sponsor, owned by someone without a
        manager: its department's manager approves, reading it meanwhile."""
        plan = self.make_plan(
            user=self.user_solo, name="Sales learning", campaign_id=False
        )
        self.assertFalse(plan.sponsor_id)
        self.assertEqual(self.readers(plan, [self.user_peer]), [])
        plan.with_user(self.user_solo).action_approval_request("learn")
        self.assertEqual(plan.approval_request_id.resolved_role, "department_manager")
        self.assertEqual(plan.approval_approver_user_ids, self.user_peer)
        for records in (plan, plan.objective_id, plan.key_result_ids):
            self.assertEqual(self.readers(records, [self.user_peer]), [self.user_peer])
        action = plan.with_user(self.user_peer).action_approval_approve()
        self.assertEqual(plan.state, "learn")
        self.assertEqual(plan.objective_id.state, "active")
        self.assertEqual(action["res_model"], "okr.approval.request")
        self.env.invalidate_all()
        self.assertEqual(self.readers(plan, [self.user_peer]), [])

    def test_stage_times_follow_the_plan(self):
        self.advance(self.plan, "learn")
        Report = self.env["okr.learning.stage.report"]
        for user, visible in ((self.user_manager, True), (self.user_peer, False)):
            rows = Report.with_user(user).search([("plan_id", "=", self.plan.id)])
            self.assertEqual(bool(rows), visible)

    def test_ratings_are_private(self):
        self.plan.audience = "company"
        self.advance(self.plan, "present")
        self.env["okr.learning.vote"].with_user(self.user_peer).create(
            {"plan_id": self.plan.id, "rating": "5"}
        )
        self.assertEqual(self.plan.with_user(self.user_manager).vote_average, 5)
        self.assertFalse(
            self.env["okr.learning.vote"].with_user(self.user_employee).search([])
        )

    def test_campaigns_and_sessions_are_company_wide(self):
        for user in (self.user_peer, self.user_hr, self.user_portal):
            self.assertEqual(self.campaign.with_user(user).name, self.campaign.name)
            self.assertEqual(
                self.campaign.with_user(user).count_proposed,
                len(
                    self.env["okr.learning.plan"]
                    .with_user(user)
                    .search([("campaign_id", "=", self.campaign.id)])
                ),
                "the funnel counts what the reader may read",
            )
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.user_other_company).read(["name"])
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.user_peer).write({"name": "Mine"})

    def test_no_acl_for_appraisal_staff(self):
        appraisal = self.env.ref("bsc_okr.group_kpi_appraisal")
        lines = self.env["ir.model.access"].search(
            [("group_id", "=", appraisal.id), ("model_id.model", "=like", "okr.%")]
        )
        self.assertFalse(lines)
