from odoo import models


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
        return result
