"""Two real transactions on the test database, for concurrency tests.

Such tests commit: two database connections must see the same rows. A
subclass creates what it needs in ``_setup_committed`` (one committed
transaction) and removes all of it in ``_remove_committed_data``, a class
cleanup registered before the set-up runs, so it also runs when the set-up
fails half-way. Test users are created with logins from ``LOGINS`` and
removed by ``_remove_test_users``.
"""

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, new_test_user
from odoo.tests.common import get_db_name


class TwoCursorCase(BaseCase):
    #: Logins of the users the class creates (removed at the end).
    LOGINS = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        # registered first, so it also runs when the set-up fails half-way
        cls.addClassCleanup(cls._remove_committed_data)
        with cls.registry.cursor() as cr:
            cls._setup_committed(api.Environment(cr, SUPERUSER_ID, {}))

    @classmethod
    def _setup_committed(cls, env):
        """Create (and commit) what the tests share."""

    @classmethod
    def _remove_committed_data(cls):
        """Remove everything ``_setup_committed`` and the tests committed."""

    @classmethod
    def _make_test_user(cls, env, login, groups, company):
        assert login in cls.LOGINS, f"{login} must be listed in LOGINS"
        return new_test_user(
            env,
            login=login,
            groups=groups,
            name=login.replace("_", " ").title(),
            company_id=company.id,
            company_ids=[company.id],
        )

    @classmethod
    def _remove_test_users(cls, env):
        """Remove the users of ``LOGINS``, their employees and partners."""
        users = (
            env["res.users"]
            .with_context(active_test=False)
            .search([("login", "in", list(cls.LOGINS))])
        )
        env["hr.employee"].with_context(active_test=False).search(
            [("user_id", "in", users.ids)]
        ).unlink()
        partners = users.partner_id
        users.unlink()
        partners.unlink()

    def setUp(self):
        super().setUp()
        self.cr_one = self.registry.cursor()
        self.cr_two = self.registry.cursor()
        self.addCleanup(self.cr_one.close)
        self.addCleanup(self.cr_two.close)
        self.envs = []

    def env_as(self, cr, uid):
        """An environment on ``cr`` for ``uid``, kept alive: a cursor flushes
        its pending writes through the environments it still knows (a weak
        set) at commit."""
        env = api.Environment(cr, uid, {})
        self.envs.append(env)
        return env
