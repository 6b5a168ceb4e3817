"""Translations: every term has zh_TW and zh_CN translations; the .pot follows the code.

``make pot`` regenerates ``i18n/bsc_okr.pot`` (a fresh install without demo data, then
Odoo's export) and merges it into the .po files. These tests catch the two ways the
translations fall behind:

- a developer adds a term and forgets ``make pot``: the terms that Odoo's own exporter
  finds in this database (code, fields, selections, menus, views, data; demo records
  left out, as ``make pot`` installs without them) must be the msgids of the committed
  .pot. The exporter runs in-process, which takes a couple of seconds;
- a term has no translation yet, or a translation breaks its message: every msgid of the
  .pot needs a non-fuzzy msgstr in each language, with the same placeholders and the
  same tags.
"""

import re
from collections import Counter
from pathlib import Path

import polib
from lxml import etree

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "bsc_okr"
LANGS = ("zh_TW", "zh_CN")
# %(name)s, %s, %d..., a literal %% and {0}/{name}: what Python and JS formatting read.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|%%|\{\w*\}")
TAG = re.compile(r"<[^>]+>")
# Attributes that Odoo translates inside a term: their values may differ.
TRANSLATED_ATTR = re.compile(
    r"\s(?:title|alt|placeholder|aria-label|string|help|confirm|label)=\"[^\"]*\""
)


def _shown(terms, limit=15):
    terms = sorted(terms)
    more = f"\n... and {len(terms) - limit} more" if len(terms) > limit else ""
    return "\n".join(repr(term) for term in terms[:limit]) + more


@tagged("post_install", "-at_install")
class TestI18nCoverage(TransactionCase):
    """The committed .pot and the zh_TW/zh_CN .po files are complete and sound."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.i18n = Path(get_module_path(MODULE)) / "i18n"
        cls.pot = polib.pofile(str(cls.i18n / f"{MODULE}.pot"))
        cls.pot_msgids = {entry.msgid for entry in cls.pot if not entry.obsolete}
        cls.pos = {lang: polib.pofile(str(cls.i18n / f"{lang}.po")) for lang in LANGS}

    # ------------------------------------------------------------------
    # The .pot follows the code
    # ------------------------------------------------------------------
    def _demo_xmlids(self):
        """External ids of the records created by the manifest's demo files."""
        root = Path(get_module_path(MODULE))
        xmlids = set()
        for demo_file in get_manifest(MODULE).get("demo", []):
            tree = etree.parse(str(root / demo_file))
            for node in tree.iter():
                xmlid = node.get("id") if isinstance(node.tag, str) else None
                if xmlid:
                    xmlids.add(xmlid if "." in xmlid else f"{MODULE}.{xmlid}")
        return xmlids

    def test_pot_follows_the_code(self):
        demo = self._demo_xmlids()
        exported = set()
        for (
            _module,
            term_type,
            _name,
            res_id,
            source,
            _value,
            _comments,
        ) in TranslationModuleReader(self.env.cr, modules=[MODULE]):
            if term_type in ("model", "model_terms") and res_id in demo:
                continue
            exported.add(source)
        self.assertTrue(exported, "the exporter found no term at all")
        missing = exported - self.pot_msgids
        self.assertFalse(
            missing,
            f"{len(missing)} terms of the code are not in i18n/{MODULE}.pot: "
            f"run `make pot`, then translate them.\n{_shown(missing)}",
        )
        stale = self.pot_msgids - exported
        self.assertFalse(
            stale,
            f"{len(stale)} msgids of i18n/{MODULE}.pot are no longer in the code: "
            f"run `make pot`.\n{_shown(stale)}",
        )

    def test_demo_filter_keeps_data_terms(self):
        """The demo filter must not hide real data: data records stay in the .pot."""
        self.assertIn("Strategy & OKR", self.pot_msgids)  # module category, menu
        self.assertIn("Standard (80 % / 100 %)", self.pot_msgids)  # data record
        demo = self._demo_xmlids()
        self.assertTrue(demo, "the manifest lists demo files with records")
        self.assertFalse(
            {xmlid for xmlid in demo if xmlid.startswith(f"{MODULE}.group_")},
            "a security group was taken for demo data",
        )

    # ------------------------------------------------------------------
    # Every term is translated, soundly
    # ------------------------------------------------------------------
    def test_headers(self):
        for lang, po in self.pos.items():
            with self.subTest(lang=lang):
                self.assertEqual(po.metadata.get("Language"), lang)
                self.assertEqual(
                    po.metadata.get("Plural-Forms"), "nplurals=1; plural=0;"
                )
                self.assertIn("charset=UTF-8", po.metadata.get("Content-Type", ""))

    def test_every_term_is_translated(self):
        for lang, po in self.pos.items():
            with self.subTest(lang=lang):
                done = {
                    entry.msgid
                    for entry in po
                    if entry.msgstr.strip()
                    and not entry.obsolete
                    and "fuzzy" not in entry.flags
                }
                missing = self.pot_msgids - done
                self.assertFalse(
                    missing,
                    f"{len(missing)} terms have no {lang} translation "
                    f"(i18n/{lang}.po; run `make pot` first if they are not in "
                    f"it at all):\n{_shown(missing)}",
                )

    def test_translations_keep_placeholders_and_tags(self):
        for lang, po in self.pos.items():
            broken = []
            for entry in po:
                if entry.obsolete or not entry.msgstr:
                    continue
                source, text = entry.msgid, entry.msgstr
                if Counter(PLACEHOLDER.findall(source)) != Counter(
                    PLACEHOLDER.findall(text)
                ):
                    broken.append(f"placeholders differ: {source!r} -> {text!r}")
                source_tags = [TRANSLATED_ATTR.sub("", t) for t in TAG.findall(source)]
                text_tags = [TRANSLATED_ATTR.sub("", t) for t in TAG.findall(text)]
                if source_tags != text_tags:
                    broken.append(f"tags differ: {source!r} -> {text!r}")
                elif source_tags:
                    try:
                        etree.fromstring(f"<div>{text}</div>")
                    except etree.XMLSyntaxError as error:
                        broken.append(f"not well-formed ({error}): {text!r}")
            with self.subTest(lang=lang):
                self.assertFalse(broken, "\n".join(broken))

    def test_the_check_catches_broken_translations(self):
        """The placeholder and tag rules above see the mistakes they are meant to."""
        self.assertNotEqual(
            Counter(PLACEHOLDER.findall("%(name)s is late")),
            Counter(PLACEHOLDER.findall("%(nom)s 遲了")),
        )
        self.assertEqual(
            Counter(PLACEHOLDER.findall("%(a)s → %(b)s, 0 %%")),
            Counter(PLACEHOLDER.findall("0 %% ：%(b)s ← %(a)s")),
        )
        source = '<i class="fa fa-check" title="Done"/> ok'
        self.assertEqual(
            [TRANSLATED_ATTR.sub("", t) for t in TAG.findall(source)],
            [
                TRANSLATED_ATTR.sub("", t)
                for t in TAG.findall('<i class="fa fa-check" title="完成"/> 好')
            ],
        )
        self.assertNotEqual(
            [TRANSLATED_ATTR.sub("", t) for t in TAG.findall(source)],
            [TRANSLATED_ATTR.sub("", t) for t in TAG.findall("<b>完成</b> 好")],
        )

    def test_translations_load_into_odoo(self):
        """Odoo reads both files: a menu and a code term come out translated."""
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            [MODULE], list(LANGS), overwrite=True
        )
        menu = self.env.ref("bsc_okr.bsc_okr_menu_root")
        self.assertEqual(menu.with_context(lang="zh_TW").name, "戰略與 OKR")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "战略与 OKR")
        self.assertEqual(
            self.env(context={"lang": "zh_TW"})._("Learning & Growth"), "學習與成長"
        )
        self.assertEqual(
            self.env(context={"lang": "zh_CN"})._("Learning & Growth"), "学习与成长"
        )


