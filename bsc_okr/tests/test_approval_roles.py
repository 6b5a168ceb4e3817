from odoo.exceptions import UserError
from odoo.tests import tagged

from .approval_common import ApprovalCase


@tagged("post_install", "-at_install")
class TestApprovalRoles(ApprovalCase):
    """Who approves: each role, the chain walk and the fallbacks."""

    def request(self, doc, to_state, user):
        doc.with_user(user).action_approval_request(to_state)
        return self.pending_request(doc)

    def test_manager(self):
        request = self.request(self.make_doc(), "approved", self.user_employee)
        self.assertEqual(request.approver_user_ids, self.user_manager)
        self.assertEqual(request.resolved_role, "manager")

    def test_manager_requesting_for_report_goes_one_up(self):
        request = self.request(self.make_doc(), "approved", self.user_manager)
        self.assertEqual(request.approver_user_ids, self.user_ceo)
        self.assertEqual(request.resolved_role, "manager")

    def test_manager_missing_falls_back_to_department_manager(self):
        self.assertFalse(self.emp_lab.parent_id)
        doc = self.make_doc(
            owner_id=self.emp_lab.id, department_id=self.dept_management.id
        )
        request = self.request(doc, "approved", self.user_lab)
        self.assertEqual(request.approver_user_ids, self.user_ceo)
        self.assertEqual(request.resolved_role, "department_manager")
        self.assertEqual(request.approver_role, "manager")

    def test_then_okr_admins_of_the_company(self):
        doc = self.make_doc(owner_id=self.emp_lab.id, department_id=self.dept_lab.id)
        request = self.request(doc, "approved", self.user_lab)
        self.assertEqual(request.approver_user_ids, self.user_okr_admin)
        self.assertEqual(request.resolved_role, "okr_admin")
        self.assertNotIn(self.user_other_company, request.approver_user_ids)

    def test_nobody_left_is_refused_and_nothing_written(self):
        doc = self.make_doc(owner_id=self.emp_lab.id, department_id=self.dept_lab.id)
        with self.assertRaisesRegex(UserError, "Nobody can approve"):
            doc.with_user(self.user_okr_admin).action_approval_request("approved")
        self.assertEqual(doc.state, "draft")
        self.assertFalse(self.requests(doc))
        self.assertFalse(self.history(doc))
        self.assertFalse(self.approval_activities(doc))

    def test_department_manager(self):
        doc = self.make_doc()
        doc._approval_force_state("active")
        request = self.request(doc, "review", self.user_employee)
        self.assertEqual(request.approver_user_ids, self.user_manager)
        self.assertEqual(request.resolved_role, "department_manager")

    def test_department_manager_requesting_goes_to_parent_department(self):
        doc = self.make_doc()
        doc._approval_force_state("active")
        request = self.request(doc, "review", self.user_manager)
        self.assertEqual(request.approver_user_ids, self.user_ceo)

    def test_executive(self):
        doc = self.make_doc()
        doc._approval_force_state("review")
        request = self.request(doc, "decided", self.user_employee)
        self.assertEqual(request.approver_user_ids, self.user_ceo | self.user_executive)

    def test_strategy_officer(self):
        doc = self.make_doc()
        doc._approval_force_state("decided")
        request = self.request(doc, "done", self.user_employee)
        self.assertEqual(request.approver_user_ids, self.user_ceo | self.user_strategy)
        doc.with_user(self.user_strategy).action_approval_approve()
        self.assertEqual(doc.state, "done")

    def test_named(self):
        doc = self.make_doc(sponsor_user_id=self.user_peer.id)
        doc._approval_force_state("active")
        request = self.request(doc, "sponsored", self.user_employee)
        self.assertEqual(request.approver_user_ids, self.user_peer)
        self.assertEqual(request.resolved_role, "named")
        doc.with_user(self.user_peer).action_approval_approve()
        self.assertEqual(doc.state, "sponsored")

    def test_named_empty_falls_back_to_okr_admins(self):
        doc = self.make_doc()
        doc._approval_force_state("active")
        request = self.request(doc, "sponsored", self.user_employee)
        self.assertEqual(request.approver_user_ids, self.user_okr_admin)

    def test_appraisal_staff_never_approve(self):
        """The appraisal wall: HR's appraisal staff never decide on OKR data."""
        doc = self.make_doc(sponsor_user_id=self.user_hr.id)
        doc._approval_force_state("active")
        request = self.request(doc, "sponsored", self.user_employee)
        self.assertEqual(request.approver_user_ids, self.user_okr_admin)

    def test_owner_never_approves_own_record(self):
        """A manager requesting for the owner does not make the owner an
        approver, even when the owner holds the role."""
        doc = self.make_doc(
            owner_id=self.emp_ceo.id, department_id=self.dept_management.id
        )
        doc._approval_force_state("review")
        self.assertFalse(doc._approval_can_act_for_owner(self.user_executive))
        request = self.request(doc, "decided", self.user_okr_admin)
        self.assertEqual(request.approver_user_ids, self.user_executive)
