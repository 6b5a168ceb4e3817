from odoo import models

from .bsc_scorecard_xlsx import FIRST_ROW, HEADER_ROW, excel_text


class BscScorecardXlsxEvidence(models.AbstractModel):
    """The "Evidence" sheet of the Excel scorecard: one row per link.

    Self-contained on purpose: it reads the stored evidence of the links the
    "Strategy map" sheet lists (same filter and order) and writes the
    figures the map shows on hover, the verdict coloured as the map draws it.
    """

    _inherit = "report.bsc_okr.scorecard_xlsx"

    def _write_evidence(self, workbook, styles, ctx):
        env = self.env
        columns = [
            (env._("Cause (from)"), 26),
            (env._("Effect (to)"), 26),
            (env._("Series tested"), 22),
            (env._("Evidence"), 16),
            (env._("Best lag (months)"), 10),
            (env._("Correlation (r)"), 10),
            (env._("p-value"), 10),
            (env._("q-value"), 10),
            (env._("Reverse q-value"), 10),
            (env._("Months"), 8),
            (env._("Tested on"), 16),
            (env._("In words"), 70),
        ]
        sheet = self._add_sheet(
            workbook, styles, ctx, env._("Evidence"), columns, freeze_cols=2
        )
        link_ids = [link["id"] for link in self._read_links(ctx)]
        Link = env["bsc.objective.link"]
        rows = Link.browse(link_ids).read(
            [
                "cause_id",
                "effect_id",
                "cause_measure_id",
                "effect_measure_id",
                "evidence_verdict",
                "evidence_lag",
                "evidence_r",
                "evidence_p",
                "evidence_q",
                "evidence_q_reverse",
                "evidence_n",
                "evidence_series",
                "evidence_date",
            ],
            load=None,
        )
        texts = Link._map_evidence_texts(rows, ctx["objective_names"])
        verdicts = self._labels("bsc.objective.link", "evidence_verdict")
        sources = self._labels("bsc.objective.link", "evidence_series")
        names = ctx["objective_names"]
        plain = styles.get("text", valign="vcenter")
        wrap = styles.get("text_wrap", valign="vcenter")
        figure = styles.get("text", "0.00", valign="vcenter")
        small = styles.get("text", "0.0000", valign="vcenter")
        when = styles.get("text", "datetime", valign="vcenter")
        for offset, link in enumerate(rows):
            row = FIRST_ROW + offset
            verdict = link["evidence_verdict"]
            sheet.write_string(row, 0, excel_text(names.get(link["cause_id"])), wrap)
            sheet.write_string(row, 1, excel_text(names.get(link["effect_id"])), wrap)
            sheet.write_string(row, 2, sources.get(link["evidence_series"], ""), plain)
            sheet.write_string(
                row,
                3,
                verdicts.get(verdict) or env._("Not tested"),
                styles.evidence(verdict or "insufficient", valign="vcenter"),
            )
            if verdict and verdict != "insufficient":
                sheet.write_number(row, 4, link["evidence_lag"], plain)
                sheet.write_number(row, 5, link["evidence_r"], figure)
                sheet.write_number(row, 6, link["evidence_p"], small)
                sheet.write_number(row, 7, link["evidence_q"], small)
                sheet.write_number(row, 8, link["evidence_q_reverse"], small)
            else:
                for col in range(4, 9):
                    sheet.write_blank(row, col, None, plain)
            if verdict:
                sheet.write_number(row, 9, link["evidence_n"], plain)
                sheet.write_datetime(row, 10, link["evidence_date"], when)
            else:
                sheet.write_blank(row, 9, None, plain)
                sheet.write_blank(row, 10, None, plain)
            sheet.write_string(row, 11, excel_text(texts[link["id"]]), wrap)
        if not rows:
            sheet.write_string(
                FIRST_ROW, 0, env._("No cause-effect link"), styles.get("no_data")
            )
        last = FIRST_ROW + max(len(rows), 1) - 1
        sheet.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
