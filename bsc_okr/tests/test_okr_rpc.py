import datetime
import json
import xmlrpc.client

from odoo.tests import HttpCase, tagged
from odoo.tests.common import Transport

from .okr_common import OkrCase


@tagged("post_install", "-at_install")
class TestOkrRpc(OkrCase, HttpCase):
    """Pushing check-ins from another system, as docs/okr_rpc.md shows.

    Runs in the real current quarter: the HTTP server runs in another
    thread, where a frozen clock would confuse sessions and API keys.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.current = cls._make_current_quarter()
        cls.objective = cls._make_objective(
            cls.emp_employee, "Ship the app beta", cycle=cls.current
        )
        cls._activate(cls.objective)
        cls.key_result = cls.objective.key_result_ids
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.user_employee)
            ._generate(
                None,
                "Factory dashboard",
                datetime.datetime.now() + datetime.timedelta(days=1),
            )
        )

    def setUp(self):
        super().setUp()
        url = f"{self.base_url()}/xmlrpc/2/"
        self.common = xmlrpc.client.ServerProxy(
            url + "common", transport=Transport(self.cr)
        )
        self.models = xmlrpc.client.ServerProxy(
            url + "object", transport=Transport(self.cr)
        )
        self.db = self.env.cr.dbname
        self.uid = self.common.authenticate(self.db, "t_employee", self.api_key, {})

    def _execute(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.api_key, model, method, list(args), kwargs
        )

    def test_authenticate_with_api_key(self):
        self.assertEqual(self.uid, self.user_employee.id)

    def test_push_checkin_over_xmlrpc(self):
        checkin_id = self._execute(
            "okr.key.result",
            "push_checkin",
            [self.key_result.id],
            42.5,
            confidence=8,
            comment="Beta build 3 shipped",
        )
        checkin = self.env["okr.checkin"].browse(checkin_id)
        self.assertEqual(checkin.value, 42.5)
        self.assertEqual(checkin.author_id, self.user_employee)
        self.key_result.invalidate_recordset()
        self.assertEqual(self.key_result.current_value, 42.5)
        self.assertEqual(self.key_result.confidence, 8)

    def test_create_checkin_over_xmlrpc(self):
        checkin_id = self._execute(
            "okr.checkin",
            "create",
            {"key_result_id": self.key_result.id, "value": 12, "confidence": 6},
        )
        self.assertTrue(checkin_id)
        self.key_result.invalidate_recordset()
        self.assertEqual(self.key_result.current_value, 12)

    def test_non_numeric_value_is_a_clear_error(self):
        with self.assertRaises(xmlrpc.client.Fault) as error:
            self._execute(
                "okr.key.result", "push_checkin", [self.key_result.id], "forty-two"
            )
        # Odoo answers user errors with fault code 2 and the message alone.
        self.assertEqual(error.exception.faultCode, 2)
        self.assertEqual(
            error.exception.faultString,
            "The value of a check-in must be a number; 'forty-two' is not one.",
        )
        with self.assertRaises(xmlrpc.client.Fault) as error:
            self._execute(
                "okr.checkin",
                "create",
                {"key_result_id": self.key_result.id, "value": "n/a"},
            )
        self.assertIn("must be a number", error.exception.faultString)
        self.key_result.invalidate_recordset()
        self.assertFalse(self.key_result.checkin_ids)

    def test_others_key_results_are_refused(self):
        with self.assertRaises(xmlrpc.client.Fault) as error:
            self._execute("okr.key.result", "push_checkin", [self.kr_peer.id], 1)
        self.assertEqual(error.exception.faultCode, 4, "access error")
        self.assertIn("Key Result", error.exception.faultString)
        self.assertFalse(self.kr_peer.checkin_ids)

    def test_push_checkin_over_jsonrpc(self):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.db,
                    self.uid,
                    self.api_key,
                    "okr.key.result",
                    "push_checkin",
                    [[self.key_result.id], "15"],
                    {"confidence": 5},
                ],
            },
        }
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        result = response.json()
        self.assertNotIn("error", result, result)
        self.key_result.invalidate_recordset()
        self.assertEqual(self.key_result.current_value, 15)
        self.assertEqual(self.env["okr.checkin"].browse(result["result"]).value, 15)
