"""Fixtures for the approval workflow tests: the throwaway model on top of
the shared organisation of BscOkrCase."""

from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.tests import new_test_user

from .common import BscOkrCase


class ApprovalHelpers:
    """Look-ups of a record's approval requests, history and activities
    (shared by the mixin's tests and by the concrete models' tests)."""

    def pending_request(self, doc):
        return self.env["okr.approval.request"].search(
            [
                ("res_model", "=", doc._name),
                ("res_id", "=", doc.id),
                ("state", "=", "pending"),
            ]
        )

    def requests(self, doc):
        return self.env["okr.approval.request"].search(
            [("res_model", "=", doc._name), ("res_id", "=", doc.id)], order="id"
        )

    def history(self, doc):
        return self.env["okr.stage.history"].search(
            [("res_model", "=", doc._name), ("res_id", "=", doc.id)], order="id"
        )

    def approval_activities(self, doc):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", doc._name),
                ("res_id", "=", doc.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("bsc_okr.mail_activity_type_approval").id,
                ),
            ]
        )


class ApprovalCase(ApprovalHelpers, BscOkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        cls.addClassCleanup(cls.loader.restore_registry)
        from .approval_test_models import OkrApprovalTestDoc

        cls.loader.update_registry((OkrApprovalTestDoc,))
        cls.env["ir.model.access"].create(
            {
                "name": "approval test doc: OKR users",
                "model_id": cls.env["ir.model"]._get_id("okr.approval.test.doc"),
                "group_id": cls.env.ref("bsc_okr.group_okr_user").id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
                "perm_unlink": True,
            }
        )
        cls.Doc = cls.env["okr.approval.test.doc"]
        cls.approval_activity_type = cls.env.ref("bsc_okr.mail_activity_type_approval")
        # A department nobody manages, outside the tree: its records fall
        # back to the OKR administrators.
        cls.dept_lab = cls.env["hr.department"].create(
            {"name": "Lab", "company_id": cls.company.id}
        )
        # ... and somebody without a manager working there.
        cls.user_lab = new_test_user(
            cls.env,
            login="t_lab",
            groups="base.group_user",
            name="T Lab",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.emp_lab = cls.env["hr.employee"].create(
            {
                "name": "Lab Lead",
                "user_id": cls.user_lab.id,
                "department_id": cls.dept_lab.id,
                "company_id": cls.company.id,
            }
        )

    def make_doc(self, user=None, **values):
        """A draft document owned by the employee, in Production."""
        vals = {
            "name": "Open a toy-design lab",
            "company_id": self.company.id,
            "owner_id": self.emp_employee.id,
            "department_id": self.dept_production.id,
            **values,
        }
        Doc = self.Doc.with_user(user) if user else self.Doc
        return Doc.create(vals)

    def grant(self, user, xmlid):
        user.groups_id = [Command.link(self.env.ref(xmlid).id)]
