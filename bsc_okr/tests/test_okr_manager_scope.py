from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .okr_common import IN_Q1, OkrCase


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestOkrManagerScope(OkrCase):
    """The manager scope of the rules (hr.employee.okr_manager_chain_ids):
    exact right after the org chart or a user link changes, and one join
    whatever the depth of the org chart.

        boss (OKR manager)
         ├── lead_a
         │    └── member   (owns the objective, its key result, a check-in)
         └── lead_b
        other_boss

    Everybody works in Lab, a department nobody heads, so that only the
    manager chain opens the member's OKRs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dept_lab = cls.env["hr.department"].create(
            {"name": "Lab", "company_id": cls.company.id}
        )
        cls.u_boss = cls._scope_user(
            "s_boss", "base.group_user,bsc_okr.group_okr_manager"
        )
        cls.u_other_boss = cls._scope_user("s_other_boss", "base.group_user")
        cls.u_lead_a = cls._scope_user("s_lead_a", "base.group_user")
        cls.u_lead_b = cls._scope_user("s_lead_b", "base.group_user")
        cls.u_member = cls._scope_user("s_member", "base.group_user")
        cls.boss = cls._scope_employee("Boss", cls.u_boss)
        cls.other_boss = cls._scope_employee("Other Boss", cls.u_other_boss)
        cls.lead_a = cls._scope_employee("Lead A", cls.u_lead_a, cls.boss)
        cls.lead_b = cls._scope_employee("Lead B", cls.u_lead_b, cls.boss)
        cls.member = cls._scope_employee("Member", cls.u_member, cls.lead_a)
        cls.objective = cls._make_objective(cls.member, "Member's goal")
        cls._activate(cls.objective)
        cls.key_result = cls.objective.key_result_ids
        cls.checkin = cls._checkin(cls.key_result, 10, user=cls.u_member)

    @classmethod
    def _scope_user(cls, login, groups):
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    @classmethod
    def _scope_employee(cls, name, user=None, parent=None):
        return cls.env["hr.employee"].create(
            {
                "name": name,
                "user_id": user.id if user else False,
                "department_id": cls.dept_lab.id,
                "parent_id": parent.id if parent else False,
                "company_id": cls.company.id,
            }
        )

    def _sees_member_okrs(self, user):
        """Whether ``user`` finds the member's objective, key result and
        check-in (all three or none: the rules must agree)."""
        found = [
            bool(
                self.env[model]
                .with_user(user)
                .with_context(active_test=False)
                .search_count([("id", "=", record.id)])
            )
            for model, record in (
                ("okr.objective", self.objective),
                ("okr.key.result", self.key_result),
                ("okr.checkin", self.checkin),
            )
        ]
        self.assertEqual(len(set(found)), 1, f"{user.login}: {found}")
        return found[0]

    def _stored_chain(self, employee):
        """The chain as stored in the relation table, not from the cache."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT manager_id FROM hr_employee_okr_manager_chain_rel"
            " WHERE employee_id = %s",
            [employee.id],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def assertScope(self, seeing, blind):
        for user in seeing:
            self.assertTrue(self._sees_member_okrs(user), f"{user.login} must see")
        for user in blind:
            self.assertFalse(self._sees_member_okrs(user), f"{user.login} must not see")

    # ------------------------------------------------------------------
    def test_chain_is_the_employee_and_every_manager_above(self):
        self.assertEqual(
            self._stored_chain(self.member),
            {self.member.id, self.lead_a.id, self.boss.id},
        )
        self.assertEqual(self._stored_chain(self.boss), {self.boss.id})
        self.assertScope(
            seeing=self.u_member | self.u_lead_a | self.u_boss,
            blind=self.u_lead_b | self.u_other_boss,
        )

    def test_moving_an_employee_moves_the_scope_at_once(self):
        self.assertScope(seeing=self.u_lead_a, blind=self.u_lead_b)
        self.member.parent_id = self.lead_b
        self.assertScope(
            seeing=self.u_member | self.u_lead_b | self.u_boss,
            blind=self.u_lead_a | self.u_other_boss,
        )
        # A manager moved with their team: the grand-manager changes too.
        self.lead_b.parent_id = self.other_boss
        self.assertScope(
            seeing=self.u_lead_b | self.u_other_boss,
            blind=self.u_boss | self.u_lead_a,
        )
        self.assertEqual(
            self._stored_chain(self.member),
            {self.member.id, self.lead_b.id, self.other_boss.id},
        )

    def test_archived_subordinate_follows_its_manager(self):
        """The ORM recomputes through child_ids, which hides archived
        employees: their chain must follow all the same."""
        self.member.active = False
        # Archived owners stay in their managers' scope, as with child_of.
        self.assertScope(seeing=self.u_lead_a | self.u_boss, blind=self.u_other_boss)
        self.lead_a.parent_id = self.other_boss
        self.assertEqual(
            self._stored_chain(self.member),
            {self.member.id, self.lead_a.id, self.other_boss.id},
        )
        self.assertScope(seeing=self.u_lead_a | self.u_other_boss, blind=self.u_boss)
        self.member.active = True
        self.assertScope(seeing=self.u_lead_a | self.u_other_boss, blind=self.u_boss)

    def test_archiving_a_manager(self):
        # hr's archive empties the subordinates' manager.
        self.lead_a.with_context(no_wizard=True).action_archive()
        self.assertFalse(self.member.parent_id)
        self.assertEqual(self._stored_chain(self.member), {self.member.id})
        self.assertScope(
            seeing=self.u_member, blind=self.u_lead_a | self.u_boss | self.u_other_boss
        )
        self.lead_a.action_unarchive()
        self.assertEqual(
            self._stored_chain(self.lead_a), {self.lead_a.id, self.boss.id}
        )
        self.member.parent_id = self.lead_a
        self.assertScope(seeing=self.u_lead_a | self.u_boss, blind=self.u_other_boss)

    def test_archived_link_in_the_middle_keeps_the_chain(self):
        """An archived manager still in the org chart (parent_id kept) does
        not cut the chain above it, as child_of did not; but its user loses
        the scope at once (user.employee_ids lists active employees)."""
        self.assertScope(seeing=self.u_lead_a, blind=())  # rule cache filled
        self.lead_a.active = False
        self.assertScope(seeing=self.u_boss, blind=self.u_lead_a)
        self.lead_a.active = True
        self.assertScope(seeing=self.u_lead_a | self.u_boss, blind=())

    def test_user_link_change_moves_the_scope_at_once(self):
        self.assertScope(seeing=self.u_lead_a, blind=self.u_lead_b)  # rule cache filled
        u_new_lead = self._scope_user("s_new_lead", "base.group_user")
        self.assertScope(seeing=(), blind=u_new_lead)
        self.lead_a.user_id = u_new_lead
        self.assertScope(seeing=u_new_lead | self.u_boss, blind=self.u_lead_a)
        # From the user's side (the user form writes the employee's user_id).
        u_third = self._scope_user("s_third", "base.group_user")
        u_third.employee_ids = [Command.link(self.lead_a.id)]
        self.assertScope(seeing=u_third, blind=u_new_lead)

    def test_deleting_a_manager_cuts_the_chain(self):
        manager = self._scope_employee("Temp", parent=self.lead_a)
        archived = self._scope_employee("Archived", parent=manager)
        archived.active = False
        self.assertIn(self.lead_a.id, self._stored_chain(archived))
        manager.unlink()
        self.assertEqual(self._stored_chain(archived), {archived.id})

    def test_query_count_does_not_grow_with_the_depth(self):
        """The manager's search costs the same for a team two or six levels
        deep (child_of on parent_id spent one query per level)."""

        def chain_below(top, depth):
            employee = top
            for level in range(depth):
                employee = self._scope_employee(f"{top.name} {level}", parent=employee)
            objective = self._make_objective(employee, f"Deep {depth}")
            self._activate(objective)
            return objective

        u_shallow = self._scope_user(
            "s_shallow", "base.group_user,bsc_okr.group_okr_manager"
        )
        u_deep = self._scope_user("s_deep", "base.group_user,bsc_okr.group_okr_manager")
        shallow = chain_below(self._scope_employee("Shallow", u_shallow), 2)
        deep = chain_below(self._scope_employee("Deep", u_deep), 6)
        counts = {}
        for user, objective in ((u_shallow, shallow), (u_deep, deep)):
            Objective = self.env["okr.objective"].with_user(user)
            self.assertEqual(Objective.search([]), objective)  # warm the caches
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.assertEqual(Objective.search([]), objective)
            counts[user.login] = self.env.cr.sql_log_count - start
        self.assertEqual(counts["s_shallow"], counts["s_deep"], counts)
        with self.assertQueryCount(1):
            self.env["okr.objective"].with_user(u_deep).search([])
