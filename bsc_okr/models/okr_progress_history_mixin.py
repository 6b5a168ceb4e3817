from odoo import models


class OkrProgressHistoryMixin(models.AbstractModel):
    """Keeps the progress history (``okr.progress.history``) of a model whose
    stored figures it tracks.

    Every change of those figures reaches the database through
    ``_write_multi``, the ORM's flush: the synchronous recomputation after a
    check-in, a correction of a target, the start of grading. That is the one
    place the history is written, in bulk, for the whole flushed batch. Code
    that updates the tracked columns in SQL behind the ORM (the deferred
    roll-up of check-ins) calls ``_okr_record_history()`` itself.
    """

    _name = "okr.progress.history.mixin"
    _description = "OKR Progress History Mixin"

    #: Stored fields whose change is worth a history row.
    _okr_history_fields = frozenset({"progress", "confidence", "grade"})

    # BaseModel._write_multi returns nothing: there is nothing to pass on.
    def _write_multi(self, vals_list):  # pylint: disable=missing-return
        super()._write_multi(vals_list)
        changed = [
            record.id
            for record, vals in zip(self, vals_list, strict=True)
            if not self._okr_history_fields.isdisjoint(vals)
        ]
        if changed:
            self.browse(changed)._okr_record_history()

    def _okr_record_history(self):
        """Today's row of each record of ``self``, as stored (bulk)."""
        # sudo: the history is written on behalf of whoever moved the
        # figures, who may not read the history model itself
        self.env["okr.progress.history"].sudo()._okr_record(self)
