"""The app in Traditional Chinese: perspective names and the strategy map in zh_TW."""

from odoo import fields
from odoo.tests import HttpCase, tagged

from .bsc_common import BscCase

TEMPLATE = {
    "learning": ("Learning & Growth", "學習與成長", "学习与成长"),
    "process": ("Internal Process", "內部運作", "内部运作"),
    "customer": ("Customer", "客戶", "客户"),
    "financial": ("Financial", "財務", "财务"),
}


def _names(perspectives, lang):
    return {p.kind: p.name for p in perspectives.with_context(lang=lang)}


@tagged("post_install", "-at_install")
class TestPerspectiveNamesTranslated(BscCase):
    """Template perspectives read in each active language, whoever created them."""

    def _load_chinese(self):
        for lang in ("zh_TW", "zh_CN"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["bsc_okr"], ["zh_TW", "zh_CN"], overwrite=True
        )

    def test_new_scorecard_names_its_perspectives_in_every_language(self):
        self._load_chinese()
        self.user_strategy.lang = "zh_TW"
        scorecard = (
            self.env["bsc.scorecard"]
            .with_user(self.user_strategy)
            .create(
                {
                    "name": "Harbour Toys 2026-2028",
                    "company_id": self.company.id,
                    "date_from": "2026-01-01",
                    "date_to": "2028-12-31",
                }
            )
        )
        perspectives = scorecard.perspective_ids
        self.assertEqual(
            _names(perspectives, "en_US"), {k: v[0] for k, v in TEMPLATE.items()}
        )
        self.assertEqual(
            _names(perspectives, "zh_TW"), {k: v[1] for k, v in TEMPLATE.items()}
        )
        self.assertEqual(
            _names(perspectives, "zh_CN"), {k: v[2] for k, v in TEMPLATE.items()}
        )

    def test_loading_a_language_later_translates_template_names(self):
        """The fixture's scorecard was created before Chinese was installed."""
        renamed = self.persp["customer"]
        renamed.with_context(lang="en_US").name = "Brand Partners"
        hand_made = self.persp["financial"]
        self.env["res.lang"]._activate_lang("zh_TW")
        hand_made.with_context(lang="zh_TW").name = "財務成果"
        self.assertEqual(
            _names(self.scorecard.perspective_ids, "zh_TW")["learning"],
            "Learning & Growth",
            "before the terms are loaded, zh_TW falls back to English",
        )
        self._load_chinese()
        names = _names(self.scorecard.perspective_ids, "zh_TW")
        self.assertEqual(names["learning"], "學習與成長")
        self.assertEqual(names["process"], "內部運作")
        self.assertEqual(names["customer"], "Brand Partners", "renamed: kept")
        self.assertEqual(names["financial"], "財務成果", "translated by hand: kept")
        self.assertEqual(
            _names(self.scorecard.perspective_ids, "zh_CN")["learning"], "学习与成长"
        )
        self.assertEqual(
            _names(self.scorecard.perspective_ids, "en_US")["learning"],
            "Learning & Growth",
        )

    def test_only_an_administrator_translates_every_company(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        Perspective = self.env["bsc.perspective"]
        Perspective.with_user(self.user_strategy)._translate_all_template_names(
            ["zh_TW"]
        )
        learning = self.persp["learning"].with_context(lang="zh_TW")
        self.assertEqual(learning.name, "Learning & Growth")
        Perspective._translate_all_template_names(["zh_TW"])
        self.assertEqual(learning.name, "學習與成長")


@tagged("post_install", "-at_install")
class TestZhTwTour(BscCase, HttpCase):
    """A zh_TW employee sees the app menu and the strategy map in Chinese."""

    def test_strategy_map_in_traditional_chinese(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env["ir.module.module"]._load_module_terms(
            ["bsc_okr"], ["zh_TW"], overwrite=True
        )
        self.user_employee.lang = "zh_TW"
        # The map shows the current period: keep today inside the horizon.
        today = fields.Date.context_today(self.env.user)
        self.scorecard.date_to = today.replace(year=today.year + 1)
        self.start_tour("/odoo", "bsc_okr_i18n_zh_tw_tour", login="t_employee")
