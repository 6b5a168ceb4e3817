"""Two approvers acting at once, in two real transactions.

These tests commit: they need two database connections that see the same
request. The class registers the throwaway model in a committed transaction,
creates its own users, and removes everything it committed (records, users,
the model's table and its reflection) in a class cleanup that runs even if
a test or the set-up fails half-way. Nothing here reads or changes data of
other tests, and the other tests never see these rows (they are gone before
the next class starts).
"""

from contextlib import closing

from freezegun import freeze_time
from odoo_test_helper import FakeModelLoader

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .concurrency_common import TwoCursorCase

MODEL = "okr.approval.test.doc"


@tagged("post_install", "-at_install", "bsc_okr_commits")
class TestApprovalConcurrency(TwoCursorCase):
    """Exactly one decision wins; the other approver gets a clear message."""

    LOGINS = ("t_conc_owner", "t_conc_exec_one", "t_conc_exec_two")

    @classmethod
    def _setup_committed(cls, env):
        cls.loader = None
        cr = env.cr
        cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM ir_model_data"))
        cls.imd_watermark = cr.fetchone()[0]
        cls.loader = FakeModelLoader(env, cls.__module__)
        cls.loader.backup_registry()
        from .approval_test_models import OkrApprovalTestDoc

        cls.loader.update_registry((OkrApprovalTestDoc,))
        env["ir.model.access"].create(
            {
                "name": "approval test doc: OKR users",
                "model_id": env["ir.model"]._get_id(MODEL),
                "group_id": env.ref("bsc_okr.group_okr_user").id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
            }
        )
        company = env.ref("base.main_company")
        owner, exec_one, exec_two = (
            cls._make_test_user(
                env,
                login,
                "base.group_user"
                + (",bsc_okr.group_executive" if "exec" in login else ""),
                company,
            )
            for login in cls.LOGINS
        )
        employee = env["hr.employee"].create(
            {
                "name": "Concurrency Owner",
                "user_id": owner.id,
                "company_id": company.id,
            }
        )
        cls.company_id = company.id
        cls.owner_uid, cls.exec_one_uid, cls.exec_two_uid = (
            owner.id,
            exec_one.id,
            exec_two.id,
        )
        cls.employee_id = employee.id

    @classmethod
    def _remove_committed_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if MODEL in env:
                # History is immutable through the ORM by design: only this
                # class's own rows, of its own throwaway model, go in SQL.
                cr.execute(
                    SQL("DELETE FROM okr_stage_history WHERE res_model = %s", MODEL)
                )
                env["mail.activity"].search([("res_model", "=", MODEL)]).unlink()
                env["okr.approval.request"].search([("res_model", "=", MODEL)]).unlink()
                env[MODEL].with_context(active_test=False).search([]).unlink()
            cls._remove_test_users(env)
            if MODEL in env:
                env["ir.model"].search([("model", "=", MODEL)]).with_context(
                    _force_unlink=True
                ).unlink()
                cr.execute(
                    SQL(
                        # reflection xmlids of the throwaway model, from
                        # every module that extends mail.thread
                        "DELETE FROM ir_model_data "
                        "WHERE id > %s AND model LIKE %s AND name LIKE %s",
                        cls.imd_watermark,
                        "ir.model%",
                        "%okr_approval_test_doc%",
                    )
                )
        if getattr(cls, "loader", None):
            cls.loader.restore_registry()
            with cls.registry.cursor() as cr:
                cls.registry.setup_models(cr)

    def setUp(self):
        # a fresh committed request for each test, before the two cursors
        # open: the owner asks the executives to decide (both may approve)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            doc = env[MODEL].create(
                {
                    "name": "Voice-controlled doll",
                    "company_id": self.company_id,
                    "owner_id": self.employee_id,
                }
            )
            doc._approval_force_state("review")
            doc.with_user(self.owner_uid).action_approval_request("decided")
            request = env["okr.approval.request"].search(
                [("res_model", "=", MODEL), ("res_id", "=", doc.id)]
            )
            approvers = request.approver_user_ids.ids
            self.assertIn(self.exec_one_uid, approvers)
            self.assertIn(self.exec_two_uid, approvers)
            self.doc_id, self.request_id = doc.id, request.id
        super().setUp()

    def doc_as(self, cr, uid):
        return self.env_as(cr, uid)[MODEL].browse(self.doc_id)

    def assert_exactly_one_decision(self, winner_uid):
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            doc = env[MODEL].browse(self.doc_id)
            request = env["okr.approval.request"].browse(self.request_id)
            self.assertEqual(doc.state, "decided")
            self.assertEqual(request.state, "approved")
            self.assertEqual(request.decided_by_id.id, winner_uid)
            decisions = env["okr.stage.history"].search(
                [("res_model", "=", MODEL), ("res_id", "=", self.doc_id)]
            )
            self.assertEqual(
                sorted(decisions.mapped("decision")),
                ["applied", "approved", "requested"],
            )

    def test_second_approver_while_first_decides(self):
        """The first approver holds the request; the second is told at once."""
        self.doc_as(self.cr_one, self.exec_one_uid).action_approval_approve()
        with self.assertRaisesRegex(UserError, "deciding on this request right now"):
            self.doc_as(self.cr_two, self.exec_two_uid).action_approval_approve()
        self.cr_two.rollback()
        self.cr_one.commit()
        # trying again once the first decision is committed
        with self.assertRaisesRegex(UserError, "already approved by T Conc Exec One"):
            self.doc_as(self.cr_two, self.exec_two_uid).action_approval_reject("No")
        self.cr_two.rollback()
        self.assert_exactly_one_decision(self.exec_one_uid)

    def test_second_approver_on_a_stale_snapshot(self):
        """The second approver's transaction started before the first one
        committed: the row lock detects it instead of deciding twice."""
        doc_two = self.doc_as(self.cr_two, self.exec_two_uid)
        self.assertTrue(doc_two.approval_pending)  # snapshot taken here
        self.doc_as(self.cr_one, self.exec_one_uid).action_approval_approve()
        self.cr_one.commit()
        with self.assertRaisesRegex(UserError, "decided by someone else a moment ago"):
            doc_two.action_approval_reject("Too late")
        self.cr_two.rollback()
        self.assert_exactly_one_decision(self.exec_one_uid)

    def test_escalation_skips_a_request_being_decided(self):
        """The cron neither waits for nor blocks an approver at work: without
        SKIP LOCKED this test would hang on the approver's row lock."""
        self.doc_as(self.cr_one, self.exec_one_uid).action_approval_approve()
        cron_env = api.Environment(self.cr_two, SUPERUSER_ID, {})
        with freeze_time("2099-01-01"):
            cron_env["okr.approval.request"]._cron_escalate()
        request = cron_env["okr.approval.request"].browse(self.request_id)
        self.assertFalse(request.escalation_date, "the locked request was skipped")
        self.assertEqual(request.escalation_level, 0)
        self.cr_two.rollback()
        self.cr_one.commit()
        self.assert_exactly_one_decision(self.exec_one_uid)
