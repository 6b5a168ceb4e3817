#!/usr/bin/env python3
"""Refresh the demo story's translation memories (bsc_okr/demo/i18n/*.po).

    make demo-terms [DB=bsc_okr_demo]
    python3 tools/demo_terms.py --db bsc_okr_demo [--lang zh_TW zh_CN]

Reads every translated text of the demo story from a demo database (as
``bsc_okr/demo_terms.py``'s ``demo_texts`` lists them) and writes, per
language, one entry per text (per paragraph for HTML fields): ``msgctxt`` is
``model,field``, ``msgid`` the English text. A translation already in the
file is kept; else one the database holds in that language is taken; else
the entry is left empty for a translator. Texts no longer in the demo are
dropped. Use a fresh demo database (``make run`` on a new DB): texts that
users added would be collected too.

tests/test_demo_translations.py fails while an entry is empty or a demo text
has none.
"""

import argparse
import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devctl  # noqa: E402

TERMS_DIR = devctl.REPO / devctl.ADDON / "demo" / "i18n"
HEADER = """\
Translations of the demo story of bsc_okr (Harbour Toys Ltd), by text.
Each msgctxt names a translated field (model,field); msgid is an English value
of it in the demo, or a paragraph of an HTML value. Loaded with the language
(bsc_okr/demo_terms.py, from the post-init hook); refreshed by tools/demo_terms.py;
checked by tests/test_demo_translations.py."""
LANG_NAMES = {"zh_TW": "Chinese (Traditional)", "zh_CN": "Chinese (Simplified)"}


def collect(env, langs):
    """[(msgctxt, msgid, {lang: translation in the database})], in demo order."""
    found = {}
    from odoo.addons.bsc_okr.demo_terms import demo_texts
    from odoo.addons.bsc_okr.models.ir_module_module import GENERATED_NAMES

    for model, fname, _record_id, values in demo_texts(env):
        if (model, fname) in GENERATED_NAMES:
            continue
        field = env[model]._fields[fname]
        english = values["en_US"]
        if field.translate is True:
            pairs = {
                english: {
                    lang: values[lang]
                    for lang in langs
                    if values.get(lang) and values[lang] != english
                }
            }
        else:
            dictionary = field.get_translation_dictionary(
                english, {lang: values[lang] for lang in langs if values.get(lang)}
            )
            pairs = {
                term: {
                    lang: value
                    for lang, value in translations.items()
                    if value and value != term
                }
                for term, translations in dictionary.items()
            }
            for term in field.get_trans_terms(english):
                pairs.setdefault(term, {})
        for term, translations in pairs.items():
            key = (f"{model},{fname}", term)
            found.setdefault(key, {})
            for lang, value in translations.items():
                found[key].setdefault(lang, value)
    return [
        (ctxt, msgid, translations) for (ctxt, msgid), translations in found.items()
    ]


def write(lang, texts):
    path = TERMS_DIR / f"{lang}.po"
    kept = {}
    if path.exists():
        kept = {
            (entry.msgctxt, entry.msgid): entry.msgstr
            for entry in polib.pofile(str(path))
            if entry.msgstr
        }
    po = polib.POFile(wrapwidth=78)
    po.header = HEADER
    po.metadata = {
        "Project-Id-Version": "bsc_okr 18.0 demo",
        "Language": lang,
        "Language-Team": LANG_NAMES.get(lang, lang),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    empty = 0
    for ctxt, msgid, translations in texts:
        msgstr = kept.get((ctxt, msgid)) or translations.get(lang, "")
        empty += not msgstr
        po.append(polib.POEntry(msgctxt=ctxt, msgid=msgid, msgstr=msgstr))
    TERMS_DIR.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    devctl.say(f"{path.relative_to(devctl.REPO)}: {len(texts)} texts, {empty} empty")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bsc_okr_demo")
    parser.add_argument("--lang", nargs="+", default=["zh_TW", "zh_CN"])
    opts = parser.parse_args()
    try:
        with devctl.superuser_env(opts.db) as env:
            texts = collect(env, opts.lang)
            if not texts:
                raise devctl.Failure(f"{opts.db} has no demo data of bsc_okr")
            for lang in opts.lang:
                write(lang, texts)
    except devctl.Failure as failure:
        devctl.say(str(failure))
        return failure.code
    return 0


if __name__ == "__main__":
    sys.exit(main())
