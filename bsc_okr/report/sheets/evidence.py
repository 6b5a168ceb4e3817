from .base import FIRST_ROW, HEADER_ROW, Sheet, excel_text


class EvidenceSheet(Sheet):
    """7. Evidence: one row per link of the strategy map sheet (same filter
    and order), the figures the map shows on hover, the verdict coloured as
    the map draws it."""

    def render(self):
        env, styles, ctx = self.env, self.styles, self.ctx
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
        sheet = self.add_sheet(env._("Evidence"), columns, freeze_cols=2)
        rows = ctx["links"]
        verdicts = self.labels("bsc.objective.link", "evidence_verdict")
        sources = self.labels("bsc.objective.link", "evidence_series")
        plain = styles.get("text", valign="vcenter")
        wrap = styles.get("text_wrap", valign="vcenter")
        figure = styles.get("text", "0.00", valign="vcenter")
        small = styles.get("text", "0.0000", valign="vcenter")
        when = styles.get("text", "datetime", valign="vcenter")
        for offset, link in enumerate(rows):
            row = FIRST_ROW + offset
            verdict = link["evidence_verdict"]
            sheet.write_string(row, 0, excel_text(link["cause"]), wrap)
            sheet.write_string(row, 1, excel_text(link["effect"]), wrap)
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
            sheet.write_string(row, 11, excel_text(link["evidence_text"]), wrap)
        if not rows:
            sheet.write_string(
                FIRST_ROW, 0, env._("No cause-effect link"), styles.get("no_data")
            )
        last = FIRST_ROW + max(len(rows), 1) - 1
        sheet.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
