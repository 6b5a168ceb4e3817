import re

from odoo import api, models

#: Control characters a text must not hold: C0 (but tab and newline), DEL and
#: C1. PostgreSQL refuses NUL in text and jsonb columns, so one NUL in a
#: check-in comment made the page answer 500; the others are invisible and
#: only ever arrive by accident (a paste) or on purpose (a crafted request).
CONTROL_CHARS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TEXT_TYPES = ("char", "text", "html")


def clean_text(value):
    """``value`` without control characters; a carriage return (alone or
    before a newline, as browsers send textareas) becomes a newline."""
    if not isinstance(value, str) or not CONTROL_CHARS_RE.search(value):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARS_RE.sub("", value)


class Base(models.AbstractModel):
    """The one place where the texts bsc_okr stores are cleaned.

    Every write of a record goes through ``create`` or ``write``: the back
    end, the portal, RPC, imports (``load``) and data files. So the texts of
    bsc_okr's own models, and the text fields bsc_okr adds to other models,
    lose their control characters here, once, instead of in every form.
    """

    _inherit = "base"

    def _bsc_text_fname(self, fname):
        field = self._fields.get(fname)
        return (
            field is not None
            and field.type in TEXT_TYPES
            and field.store
            and (self._original_module == "bsc_okr" or "bsc_okr" in field._modules)
        )

    def _bsc_clean_text_vals(self, vals):
        """``vals`` with its bsc_okr texts cleaned (the same dict when there
        was nothing to clean)."""
        dirty = [
            fname
            for fname, value in vals.items()
            if isinstance(value, str)
            and CONTROL_CHARS_RE.search(value)
            and self._bsc_text_fname(fname)
        ]
        if not dirty:
            return vals
        return dict(vals, **{fname: clean_text(vals[fname]) for fname in dirty})

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(
            [
                self._bsc_clean_text_vals(vals) if isinstance(vals, dict) else vals
                for vals in vals_list
            ]
        )

    def write(self, vals):
        return super().write(self._bsc_clean_text_vals(vals))

    @staticmethod
    def _bsc_clean_translation(value):
        """A translation is a text, or ``{old term: new term}`` for the
        fields translated term by term (HTML)."""
        if isinstance(value, dict):
            return {old: clean_text(new) for old, new in value.items()}
        return clean_text(value)

    def update_field_translations(self, field_name, translations, source_lang=None):
        # The translation dialog of the back end writes here, not via write().
        if self._bsc_text_fname(field_name) and isinstance(translations, dict):
            translations = {
                lang: self._bsc_clean_translation(value)
                for lang, value in translations.items()
            }
        return super().update_field_translations(
            field_name, translations, source_lang=source_lang
        )
