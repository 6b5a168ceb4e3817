"""OKR fixtures on top of BscOkrCase: a running quarter and a few objectives.

    Q1 2026 (running, 2026-01-01 .. 2026-03-31) in Test Toys Ltd
    obj_company     CEO, company level, public, committed
    obj_production  Manager, department level (Production), public
    obj_employee    Employee, individual, public, aligned to obj_production
    obj_private     Employee, individual, private (member: Peer)
    obj_peer        Peer (Sales), individual, public
    obj_hr          HR officer (KPI appraisal), individual, public

Each objective has one key result 0 -> 100 owned by its owner, and all are
active. Tests that depend on "today" freeze the date inside the quarter.
"""

import datetime
from contextlib import contextmanager

from odoo import Command, fields

from ..engine import periods
from .common import BscOkrCase

Q1_START = datetime.date(2026, 1, 1)
Q1_END = datetime.date(2026, 3, 31)
IN_Q1 = "2026-02-16"  # a Monday


class OkrCase(BscOkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cycle = cls.env["okr.cycle"].create(
            {
                "name": "Q1 2026",
                "company_id": cls.company.id,
                "date_start": Q1_START,
                "date_end": Q1_END,
            }
        )
        cls.cycle.action_start()
        cls.obj_company = cls._make_objective(
            cls.emp_ceo, "Become the preschool toy brand", level="company"
        )
        cls.obj_production = cls._make_objective(
            cls.emp_manager,
            "Lean lines",
            level="department",
            department_id=cls.dept_production.id,
            parent_ids=[Command.link(cls.obj_company.id)],
        )
        cls.obj_employee = cls._make_objective(
            cls.emp_employee,
            "Halve changeover time",
            parent_ids=[Command.link(cls.obj_production.id)],
        )
        cls.obj_private = cls._make_objective(
            cls.emp_employee,
            "Private learning goal",
            visibility="private",
            member_ids=[Command.link(cls.emp_peer.id)],
        )
        cls.obj_peer = cls._make_objective(cls.emp_peer, "Win two new brands")
        cls.obj_hr = cls._make_objective(cls.emp_hr, "Learn people analytics")
        cls.objectives = (
            cls.obj_company
            | cls.obj_production
            | cls.obj_employee
            | cls.obj_private
            | cls.obj_peer
            | cls.obj_hr
        )
        cls._activate(cls.objectives)
        cls.kr_employee = cls.obj_employee.key_result_ids
        cls.kr_peer = cls.obj_peer.key_result_ids
        cls.kr_hr = cls.obj_hr.key_result_ids
        cls.kr_production = cls.obj_production.key_result_ids

    def assertRaisesRegex(self, exception, regex, *args, **kwargs):
        """Like assertRaises: in a savepoint, so that a refused write leaves
        nothing behind, and the test can check it."""
        if args:
            return super().assertRaisesRegex(exception, regex, *args, **kwargs)
        return self._okr_raises_regex(exception, regex, **kwargs)

    @contextmanager
    def _okr_raises_regex(self, exception, regex, msg=None):
        with self.assertRaises(exception, msg=msg) as context:
            yield context
        self.assertRegex(str(context.exception), regex)
        self.env.invalidate_all()

    @classmethod
    def _make_current_quarter(cls):
        """A running cycle over today's real quarter, for the HTTP tests
        that cannot freeze the clock (the server runs in another thread)."""
        start, end = periods.quarter_range(fields.Date.today())
        cycle = cls.env["okr.cycle"].create(
            {
                "name": "Current quarter",
                "company_id": cls.company.id,
                "date_start": start,
                "date_end": end,
            }
        )
        cycle.action_start()
        return cycle

    @classmethod
    def _make_objective(cls, owner, name, cycle=None, krs=None, **vals):
        """A draft objective of ``owner`` with one key result 0 -> 100."""
        if krs is None:
            krs = [{"name": f"{name}: KR", "start_value": 0.0, "target_value": 100.0}]
        return cls.env["okr.objective"].create(
            {
                "name": name,
                "cycle_id": (cycle or cls.cycle).id,
                "company_id": cls.company.id,
                "owner_id": owner.id,
                "key_result_ids": [Command.create(kr) for kr in krs],
                **vals,
            }
        )

    @classmethod
    def _activate(cls, objectives):
        """Fixtures skip the approval workflow: the mixin's documented way
        for data set-up (logged as 'applied' in the stage history). The
        workflow itself is tested in test_okr_approval."""
        objectives._approval_force_state("active")

    @classmethod
    def _checkin(cls, key_result, value, confidence=7, user=None, **vals):
        env = cls.env(user=user) if user else cls.env
        return env["okr.checkin"].create(
            {
                "key_result_id": key_result.id,
                "value": value,
                "confidence": confidence,
                **vals,
            }
        )
