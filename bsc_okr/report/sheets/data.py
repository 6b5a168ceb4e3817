from .base import EXCEL_EPOCH, FIRST_ROW, HEADER_ROW, NO_SCORE, Sheet, excel_text


class DataSheet(Sheet):
    """6. Data: one row per measure and period (long format for pivot tables)."""

    def render(self):
        env, styles, ctx = self.env, self.styles, self.ctx
        columns = [
            (env._("Perspective"), 18),
            (env._("Objective"), 28),
            (env._("Measure"), 30),
            (env._("Unit"), 10),
            (env._("Period"), 10),
            (env._("Month"), 11),
            (env._("Actual"), 13),
            (env._("Target"), 13),
            (env._("Achievement"), 12),
            (env._("Score"), 8),
            (env._("Status"), 10),
        ]
        sheet = self.add_sheet(env._("Data"), columns, freeze_cols=3)
        scores = ctx["measure_scores"]
        labels = ctx["status_labels"]
        no_data = labels["no_data"]
        # The biggest sheet (measures x periods rows): its text cells keep the
        # default format and its numbers a bare number format, which makes
        # the streamed XML smaller and faster to write.
        text = None
        date_fmt = styles.get("plain", "date")
        ratio = styles.get("plain", "ratio")
        score_fmt = styles.get("plain", "score")
        periods = [
            # The month as an Excel serial number, computed once, not per row.
            (
                period["id"],
                excel_text(period["name"]),
                (period["date_start"] - EXCEL_EPOCH).days,
            )
            for period in ctx["periods"]
        ]
        write_string = sheet.write_string
        write_number = sheet.write_number
        row = FIRST_ROW
        for measure in self.measure_rows():
            unit_fmt = styles.unit(measure["unit"], "plain")
            by_period = scores.get(measure["id"], {})
            for period_id, period_name, month in periods:
                actual, target, achievement, score, status = by_period.get(
                    period_id, NO_SCORE
                )
                write_string(row, 0, measure["perspective"], text)
                write_string(row, 1, measure["objective"], text)
                write_string(row, 2, measure["measure"], text)
                write_string(row, 3, measure["unit_label"], text)
                write_string(row, 4, period_name, text)
                write_number(row, 5, month, date_fmt)
                if actual is not None:
                    write_number(row, 6, actual, unit_fmt)
                if target is not None:
                    write_number(row, 7, target, unit_fmt)
                if achievement is not None:
                    write_number(row, 8, achievement, ratio)
                if score is not None:
                    write_number(row, 9, score, score_fmt)
                write_string(row, 10, labels.get(status, no_data), text)
                row += 1
        if row == FIRST_ROW:
            self.no_data(sheet, row)
            row += 1
        last_row = row - 1
        sheet.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)
        self.status_conditional_formats(sheet, FIRST_ROW, last_row, 10)
