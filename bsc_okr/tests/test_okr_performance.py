from freezegun import freeze_time

from odoo.tests import tagged

from .okr_common import IN_Q1, OkrCase

KANBAN_SPEC = {
    "name": {},
    "level": {},
    "okr_type": {},
    "state": {},
    "progress_percent": {},
    "confidence": {},
    "is_graded": {},
    "grade": {},
    "grade_band": {},
    "is_stale": {},
    "in_my_team": {},
    "sandbagging_signal": {},
    "owner_id": {"fields": {"display_name": {}}},
    "cycle_id": {"fields": {"display_name": {}}},
}


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestOkrPerformance(OkrCase):
    """The "Team OKRs" screen costs the same for a small or a large team."""

    def _add_objectives(self, count):
        objectives = self.env["okr.objective"]
        for index in range(count):
            objective = self._make_objective(
                self.emp_employee,
                f"Bulk {count}-{index}",
                krs=[
                    {"name": "A", "target_value": 10.0},
                    {"name": "B", "target_value": 5.0, "weight": 2},
                ],
            )
            self._activate(objective)
            for key_result in objective.key_result_ids:
                self._checkin(key_result, 2, user=self.user_employee)
            objectives |= objective
        return objectives

    def _queries_for(self, objectives):
        Objective = self.env["okr.objective"].with_user(self.user_manager)
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        result = Objective.web_search_read([("id", "in", objectives.ids)], KANBAN_SPEC)
        count = self.cr.sql_log_count - start
        self.assertEqual(result["length"], len(objectives))
        return count

    def test_team_screen_query_count_is_flat(self):
        small = self._add_objectives(2)
        large = self._add_objectives(8)
        self._queries_for(small)  # warm the caches of rules and groups
        small_count = self._queries_for(small)
        large_count = self._queries_for(large)
        self.assertEqual(small_count, large_count)
