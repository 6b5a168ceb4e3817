from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .okr_common import OkrCase


@tagged("post_install", "-at_install")
class TestOkrApproval(OkrCase):
    """okr.objective runs on the approval mixin: one state guard, the owner's
    manager approves, approvers read what they decide (never appraisal staff)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Somebody in Sales without a manager: the Sales department's manager
        # (a plain OKR user, no manager group) approves their objectives.
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
        # hr makes the new department manager the manager of its employees
        # without one; undo that, the manager chain must stay empty.
        cls.emp_solo.parent_id = False

    def history(self, objective):
        return self.env["okr.stage.history"].search(
            [("res_model", "=", "okr.objective"), ("res_id", "=", objective.id)],
            order="id",
        )

    def test_submit_approve_activate(self):
        draft = self._make_objective(self.emp_employee, "Halve scrap")
        draft.with_user(self.user_employee).action_submit()
        self.assertEqual(draft.state, "submitted")
        request = draft.approval_request_id
        self.assertEqual(request.approver_role, "manager")
        self.assertEqual(request.approver_user_ids, self.user_manager)
        self.assertEqual(
            draft.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("bsc_okr.mail_activity_type_approval")
                )
            ).user_id,
            self.user_manager,
        )
        self.assertTrue(draft.with_user(self.user_manager).approval_can_approve)
        self.assertFalse(draft.with_user(self.user_employee).approval_can_approve)
        self.assertIs(draft.with_user(self.user_manager).action_approve(), True)
        self.assertEqual(draft.state, "approved")
        self.assertFalse(draft.activity_ids, "the approval activity is closed")
        draft.with_user(self.user_employee).action_activate()
        self.assertEqual(draft.state, "active")
        self.assertEqual(
            self.history(draft).mapped("decision"),
            ["requested", "approved", "applied"],
        )
        self.assertEqual(
            self.history(draft).mapped("user_id"),
            self.user_employee | self.user_manager | self.user_employee,
        )

    def test_reject_needs_a_reason(self):
        draft = self._make_objective(self.emp_employee, "Halve scrap")
        draft.with_user(self.user_employee).action_submit()
        with self.assertRaisesRegex(UserError, "reason"):
            draft.with_user(self.user_manager).action_approval_reject("  ")
        self.assertEqual(draft.state, "submitted")
        draft.with_user(self.user_manager).action_approval_reject("Too vague")
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self.history(draft)[-1].comment, "Too vague")

    def test_cancel_and_reset_withdraw_a_pending_submission(self):
        first = self._make_objective(self.emp_employee, "First")
        second = self._make_objective(self.emp_employee, "Second")
        (first | second).with_user(self.user_employee).action_submit()
        first.with_user(self.user_employee).action_cancel()
        self.assertEqual(first.state, "cancelled")
        second.with_user(self.user_employee).action_reset_draft()
        self.assertEqual(second.state, "draft")
        requests = self.env["okr.approval.request"].search(
            [
                ("res_model", "=", "okr.objective"),
                ("res_id", "in", (first | second).ids),
            ]
        )
        self.assertEqual(set(requests.mapped("state")), {"cancelled"})
        self.assertFalse((first | second).activity_ids)
        # a cancelled objective may be reopened by its owner
        first.with_user(self.user_employee).action_reset_draft()
        self.assertEqual(first.state, "draft")

    def test_only_the_owner_side_moves_the_stage(self):
        draft = self._make_objective(self.emp_employee, "Halve scrap")
        for user in (self.user_peer, self.user_hr):
            with self.assertRaises(AccessError):
                draft.with_user(user).action_submit()
        # the manager may submit for their report; their own manager approves
        draft.with_user(self.user_manager).action_submit()
        self.assertEqual(draft.approval_approver_user_ids, self.user_ceo)
        with self.assertRaisesRegex(UserError, "own request"):
            draft.with_user(self.user_manager).action_approve()

    def test_company_objective_falls_back_to_okr_admins(self):
        """The CEO has no manager and heads Management herself: the OKR
        administrators approve."""
        draft = self._make_objective(
            self.emp_ceo, "Own the preschool market", level="company"
        )
        draft.with_user(self.user_ceo).action_submit()
        request = draft.approval_request_id
        self.assertEqual(request.resolved_role, "okr_admin")
        self.assertEqual(request.approver_user_ids, self.user_okr_admin)

    def test_approvers_read_what_they_decide(self):
        draft = self._make_objective(self.emp_solo, "Open two new brands")
        as_peer = draft.with_user(self.user_peer)
        with self.assertRaises(AccessError):
            as_peer.check_access("read")
        draft.with_user(self.user_solo).action_submit()
        self.assertEqual(draft.approval_request_id.resolved_role, "department_manager")
        self.assertEqual(draft.approval_approver_user_ids, self.user_peer)
        as_peer.invalidate_recordset()
        self.assertEqual(as_peer.name, "Open two new brands")
        self.assertTrue(draft.key_result_ids.with_user(self.user_peer).name)
        action = as_peer.action_approve()
        self.assertEqual(draft.state, "approved")
        self.assertEqual(
            action["res_model"],
            "okr.approval.request",
            "the approver may no longer read it: the client goes to the approvals",
        )
        history = self.history(draft)[-1]
        self.assertEqual(
            (history.decision, history.user_id), ("approved", self.user_peer)
        )
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            draft.with_user(self.user_peer).check_access("read")

    def test_appraisal_staff_never_read_as_approvers(self):
        """Even listed on a request (they never are: the mixin filters them),
        KPI appraisal staff read their own OKRs only."""
        draft = self._make_objective(self.emp_solo, "Open two new brands")
        draft.with_user(self.user_solo).action_submit()
        draft.approval_request_id.sudo().approver_user_ids |= self.user_hr
        self.env.invalidate_all()
        Objective = self.env["okr.objective"].with_user(self.user_hr)
        self.assertFalse(Objective.search([("id", "=", draft.id)]))
        self.assertFalse(
            self.env["okr.key.result"]
            .with_user(self.user_hr)
            .search([("objective_id", "=", draft.id)])
        )
        with self.assertRaises(AccessError):
            draft.with_user(self.user_hr).action_approve()
        self.assertEqual(draft.state, "submitted")

    def test_closing_the_cycle_is_recorded(self):
        self.cycle.action_start_grading()
        self.obj_peer.with_user(self.user_peer).action_mark_graded()
        self.cycle.with_user(self.user_okr_admin).action_close()
        self.assertEqual(set(self.objectives.mapped("state")), {"graded"})
        row = self.history(self.obj_employee)[-1]
        self.assertEqual(
            (row.decision, row.from_state, row.to_state, row.user_id),
            ("applied", "active", "graded", self.user_okr_admin),
        )
        peer_rows = self.history(self.obj_peer).filtered(
            lambda r: r.to_state == "graded"
        )
        self.assertEqual(peer_rows.user_id, self.user_peer, "graded once, by the owner")

    def test_grading_needs_the_grading_phase(self):
        with self.assertRaisesRegex(UserError, "not being graded"):
            self.obj_peer.with_user(self.user_peer).action_mark_graded()
        with self.assertRaisesRegex(UserError, "not being graded"):
            self.obj_peer._approval_force_state("graded")
        self.assertEqual(self.obj_peer.state, "active")
