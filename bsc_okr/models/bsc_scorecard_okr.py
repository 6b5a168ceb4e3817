from odoo import api, models
from odoo.exceptions import UserError


class BscScorecard(models.Model):
    """The scorecard snapshot seen from the OKR side: aggregates of the OKRs
    serving its objectives, for the readers the appraisal wall allows."""

    _inherit = "bsc.scorecard"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _can_export_okr(self):
        """Whether the user may see OKR aggregates in a scorecard snapshot.

        KPI appraisal staff never may (the appraisal wall), whatever other
        group they hold; everybody else must be an OKR user.
        """
        user = self.env.user
        return user.has_group("bsc_okr.group_okr_user") and not user.has_group(
            "bsc_okr.group_kpi_appraisal"
        )

    @api.model
    def _export_okr_option(self, requested=None):
        """Whether an export includes the OKR alignment summary.

        ``requested`` None (not asked): when the user may export OKR data
        (:meth:`_can_export_okr`); asked for by someone the appraisal wall
        keeps out: a translated UserError, never a silent omission.
        """
        may_export_okr = self._can_export_okr()
        if requested is None:
            return may_export_okr
        if requested and not may_export_okr:
            raise UserError(
                self.env._(
                    "OKRs are kept out of appraisal: KPI appraisal staff cannot "
                    "export the OKR alignment summary. Export the scorecard "
                    "without it."
                )
            )
        return bool(requested)

    def _export_options(self, data=None):
        """Add ``include_okr`` (see :meth:`_export_okr_option`)."""
        options = super()._export_options(data)
        options["include_okr"] = self._export_okr_option(
            (data or {}).get("include_okr")
        )
        return options

    def _snapshot(self, periods, *args, okr=False, **kwargs):
        """Add ``okr`` (see :meth:`_snapshot_okr_aggregates`) when asked."""
        snapshot = super()._snapshot(periods, *args, **kwargs)
        if okr:
            snapshot["okr"] = self._snapshot_okr_aggregates(
                snapshot["shown_objective_ids"], periods
            )
        return snapshot

    def _snapshot_okr_aggregates(self, objective_ids, periods):
        """Aligned OKRs per strategic objective, aggregated with the user's rights.

        Count and progress over ``okr.objective.public`` (what the user may
        see of OKRs, the transparency projection); confidence over
        ``okr.objective`` (only the OKRs the user may read in full, e.g.
        their own and their team's), in the cycles overlapping ``periods``.
        Never a name or an individual figure.

        :return: {strategic objective id: {"count", "progress",
            "full_count", "confidence"}}
        """
        if not self._can_export_okr():  # defence in depth: see the callers
            raise UserError(self.env._("You may not export the OKR alignment summary."))
        periods = periods.sorted("date_start")
        domain = [
            ("bsc_objective_id", "in", list(objective_ids)),
            ("state", "!=", "cancelled"),
            ("cycle_id.date_start", "<=", periods[-1:].date_end),
            ("cycle_id.date_end", ">=", periods[:1].date_start),
        ]
        visible = self.env["okr.objective.public"]._read_group(
            domain, ["bsc_objective_id"], ["__count", "progress:avg"]
        )
        readable = {
            objective.id: (count, confidence)
            for objective, count, confidence in self.env["okr.objective"]._read_group(
                domain, ["bsc_objective_id"], ["__count", "confidence:avg"]
            )
        }
        aggregates = {
            objective_id: {
                "count": 0,
                "progress": None,
                "full_count": 0,
                "confidence": None,
            }
            for objective_id in objective_ids
        }
        for objective, count, progress in visible:
            aggregates.setdefault(objective.id, {}).update(
                count=count, progress=progress
            )
        for objective_id, (count, confidence) in readable.items():
            aggregates.setdefault(objective_id, {}).update(
                full_count=count, confidence=confidence
            )
        return aggregates
