"""The demo story in Chinese: the Harbour Toys records read in zh_TW and zh_CN.

The demo's texts are translated by text, from the translation memories in
demo/i18n/<lang>.po (see demo_terms.load_demo_terms): many of
its records are made by the demo's workflow and have no external id for a
regular .po file. These tests read the demo data on purpose and are skipped
in a database without it.
"""

from odoo.tests import TransactionCase, tagged

from odoo.addons.bsc_okr.demo_terms import demo_texts, read_demo_terms
from odoo.addons.bsc_okr.models.ir_module_module import GENERATED_NAMES

LANGS = ("zh_TW", "zh_CN")
#: Texts written the same way in Chinese.
SAME_IN_CHINESE = {"%", "ppm"}


@tagged("post_install", "-at_install")
class TestDemoTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo_scorecard = cls.env.ref(
            "bsc_okr.bsc_scorecard_harbour_toys_demo", raise_if_not_found=False
        )
        if cls.demo_scorecard:
            for lang in LANGS:
                cls.env["res.lang"]._activate_lang(lang)
            cls.env["ir.module.module"].search(
                [("name", "=", "bsc_okr")]
            )._update_translations(filter_lang=list(LANGS), overwrite=True)

    def setUp(self):
        super().setUp()
        if not self.demo_scorecard:
            self.skipTest("bsc_okr was installed without its demo data")

    def test_demo_story_reads_in_traditional_chinese(self):
        """The screens of the story: strategy, OKRs, learning plans, the
        goals and key results the plans made, the promoted milestones."""
        plan = self.env.ref("bsc_okr.okr_learning_plan_lean_demo")
        preschool = self.env.ref("bsc_okr.okr_learning_plan_preschool_demo")
        initiative = self.env.ref("bsc_okr.bsc_initiative_preschool_pilot_demo")
        promoted = initiative.milestone_ids.filtered(
            lambda m: (
                m.with_context(lang="en_US").name == "Parents and teachers interviewed"
            )
        )
        self.assertTrue(promoted, "the promotion made no milestone of the plan")
        expected = [
            (self.env.ref("bsc_okr.bsc_objective_innovative_team_demo"), "name"),
            (self.env.ref("bsc_okr.bsc_scorecard_harbour_toys_demo"), "name"),
            (plan, "name"),
            (plan.objective_id, "name"),  # made by the plan: no external id
            (preschool.objective_id.key_result_ids[:1], "name"),
            (promoted, "name"),
            (self.env.ref("bsc_okr.okr_learning_campaign_smart_toys_demo"), "name"),
            (self.env.ref("bsc_okr.okr_learning_plan_preschool_demo"), "direction"),
        ]
        terms = read_demo_terms("zh_TW")
        for record, fname in expected:
            english = record.with_context(lang="en_US")[fname]
            chinese = record.with_context(lang="zh_TW")[fname]
            with self.subTest(model=record._name, field=fname, english=english):
                self.assertTrue(english)
                self.assertNotEqual(chinese, english)
                if record._fields[fname].translate is True:
                    self.assertEqual(
                        chinese, terms[record._name, fname][english], "not the memory's"
                    )
        self.assertEqual(plan.with_context(lang="zh_TW").name, "精益學習計劃")
        self.assertEqual(plan.with_context(lang="en_US").name, "Lean Learning Plan")
        # Generated names follow the language too.
        cycle = self.env.ref("bsc_okr.okr_cycle_month_current_demo")
        self.assertRegex(cycle.with_context(lang="zh_TW").name, r"^\d{4}年\d{1,2}月$")
        department = self.env.ref("bsc_okr.hr_department_production_demo")
        self.assertEqual(
            department.with_context(lang="zh_TW").display_name, "管理層 / 生產部"
        )

    def test_every_demo_text_is_translated_in_both_languages(self):
        """A demo text without its zh_TW and zh_CN translation fails here,
        whether the memory lacks it or a loader missed the record."""
        texts = demo_texts(self.env)
        # The check runs over the demo story, not over nothing.
        self.assertGreaterEqual(len(texts), 300)
        untranslated = []
        for model, fname, record_id, values in texts:
            field = self.env[model]._fields[fname]
            english = values["en_US"]
            for lang in LANGS:
                value = values.get(lang)
                if field.translate is not True:
                    # HTML: every paragraph translated.
                    source_terms = set(field.get_trans_terms(english))
                    value_terms = set(field.get_trans_terms(value or english))
                    same = source_terms & value_terms - SAME_IN_CHINESE
                    if not value or same:
                        untranslated.append(f"{lang} {model},{fname} {record_id}")
                elif not value or (value == english and english not in SAME_IN_CHINESE):
                    untranslated.append(
                        f"{lang} {model},{fname} {record_id}: {english!r}"
                    )
        self.assertEqual(untranslated, [], "demo texts left in English")

    def test_memories_are_complete_and_current(self):
        """Every entry of demo/i18n/ names a translated field, is translated,
        and is still a text of the demo (tools/demo_terms.py drops the others)."""
        demo_terms = set()
        for model, fname, _record_id, values in demo_texts(self.env):
            if (model, fname) in GENERATED_NAMES:
                continue
            field = self.env[model]._fields[fname]
            english = values["en_US"]
            if field.translate is True:
                demo_terms.add((model, fname, english))
            else:
                demo_terms.update(
                    (model, fname, term) for term in field.get_trans_terms(english)
                )
        for lang in LANGS:
            entries = {
                (model, fname, source): translation
                for (model, fname), terms in read_demo_terms(lang).items()
                for source, translation in terms.items()
            }
            with self.subTest(lang=lang):
                self.assertEqual(
                    sorted(set(entries) - demo_terms), [], "entries of no demo text"
                )
                self.assertEqual(
                    sorted(demo_terms - set(entries)), [], "demo texts without entry"
                )
                for (model, fname, _source), _translation in entries.items():
                    self.assertTrue(self.env[model]._fields[fname].translate)


@tagged("post_install", "-at_install")
class TestDemoTermsOutOfModels(TransactionCase):
    def test_loading_a_language_calls_the_demo_loader(self):
        """The demo memory's code lives in demo_terms.py, not in a runtime
        model; loading a language still hands the languages to it."""
        from unittest.mock import patch

        from ..models import ir_module_module

        self.env["res.lang"]._activate_lang("zh_TW")
        with patch.object(ir_module_module, "load_demo_terms") as loader:
            self.env["ir.module.module"]._load_module_terms(["bsc_okr"], ["zh_TW"])
        loader.assert_called_once()
        self.assertEqual(loader.call_args.args[1], ["zh_TW"])
        for name in dir(type(self.env["ir.module.module"])):
            self.assertFalse(
                name.startswith("_bsc_okr_") and "demo" in name,
                f"demo machinery is back in a runtime model: {name}",
            )
