import doctest

from odoo.tests import BaseCase, tagged

from ..engine import EngineError, transitions
from ..engine.transitions import TRANSITION_KEYS, normalise_transitions

STATES = {"draft", "submitted", "approved", "active", "parked", "cancelled"}


@tagged("post_install", "-at_install")
class TestEngineTransitions(BaseCase):
    """The approval transition table: checked and normalised once, read-only."""

    def test_doctests(self):
        result = doctest.testmod(transitions)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_rows_are_filled_in_and_keep_the_declared_order(self):
        table = normalise_transitions(
            [
                {
                    "from": "draft",
                    "to": "approved",
                    "pending": "submitted",
                    "approver": "manager",
                    "reject_to": "parked",
                },
                {"from": "approved", "to": "active", "approver": "owner"},
                {
                    "from": ["draft", "approved", "active"],
                    "to": "cancelled",
                    "approver": "owner",
                },
            ],
            STATES,
        )
        self.assertEqual(
            [(row["from"], row["to"]) for row in table],
            [
                ("draft", "approved"),
                ("approved", "active"),
                ("draft", "cancelled"),
                ("approved", "cancelled"),
                ("active", "cancelled"),
            ],
        )
        for row in table:
            self.assertEqual(set(row), TRANSITION_KEYS)
        self.assertEqual(table[0]["pending"], "submitted")
        self.assertEqual(table[0]["reject_to"], "parked")
        self.assertIsNone(table[1]["pending"])
        self.assertEqual(table[4]["reject_to"], "active", "reject_to defaults to from")
        self.assertIsNone(table[4]["approver_field"])

    def test_the_result_cannot_be_changed(self):
        """The table is shared by every record of the model: nobody edits it."""
        table = normalise_transitions(
            [{"from": "draft", "to": "approved", "approver": "owner"}], STATES
        )
        self.assertIsInstance(table, tuple)
        with self.assertRaises(TypeError):
            table[0]["to"] = "active"

    def test_the_declared_table_is_left_alone(self):
        declared = [
            {"from": ("draft", "approved"), "to": "cancelled", "approver": "owner"}
        ]
        normalise_transitions(declared, STATES)
        self.assertEqual(
            declared,
            [{"from": ("draft", "approved"), "to": "cancelled", "approver": "owner"}],
        )

    def test_named_approver_needs_a_field_of_the_model(self):
        row = {
            "from": "active",
            "to": "approved",
            "approver": "named",
            "approver_field": "sponsor_id",
        }
        table = normalise_transitions([row], STATES, field_names={"sponsor_id"})
        self.assertEqual(table[0]["approver_field"], "sponsor_id")
        with self.assertRaises(EngineError) as caught:
            normalise_transitions([row], STATES, field_names={"other_id"})
        self.assertEqual(caught.exception.code, "named_without_field")

    def test_invalid_tables_are_refused_with_a_code(self):
        cases = {
            "unknown_keys": [
                {"from": "draft", "to": "approved", "approver": "owner", "foo": 1}
            ],
            "unknown_role": [{"from": "draft", "to": "approved", "approver": "boss"}],
            "named_without_field": [
                {"from": "draft", "to": "approved", "approver": "named"}
            ],
            "unknown_states": [
                {
                    "from": "draft",
                    "to": "approved",
                    "approver": "manager",
                    "pending": "nowhere",
                }
            ],
            "declared_twice": [
                {"from": "draft", "to": "approved", "approver": "owner"},
                {"from": ("active", "draft"), "to": "approved", "approver": "manager"},
            ],
        }
        for code, table in cases.items():
            with self.subTest(code=code):
                with self.assertRaises(EngineError) as caught:
                    normalise_transitions(table, STATES)
                self.assertEqual(caught.exception.code, code)
                self.assertIsInstance(caught.exception, ValueError)
        with self.assertRaises(EngineError) as caught:
            normalise_transitions(cases["unknown_states"], STATES)
        self.assertEqual(caught.exception.params["states"], ["nowhere"])
