"""Many check-ins at once: ``okr.checkin.push_checkins``, as docs/okr_rpc.md
shows it.

Every item is checked first with the rules of a single check-in; one refused
item refuses the push, naming each refused item; nothing is written then.
"""

import datetime
import json
import logging

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.okr_checkin import COMMENT_MAX, PUSH_MAX
from .okr_common import IN_Q1, OkrCase

_logger = logging.getLogger(__name__)

HIDDEN = "This key result does not exist or you may not check in on it."


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestOkrPushCheckins(OkrCase):
    """push_checkins as the people who call it: owners, managers, portal
    employees, appraisal staff."""

    def _push(self, items, user=None):
        Checkin = self.env["okr.checkin"].with_user(user or self.user_employee)
        return Checkin.push_checkins(items)

    def _item(self, key_result=None, value=10):
        return {"key_result_id": (key_result or self.kr_employee).id, "value": value}

    def assertNothingWritten(self, *key_results):
        self.env.invalidate_all()
        key_results = key_results or (self.kr_employee,)
        for key_result in key_results:
            self.assertFalse(key_result.checkin_ids, key_result.name)
            self.assertEqual(key_result.current_value, 0, key_result.name)

    def test_push_moves_key_results_as_one_by_one(self):
        """The key results and objectives end as if each item was posted
        alone, in order: the latest check-in by date wins."""
        krs = [{"name": f"KR {i}", "target_value": 100.0} for i in range(2)]
        pushed = self._make_objective(self.emp_employee, "Pushed", krs=krs)
        alone = self._make_objective(self.emp_employee, "One by one", krs=krs)
        self._activate(pushed | alone)

        def items(objective):
            first, second = objective.key_result_ids.sorted("id")
            return [
                {
                    "key_result_id": first.id,
                    "value": 20,
                    "confidence": 6,
                    "date": "2026-02-02",
                    "comment": "Week 6",
                },
                {"key_result_id": first.id, "value": "45", "date": IN_Q1},
                # backdated: does not move the key result
                {"key_result_id": first.id, "value": 30.5, "date": "2026-02-09"},
                {"key_result_id": second.id, "value": 10, "confidence": None},
                {"key_result_id": second.id, "value": 60, "confidence": 9},
            ]

        ids = self._push(items(pushed))
        Checkin = self.env["okr.checkin"].with_user(self.user_employee)
        for vals in items(alone):
            Checkin.create({k: v for k, v in vals.items() if v is not None})
        self.env.invalidate_all()
        checkins = self.env["okr.checkin"].browse(ids)
        self.assertEqual(checkins.mapped("value"), [20, 45, 30.5, 10, 60])
        self.assertEqual(checkins.author_id, self.user_employee)
        self.assertEqual(checkins[0].comment, "Week 6")
        self.assertEqual(pushed.key_result_ids.checkin_ids, checkins)
        fnames = ["current_value", "confidence", "last_checkin_date", "progress"]
        for mine, theirs in zip(
            pushed.key_result_ids.sorted("id"),
            alone.key_result_ids.sorted("id"),
            strict=True,
        ):
            self.assertEqual(
                {fname: mine[fname] for fname in fnames},
                {fname: theirs[fname] for fname in fnames},
            )
        first = pushed.key_result_ids.sorted("id")[0]
        self.assertEqual(first.current_value, 45)
        self.assertEqual(str(first.last_checkin_date), IN_Q1)
        self.assertAlmostEqual(pushed.progress, alone.progress)
        self.assertAlmostEqual(pushed.progress, (0.45 + 0.6) / 2)
        self.assertEqual(self._push([]), [])

    def test_one_bad_item_refuses_all(self):
        items = [self._item(value=v) for v in (10, 20, "lots", 40)]
        with self.assertRaisesRegex(ValidationError, "must be a number") as caught:
            self._push(items)
        message = str(caught.exception)
        self.assertRegex(message, r"1 of the 4 items")
        self.assertRegex(message, r"\nItem 2: The value of a check-in must be a number")
        self.assertNotRegex(message, r"Item [013]:")
        self.assertNothingWritten()

    def test_every_refused_item_is_named(self):
        """Each kind of bad item, one per index, all listed in one answer."""
        bad = [
            ("nan", "must be a number"),
            (float("nan"), "must be a number"),
            (float("inf"), "must be a number"),
            (True, "must be a number"),
            ([1], "must be a number"),
        ]
        items = [self._item(value=value) for value, _error in bad]
        extra = [
            ({"key_result_id": self.kr_employee.id}, "value of a check-in is required"),
            (self._item() | {"confidence": 11}, "from 0 to 10, not 11"),
            (self._item() | {"confidence": 7.5}, "whole number"),
            (self._item() | {"date": "2026-03-01"}, "in the future"),
            (self._item() | {"date": "next week"}, "must be a date"),
            (self._item() | {"comment": "x" * (COMMENT_MAX + 1)}, "too long"),
            (self._item() | {"comment": 42}, "must be a text"),
            (
                self._item() | {"author_id": self.user_peer.id},
                "Unknown keys 'author_id'",
            ),
            ({"key_result_id": "12", "value": 1}, "must be the id of a key result"),
            ({"value": 1}, "must be the id of a key result"),
            ([self.kr_employee.id, 1], "is a mapping"),
        ]
        items += [item for item, _error in extra]
        items.append(self._item(value=5))  # a good one
        with self.assertRaises(ValidationError) as caught:
            self._push(items)
        message = str(caught.exception)
        lines = message.split("\n")
        expected = [error for _value, error in bad] + [error for _i, error in extra]
        self.assertIn(f"{len(expected)} of the {len(items)} items", lines[0])
        self.assertEqual(len(lines), len(expected) + 1, message)
        for index, (line, error) in enumerate(zip(lines[1:], expected, strict=True)):
            self.assertTrue(line.startswith(f"Item {index}: "), line)
            self.assertIn(error, line)
        self.assertNothingWritten()

    def test_long_and_dirty_comments(self):
        """The limit of a comment is the model's: a single check-in obeys it
        too. Control characters are cleaned, as in every text."""
        with self.assertRaisesRegex(ValidationError, "too long"):
            self._checkin(
                self.kr_employee,
                10,
                user=self.user_employee,
                comment="x" * (COMMENT_MAX + 1),
            )
        self.assertNothingWritten()
        ids = self._push(
            [
                self._item() | {"comment": "x" * COMMENT_MAX},
                self._item() | {"comment": "Line\x00 3 \x07done"},
            ]
        )
        comments = self.env["okr.checkin"].browse(ids).mapped("comment")
        self.assertEqual(comments, ["x" * COMMENT_MAX, "Line 3 done"])

    def test_others_key_results_are_hidden(self):
        """Another person's key result and a missing one get the same answer:
        the push tells nothing of whether it exists."""
        missing = self.env["okr.key.result"].search([], order="id desc", limit=1).id + 1
        answers = {}
        for label, key_result_id in (("peer", self.kr_peer.id), ("missing", missing)):
            items = [self._item(), {"key_result_id": key_result_id, "value": 1}]
            with self.assertRaises(AccessError, msg=label) as caught:
                self._push(items)
            answers[label] = str(caught.exception)
        self.assertEqual(answers["peer"], answers["missing"])
        self.assertIn(f"\nItem 1: {HIDDEN}", answers["peer"])
        self.assertNotIn("Item 0", answers["peer"])
        self.assertNotIn(self.kr_peer.name, answers["peer"])
        self.assertNothingWritten(self.kr_employee, self.kr_peer)

    def test_manager_reads_but_may_not_check_in_for_the_team(self):
        manager = self.user_manager
        self.assertTrue(self.kr_employee.with_user(manager).has_access("read"))
        with self.assertRaisesRegex(AccessError, HIDDEN):
            self._push([self._item()], user=manager)
        self.assertNothingWritten()
        self._push([self._item(self.kr_production, 50)], user=manager)
        self.assertEqual(self.kr_production.current_value, 50)

    def test_portal_employee_pushes_own_check_ins(self):
        objective = self._make_objective(self.emp_portal, "Fewer scrapped parts")
        self._activate(objective)
        key_result = objective.key_result_ids
        ids = self._push(
            [self._item(key_result, 5), self._item(key_result, 15)],
            user=self.user_portal,
        )
        self.assertEqual(len(ids), 2)
        self.assertEqual(key_result.current_value, 15)
        with self.assertRaisesRegex(AccessError, HIDDEN):
            self._push([self._item()], user=self.user_portal)
        self.assertNothingWritten()

    def test_appraisal_staff_are_refused(self):
        """The wall: HR with KPI appraisal cannot check in on an employee's
        key result, and learn nothing of it; their own is theirs."""
        with self.assertRaises(AccessError) as caught:
            self._push([self._item()], user=self.user_hr)
        message = str(caught.exception)
        self.assertIn(HIDDEN, message)
        for secret in (self.kr_employee.name, self.obj_employee.name):
            self.assertNotIn(secret, message)
        self.assertNothingWritten()
        self._push([self._item(self.kr_hr, 30)], user=self.user_hr)
        self.assertEqual(self.kr_hr.current_value, 30)

    def test_without_check_in_rights_nothing_is_looked_at(self):
        outsider = new_test_user(
            self.env, login="t_outsider", groups="base.group_portal"
        )
        with self.assertRaisesRegex(AccessError, "Check-in"):
            self._push([{"nonsense": True}], user=outsider)

    def test_closed_and_locked_objectives(self):
        draft = self._make_objective(self.emp_employee, "Not yet")
        self.obj_private.with_user(self.user_employee).action_cancel()
        items = [
            self._item(),
            self._item(draft.key_result_ids),
            self._item(self.obj_private.key_result_ids),
        ]
        with self.assertRaises(ValidationError) as caught:
            self._push(items)
        message = str(caught.exception)
        self.assertNotIsInstance(caught.exception, AccessError)
        self.assertRegex(message, r"\nItem 1: The objective Not yet is not active")
        self.assertRegex(message, r"\nItem 2: The objective .* is cancelled")
        self.assertNothingWritten(self.kr_employee, draft.key_result_ids)
        self.cycle.action_start_grading()
        self.cycle.action_close()
        with self.assertRaisesRegex(
            ValidationError, r"Item 0: The cycle Q1 2026 is closed"
        ):
            self._push([self._item()])
        self.assertNothingWritten()

    def test_not_a_list_and_too_many(self):
        for raw in ({"key_result_id": self.kr_employee.id, "value": 1}, "[]", 3, None):
            with self.assertRaisesRegex(ValidationError, "takes a list", msg=raw):
                self._push(raw)
        items = [self._item()] * (PUSH_MAX + 1)
        with self.assertRaisesRegex(ValidationError, f"at most {PUSH_MAX}"):
            self._push(items)
        self.assertNothingWritten()

    def test_chatter(self):
        """A single check-in logs nothing and is followed by its author, as
        before; a pushed one gets no chatter work at all. Neither writes to
        the objective's chatter."""
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        objective_messages = len(self.obj_employee.message_ids)
        single = (
            env["okr.checkin"]
            .with_user(self.user_employee)
            .create({"key_result_id": self.kr_employee.id, "value": 10, "comment": "a"})
        )
        Checkin = env["okr.checkin"].with_user(self.user_employee)
        pushed = Checkin.browse(
            Checkin.push_checkins(
                [self._item(value=v) | {"comment": "b"} for v in (20, 30)]
            )
        )
        self.env.flush_all()
        self.cr.precommit.run()
        self.env.invalidate_all()
        single, pushed = single.sudo(), pushed.sudo()
        self.assertFalse(single.message_ids)
        self.assertEqual(single.message_partner_ids, self.user_employee.partner_id)
        self.assertFalse(pushed.message_ids)
        self.assertFalse(pushed.message_follower_ids)
        self.assertEqual(len(self.obj_employee.message_ids), objective_messages)
        self.assertEqual(self.kr_employee.current_value, 30)

    def test_query_count_is_flat(self):
        """A push costs the same for 10 or 100 items, on the same key results
        or on one key result each."""

        def objective(count):
            made = self._make_objective(
                self.emp_employee,
                f"Push {count}",
                krs=[{"name": f"KR {i}", "target_value": 1000.0} for i in range(count)],
            )
            self._activate(made)
            return made.key_result_ids

        warm, shared, ten, hundred = (
            objective(2),
            objective(2),
            objective(10),
            objective(100),
        )
        # With the chatter on, as for an RPC client (the fixtures turn it off).
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        Checkin = env["okr.checkin"].with_user(self.user_employee)
        queries = {}
        cases = (
            ("warm", [self._item(warm[i % 2], i) for i in range(10)]),
            ("shared 10", [self._item(shared[i % 2], i) for i in range(10)]),
            ("shared 100", [self._item(shared[i % 2], i) for i in range(100)]),
            ("own 10", [self._item(kr, 1) for kr in ten]),
            ("own 100", [self._item(kr, 1) for kr in hundred]),
        )
        for label, items in cases:
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            ids = Checkin.push_checkins(items)
            self.env.flush_all()
            queries[label] = self.cr.sql_log_count - start
            self.assertEqual(len(ids), len(items))
        # The same ten items posted one by one, for the record.
        items = [self._item(shared[i % 2], i) for i in range(10)]
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        for vals in items:
            Checkin.create(vals)
        self.env.flush_all()
        queries["one by one 10"] = self.cr.sql_log_count - start
        _logger.info("push_checkins queries: %s", queries)
        self.assertLess(queries["shared 10"], queries["one by one 10"], queries)
        self.assertEqual(queries["shared 10"], queries["shared 100"], queries)
        self.assertEqual(queries["own 10"], queries["own 100"], queries)


