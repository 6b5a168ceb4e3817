"""Text people write, in several languages (bsc.authored.text.mixin), and the
names code generates in each language (months, cycles, departments)."""

import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .okr_common import OkrCase


@tagged("post_install", "-at_install")
class TestAuthoredText(OkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("zh_TW", "zh_CN"):
            cls.env["res.lang"]._activate_lang(lang)

    def _names(self, record, fname="name"):
        return {
            lang: record.with_context(lang=lang)[fname]
            for lang in ("en_US", "zh_TW", "zh_CN")
        }

    def _draft(self, name, lang):
        """A draft objective the employee writes in ``lang``."""
        Objective = self.env["okr.objective"].with_user(self.user_employee)
        return Objective.with_context(lang=lang).create(
            {
                "name": name,
                "cycle_id": self.cycle.id,
                "company_id": self.company.id,
                "owner_id": self.emp_employee.id,
            }
        )

    def test_correction_in_chinese_reaches_english_readers(self):
        """Written and corrected in Chinese: the English reader (her manager)
        sees the correction, not the first version."""
        objective = self._draft("提高產量", "zh_TW")
        objective.with_context(lang="zh_TW").write({"name": "提高產量兩成"})
        self.assertEqual(
            self._names(objective),
            {"en_US": "提高產量兩成", "zh_TW": "提高產量兩成", "zh_CN": "提高產量兩成"},
        )
        # As the manager reads it.
        self.assertEqual(
            objective.with_user(self.user_manager).with_context(lang="en_US").name,
            "提高產量兩成",
        )

    def test_correction_in_english_reaches_chinese_copies(self):
        objective = self._draft("Halve scrap", "zh_TW")
        objective.with_context(lang="en_US").write({"name": "Halve scrap on line 3"})
        self.assertEqual(
            set(self._names(objective).values()), {"Halve scrap on line 3"}
        )

    def test_translations_of_their_own_are_kept(self):
        """A translator's text stays until a translator changes it, as Odoo
        keeps it; a language without one follows the author."""
        objective = self._draft("Halve scrap", "en_US")
        objective.update_field_translations("name", {"zh_TW": "廢品減半"})
        objective.with_context(lang="en_US").write({"name": "Halve scrap on line 3"})
        self.assertEqual(
            self._names(objective),
            {
                "en_US": "Halve scrap on line 3",
                "zh_TW": "廢品減半",
                "zh_CN": "Halve scrap on line 3",
            },
        )
        # Corrected in Chinese: only Chinese changes, English was not a copy.
        objective.with_context(lang="zh_TW").write({"name": "3 號線廢品減半"})
        self.assertEqual(self._names(objective)["en_US"], "Halve scrap on line 3")
        self.assertEqual(self._names(objective)["zh_TW"], "3 號線廢品減半")

    def test_batch_edit_of_records_in_different_states(self):
        """One write over records with and without translations: each gets
        the rule, in one statement per field."""
        copied = self._draft("A", "zh_TW")  # en_US and zh_TW copies
        translated = self._draft("B", "en_US")
        translated.update_field_translations("name", {"zh_TW": "乙"})
        objectives = copied | translated
        objectives.with_context(lang="en_US").write({"description": "Why"})
        objectives.with_context(lang="en_US").write({"name": "C"})
        self.assertEqual(self._names(copied), dict.fromkeys(self._names(copied), "C"))
        self.assertEqual(self._names(translated)["zh_TW"], "乙")
        self.assertEqual(self._names(translated)["en_US"], "C")

    def test_key_result_and_check_in_texts(self):
        """The same rule on the other texts people write: key results,
        units, check-in comments."""
        objective = self._draft("Lean", "zh_TW")
        kr = (
            self.env["okr.key.result"]
            .with_user(self.user_employee)
            .with_context(lang="zh_TW")
            .create(
                {
                    "objective_id": objective.id,
                    "name": "換模時間",
                    "unit": "分鐘",
                    "direction": "decrease",
                    "start_value": 45,
                    "target_value": 15,
                }
            )
        )
        kr.with_context(lang="zh_TW").write({"name": "2 號線換模時間", "unit": "分"})
        self.assertEqual(kr.with_context(lang="en_US").name, "2 號線換模時間")
        self.assertEqual(kr.with_context(lang="en_US").unit, "分")

    def test_translated_titles_on_the_public_view(self):
        """Company pages read okr.objective.public: titles in the reader's
        language there too."""
        self.obj_company.update_field_translations(
            "name", {"zh_TW": "成為幼兒玩具品牌"}
        )
        public = (
            self.env["okr.objective.public"]
            .with_user(self.user_peer)
            .browse(self.obj_company.id)
        )
        self.assertEqual(public.with_context(lang="zh_TW").name, "成為幼兒玩具品牌")
        self.assertEqual(
            public.with_context(lang="en_US").name, "Become the preschool toy brand"
        )

    def test_translation_dialog_follows_the_record_rules(self):
        """The translation dialog reads and writes with the record's rules:
        the peer may neither read the employee's objective there (only its
        public title) nor translate it; her manager may."""
        objective = self.obj_employee.with_user(self.user_peer)
        with self.assertRaises(AccessError):
            objective.get_field_translations("name")
        with self.assertRaises(AccessError):
            objective.update_field_translations("name", {"zh_TW": "換模減半"})
        # Past the draft, the owner's text is locked (see okr.objective.write),
        # in every language: the dialog is refused as an edit would be.
        with self.assertRaisesRegex(UserError, "only its owner's managers"):
            self.obj_employee.with_user(self.user_employee).update_field_translations(
                "name", {"en_US": "Skip the approval"}
            )
        self.obj_employee.with_user(self.user_manager).update_field_translations(
            "name", {"zh_TW": "換模時間減半"}
        )
        self.assertEqual(
            self.obj_employee.with_context(lang="zh_TW").name, "換模時間減半"
        )
        self.assertEqual(
            self.obj_employee.with_context(lang="en_US").name, "Halve changeover time"
        )

    # ------------------------------------------------------------------
    # Generated names
    # ------------------------------------------------------------------
    def test_months_of_a_scorecard_in_every_language(self):
        scorecard = self.env["bsc.scorecard"].create(
            {
                "name": "Test Strategy",
                "company_id": self.company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "owner_id": self.emp_ceo.id,
            }
        )
        december = scorecard.period_ids.filtered(lambda p: p.code == "2026-12")
        self.assertEqual(
            self._names(december),
            {"en_US": "Dec 2026", "zh_TW": "2026年12月", "zh_CN": "2026年12月"},
        )

    def test_language_loaded_later_names_existing_months(self):
        """A period created before a language existed is named in it when
        the language is loaded; a renamed one keeps its name."""
        scorecard = self.env["bsc.scorecard"].create(
            {
                "name": "Test Strategy",
                "company_id": self.company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-03-31",
                "owner_id": self.emp_ceo.id,
            }
        )
        january, february = scorecard.period_ids.sorted("date_start")[:2]
        february.with_context(lang="en_US").name = "Chinese New Year"
        # As before French was loaded: English only.
        self.env["res.lang"]._activate_lang("fr_FR")
        self.assertEqual(january.with_context(lang="fr_FR").name, "Jan 2026")
        self.env["ir.module.module"]._bsc_okr_localize_generated_names(["fr_FR"])
        self.assertEqual(january.with_context(lang="fr_FR").name, "janv. 2026")
        self.assertEqual(february.with_context(lang="fr_FR").name, "Chinese New Year")
        self.assertEqual(january.with_context(lang="en_US").name, "Jan 2026")

    def test_cycle_named_by_a_chinese_reader_reads_in_english(self):
        """The form fills the name in the creator's language; English
        readers get the English name, not the Chinese one."""
        Cycle = self.env["okr.cycle"].with_context(lang="zh_TW")
        start = datetime.date(2026, 4, 1)
        name = Cycle._default_name("quarter", start, datetime.date(2026, 6, 30))
        self.assertEqual(name, "2026 年第 2 季")
        cycle = Cycle.create(
            {
                "name": name,
                "company_id": self.company.id,
                "date_start": start,
                "date_end": datetime.date(2026, 6, 30),
            }
        )
        self.assertEqual(self._names(cycle)["en_US"], "Q2 2026")
        self.assertEqual(self._names(cycle)["zh_TW"], "2026 年第 2 季")
        custom = Cycle.create(
            {
                "name": "Pilot sprint",
                "cycle_type": "custom",
                "company_id": self.company.id,
                "date_start": start,
                "date_end": datetime.date(2026, 4, 20),
            }
        )
        self.assertEqual(set(self._names(custom).values()), {"Pilot sprint"})

    def test_department_path_in_the_readers_language(self):
        self.dept_management.update_field_translations("name", {"zh_TW": "管理層"})
        self.dept_production.update_field_translations("name", {"zh_TW": "生產部"})
        production = self.dept_production.with_user(self.user_employee)
        self.assertEqual(
            production.with_context(lang="zh_TW").display_name, "管理層 / 生產部"
        )
        self.assertEqual(
            production.with_context(lang="en_US").display_name,
            "Management / Production",
        )
        # zh_CN has no translation: the English names.
        self.assertEqual(
            production.with_context(lang="zh_CN").display_name,
            "Management / Production",
        )
