import logging

from odoo import models

from ..demo_terms import load_demo_terms

_logger = logging.getLogger(__name__)

#: Translated names that code makes in each language, not the demo's
#: translation memory: the perspectives' (from the template), the months' and
#: the cycles' (from their dates, see bsc.authored.text.mixin).
GENERATED_NAMES = {
    ("bsc.perspective", "name"),
    ("bsc.period", "name"),
    ("okr.cycle", "name"),
}


class IrModuleModule(models.Model):
    """Translate the data this module creates from code when a language loads."""

    _inherit = "ir.module.module"

    def _load_module_terms(
        self, modules, langs, overwrite=False, imported_module=False
    ):
        result = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "bsc_okr" in modules and "bsc.perspective" in self.env:
            self.env["bsc.perspective"]._translate_all_template_names(langs)
            self._bsc_okr_localize_generated_names(langs)
            # Demo machinery, kept in demo_terms.py: translates the demo story
            # by text when a language loads (a no-op without the demo data).
            load_demo_terms(self.env, langs, overwrite=overwrite)
        return result

    def _bsc_okr_localize_generated_names(self, langs):
        """Name the months and cycles created before these languages were
        loaded (the demo's, for one) in these languages too."""
        # Loading a language is an administrator's act (or the installer's); it
        # must reach the periods and cycles of every company, which the
        # multi-company rules of the current user would hide: sudo, after
        # checking who asks.
        if not (self.env.su or self.env.user._is_system()):
            return
        for model in ("bsc.period", "okr.cycle"):
            self.env[model].sudo().with_context(active_test=False).search(
                []
            )._bsc_localize_names(langs)
