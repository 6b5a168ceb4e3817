from psycopg2.extras import Json

from odoo import models
from odoo.tools import SQL


def patch_translations(model, fname, patches):
    """Merge ``{lang: value}`` patches into the translated column ``fname``
    of ``model``, in one statement; ``patches`` is ``[(id, Json), ...]``."""
    records = model.browse([record_id for record_id, _patch in patches])
    records.flush_recordset([fname])
    model.env.cr.execute(
        SQL(
            """UPDATE %(table)s AS t SET %(column)s = t.%(column)s || v.patch
                 FROM (VALUES %(values)s) AS v(id, patch)
                WHERE t.id = v.id""",
            table=SQL.identifier(model._table),
            column=SQL.identifier(fname),
            values=SQL(", ").join(
                SQL("(%s, %s::jsonb)", record_id, patch) for record_id, patch in patches
            ),
        )
    )
    records.invalidate_recordset([fname])
    records.modified([fname])


class BscAuthoredTextMixin(models.AbstractModel):
    """Text that people write, readable in several languages.

    The titles, descriptions and comments of strategy and OKR records are
    ``translate=True``: a Hong Kong company publishes its strategy and its
    company OKRs in English and Chinese, and the translation dialog holds
    both. Odoo changes only the editor's language on an edit, which leaves
    stale copies of text that was never translated: an employee who writes
    in Chinese creates the record with the same text in English and in
    Chinese; when she corrects it later, her manager reading in English
    would still see the first version, and approve it.

    So an edit here also replaces every language that held the same text as
    the editor's language did before the edit: those were copies, not
    translations. Real translations (text of their own in a language) are
    kept, as Odoo keeps them, until a translator updates them.
    """

    _name = "bsc.authored.text.mixin"
    _description = "Authored Text in Several Languages"

    def write(self, vals):
        # Cleaned here already: the copies below are written by SQL.
        vals = self._bsc_clean_text_vals(vals)
        fnames = [
            fname
            for fname, value in vals.items()
            if isinstance(value, str)
            and self._fields[fname].translate is True
            and self._fields[fname].store
            and not self._fields[fname].related
        ]
        real = self.filtered("id")
        if not fnames or not real or len(self.env["res.lang"].get_installed()) < 2:
            return super().write(vals)
        lang = self.env.lang or "en_US"
        before = real._bsc_stored_translations(fnames)
        result = super().write(vals)
        for index, fname in enumerate(fnames, start=1):
            patches = []
            for row in before:
                stored = row[index] or {}
                old = stored.get(lang, stored.get("en_US"))
                copies = {
                    code: vals[fname]
                    for code, value in stored.items()
                    if code != lang and value == old
                }
                if copies:
                    patches.append((row[0], Json(copies)))
            if patches:
                patch_translations(self, fname, patches)
        return result

    def _bsc_stored_translations(self, fnames):
        """Rows ``(id, {lang: value}, ...)`` of these records' translated
        columns ``fnames``, as stored (every language, not the context's)."""
        self.flush_recordset(fnames)
        return self.env.execute_query(
            SQL(
                "SELECT id, %s FROM %s WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(fname) for fname in fnames),
                SQL.identifier(self._table),
                self.ids,
            )
        )

    def _bsc_localize_generated(self, fname, label, langs=None):
        """Put a generated name (a month, a quarter) in every language.

        ``label(record)`` gives the generated name in the language of the
        record's context. A record whose name is the generated one in some
        language (English when created by the demo, Chinese when created by
        a Chinese reader) gets the generated name of each of ``langs``
        (default: the active languages) and of English; a name typed by
        somebody, or a translation of their own, is kept.
        """
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        langs = set(installed if langs is None else langs) & set(installed)
        langs.add("en_US")
        records = self.filtered("id")
        if len(langs) < 2 or not records:
            return
        stored = dict(records._bsc_stored_translations([fname]))
        patches = []
        for record in records:
            values = stored.get(record.id) or {}
            generated = {
                code: label(record.with_context(lang=code))
                for code in set(installed) | {"en_US"}
            }
            if values.get("en_US") not in generated.values():
                continue
            patch = {
                code: generated[code]
                for code in langs
                if values.get(code) in (None, *generated.values())
                and values.get(code) != generated[code]
            }
            if patch:
                patches.append((record.id, Json(patch)))
        if patches:
            patch_translations(self, fname, patches)
