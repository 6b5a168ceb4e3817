from odoo import api, fields, models


class BscProgressMixin(models.AbstractModel):
    """Progress shown as a percentage, for the ``progressbar`` widget.

    Models keep ``progress`` as a ratio (1.0 = done), which is what the
    engine computes and what roll-ups read; the widget reads 0-100. The
    inheriting model declares ``progress`` (stored or not, computed or
    copied) and gets ``progress_percent`` from it.
    """

    _name = "bsc.progress.mixin"
    _description = "Progress (%)"

    progress_percent = fields.Float(
        compute="_compute_progress_percent", string="Progress (%)"
    )

    @api.depends("progress")
    def _compute_progress_percent(self):
        for record in self:
            record.progress_percent = record.progress * 100
