from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .okr_common import IN_Q1, OkrCase


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestOkrSecurity(OkrCase):
    """Who reads and writes OKRs: the visibility design of architecture.md."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.checkin_employee = cls._checkin(
            cls.kr_employee, 20, comment="Waiting for moulds", user=cls.user_employee
        )
        cls.checkin_peer = cls._checkin(cls.kr_peer, 1, user=cls.user_peer)
        cls.checkin_hr = cls._checkin(cls.kr_hr, 5, user=cls.user_hr)

    def _read_set(self, user, model, records):
        """The ids among ``records`` that ``user`` finds in ``model``."""
        self.env.invalidate_all()
        return set(
            self.env[model].with_user(user).search([("id", "in", records.ids)]).ids
        )

    def assertSees(self, user, model, records, expected):
        self.assertEqual(
            self._read_set(user, model, records),
            set(expected.ids),
            f"{user.login} on {model}",
        )

    # ------------------------------------------------------------------
    # Sensitive models: owner, manager chain, department managers, admins
    # ------------------------------------------------------------------
    def test_employee_reads_own_only(self):
        self.assertSees(
            self.user_employee,
            "okr.objective",
            self.objectives,
            self.obj_employee | self.obj_private,
        )
        self.obj_employee.with_user(self.user_employee).read(["grade", "confidence"])
        with self.assertRaises(AccessError):
            self.obj_peer.with_user(self.user_employee).read(["name"])
        with self.assertRaises(AccessError):
            self.kr_peer.with_user(self.user_employee).read(["confidence"])
        with self.assertRaises(AccessError):
            self.checkin_peer.with_user(self.user_employee).read(["comment"])

    def test_manager_reads_team(self):
        team = self.obj_production | self.obj_employee | self.obj_private
        self.assertSees(self.user_manager, "okr.objective", self.objectives, team)
        self.assertSees(
            self.user_manager,
            "okr.key.result",
            self.objectives.key_result_ids,
            team.key_result_ids,
        )
        checkin = self.checkin_employee.with_user(self.user_manager)
        self.assertEqual(checkin.comment, "Waiting for moulds")
        with self.assertRaises(AccessError):
            self.obj_peer.with_user(self.user_manager).read(["name"])

    def test_key_result_owner_reads_the_objective(self):
        """Owning a key result of somebody's objective is taking part in it."""
        self.env["okr.key.result"].create(
            {
                "objective_id": self.obj_production.id,
                "name": "Employee's part",
                "owner_id": self.emp_employee.id,
            }
        )
        self.assertIn(
            self.obj_production.id,
            self._read_set(self.user_employee, "okr.objective", self.objectives),
        )
        self.obj_production.with_user(self.user_employee).read(["progress", "grade"])

    def test_ceo_reads_whole_chain(self):
        """The manager chain is followed up: the CEO reads everybody's."""
        self.assertSees(
            self.user_ceo, "okr.objective", self.objectives, self.objectives
        )

    def test_manager_writes_team_after_draft(self):
        self.obj_employee.with_user(self.user_manager).write({"name": "Halve it"})
        self.kr_employee.with_user(self.user_manager).write({"target_value": 80})
        self.assertEqual(self.kr_employee.target_value, 80)
        with self.assertRaises(AccessError):
            self.obj_peer.with_user(self.user_manager).write({"name": "Nope"})

    def test_department_manager_scope(self):
        """A department head reads objectives of the department, even of
        people outside their reporting line."""
        outsider = self._make_objective(
            self.emp_okr_admin,
            "Production tooling",
            level="department",
            department_id=self.dept_production.id,
        )
        self.assertSees(self.user_manager, "okr.objective", outsider, outsider)
        # A plain employee of that department does not.
        self.assertFalse(self._read_set(self.user_employee, "okr.objective", outsider))

    def test_okr_admin_reads_company_only(self):
        self.assertSees(
            self.user_okr_admin, "okr.objective", self.objectives, self.objectives
        )
        self.assertFalse(
            self._read_set(self.user_other_company, "okr.objective", self.objectives)
        )
        self.assertFalse(
            self._read_set(
                self.user_other_company, "okr.objective.public", self.objectives
            )
        )
        with self.assertRaises(AccessError):
            self.obj_peer.with_user(self.user_other_company).read(["name"])

    # ------------------------------------------------------------------
    # The appraisal wall
    # ------------------------------------------------------------------
    def test_appraisal_staff_see_only_their_own(self):
        hr = self.user_hr
        others = self.objectives - self.obj_hr
        self.assertSees(hr, "okr.objective", self.objectives, self.obj_hr)
        self.assertSees(
            hr, "okr.key.result", self.objectives.key_result_ids, self.kr_hr
        )
        checkins = self.checkin_employee | self.checkin_peer | self.checkin_hr
        self.assertSees(hr, "okr.checkin", checkins, self.checkin_hr)
        for records in (
            others,
            others.key_result_ids,
            self.checkin_employee | self.checkin_peer,
        ):
            with self.assertRaises(AccessError, msg=records._name):
                records.with_user(hr).read(["display_name"])
        # The strict wall hides even company-public objectives.
        self.assertSees(hr, "okr.objective.public", self.objectives, self.obj_hr)
        # Their own stays theirs.
        self.obj_hr.with_user(hr).read(["grade", "confidence"])

    def test_appraisal_staff_with_okr_rights_still_walled(self):
        """Every widening rule branches on KPI Appraisal."""
        self.user_hr.groups_id = [
            Command.link(self.env.ref("bsc_okr.group_okr_admin").id)
        ]
        self.emp_employee.parent_id = self.emp_hr
        self.assertSees(self.user_hr, "okr.objective", self.objectives, self.obj_hr)
        self.assertSees(
            self.user_hr, "okr.objective.public", self.objectives, self.obj_hr
        )

    def test_strict_wall_off_opens_public_titles_only(self):
        self.company.okr_strict_appraisal_wall = False
        self.assertSees(
            self.user_hr,
            "okr.objective.public",
            self.objectives,
            self.objectives - self.obj_private,
        )
        # Still nothing of the sensitive models.
        self.assertSees(self.user_hr, "okr.objective", self.objectives, self.obj_hr)

    def test_public_projection_has_no_sensitive_column(self):
        fields = self.env["okr.objective.public"]._fields
        for name in ("grade", "grade_band", "confidence", "key_result_ids"):
            self.assertNotIn(name, fields)

    def test_sandbagging_never_readable_by_appraisal(self):
        objective = self.obj_hr.with_user(self.user_hr)
        self.assertNotIn("sandbagging_signal", objective.fields_get())
        with self.assertRaisesRegex(AccessError, "never to KPI appraisal"):
            objective.read(["sandbagging_signal"])
        self.assertIn(
            "sandbagging_signal",
            self.obj_employee.with_user(self.user_employee).fields_get(),
        )

    # ------------------------------------------------------------------
    # Transparency through okr.objective.public
    # ------------------------------------------------------------------
    def test_public_projection_follows_visibility(self):
        # Named member of the private objective: sees its title.
        peer = self.user_peer
        self.assertSees(peer, "okr.objective.public", self.objectives, self.objectives)
        self.obj_private.member_ids = [Command.clear()]
        self.assertSees(
            peer,
            "okr.objective.public",
            self.objectives,
            self.objectives - self.obj_private,
        )
        # The owner's manager sees it.
        self.assertSees(
            self.user_manager,
            "okr.objective.public",
            self.obj_private,
            self.obj_private,
        )

    def test_department_visibility(self):
        self.obj_employee.sudo().write({"visibility": "department"})
        self.assertFalse(
            self._read_set(self.user_peer, "okr.objective.public", self.obj_employee)
        )
        # A colleague of the same department (here, a portal employee) does.
        self.assertSees(
            self.user_portal,
            "okr.objective.public",
            self.obj_employee,
            self.obj_employee,
        )

    # ------------------------------------------------------------------
    # Writing: own drafts, state through buttons
    # ------------------------------------------------------------------
    def test_employee_creates_own_draft_only(self):
        Objective = self.env["okr.objective"].with_user(self.user_employee)
        mine = Objective.create(
            {
                "name": "Mine",
                "cycle_id": self.cycle.id,
                "owner_id": self.emp_employee.id,
            }
        )
        self.assertEqual(mine.state, "draft")
        with self.assertRaises(AccessError):
            Objective.create(
                {
                    "name": "Peer's",
                    "cycle_id": self.cycle.id,
                    "owner_id": self.emp_peer.id,
                }
            )
        with self.assertRaises(UserError):
            Objective.create(
                {
                    "name": "Sneaky",
                    "cycle_id": self.cycle.id,
                    "owner_id": self.emp_employee.id,
                    "state": "active",
                }
            )

    def test_company_objectives_need_admin_or_executive(self):
        with self.assertRaises(AccessError):
            self.env["okr.objective"].with_user(self.user_employee).create(
                {
                    "name": "Rule the world",
                    "cycle_id": self.cycle.id,
                    "owner_id": self.emp_employee.id,
                    "level": "company",
                }
            )
        self.env["okr.objective"].with_user(self.user_ceo).create(
            {
                "name": "Our next brand",
                "cycle_id": self.cycle.id,
                "owner_id": self.emp_ceo.id,
                "level": "company",
            }
        )

    def test_draft_cannot_become_company_level(self):
        draft = self._make_objective(self.emp_employee, "Grand plans")
        with self.assertRaisesRegex(AccessError, "administrators and executives"):
            draft.with_user(self.user_employee).write({"level": "company"})
        self.assertEqual(draft.level, "individual")

    def test_my_team_filter(self):
        Objective = self.env["okr.objective"].with_user(self.user_manager)
        team = Objective.search(
            [("id", "in", self.objectives.ids), ("in_my_team", "=", True)]
        )
        self.assertEqual(team, self.obj_employee | self.obj_private)
        self.assertFalse(
            self.obj_production.with_user(self.user_manager).in_my_team,
            "one's own objectives are not the team's",
        )

    def test_content_locked_after_draft(self):
        objective = self.obj_employee.with_user(self.user_employee)
        with self.assertRaisesRegex(UserError, "managers"):
            objective.write({"name": "Quietly easier"})
        with self.assertRaisesRegex(UserError, "fixed"):
            self.kr_employee.with_user(self.user_employee).write({"target_value": 10})
        with self.assertRaisesRegex(UserError, "fixed"):
            self.env["okr.key.result"].with_user(self.user_employee).create(
                {"objective_id": self.obj_employee.id, "name": "Easy one"}
            )
        with self.assertRaises(UserError):
            objective.unlink()
        self.assertEqual(self.obj_employee.name, "Halve changeover time")
        # Back in draft, the owner edits again.
        objective.action_cancel()
        objective.action_reset_draft()
        objective.write({"name": "Halve changeover time on line 3"})
        self.kr_employee.with_user(self.user_employee).write({"target_value": 60})

    def test_state_only_through_buttons(self):
        for user in (self.user_employee, self.user_okr_admin):
            with self.assertRaisesRegex(UserError, "approval workflow"):
                self.obj_employee.with_user(user).write({"state": "graded"})
        self.assertEqual(self.obj_employee.state, "active")

    def test_approval_by_manager_not_owner(self):
        draft = self._make_objective(self.emp_employee, "Needs approval")
        draft.with_user(self.user_employee).action_submit()
        self.assertEqual(draft.state, "submitted")
        self.assertEqual(draft.approval_approver_user_ids, self.user_manager)
        with self.assertRaisesRegex(UserError, "own request"):
            draft.with_user(self.user_employee).action_approve()
        with self.assertRaises(AccessError):
            draft.with_user(self.user_peer).action_approve()
        draft.with_user(self.user_manager).action_approve()
        self.assertEqual(draft.state, "approved")
        draft.with_user(self.user_employee).action_activate()
        self.assertEqual(draft.state, "active")

    def test_activation_needs_a_key_result(self):
        empty = self.env["okr.objective"].create(
            {
                "name": "Empty",
                "cycle_id": self.cycle.id,
                "company_id": self.company.id,
                "owner_id": self.emp_employee.id,
            }
        )
        empty._approval_force_state("approved")
        with self.assertRaisesRegex(UserError, "key result"):
            empty.with_user(self.user_employee).action_activate()
        self.assertEqual(empty.state, "approved")

    def test_wrong_transition(self):
        with self.assertRaisesRegex(UserError, "cannot be skipped"):
            self.obj_employee.with_user(self.user_employee).action_submit()
        draft = self._make_objective(self.emp_employee, "Not approved yet")
        with self.assertRaisesRegex(UserError, "cannot be skipped"):
            draft.with_user(self.user_employee).action_activate()
        self.assertEqual(draft.state, "draft")

    def test_portal_employee(self):
        portal = self.user_portal
        mine = self._make_objective(self.emp_portal, "Fewer rejects on line 2")
        self._activate(mine)
        self.assertSees(portal, "okr.objective", self.objectives | mine, mine)
        self._checkin(mine.key_result_ids, 30, user=portal)
        self.assertEqual(mine.key_result_ids.current_value, 30)
        with self.assertRaises(AccessError):
            self._checkin(self.kr_employee, 30, user=portal)
        self.assertSees(
            portal,
            "okr.objective.public",
            self.objectives,
            self.objectives - self.obj_private,
        )

    def test_cycles_are_configured_by_admins(self):
        with self.assertRaises(AccessError):
            self.cycle.with_user(self.user_manager).action_start_grading()
        with self.assertRaises(AccessError):
            self.env["okr.cycle"].with_user(self.user_employee).create(
                {"name": "Mine", "date_start": "2026-04-01", "date_end": "2026-06-30"}
            )
        self.assertEqual(self.cycle.with_user(self.user_employee).name, "Q1 2026")
        self.cycle.with_user(self.user_okr_admin).action_start_grading()
        self.assertEqual(self.cycle.state, "grading")
