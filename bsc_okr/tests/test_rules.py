"""One home for each rule: the portal, the back end and the cron ask the
same model methods (open and current cycles, check-ins due, who may edit,
when findings may be added, how large an upload may be)."""

import datetime
import re

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .learning_common import LearningCase
from .okr_common import IN_Q1
from .test_portal import PortalCase


class CycleFixtures:
    @classmethod
    def _make_cycles(cls):
        """Beside the running Q1 2026: Q4 2025 being graded, Q3 2025 closed,
        Q2 2026 in planning."""
        Cycle = cls.env["okr.cycle"]

        def quarter(name, start, end):
            return Cycle.create(
                {
                    "name": name,
                    "company_id": cls.company.id,
                    "date_start": start,
                    "date_end": end,
                }
            )

        cls.cycle_grading = quarter("Q4 2025", "2025-10-01", "2025-12-31")
        cls.cycle_grading.action_start()
        cls.cycle_grading.action_start_grading()
        cls.cycle_closed = quarter("Q3 2025", "2025-07-01", "2025-09-30")
        cls.cycle_closed.action_start()
        cls.cycle_closed.action_start_grading()
        cls.cycle_closed.action_close()
        cls.cycle_next = quarter("Q2 2026", "2026-04-01", "2026-06-30")


@tagged("post_install", "-at_install")
class TestCycleRules(CycleFixtures, LearningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_cycles()

    def _field_domain_cycles(self, model, field, **record):
        """The cycles the back-end field ``field`` of ``model`` offers for a
        record with the values ``record``, as the web client evaluates it."""
        field = self.env[model]._fields[field]
        domain = field._description_domain(self.env)
        return (
            self.env["okr.cycle"]
            .with_user(self.user_employee)
            .search(safe_eval(domain, {"company_id": self.company.id, **record}))
        )

    def test_open_cycles(self):
        Cycle = self.env["okr.cycle"].with_user(self.user_employee)
        self.assertEqual(Cycle._okr_open_cycles(), self.cycle | self.cycle_next)
        self.assertEqual(
            Cycle._okr_open_cycles(learning=True), self.cycle_feb | self.cycle_mar
        )

    def test_back_end_offers_the_open_cycles(self):
        """The stricter rule: the back end used to offer every cycle not
        closed, so a new objective could land in a cycle being graded; the
        portal offered planned and running ones only. Both offer the latter."""
        Cycle = self.env["okr.cycle"].with_user(self.user_employee)
        offered = self._field_domain_cycles(
            "okr.objective", "cycle_id", is_learning=False
        )
        self.assertEqual(offered, Cycle._okr_open_cycles())
        self.assertNotIn(self.cycle_grading, offered)
        self.assertNotIn(self.cycle_feb, offered)
        learning = self._field_domain_cycles(
            "okr.objective", "cycle_id", is_learning=True
        )
        self.assertEqual(learning, Cycle._okr_open_cycles(learning=True))
        plan = self._field_domain_cycles("okr.learning.plan", "cycle_id")
        self.assertEqual(plan, Cycle._okr_open_cycles(learning=True))

    @freeze_time(IN_Q1)
    def test_current_and_default_cycle(self):
        Cycle = self.env["okr.cycle"].with_user(self.user_employee)
        self.assertEqual(Cycle._okr_current_cycle(), self.cycle)
        self.assertEqual(Cycle._okr_current_cycle(learning=True), self.cycle_feb)
        self.assertEqual(Cycle._okr_default_cycle(), self.cycle)
        self.assertEqual(
            Cycle.with_company(self.company)._okr_default_cycle(learning=True),
            self.cycle_feb,
        )
        listed = Cycle._okr_listed_cycles()
        self.assertIn(self.cycle_closed, listed)
        self.assertNotIn(self.cycle_feb, listed)

    @freeze_time("2026-05-04")
    def test_current_cycle_without_a_running_one_today(self):
        # Q1 is over and Q2 is still planned: the latest cycle not closed.
        Cycle = self.env["okr.cycle"].with_user(self.user_employee)
        self.assertEqual(Cycle._okr_current_cycle(), self.cycle_next)


@tagged("post_install", "-at_install")
class TestRulesInModels(LearningCase):
    @freeze_time(IN_Q1)
    def test_checkin_due_domain(self):
        KeyResult = self.env["okr.key.result"]
        self._checkin(self.kr_peer, 10, user=self.user_peer)
        today = fields.Date.to_date(IN_Q1)
        self.assertEqual(str(KeyResult._okr_week_start(today)), IN_Q1)
        # Thursday of the same week: the same Monday.
        self.assertEqual(
            str(KeyResult._okr_week_start(today + datetime.timedelta(days=3))), IN_Q1
        )
        due = KeyResult.search(
            [
                *KeyResult._okr_checkin_due_domain(today + datetime.timedelta(days=3)),
                ("id", "in", (self.kr_peer | self.kr_employee).ids),
            ]
        )
        self.assertEqual(due, self.kr_employee)

    def test_direction_of(self):
        KeyResult = self.env["okr.key.result"]
        self.assertEqual(KeyResult._okr_direction_of(10, 2), "decrease")
        self.assertEqual(KeyResult._okr_direction_of(2, 10), "increase")

    def test_who_may_edit(self):
        draft = self._make_objective(self.emp_employee, "Draft: label the bins")
        self.assertTrue(draft.with_user(self.user_employee)._okr_can_edit())
        self.assertFalse(draft.with_user(self.user_manager)._okr_can_edit())
        self.assertTrue(draft.with_user(self.user_okr_admin)._okr_can_edit())
        self.assertFalse(draft.with_user(self.user_peer)._okr_can_edit())
        active = self.obj_employee
        self.assertFalse(active.with_user(self.user_employee)._okr_can_edit())
        self.assertTrue(active.with_user(self.user_manager)._okr_can_edit())
        self.assertTrue(active.with_user(self.user_okr_admin)._okr_can_edit())

    def test_manager_cannot_rewrite_a_reports_draft(self):
        """The stricter rule: the portal let only the owner edit a draft, the
        back end let the owner's managers rewrite it too. A draft is its
        owner's until it is submitted; managers then approve or edit it."""
        draft = self._make_objective(self.emp_employee, "Draft: label the bins")
        with self.assertRaisesRegex(UserError, "draft"):
            draft.with_user(self.user_manager).write({"name": "Manager's words"})
        self.assertEqual(draft.name, "Draft: label the bins")
        with self.assertRaisesRegex(UserError, "draft"):
            self.env["okr.key.result"].with_user(self.user_manager).create(
                {
                    "objective_id": draft.id,
                    "name": "Manager's key result",
                    "start_value": 0,
                    "target_value": 5,
                }
            )
        self.assertEqual(len(draft.key_result_ids), 1)
        draft.with_user(self.user_employee).write({"name": "Label every bin"})
        self.assertEqual(draft.name, "Label every bin")

    def test_company_page_domain(self):
        """Public objectives once approved; drafts and private ones are not
        shown, whoever reads."""
        draft = self._make_objective(self.emp_employee, "Draft: label the bins")
        Public = self.env["okr.objective.public"].with_user(self.user_peer)
        shown = Public.search(Public._okr_company_page_domain(self.cycle))
        self.assertIn(self.obj_employee.id, shown.ids)
        self.assertNotIn(self.obj_private.id, shown.ids)
        self.assertNotIn(draft.id, shown.ids)

    def test_contribution_domain(self):
        """Others' active key results the employee contributes to."""
        self.kr_peer.contributor_ids = [Command.link(self.emp_employee.id)]
        KeyResult = self.env["okr.key.result"].with_user(self.user_employee)
        domain = KeyResult._okr_contribution_domain(self.emp_employee.ids)
        self.assertEqual(KeyResult.search(domain), self.kr_peer)
        # Their own key results are not contributions, even when listed.
        self.kr_employee.contributor_ids = [Command.link(self.emp_employee.id)]
        self.assertEqual(KeyResult.search(domain), self.kr_peer)
        # Nor are key results of objectives that are not active.
        draft = self._make_objective(self.emp_peer, "Draft: count the moulds")
        draft.key_result_ids.contributor_ids = [Command.link(self.emp_employee.id)]
        self.assertEqual(KeyResult.search(domain), self.kr_peer)

    def test_open_campaigns(self):
        """The stricter rule: the portal offered running campaigns, the back
        end every campaign not closed. Both offer running ones now."""
        Campaign = self.env["okr.learning.campaign"]
        announced = Campaign.create(
            {
                "name": "Not announced yet",
                "company_id": self.company.id,
                "date_start": "2026-05-01",
                "date_end": "2026-07-31",
                "sponsor_id": self.emp_ceo.id,
            }
        )
        self.assertEqual(announced.state, "draft")
        field = self.env["okr.learning.plan"]._fields["campaign_id"]
        offered = Campaign.with_user(self.user_employee).search(
            field.get_domain_list(self.env["okr.learning.plan"])
        )
        self.assertIn(self.campaign, offered)
        self.assertNotIn(announced, offered)
        self.assertEqual(
            offered,
            Campaign.with_user(self.user_employee).search(
                Campaign._learning_open_campaigns_domain()
            ),
        )

    def test_my_plans_are_owned_or_joined(self):
        """The portal's counter and list read one domain: a participant's
        plans count on /my as they are listed."""
        plan = self.make_plan()
        Plan = self.env["okr.learning.plan"].with_user(self.user_peer)
        domain = Plan._learning_mine_domain(self.emp_peer.ids)
        self.assertNotIn(plan, Plan.search(domain))
        plan.participant_ids = [Command.link(self.emp_peer.id)]
        self.assertIn(plan, Plan.search(domain))
        self.assertEqual(Plan.search_count(domain), len(Plan.search(domain)))

    def test_can_add_finding(self):
        plan = self.make_plan()
        self.assertTrue(plan.with_user(self.user_employee)._learning_can_add_finding())
        self.assertFalse(plan.with_user(self.user_peer)._learning_can_add_finding())
        plan.participant_ids = [Command.link(self.emp_peer.id)]
        self.assertTrue(plan.with_user(self.user_peer)._learning_can_add_finding())
        self.advance(plan, "decide")
        self.assertFalse(plan.with_user(self.user_employee)._learning_can_add_finding())


@tagged("post_install", "-at_install")
class TestUploadLimit(LearningCase):
    def test_setting_refuses_zero_and_negative(self):
        for size in (0, -1):
            with self.assertRaisesRegex(ValidationError, "at least 1 MB"):
                self.company.okr_upload_max_mb = size
            with self.assertRaisesRegex(ValidationError, "at least 1 MB"):
                self.env["res.config.settings"].with_company(self.company).create(
                    {"okr_upload_max_mb": size}
                ).execute()
        self.assertEqual(self.company.okr_upload_max_mb, 10)
        self.assertEqual(self.company._okr_upload_max_bytes(), 10 * 1024 * 1024)

    def test_setting_refuses_more_than_the_server_accepts(self):
        """Odoo refuses requests over 128 MiB; a limit above that, or one
        that does not fit the column, gets a message, not a database error."""
        for size in (129, 10**10):
            with self.assertRaisesRegex(ValidationError, "at most 128 MB"):
                self.company.okr_upload_max_mb = size
        self.company.okr_upload_max_mb = 128
        self.assertEqual(self.company._okr_upload_max_bytes(), 128 * 1024 * 1024)

    def test_a_file_over_the_limit_is_refused(self):
        self.company.okr_upload_max_mb = 1
        plan = self.make_plan()
        finding = (
            self.env["okr.learning.finding"]
            .with_user(self.user_employee)
            .create({"plan_id": plan.id, "name": "Sensor benchmark"})
        )
        big = b"x" * (1024 * 1024 + 1)
        with self.assertRaisesRegex(UserError, "at most 1 MB"):
            finding._learning_attach("big.bin", big)
        self.assertFalse(finding.attachment_ids)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "okr.learning.finding"),
                    ("res_id", "=", finding.id),
                ]
            )
        )
        # The limit is read at each upload: raising it lets the file in.
        self.company.okr_upload_max_mb = 2
        finding._learning_attach("big.bin", big)
        self.assertEqual(finding.attachment_ids.name, "big.bin")


