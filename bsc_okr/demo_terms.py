"""The demo story's translations: demo machinery, kept out of the runtime models.

Odoo's .po files translate records by external id; many records of the demo
story have none, because the demo's own workflow makes them (a learning plan's
goal and key results, the milestones of a promoted plan, a decision). So the
demo is translated by text, from ``demo/i18n/<lang>.po`` (see read_demo_terms),
whenever a language's terms load (ir.module.module._load_module_terms calls
load_demo_terms after Odoo's own .po files). ``tools/demo_terms.py`` refreshes those
memories from a demo database with ``demo_texts``; tests/test_demo_translations.py
checks them.
"""

import logging
from collections import defaultdict

import polib
from psycopg2.extras import Json

from odoo.tools import SQL
from odoo.tools.misc import file_path

from .models.bsc_authored_text_mixin import patch_translations

_logger = logging.getLogger(__name__)

#: The demo story's translations, one file per language (see read_demo_terms).
DEMO_TERMS_PATH = "bsc_okr/demo/i18n/%s.po"
#: The record that tells the demo data is installed.
DEMO_MARKER = "bsc_okr.company_harbour_toys_demo"


def read_demo_terms(lang):
    """``{(model, field): {english: translation}}`` of the demo's ``lang``.

    ``demo/i18n/<lang>.po`` is a translation memory of the demo story: each
    entry's ``msgctxt`` names a translated field as ``model,field``, its
    ``msgid`` is an English value of that field (for an HTML field, one of
    its terms, i.e. a paragraph) and its ``msgstr`` the translation. Empty
    when the language has no such file.
    """
    try:
        path = file_path(DEMO_TERMS_PATH % lang)
    except FileNotFoundError:
        return {}
    terms = defaultdict(dict)
    for entry in polib.pofile(path):
        if entry.msgctxt and entry.msgstr and not entry.obsolete:
            model, _sep, field = entry.msgctxt.partition(",")
            terms[model, field][entry.msgid] = entry.msgstr
    return dict(terms)


def load_demo_terms(env, langs, overwrite=False):
    """Translate the demo story into ``langs`` (see read_demo_terms).

    Odoo's .po files translate records by external id; many records of
    the demo story have none, because the demo's own workflow makes them
    (a learning plan's goal and key results, the milestones of a
    promoted plan, a decision). So the demo is translated by text: every
    value whose English text is in the memory gets its translation,
    unless it has a translation of its own (``overwrite`` replaces it).
    Only in a database with the demo data, where these texts are the
    demo's.
    """
    if not (env.su or env.user._is_system()):
        return
    if not env.ref(DEMO_MARKER, raise_if_not_found=False):
        return
    env.flush_all()
    for lang in langs:
        if lang == "en_US":
            continue
        for (model_name, fname), terms in read_demo_terms(lang).items():
            model = env.get(model_name)
            field = model._fields.get(fname) if model is not None else None
            if field is None or not field.translate or not field.store:
                _logger.warning(
                    "demo/i18n/%s.po: %s,%s is not a translated field",
                    lang,
                    model_name,
                    fname,
                )
                continue
            if field.translate is True:
                _translate_values(env, model, fname, lang, terms, overwrite)
            else:
                _translate_terms(env, model, field, lang, terms, overwrite)
    env.invalidate_all()


def _translate_values(env, model, fname, lang, terms, overwrite):
    """Whole values (``translate=True``): one statement per field."""
    env.cr.execute(
        SQL(
            """UPDATE %(table)s AS t
                  SET %(column)s = t.%(column)s
                                   || jsonb_build_object(%(lang)s, m.value)
                 FROM (VALUES %(terms)s) AS m(source, value)
                WHERE t.%(column)s->>'en_US' = m.source
                  AND (%(overwrite)s
                       OR NOT t.%(column)s ? %(lang)s
                       OR t.%(column)s->>%(lang)s = m.source)""",
            table=SQL.identifier(model._table),
            column=SQL.identifier(fname),
            lang=lang,
            terms=SQL(", ").join(
                SQL("(%s, %s)", source, value) for source, value in terms.items()
            ),
            overwrite=bool(overwrite),
        )
    )


def _translate_terms(env, model, field, lang, terms, overwrite):
    """HTML values (``html_translate``): term by term, record by record."""
    rows = env.execute_query(
        SQL(
            "SELECT id, %(column)s FROM %(table)s WHERE %(column)s IS NOT NULL",
            table=SQL.identifier(model._table),
            column=SQL.identifier(field.name),
        )
    )
    patches = []
    for record_id, values in rows:
        english = values.get("en_US")
        if not english:
            continue
        if not overwrite and values.get(lang) not in (None, english):
            continue
        translated = field.translate(terms.get, english)
        if translated != english:
            patches.append((record_id, Json({lang: translated})))
    if patches:
        patch_translations(model, field.name, patches)


def demo_texts(env):
    """The translated texts of the demo story, as
    ``[(model, field, record_id, {lang: value})]``.

    Every stored translated field of this module's models (and the demo
    company's departments), on every record but those of the module's
    data files, which i18n/ translates. tools/demo_terms.py writes them
    into demo/i18n/ (but the GENERATED_NAMES) and
    tests/test_demo_translations.py checks they all read translated.
    """
    company = env.ref(DEMO_MARKER, raise_if_not_found=False)
    if not company:
        return []
    env.flush_all()
    data_ids = defaultdict(set)
    for data in env["ir.model.data"].search_fetch(
        [("module", "=", "bsc_okr"), ("name", "not like", "%\\_demo")],
        ["model", "res_id"],
    ):
        data_ids[data.model].add(data.res_id)
    texts = []
    for model_name in sorted(env.registry):
        model = env[model_name]
        if model_name != "hr.department" and (
            model._original_module != "bsc_okr" or model._abstract or model._transient
        ):
            continue
        if not model._auto:
            continue
        for fname, field in sorted(model._fields.items()):
            if not field.translate or not field.store or field.related:
                continue
            where = SQL("%s IS NOT NULL", SQL.identifier(fname))
            if model_name == "hr.department":
                where = SQL("%s AND company_id = %s", where, company.id)
            rows = env.execute_query(
                SQL(
                    "SELECT id, %s FROM %s WHERE %s ORDER BY id",
                    SQL.identifier(fname),
                    SQL.identifier(model._table),
                    where,
                )
            )
            texts.extend(
                (model_name, fname, record_id, values)
                for record_id, values in rows
                if values.get("en_US") and record_id not in data_ids[model_name]
            )
    return texts