@tagged("post_install", "-at_install")
class TestDistinctColumnLabels(TransactionCase):
    """No list shows two columns with the same heading, in any language.

    Two English words can meet in one Chinese word ("Status" and "State" were both
    狀態 over the KPI sheets); the reader then cannot tell the columns apart.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in LANGS:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            [MODULE], list(LANGS), overwrite=True
        )

    def _headings(self, view, lang):
        """The headings of the columns a user can show in ``view``, in ``lang``."""
        result = (
            self.env[view.model].with_context(lang=lang).get_views([(view.id, "list")])
        )
        fields = result["models"][view.model]["fields"]
        arch = etree.fromstring(result["views"]["list"]["arch"])
        headings = []
        for node in arch:
            if node.tag != "field" or node.get("widget") == "handle":
                continue
            if node.get("column_invisible") in ("1", "True", "true"):
                continue
            name = node.get("name")
            headings.append(node.get("string") or fields.get(name, {}).get("string"))
        return [heading for heading in headings if heading]

    def _list_views(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", "ir.ui.view")]
        )
        views = self.env["ir.ui.view"].browse(data.mapped("res_id"))
        return views.filtered(lambda view: view.type == "list" and not view.inherit_id)

    def test_list_headings_are_distinct(self):
        views = self._list_views()
        self.assertGreater(len(views), 20, "the module's list views were not found")
        clashes = []
        for view in views:
            for lang in ("en_US", *LANGS):
                counts = Counter(self._headings(view, lang))
                clashes += [
                    f"{view.xml_id} ({lang}): {heading!r} x{count}"
                    for heading, count in counts.items()
                    if count > 1
                ]
        self.assertFalse(clashes, "\n".join(clashes))

    def test_the_check_sees_a_clash(self):
        """The check reads what the user reads: the old clash comes back if the
        traffic light is translated like the workflow state again."""
        view = self.env.ref("bsc_okr.bsc_kpi_sheet_view_list")
        self.assertIn("燈號", self._headings(view, "zh_TW"))
        self.assertEqual(Counter(self._headings(view, "zh_TW"))["狀態"], 1)
        status = self.env["ir.model.fields"]._get("bsc.kpi.sheet", "status")
        status.with_context(lang="zh_TW").field_description = "狀態"
        self.env.registry.clear_cache()
        self.assertEqual(Counter(self._headings(view, "zh_TW"))["狀態"], 2)