@tagged("post_install", "-at_install")
class TestPortalOffersTheModelsCycles(CycleFixtures, PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_cycles()

    def _offered(self, url):
        page = self.get(url).text
        select = re.search(r'<select[^>]*name="cycle_id".*?</select>', page, re.S)
        self.assertTrue(select, url)
        return {int(v) for v in re.findall(r'value="(\d+)"', select.group(0))}

    def test_cycle_options_are_the_open_cycles(self):
        self.login(self.user_portal)
        Cycle = self.env["okr.cycle"].with_user(self.user_portal)
        self.assertEqual(
            self._offered("/my/okrs/new"), set(Cycle._okr_open_cycles().ids)
        )
        self.assertEqual(
            self._offered("/my/learning-plans/new"),
            set(Cycle._okr_open_cycles(learning=True).ids),
        )
        self.assertTrue(Cycle._okr_open_cycles())
        self.assertNotIn(self.cycle_grading.id, self._offered("/my/okrs/new"))


@tagged("post_install", "-at_install")
class TestKeyResultRulesInOneHome(PortalCase):
    """The portal's key result checks are the model's: the same refusals
    over RPC (ValidationError) and on the form (a message by the field)."""

    def test_validate_is_what_the_constraints_raise(self):
        KeyResult = self.env["okr.key.result"].with_user(self.user_employee)
        errors = KeyResult._okr_validate_kr_vals(
            {"name": "Bins", "start_value": 5.0, "target_value": 5.0, "weight": 0.0}
        )
        self.assertEqual(set(errors), {"target_value", "weight"})
        self.assertFalse(
            KeyResult._okr_validate_kr_vals(
                {"name": "Bins", "start_value": 0.0, "target_value": 5.0, "weight": 2}
            )
        )
        kr = self.kr_draft.with_user(self.user_employee)
        with self.assertRaises(ValidationError) as caught:
            kr.write({"weight": 0})
        self.assertEqual(
            str(caught.exception),
            KeyResult._okr_validate_kr_vals({"name": kr.name, "weight": 0.0})["weight"],
        )
        with self.assertRaises(ValidationError):
            kr.write({"start_value": 100.0, "target_value": 100.0})
        self.assertEqual(kr.weight, 1.0)
        self.assertEqual(kr.target_value, 100.0)

    def test_the_portal_shows_the_models_message(self):
        self.login(self.user_employee)
        url = f"/my/okrs/{self.draft.id}/key-results/{self.kr_draft.id}/edit"
        response = self.post(
            url,
            {"name": "Bins", "start_value": "3", "target_value": "3", "weight": "0"},
        )
        self.assertEqual(response.status_code, 200)
        errors = self.env["okr.key.result"]._okr_validate_kr_vals(
            {"name": "Bins", "start_value": 3.0, "target_value": 3.0, "weight": 0.0}
        )
        for message in errors.values():
            self.assertIn(message.replace("'", "&#39;"), response.text)
        self.assertEqual(self.kr_draft.target_value, 100.0)

    def test_value_limit_is_the_models_over_rpc_too(self):
        """The stricter rule: the portal refused numbers beyond 1e12, RPC
        took them. Both refuse them now; the limit itself is accepted."""
        KeyResult = self.env["okr.key.result"].with_user(self.user_employee)
        limit = KeyResult._okr_value_limit()
        self.assertEqual(limit, 1e12)
        kr = self.kr_draft.with_user(self.user_employee)
        for fname in ("start_value", "target_value", "weight"):
            with self.assertRaises(ValidationError, msg=fname):
                kr.write({fname: limit * 10})
        kr.write({"target_value": limit})
        self.assertEqual(kr.target_value, limit)
        with self.assertRaises(ValidationError):
            self._checkin(self.kr_employee, limit * 10, user=self.user_employee)
        self.assertFalse(self.kr_employee.checkin_ids)
        # The portal asks the same limit.
        self.login(self.user_employee)
        response = self.post(
            f"/my/okrs/{self.draft.id}/key-results/new",
            {"name": "Huge", "start_value": "0", "target_value": "1e13"},
        )
        self.assertIn("too large for a key result", response.text)
        self.assertEqual(len(self.draft.key_result_ids), 1)

    def test_confidence_bounds_are_the_models(self):
        Checkin = self.env["okr.checkin"].with_user(self.user_employee)
        for confidence in (0, 10):
            self.assertIsNone(Checkin._okr_confidence_error(confidence))
        for confidence in (-1, 11, None, 2.5, True):
            self.assertTrue(Checkin._okr_confidence_error(confidence), confidence)
        for confidence in (-1, 11):
            with self.assertRaises(ValidationError):
                self._checkin(
                    self.kr_employee, 5, confidence=confidence, user=self.user_employee
                )
        self.assertFalse(self.kr_employee.checkin_ids)


@tagged("post_install", "-at_install")
class TestPortalListsAreModelRules(PortalCase):
    def test_my_and_team_domains(self):
        Objective = self.env["okr.objective"].with_user(self.user_manager)
        mine = Objective.with_user(self.user_employee).search(
            Objective._okr_my_domain(self.user_employee)
        )
        self.assertIn(self.obj_employee, mine)
        self.assertNotIn(self.obj_peer, mine)
        self.assertTrue(all(o.owner_user_id == self.user_employee for o in mine))
        plan = self.make_plan()
        self.assertNotIn(plan.objective_id, mine)
        team = Objective.search(
            Objective._okr_team_domain(self.user_manager, self.cycle)
        )
        self.assertIn(self.obj_employee, team)
        self.assertFalse(team.filtered(lambda o: o.owner_user_id == self.user_manager))
        # Portal users have no team.
        Portal = Objective.with_user(self.user_portal)
        self.assertFalse(
            Portal.search(Portal._okr_team_domain(self.user_portal, self.cycle))
        )

    def test_my_key_results_and_latest_checkins(self):
        self.kr_peer.contributor_ids = [Command.link(self.emp_employee.id)]
        KeyResult = self.env["okr.key.result"].with_user(self.user_employee)
        mine = KeyResult.search(
            KeyResult._okr_mine_domain(self.user_employee, self.emp_employee.ids)
        )
        self.assertIn(self.kr_employee, mine)
        self.assertIn(self.kr_peer, mine)
        self.assertNotIn(self.kr_hr, mine)
        checkin = self._checkin(self.kr_employee, 20, user=self.user_employee)
        objectives = (self.obj_employee | self.obj_peer).with_user(self.user_employee)
        self.assertEqual(
            objectives._okr_latest_checkin_dates(),
            {self.obj_employee: checkin.date, self.obj_peer: False},
        )

    def test_browsed_cycle(self):
        Cycle = self.env["okr.cycle"].with_user(self.user_portal)
        current = Cycle._okr_current_cycle()
        self.assertEqual(Cycle._okr_browsed_cycle(None), current)
        self.assertEqual(Cycle._okr_browsed_cycle(self.cycle.id), self.cycle)
        # A month carries learning plans: not a cycle to browse OKRs by.
        self.assertEqual(Cycle._okr_browsed_cycle(self.cycle_feb.id), current)
        self.login(self.user_portal)
        page = self.get(f"/my/okrs/company?cycle={self.cycle_feb.id}")
        self.assertEqual(page.status_code, 200)

    def test_workflow_steps_follow_the_transition_table(self):
        draft = self.draft.with_user(self.user_employee)
        self.assertEqual(draft._okr_workflow_actions(), {"submit"})
        with self.assertRaises(UserError):
            draft._okr_workflow_step("approve_myself")
        # Another person may not take a step on it.
        with self.assertRaises(AccessError):
            self.draft.with_user(self.user_peer)._okr_workflow_step("submit")
        draft._okr_workflow_step("submit")
        self.assertEqual(self.draft.state, "submitted")
        self.assertEqual(draft._okr_workflow_actions(), {"withdraw"})
        # Activating before the approval is refused by the model.
        with self.assertRaises(UserError):
            draft._okr_workflow_step("activate")
        draft._okr_workflow_step("withdraw")
        self.assertEqual(self.draft.state, "draft")
        self.draft._approval_force_state("approved")
        draft.invalidate_recordset()
        self.assertIn("activate", draft._okr_workflow_actions())
        self.assertNotIn("submit", draft._okr_workflow_actions())


@tagged("post_install", "-at_install")
class TestFindingFilesAndKinds(PortalCase):
    def _finding_with_file(self):
        plan = self.make_plan(name="Mould sensor plan")
        finding = (
            self.env["okr.learning.finding"]
            .with_user(self.user_employee)
            .create({"plan_id": plan.id, "name": "Sensors of a car plant"})
        )
        attachment = finding._learning_attach("visit.txt", b"Line 4 sensors")
        return finding, attachment

    def test_owner_gets_the_file_others_are_refused(self):
        finding, attachment = self._finding_with_file()
        files = finding.with_user(
            self.user_employee
        )._learning_downloadable_attachments()
        self.assertEqual([f["id"] for f in files[finding.id]], attachment.ids)
        self.assertTrue(files[finding.id][0]["access_token"])
        for user in (self.user_peer, self.user_portal2):
            with self.assertRaises(AccessError, msg=user.login):
                finding.with_user(user)._learning_downloadable_attachments()
            # Without the token, the file itself is refused too.
            self.login(user)
            response = self.url_open(f"/web/content/{attachment.id}?download=true")
            self.assertNotEqual(response.content, b"Line 4 sensors", user.login)

    def test_kind_default_is_the_models(self):
        plan = self.make_plan(name="Mould sensor plan")
        self.login(self.user_employee)
        response = self.post(
            f"/my/learning-plans/{plan.id}/findings", {"name": "No kind given"}
        )
        self.assertIn("Your finding was added", response.text)
        Finding = self.env["okr.learning.finding"]
        self.assertEqual(plan.finding_ids.kind, Finding.default_get(["kind"])["kind"])
