import xmlrpc.client

from odoo import fields
from odoo.tests import HttpCase, tagged

from .bsc_common import BscCase


@tagged("post_install", "-at_install")
class TestBscPushRpc(BscCase, HttpCase):
    """push_value over real XML-RPC, authenticated with an API key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sudo: generate the key without an expiry, as an administrator would.
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.user_employee)
            .sudo()
            ._generate(None, "MES integration", None)
        )

    def call(self, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.user_employee.id,
            self.api_key,
            "bsc.measure",
            "push_value",
            [[self.measure_own.id], *args],
            kwargs,
        )

    def test_push_over_xmlrpc(self):
        today = fields.Date.context_today(self.env.user)
        self.scorecard.date_to = today.replace(year=today.year + 1)
        uid = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, "t_employee", self.api_key, {}
        )
        self.assertEqual(uid, self.user_employee.id)
        value_id = self.call(today.strftime("%Y-%m"), 97.5, note="nightly job")
        value = self.env["bsc.measure.value"].browse(value_id)
        self.assertEqual(value.value, 97.5)
        self.assertEqual(value.source, "push")
        self.assertEqual(value.user_id, self.user_employee)

    def test_non_numeric_value_is_refused(self):
        today = fields.Date.context_today(self.env.user)
        self.scorecard.date_to = today.replace(year=today.year + 1)
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.call(today.strftime("%Y-%m"), "ninety")
        self.assertIn("must be a number", caught.exception.faultString)
        self.assertFalse(
            self.env["bsc.measure.value"].search(
                [("measure_id", "=", self.measure_own.id)]
            )
        )

    def test_period_outside_horizon_is_refused(self):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.call("2019-01", 1)
        self.assertIn("outside the horizon", caught.exception.faultString)

    def test_wrong_key_is_refused(self):
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.user_employee.id,
                "not-a-key",
                "bsc.measure",
                "push_value",
                [[self.measure_own.id], "2026-01", 1],
            )
