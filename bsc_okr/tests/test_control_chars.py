"""No text crashes a page: control characters in what people type.

PostgreSQL refuses NUL in text and jsonb columns; before the shared hook
(models/base.py) a NUL in a portal check-in comment answered HTTP 500. Every
text bsc_okr stores now loses its control characters (but tab and newline)
on create and write, whoever writes: portal, back end, RPC, import.
"""

import re

from odoo.tests import tagged

from ..models.base import clean_text
from .test_portal import PortalCase

DIRTY = "Clean\x00 mo\x07ulds\x1b\tnow\r\nplease\x7f\x85"
CLEAN = "Clean moulds\tnow\nplease"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@tagged("post_install", "-at_install")
class TestControlChars(PortalCase):
    def assertCleanTexts(self, recordsets):
        """Every stored text of ``recordsets``, in every installed language,
        is free of control characters."""
        self.env.invalidate_all()
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        self.assertTrue(all(recordsets), "every recordset holds records")
        for record in (rec for records in recordsets for rec in records):
            for fname, field in record._fields.items():
                if field.type not in ("char", "text", "html") or not field.store:
                    continue
                for lang in langs:
                    value = record.with_context(lang=lang)[fname]
                    if isinstance(value, str):
                        self.assertFalse(
                            CONTROL.search(value), (record, fname, lang, value)
                        )

    def test_clean_text(self):
        self.assertEqual(clean_text(DIRTY), CLEAN)
        self.assertEqual(clean_text("line\rnext"), "line\nnext")
        self.assertEqual(clean_text("keep\ttabs\nand lines"), "keep\ttabs\nand lines")
        self.assertIs(clean_text(False), False)

    def test_nul_in_every_portal_form(self):
        """Each portal form sent with control characters in every text field:
        no 500, the change is saved with the cleaned text."""
        self.login(self.user_employee)
        response = self.post(
            "/my/okrs/new",
            {
                "cycle_id": str(self.cycle.id),
                "name": "New\x00 objective",
                "description": DIRTY,
                "kr1_name": "Moulds\x00 checked",
                "kr1_unit": "mou\x00lds",
                "kr1_start_value": "0",
                "kr1_target_value": "5",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your objective was created.", response.text)
        created = self.env["okr.objective"].search([("name", "=", "New objective")])
        self.assertEqual(created.description, CLEAN)
        self.assertEqual(created.key_result_ids.name, "Moulds checked")
        self.assertEqual(created.key_result_ids.unit, "moulds")

        draft = self.draft
        for url, data in (
            (f"/my/okrs/{draft.id}/edit", {"name": "Faster\x00 packing"}),
            (
                f"/my/okrs/{draft.id}/key-results/new",
                {"name": "Boxes\x00 an hour", "start_value": "1", "target_value": "9"},
            ),
            (
                f"/my/okrs/{draft.id}/key-results/{self.kr_draft.id}/edit",
                {
                    "name": "Packed\x0b lines",
                    "unit": "li\x00nes",
                    "start_value": "0",
                    "target_value": "4",
                },
            ),
            (
                f"/my/key-results/{self.kr_employee.id}/checkin",
                {"value": "20", "confidence": "6", "comment": DIRTY},
            ),
        ):
            with self.subTest(url=url):
                response = self.post(url, dict(data, description=DIRTY))
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Internal Server Error", response.text)
        self.assertEqual(draft.name, "Faster packing")
        self.assertIn("Boxes an hour", draft.key_result_ids.mapped("name"))
        self.assertEqual(self.kr_draft.unit, "lines")
        self.assertEqual(self.kr_employee.checkin_ids.comment, CLEAN)

        plan_response = self.post(
            "/my/learning-plans/new",
            {
                "name": "Voice\x00 doll",
                "plan_type_id": str(self.type_tech.id),
                "campaign_id": str(self.campaign.id),
                "cycle_id": str(self.cycle_feb.id),
                "direction": DIRTY,
                "goal_name": "Learn\x00 voice toys",
                "kr1_name": "Parents\x00 interviewed",
                "kr1_start_value": "0",
                "kr1_target_value": "12",
            },
        )
        self.assertEqual(plan_response.status_code, 200)
        plan = self.env["okr.learning.plan"].search([("name", "=", "Voice doll")])
        self.assertTrue(plan, "the plan was proposed with the cleaned name")
        response = self.post(
            f"/my/learning-plans/{plan.id}/findings",
            {"name": "Parents\x00 fear mics", "kind": "customer", "note": DIRTY},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(plan.finding_ids.name, "Parents fear mics")
        response = self.post(
            f"/my/learning-plans/{plan.id}/request", {"to_state": "learn\x00"}
        )
        self.assertEqual(response.status_code, 200)
        response = self.get("/my/okrs?search=Faster%00")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Faster packing", response.text)

        # The manager's decisions carry a reason.
        self.login(self.user_employee)
        self.post(f"/my/okrs/{draft.id}/submit")
        self.assertEqual(draft.state, "submitted")
        self.login(self.user_manager)
        response = self.post(f"/my/okrs/{draft.id}/reject", {"reason": DIRTY})
        self.assertEqual(response.status_code, 200)
        self.assertIn("The request was rejected", response.text)
        self.assertEqual(draft.state, "draft")
        messages = draft.message_ids.filtered(lambda m: "moulds" in (m.body or ""))
        self.assertTrue(messages, "the reason is in the chatter, cleaned")
        self.assertFalse(CONTROL.search(str(messages.mapped("body"))))

        self.assertCleanTexts(
            [
                created,
                created.key_result_ids,
                draft,
                draft.key_result_ids,
                self.kr_employee.checkin_ids,
                plan,
                plan.finding_ids,
                self.env["okr.approval.request"].search(
                    [("res_model", "=", "okr.objective"), ("res_id", "=", draft.id)]
                ),
            ]
        )

    def test_nul_over_json_rpc(self):
        """RPC create and write with control characters: no error, clean text."""
        self.authenticate(self.user_employee.login, self.user_employee.login)

        def call(model, method, *args, **kwargs):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            )

        objective_id = call(
            "okr.objective",
            "create",
            {
                "name": "Rpc\x00 objective",
                "description": DIRTY,
                "cycle_id": self.cycle.id,
                "key_result_ids": [
                    (0, 0, {"name": "K\x00R", "start_value": 0, "target_value": 3})
                ],
            },
        )
        call("okr.objective", "write", [objective_id], {"description": "Again\x00"})
        objective = self.env["okr.objective"].browse(objective_id)
        self.assertEqual(objective.name, "Rpc objective")
        self.assertEqual(objective.description, "Again")
        self.assertEqual(objective.key_result_ids.name, "KR")
        self.assertCleanTexts([objective, objective.key_result_ids])

    def test_import_and_translation_dialog(self):
        """An import (load) and the translation dialog take the same path."""
        Objective = self.env["okr.objective"].with_user(self.user_employee)
        result = Objective.load(
            ["name", "description", "cycle_id/.id"],
            [["Imported\x00 one", DIRTY, str(self.cycle.id)]],
        )
        self.assertFalse(result["messages"], result["messages"])
        objective = Objective.browse(result["ids"])
        self.assertEqual(objective.name, "Imported one")
        self.assertEqual(objective.description, CLEAN)
        objective.update_field_translations("name", {"en_US": "Trans\x00lated"})
        self.assertEqual(objective.name, "Translated")
        self.assertCleanTexts([objective])
