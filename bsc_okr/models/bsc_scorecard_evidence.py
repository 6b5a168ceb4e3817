import logging

import psycopg2

from odoo import api, fields, models

from ..engine import evidence

_logger = logging.getLogger(__name__)


class BscScorecardEvidence(models.Model):
    """Testing the strategy map's links against the history (docs/evidence.md)."""

    _inherit = "bsc.scorecard"

    evidence_date = fields.Datetime(
        string="Links Tested On",
        readonly=True,
        copy=False,
        help="When the cause-effect links were last tested against the history.",
    )

    def action_test_links(self):
        """Test every cause-effect link of the map and store the verdicts."""
        # Strategy Officers only (write on the scorecard): the verdicts are
        # shown to every reader of the map.
        self.check_access("write")
        self._test_links()
        return True

    def action_open_links_to_rethink(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.bsc_objective_link_action_rethink"
        )
        action["domain"] = [
            ("scorecard_id", "=", self.id),
            ("evidence_verdict", "in", ["contradicted", "reverse", "no_evidence"]),
        ]
        return action

    def _test_links(self):
        """Test the links of these scorecards: one engine run per scorecard
        (the q-values correct over its whole map), stored by
        :meth:`_store_link_evidence` (no link ever half-stored).

        A link that fails to store (being edited, deleted meanwhile) keeps
        its state and is logged; the others are stored. Running it twice
        stores the same verdicts: the history decides, not the run.
        """
        stored = self.env["bsc.objective.link"]
        for scorecard in self:
            # Read from the database: the one2many cache may hold new
            # (unsaved) links during a data load, which have no row to lock.
            links = self.env["bsc.objective.link"].search(
                [("scorecard_id", "=", scorecard.id)]
            )
            if not links:
                scorecard.evidence_date = fields.Datetime.now()
                continue
            min_periods = scorecard.company_id.bsc_evidence_min_periods
            series = links._evidence_series()
            results = evidence.assess_links(links._evidence_inputs(series, min_periods))
            stored |= scorecard._store_link_evidence(links, results, series)
            scorecard.evidence_date = fields.Datetime.now()
        return stored

    def _store_link_evidence(self, links, results, series):
        """Store the verdicts of ``links``; return the links stored.

        First all at once, in one savepoint (a few batched queries); if
        anything fails, that savepoint is rolled back and each link is
        stored again in its own savepoint, so that one failing link never
        leaves half-stored evidence nor loses the others. Links locked by
        an edit in progress are skipped (tested on the next run).
        """
        pairs = list(zip(links, results, strict=True))
        try:
            with self.env.cr.savepoint():
                locked = links._lock_for_evidence()
                for link, result in pairs:
                    if link in locked:
                        link._store_evidence(result, series[link.id]["source"])
            skipped = links - locked
            if skipped:
                _logger.info(
                    "bsc_okr: links %s are being edited, tested next run", skipped.ids
                )
            return locked
        except (psycopg2.Error, ValueError) as error:
            # The savepoint undid the rows; drop the cache and pending writes
            # of that attempt too (everything before it was flushed on entry).
            self.env.clear()
            _logger.info("bsc_okr: storing link by link after: %s", error)
        stored = self.env["bsc.objective.link"]
        for link, result in pairs:
            try:
                with self.env.cr.savepoint():
                    if not link._lock_for_evidence():
                        _logger.info(
                            "bsc_okr: link %s is being edited, tested next run",
                            link.id,
                        )
                        continue
                    link._store_evidence(result, series[link.id]["source"])
                    stored |= link
            except (psycopg2.Error, ValueError) as error:
                _logger.warning(
                    "bsc_okr: evidence of link %s not stored: %s", link.id, error
                )
        return stored

    @api.model
    def _cron_test_links(self):
        """Monthly: test the links of every active scorecard."""
        self.search([("state", "=", "active")])._test_links()
        return True
