"""Deferred check-ins: the row is inserted, the roll-up job moves the key
result afterwards (okr.checkin._okr_rollup_pending).

The first classes run in the test transaction; the last one commits, with
two real transactions (see concurrency_common), like the other concurrency
tests, and removes everything it committed.
"""

from contextlib import closing
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..models.okr_checkin import DEFERRED_PARAM
from . import test_portal
from .concurrency_common import TwoCursorCase
from .okr_common import IN_Q1, OkrCase


def _pending_count(env, key_result):
    env["okr.checkin"].flush_model()
    env.cr.execute(
        SQL(
            "SELECT COUNT(*) FROM okr_checkin WHERE rollup_pending "
            "AND key_result_id = %s",
            key_result.id,
        )
    )
    return env.cr.fetchone()[0]


def _cron_triggers(env):
    cron = env.ref("bsc_okr.okr_checkin_cron_rollup")
    return env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)])


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestOkrCheckinRollup(OkrCase):
    """The deferred mode: what a check-in writes, what the job derives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(DEFERRED_PARAM, "1")

    def _stored(self, key_result):
        """The figures of ``key_result`` as the database holds them."""
        self.env.flush_all()
        self.env.invalidate_all()
        return (
            key_result.current_value,
            key_result.confidence,
            str(key_result.last_checkin_date),
            round(key_result.progress, 6),
            round(key_result.objective_id.progress, 6),
        )

    def test_deferred_checkin_only_inserts(self):
        kr = self.kr_employee.with_user(self.user_employee)
        before = self._stored(self.kr_employee)
        triggers = _cron_triggers(self.env)
        checkin_id = kr.push_checkin(30, confidence=6)
        self.assertEqual(self._stored(self.kr_employee), before)
        self.assertEqual(_pending_count(self.env, self.kr_employee), 1)
        self.assertTrue(self.env["okr.checkin"].browse(checkin_id).rollup_pending)
        self.assertEqual(_cron_triggers(self.env), triggers + 1)
        done = self.env["okr.checkin"]._okr_rollup_pending()
        self.assertEqual(done, 1)
        self.assertEqual(self._stored(self.kr_employee), (30, 6, IN_Q1, 0.3, 0.3))
        self.assertEqual(_pending_count(self.env, self.kr_employee), 0)
        # nothing left: a rerun changes nothing
        self.assertEqual(self.env["okr.checkin"]._okr_rollup_pending(), 0)
        self.assertEqual(self._stored(self.kr_employee), (30, 6, IN_Q1, 0.3, 0.3))

    def test_pending_figures_are_the_models(self):
        """What a page shows before the roll-up is the key result's own
        rule (_okr_pending_figures), read from the check-in itself."""
        kr = self.kr_employee.with_user(self.user_employee)
        self.assertEqual(kr._okr_pending_figures(), {})
        kr.push_checkin(40, confidence=4)
        self.assertEqual(
            kr._okr_pending_figures(),
            {kr.id: {"value": 40, "confidence": 4, "progress": 0.4}},
        )
        self.env["okr.checkin"]._okr_rollup_pending()
        self.assertEqual(kr._okr_pending_figures(), {})
        # Synchronous mode: the stored figures are current, nothing pends.
        self.env["ir.config_parameter"].sudo().set_param(DEFERRED_PARAM, "")
        kr.push_checkin(50, confidence=5)
        self.assertEqual(kr._okr_pending_figures(), {})

    def test_push_checkins_deferred(self):
        ids = (
            self.env["okr.checkin"]
            .with_user(self.user_employee)
            .push_checkins(
                [
                    {
                        "key_result_id": self.kr_employee.id,
                        "value": 20,
                        "confidence": 7,
                    },
                    {
                        "key_result_id": self.kr_employee.id,
                        "value": 10,
                        "confidence": 3,
                        "date": "2026-02-02",
                    },
                ]
            )
        )
        self.assertEqual(len(ids), 2)
        self.assertEqual(_pending_count(self.env, self.kr_employee), 2)
        self.assertEqual(self._stored(self.kr_employee)[0], 0)
        # two batches of one, the back-dated check-in first or not: the
        # latest (by date) wins, as when posted one by one
        self.assertEqual(self.env["okr.checkin"]._okr_rollup_pending(limit=1), 1)
        self.assertEqual(self.env["okr.checkin"]._okr_rollup_pending(limit=1), 1)
        self.assertEqual(self._stored(self.kr_employee)[:3], (20, 7, IN_Q1))

    def test_rollup_equals_synchronous_check_in(self):
        self.kr_employee.with_user(self.user_employee).push_checkin(45, confidence=8)
        self.env["okr.checkin"]._okr_rollup_pending()
        deferred = self._stored(self.kr_employee)
        # the same check-in, synchronous, on the peer's like key result
        self.env["ir.config_parameter"].sudo().set_param(DEFERRED_PARAM, "")
        self.kr_peer.with_user(self.user_peer).push_checkin(45, confidence=8)
        self.assertEqual(_pending_count(self.env, self.kr_peer), 0)
        self.assertEqual(self._stored(self.kr_peer), deferred)

    def test_back_office_check_in_stays_synchronous(self):
        self._checkin(self.kr_employee, 30, confidence=6, user=self.user_employee)
        self.assertEqual(_pending_count(self.env, self.kr_employee), 0)
        self.assertEqual(self._stored(self.kr_employee), (30, 6, IN_Q1, 0.3, 0.3))

    def test_cron_reports_progress(self):
        self.kr_employee.with_user(self.user_employee).push_checkin(30)
        cron = self.env.ref("bsc_okr.okr_checkin_cron_rollup")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        self.env["okr.checkin"].with_context(
            ir_cron_progress_id=progress.id
        )._cron_rollup_pending()
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(self._stored(self.kr_employee)[0], 30)

    def test_refused_on_cancelled_objective_writes_nothing(self):
        self.obj_employee._approval_force_state("cancelled")
        count = self.env["okr.checkin"].search_count([])
        with self.assertRaisesRegex(UserError, "is cancelled: no more check-ins"):
            self.kr_employee.with_user(self.user_employee).push_checkin(30)
        self.assertEqual(self.env["okr.checkin"].search_count([]), count)


@tagged("post_install", "-at_install")
class TestPortalDeferredCheckin(test_portal.PortalCase):
    """The author sees the new value at once, read from the check-in."""

    def test_value_shown_before_roll_up(self):
        self.env["ir.config_parameter"].sudo().set_param(DEFERRED_PARAM, "1")
        self.login(self.user_employee)
        url = f"/my/key-results/{self.kr_employee.id}/checkin"
        response = self.post(url, {"value": "37", "confidence": "9"})
        self.assertIn("Your check-in was saved.", response.text)
        self.assertIn("Now 37.0,", response.text)
        self.assertIn("Confidence: 9/10", response.text)
        self.env.invalidate_all()
        # the key result's row is untouched until the roll-up
        self.assertEqual(self.kr_employee.current_value, 0)
        self.assertEqual(_pending_count(self.env, self.kr_employee), 1)
        self.env["okr.checkin"]._okr_rollup_pending()
        self.assertEqual(self.kr_employee.current_value, 37)
        self.assertEqual(self.kr_employee.confidence, 9)
        self.assertIn("Now 37.0,", self.get(f"/my/okrs/{self.obj_employee.id}").text)

    def test_synchronous_without_the_parameter(self):
        self.login(self.user_employee)
        url = f"/my/key-results/{self.kr_employee.id}/checkin"
        self.post(url, {"value": "37", "confidence": "9"})
        self.assertEqual(_pending_count(self.env, self.kr_employee), 0)
        self.assertEqual(self.kr_employee.current_value, 37)


@tagged("post_install", "-at_install", "bsc_okr_commits")
class TestOkrCheckinRollupConcurrency(TwoCursorCase):
    """Deferred check-ins in real transactions: no conflict, a crash-safe
    roll-up, and no check-in on an objective cancelled meanwhile."""

    LOGINS = ("t_roll_owner", "t_roll_peer", "t_roll_admin")

    @classmethod
    def _setup_committed(cls, env):
        company = env.ref("base.main_company")
        owner, peer, admin = (
            cls._make_test_user(
                env,
                login,
                "base.group_user"
                + (",bsc_okr.group_okr_admin" if "admin" in login else ""),
                company,
            )
            for login in cls.LOGINS
        )
        cls.owner_uid, cls.peer_uid, cls.admin_uid = owner.id, peer.id, admin.id
        employees = env["hr.employee"].create(
            [
                {"name": "Rollup Owner", "user_id": owner.id, "company_id": company.id},
                {"name": "Rollup Peer", "user_id": peer.id, "company_id": company.id},
            ]
        )
        cycle = env["okr.cycle"].create(
            {
                "name": "Roll-up test cycle",
                "company_id": company.id,
                "cycle_type": "custom",
                "date_start": "2020-01-01",
                "date_end": "2099-12-31",
            }
        )
        cycle.action_start()
        cls.cycle_id = cycle.id
        cls.emp_owner_id, cls.emp_peer_id = employees.ids
        cls.company_id = company.id
        env["ir.config_parameter"].set_param(DEFERRED_PARAM, "1")

    @classmethod
    def _remove_committed_data(cls):
        with cls.registry.cursor() as cr:
            # The history refuses deletion except when the module is
            # uninstalled: these rows are this class's own.
            env = api.Environment(cr, SUPERUSER_ID, {MODULE_UNINSTALL_FLAG: True})
            env["ir.config_parameter"].set_param(DEFERRED_PARAM, False)
            cycle = env["okr.cycle"].browse(getattr(cls, "cycle_id", None)).exists()
            objectives = env["okr.objective"].search([("cycle_id", "in", cycle.ids)])
            env["okr.stage.history"].search(
                [("res_model", "=", "okr.objective"), ("res_id", "in", objectives.ids)]
            ).unlink()
            env["okr.approval.request"].search(
                [("res_model", "=", "okr.objective"), ("res_id", "in", objectives.ids)]
            ).unlink()
            objectives.unlink()  # their key results and check-ins
            cycle.unlink()
            cls._remove_test_users(env)

    def setUp(self):
        # committed before the two cursors open: an active objective of the
        # owner with two key results 0 -> 100, the peer contributes to both
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            objective = env["okr.objective"].create(
                {
                    "name": "Shared by the team",
                    "cycle_id": self.cycle_id,
                    "company_id": self.company_id,
                    "owner_id": self.emp_owner_id,
                    "key_result_ids": [
                        Command.create(
                            {
                                "name": name,
                                "start_value": 0,
                                "target_value": 100,
                                "contributor_ids": [Command.link(self.emp_peer_id)],
                            }
                        )
                        for name in ("Shared A", "Shared B")
                    ],
                }
            )
            objective._approval_force_state("active")
            self.objective_id = objective.id
            self.kr_ids = objective.key_result_ids.ids
        super().setUp()

    def kr_as(self, cr, uid, index=0):
        return self.env_as(cr, uid)["okr.key.result"].browse(self.kr_ids[index])

    def figures(self):
        """The stored figures of the two key results and the objective."""
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            krs = env["okr.key.result"].browse(self.kr_ids)
            return (
                [(kr.current_value, kr.confidence, kr.progress) for kr in krs],
                env["okr.objective"].browse(self.objective_id).progress,
            )

    def rollup(self):
        # one batch of one per transaction, as the cron runner commits
        done = True
        while done:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                done = env["okr.checkin"]._okr_rollup_pending(limit=1)

    def test_two_check_ins_at_once_both_commit(self):
        # Both transactions start before either commits: in the synchronous
        # mode the second would wait for the first's key-result row, then
        # fail to serialize. A lock wait fails the test at once instead.
        for cr in (self.cr_one, self.cr_two):
            cr.execute(SQL("SET LOCAL lock_timeout = '2s'"))
        self.kr_as(self.cr_one, self.owner_uid).push_checkin(30, confidence=6)
        self.kr_as(self.cr_two, self.peer_uid).push_checkin(40, confidence=8)
        self.cr_one.commit()
        self.cr_two.commit()
        self.rollup()
        krs, objective_progress = self.figures()
        self.assertEqual(krs[0], (40, 8, 0.4))
        self.assertAlmostEqual(objective_progress, (0.4 + 0.0) / 2)

    def test_second_worker_skips_a_locked_batch(self):
        for index, value in ((0, 10), (1, 20)):
            self.kr_as(self.cr_one, self.owner_uid, index).push_checkin(value)
        self.cr_one.commit()
        # the first worker holds its batch (the oldest pending row) ...
        self.cr_one.execute(
            SQL(
                "SELECT id FROM okr_checkin WHERE rollup_pending "
                "AND key_result_id IN %s ORDER BY id LIMIT 1 "
                "FOR UPDATE SKIP LOCKED",
                tuple(self.kr_ids),
            )
        )
        self.assertEqual(len(self.cr_one.fetchall()), 1)
        # ... the second takes the next row at once, without waiting
        self.cr_two.execute(SQL("SET LOCAL lock_timeout = '2s'"))
        env_two = self.env_as(self.cr_two, SUPERUSER_ID)
        self.assertEqual(env_two["okr.checkin"]._okr_rollup_pending(limit=10), 1)
        self.cr_two.commit()
        self.assertEqual([kr[0] for kr in self.figures()[0]], [0, 20])
        self.cr_one.rollback()
        self.rollup()
        self.assertEqual([kr[0] for kr in self.figures()[0]], [10, 20])

    def test_killed_roll_up_rerun_gives_the_same_figures(self):
        for index, value in ((0, 10), (1, 20), (0, 35)):
            self.kr_as(self.cr_one, self.owner_uid, index).push_checkin(
                value, confidence=7
            )
        self.cr_one.commit()
        KeyResult = type(self.env_as(self.cr_two, SUPERUSER_ID)["okr.key.result"])
        original = KeyResult._okr_latest_checkin_values
        calls = []

        def dies_on_second_batch(records):
            calls.append(records.ids)
            if len(calls) == 2:
                raise RuntimeError("worker killed")
            return original(records)

        env_two = self.env_as(self.cr_two, SUPERUSER_ID)
        with patch.object(
            KeyResult, "_okr_latest_checkin_values", dies_on_second_batch
        ):
            self.assertEqual(env_two["okr.checkin"]._okr_rollup_pending(limit=1), 1)
            self.cr_two.commit()
            with self.assertRaises(RuntimeError):
                env_two["okr.checkin"]._okr_rollup_pending(limit=1)
            self.cr_two.rollback()
        self.assertEqual(len(calls), 2)
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            kr = env["okr.key.result"].browse(self.kr_ids[0])
            self.assertEqual(_pending_count(env, kr), 1, "the killed batch waits")
        self.rollup()
        after_rerun = self.figures()
        self.assertEqual(after_rerun[0], [(35, 7, 0.35), (20, 7, 0.2)])
        self.assertAlmostEqual(after_rerun[1], (0.35 + 0.2) / 2)
        # a clean run over everything again yields the same figures
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "UPDATE okr_checkin SET rollup_pending = TRUE "
                    "WHERE key_result_id IN %s",
                    tuple(self.kr_ids),
                )
            )
        self.rollup()
        self.assertEqual(self.figures(), after_rerun)

    def test_check_in_on_objective_cancelled_meanwhile(self):
        kr = self.kr_as(self.cr_two, self.peer_uid)
        self.assertEqual(kr.current_value, 0)  # the peer reads the page
        self.cr_two.commit()  # the page was served
        self.env_as(self.cr_one, SUPERUSER_ID)["okr.objective"].browse(
            self.objective_id
        )._approval_force_state("cancelled")
        self.cr_one.commit()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(
                UserError, "Shared by the team is cancelled: no more check-ins"
            ),
        ):
            self.kr_as(self.cr_two, self.peer_uid).push_checkin(50)
        self.cr_two.rollback()
        with closing(self.registry.cursor()) as cr:
            cr.execute(
                SQL(
                    "SELECT COUNT(*) FROM okr_checkin WHERE key_result_id IN %s",
                    tuple(self.kr_ids),
                )
            )
            self.assertEqual(cr.fetchone()[0], 0)
        self.assertEqual(self.figures()[0][0][0], 0)
