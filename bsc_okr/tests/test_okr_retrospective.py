"""Retrospectives at grading, carry-over into the next cycle, and the
retrospective form of the portal (issue 17, items 2, 3 and 6).

Fixtures (okr_common): Q1 2026 runs; the employee owns obj_employee
(aligned to the manager's obj_production), reports to the manager, whose
manager is the CEO; the peer is a colleague in Sales; t_hr is KPI appraisal
staff. Everything below runs as those users, never as the superuser.
"""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .learning_common import LearningCase
from .okr_common import IN_Q1
from .test_portal import PortalCase

Q2_START = "2026-04-01"


class RetroCase(LearningCase):
    @classmethod
    def _grade_cycle(cls):
        cls.cycle.with_user(cls.user_okr_admin).action_start_grading()

    def _retro(self, user, objective=None, **vals):
        objective = (objective or self.obj_employee).with_user(user)
        return objective._okr_write_retrospective(vals)


@tagged("post_install", "-at_install")
class TestOkrRetrospective(RetroCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._grade_cycle()

    def test_owner_writes_manager_comments(self):
        retro = self._retro(
            self.user_employee,
            what_worked="Pairing with the line leader",
            what_did_not="Parts arrived late",
            what_learned="Stage the moulds the day before",
            next_step="drop",
        )
        self.assertEqual(retro.objective_id, self.obj_employee)
        self.assertEqual(self.obj_employee.retrospective_id, retro)
        # The manager comments.
        retro.with_user(self.user_manager).manager_comment = "Good call on staging"
        self.assertEqual(retro.manager_comment, "Good call on staging")
        # ... but does not rewrite the owner's words.
        with self.assertRaises(AccessError):
            retro.with_user(self.user_manager).what_worked = "Rewritten"
        # The owner does not comment on their own retrospective.
        with self.assertRaises(AccessError):
            retro.with_user(self.user_employee).manager_comment = "Self-praise"
        retro.invalidate_recordset()
        self.assertEqual(retro.what_worked, "Pairing with the line leader")
        self.assertEqual(retro.manager_comment, "Good call on staging")
        # A second write updates the same retrospective: one per objective.
        again = self._retro(self.user_employee, next_step="carry_over")
        self.assertEqual(again, retro)
        self.assertEqual(
            self.env["okr.retrospective"].search_count(
                [("objective_id", "=", self.obj_employee.id)]
            ),
            1,
        )
        # The form tells each who may write what.
        as_owner = retro.with_user(self.user_employee)
        self.assertTrue(as_owner.can_write_owner_part)
        self.assertFalse(as_owner.can_write_manager_part)
        as_manager = retro.with_user(self.user_manager)
        self.assertFalse(as_manager.can_write_owner_part)
        self.assertTrue(as_manager.can_write_manager_part)

    def test_manager_may_start_with_a_comment(self):
        retro = self._retro(self.user_manager, manager_comment="Let us talk")
        self.assertEqual(retro.owner_id, self.emp_employee)
        retro.with_user(self.user_employee).what_learned = "Ask earlier"
        self.assertEqual(retro.what_learned, "Ask earlier")

    def test_colleague_is_refused(self):
        retro = self._retro(self.user_employee, what_worked="Secret sauce")
        Retro = self.env["okr.retrospective"].with_user(self.user_peer)
        self.assertFalse(Retro.search([("id", "=", retro.id)]))
        with self.assertRaises(AccessError):
            retro.with_user(self.user_peer).read(["what_worked"])
        with self.assertRaises(AccessError):
            retro.with_user(self.user_peer).write({"manager_comment": "Hi"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Retro.create({"objective_id": self.obj_production.id})

    def test_appraisal_staff_are_refused(self):
        retro = self._retro(self.user_employee, what_worked="Secret sauce")
        Retro = self.env["okr.retrospective"].with_user(self.user_hr)
        self.assertFalse(Retro.search([]) & retro)
        self.assertEqual(Retro.search_count([("id", "=", retro.id)]), 0)
        with self.assertRaises(AccessError):
            retro.with_user(self.user_hr).read(["what_worked"])
        # Their own objective's retrospective is theirs.
        own = self._retro(self.user_hr, objective=self.obj_hr, what_learned="Mine")
        self.assertEqual(Retro.search([]), own)

    def test_control_characters_are_cleaned(self):
        retro = self._retro(self.user_employee, what_worked="Clean\x00 text\x1b")
        self.assertEqual(retro.what_worked, "Clean text")

    def test_only_while_grading_and_read_only_once_closed(self):
        retro = self._retro(self.user_employee, what_worked="Before close")
        self.cycle.with_user(self.user_okr_admin).action_close()
        with self.assertRaisesRegex(UserError, "being graded"):
            retro.with_user(self.user_employee).what_worked = "After close"
        with self.assertRaisesRegex(UserError, "being graded"):
            retro.with_user(self.user_manager).manager_comment = "After close"
        self.assertEqual(retro.what_worked, "Before close")
        self.assertFalse(retro.with_user(self.user_employee).can_write_owner_part)

    def test_close_lists_objectives_without_retrospective(self):
        self._retro(self.user_employee, what_learned="Lesson")
        cycle = self.cycle.with_user(self.user_okr_admin)
        missing = cycle.missing_retrospective_ids
        self.assertIn(self.obj_peer, missing)
        self.assertNotIn(self.obj_employee, missing)
        self.assertEqual(cycle.missing_retrospective_count, len(missing))
        action = cycle.action_view_missing_retrospectives()
        self.assertEqual(self.env["okr.objective"].search(action["domain"]), missing)
        # The employee sees only what they may read.
        self.assertEqual(
            self.cycle.with_user(self.user_employee).missing_retrospective_ids,
            self.obj_private,
        )
        cycle.action_close()
        chatter = " ".join(self.cycle.message_ids.mapped("body"))
        self.assertIn(
            f"{len(missing)} objectives closed without a retrospective", chatter
        )
        # Counts only in the cycle's chatter: titles stay on the objectives.
        self.assertNotIn(self.obj_peer.name, chatter)

    def test_learning_plan_proposal_is_prefilled(self):
        retro = self._retro(
            self.user_employee,
            what_learned="Quick mould change is a <skill>",
            next_step="drop",
        )
        with self.assertRaisesRegex(UserError, "learning plan"):
            retro.with_user(self.user_employee).action_propose_learning_plan()
        retro.with_user(self.user_employee).next_step = "learning_plan"
        action = retro.with_user(self.user_employee).action_propose_learning_plan()
        self.assertEqual(action["res_model"], "okr.learning.plan")
        context = action["context"]
        self.assertEqual(context["default_name"], self.obj_employee.name)
        self.assertEqual(context["default_retrospective_id"], retro.id)
        self.assertIn("&lt;skill&gt;", context["default_direction"])
        self.assertEqual(
            context["default_goal_description"], "Quick mould change is a <skill>"
        )

    def test_no_retrospective_for_a_draft_or_a_running_cycle(self):
        draft = self._make_objective(self.emp_employee, "Still a draft")
        with self.assertRaisesRegex(UserError, "did not run"):
            self._retro(self.user_employee, objective=draft, what_worked="x")
        running = self.env["okr.cycle"].create(
            {
                "name": "Q2 2026",
                "company_id": self.company.id,
                "date_start": Q2_START,
                "date_end": "2026-06-30",
            }
        )
        running.action_start()
        objective = self._make_objective(self.emp_employee, "Q2 goal", cycle=running)
        self._activate(objective)
        with self.assertRaisesRegex(UserError, "being graded"):
            self._retro(self.user_employee, objective=objective, what_worked="x")


@tagged("post_install", "-at_install")
class TestOkrCarryOver(RetroCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.obj_employee.bsc_objective_id = cls.obj_process
        cls._checkin(cls.kr_employee, 40, user=cls.user_employee)

    def _wizard(self, user, objectives):
        return (
            self.env["okr.carry.over.wizard"]
            .with_user(user)
            .with_context(active_model="okr.objective", active_ids=objectives.ids)
            .create({})
        )

    @freeze_time(IN_Q1)
    def test_wizard_before_close(self):
        wizard = self._wizard(self.user_employee, self.obj_employee)
        self.assertEqual(wizard.objective_ids, self.obj_employee)
        action = wizard.action_confirm()
        copy = self.env["okr.objective"].browse(action["res_id"])
        original = self.obj_employee
        self.assertEqual(copy.carried_from_id, original)
        self.assertEqual(original.carried_to_ids, copy)
        # Into the cycle after Q1, planned as the daily job would.
        self.assertEqual(copy.cycle_id, self.cycle.next_cycle_id)
        self.assertEqual(str(copy.cycle_id.date_start), Q2_START)
        self.assertEqual(copy.state, "draft")
        self.assertEqual(copy.owner_id, self.emp_employee)
        self.assertEqual(copy.parent_ids.ids, self.obj_production.ids)
        self.assertEqual(copy.bsc_objective_id, self.obj_process)
        # Each key result starts from its last value.
        self.assertEqual(len(copy.key_result_ids), 1)
        kr = copy.key_result_ids
        self.assertEqual(kr.start_value, 40.0)
        self.assertEqual(kr.target_value, 100.0)
        self.assertEqual(kr.current_value, 40.0)
        # The original keeps its state, values and check-ins.
        self.assertEqual(original.state, "active")
        self.assertEqual(self.kr_employee.current_value, 40.0)
        self.assertEqual(len(self.kr_employee.checkin_ids), 1)
        self.assertIn("Carried over to", original.message_ids[:1].body)

    @freeze_time(IN_Q1)
    def test_carrying_twice_is_refused(self):
        self.obj_employee.with_user(self.user_employee).action_carry_over()
        with self.assertRaisesRegex(UserError, "already carried over"):
            self.obj_employee.with_user(self.user_employee).action_carry_over()
        with self.assertRaisesRegex(UserError, "already carried over"):
            self._wizard(self.user_manager, self.obj_employee).action_confirm()
        self.assertEqual(len(self.obj_employee.carried_to_ids), 1)

    def test_colleague_and_appraisal_cannot_carry(self):
        for user in (self.user_peer, self.user_hr):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.obj_employee.with_user(user).action_carry_over()
        self.assertFalse(self.obj_employee.carried_to_ids)

    def test_the_link_cannot_be_forged(self):
        Objective = self.env["okr.objective"].with_user(self.user_employee)
        forged = Objective.create(
            {
                "name": "Forged",
                "cycle_id": self.cycle.id,
                "owner_id": self.emp_employee.id,
                "carried_from_id": self.obj_peer.id,
            }
        )
        self.assertFalse(forged.carried_from_id)
        with self.assertRaisesRegex(UserError, "Carry Over"):
            forged.write({"carried_from_id": self.obj_employee.id})

    def test_closing_carries_what_the_retrospective_says(self):
        self._grade_cycle()
        self._retro(self.user_employee, next_step="carry_over", what_learned="More")
        self._retro(self.user_peer, objective=self.obj_peer, next_step="drop")
        grade = self.obj_employee.grade
        self.cycle.with_user(self.user_okr_admin).action_close()
        copy = self.obj_employee.carried_to_ids
        self.assertEqual(len(copy), 1)
        self.assertEqual(copy.cycle_id, self.cycle.next_cycle_id)
        self.assertEqual(copy.key_result_ids.start_value, 40.0)
        self.assertFalse(self.obj_peer.carried_to_ids)
        # The original keeps its grade and its history.
        self.assertEqual(self.obj_employee.state, "graded")
        self.assertEqual(self.obj_employee.grade, grade)
        self.assertTrue(
            self.env["okr.progress.history"].search_count(
                [("objective_id", "=", self.obj_employee.id)]
            )
        )
        chatter = " ".join(self.cycle.message_ids.mapped("body"))
        self.assertIn("1 objectives were carried over", chatter)
        # Closed: no manual carry any more.
        with self.assertRaisesRegex(UserError, "already carried|closed"):
            self.obj_peer.with_user(self.user_peer).action_carry_over()

    def test_carry_into_an_existing_next_cycle(self):
        following = self.env["okr.cycle"].create(
            {
                "name": "Q2 2026",
                "company_id": self.company.id,
                "date_start": Q2_START,
                "date_end": "2026-06-30",
            }
        )
        self.obj_employee.with_user(self.user_manager).action_carry_over()
        self.assertEqual(self.obj_employee.carried_to_ids.cycle_id, following)
        self.assertEqual(
            self.env["okr.cycle"].search_count(
                [("company_id", "=", self.company.id), ("date_start", "=", Q2_START)]
            ),
            1,
        )


@tagged("post_install", "-at_install")
class TestOkrRetrospectivePortal(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cycle.action_start_grading()
        cls.url = f"/my/okrs/{cls.obj_portal.id}/retrospective"

    def _data(self, **vals):
        return {
            "what_worked": "Moulds checked every morning",
            "what_did_not": "Night shift handover",
            "what_learned": "Write the checklist down",
            "next_step": "carry_over",
            **vals,
        }

    def test_owner_writes_from_the_portal(self):
        self.login(self.user_portal)
        page = self.get(f"/my/okrs/{self.obj_portal.id}")
        self.assertIn("o_okr_retrospective_form", page.text)
        response = self.post(self.url, self._data(manager_comment="Smuggled"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your changes were saved.", response.text)
        self.assertIn("were ignored", response.text)
        retro = self.obj_portal.retrospective_id
        self.assertEqual(retro.what_learned, "Write the checklist down")
        self.assertEqual(retro.next_step, "carry_over")
        self.assertFalse(retro.manager_comment)

    def test_hostile_input(self):
        self.login(self.user_portal)
        # Control characters are dropped, the text kept.
        response = self.post(self.url, self._data(what_worked="Tab\tok\x00\x1b"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.obj_portal.retrospective_id.what_worked, "Tab\tok")
        # A huge text: the form says so, nothing is written.
        response = self.post(self.url, self._data(what_learned="x" * 20001))
        self.assertEqual(response.status_code, 200)
        self.assertIn("is too long", response.text)
        self.obj_portal.retrospective_id.invalidate_recordset()
        self.assertEqual(
            self.obj_portal.retrospective_id.what_learned, "Write the checklist down"
        )
        # A next step that is not offered.
        response = self.post(self.url, self._data(next_step="promote_me"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose one of the next steps offered.", response.text)
        # Markup is shown as text.
        response = self.post(self.url, self._data(what_worked="<script>x()</script>"))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("<script>x()</script>", response.text)

    def test_other_peoples_ids_answer_404(self):
        for user in (self.user_peer, self.user_portal2, self.user_hr):
            self.login(user)
            response = self.post(self.url, self._data())
            self.assertEqual(response.status_code, 404, user.login)
        self.assertFalse(self.obj_portal.retrospective_ids)
        # The manager reads the objective, but the owner's part is not theirs.
        self.login(self.user_manager)
        response = self.post(self.url, self._data())
        self.assertEqual(response.status_code, 200)
        self.assertIn("not allowed", response.text)
        self.assertFalse(self.obj_portal.retrospective_ids)

    def test_no_form_once_closed_and_no_csrf(self):
        self.login(self.user_portal)
        response = self.post(self.url, self._data(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.obj_portal.retrospective_ids)
        self.post(self.url, self._data())
        self.cycle.action_close()
        page = self.get(f"/my/okrs/{self.obj_portal.id}")
        self.assertNotIn("o_okr_retrospective_form", page.text)
        self.assertIn("Write the checklist down", page.text)
        response = self.post(self.url, self._data(what_learned="Changed"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("being graded", response.text)
        self.assertEqual(
            self.obj_portal.retrospective_id.what_learned, "Write the checklist down"
        )
        self.assertTrue(self.obj_portal.carried_to_ids)
        self.assertEqual(
            self.obj_portal.carried_to_ids.key_result_ids.mapped("start_value"),
            self.obj_portal.key_result_ids.mapped("current_value"),
        )