@tagged("post_install", "-at_install")
class TestOkrPushCheckinsRpc(OkrCase, HttpCase):
    """push_checkins over JSON-RPC with an API key, as docs/okr_rpc.md shows.

    Runs in the real current quarter: the HTTP server runs in another
    thread, where a frozen clock would confuse sessions and API keys.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.current = cls._make_current_quarter()
        cls.objective = cls._make_objective(
            cls.emp_employee,
            "Ship the app beta",
            cycle=cls.current,
            krs=[{"name": f"KR {i}", "target_value": 100.0} for i in range(2)],
        )
        cls._activate(cls.objective)
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.user_employee)
            ._generate(
                None,
                "Factory import",
                datetime.datetime.now() + datetime.timedelta(days=1),
            )
        )

    def _jsonrpc(self, items):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.env.cr.dbname,
                    self.user_employee.id,
                    self.api_key,
                    "okr.checkin",
                    "push_checkins",
                    [items],
                ],
            },
        }
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_push_checkins_over_jsonrpc(self):
        first, second = self.objective.key_result_ids.sorted("id")
        result = self._jsonrpc(
            [
                {"key_result_id": first.id, "value": 12, "confidence": 6},
                {"key_result_id": second.id, "value": "40", "comment": "Beta 3"},
            ]
        )
        self.assertNotIn("error", result, result)
        checkins = self.env["okr.checkin"].browse(result["result"])
        self.assertEqual(checkins.mapped("value"), [12, 40])
        self.assertEqual(checkins.author_id, self.user_employee)
        self.env.invalidate_all()
        self.assertEqual(first.current_value, 12)
        self.assertEqual(second.current_value, 40)

    def test_refused_push_over_jsonrpc(self):
        first = self.objective.key_result_ids.sorted("id")[0]
        with mute_logger("odoo.http"):
            result = self._jsonrpc(
                [
                    {"key_result_id": first.id, "value": 12},
                    {"key_result_id": first.id, "value": "n/a"},
                ]
            )
        error = result["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertIn(
            "Item 1: The value of a check-in must be a number", error["message"]
        )
        with mute_logger("odoo.http"):
            result = self._jsonrpc(
                [
                    {"key_result_id": first.id, "value": 12},
                    {"key_result_id": self.kr_peer.id, "value": 3},
                ]
            )
        error = result["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertIn(f"Item 1: {HIDDEN}", error["message"])
        self.env.invalidate_all()
        self.assertFalse(first.checkin_ids)
        self.assertFalse(self.kr_peer.checkin_ids)
