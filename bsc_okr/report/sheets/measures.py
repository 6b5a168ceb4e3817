from xlsxwriter.utility import xl_range, xl_rowcol_to_cell

from .base import FIRST_ROW, HEADER_ROW, NO_SCORE, Sheet, excel_text


class MeasuresSheet(Sheet):
    """3. Objectives & measures: each measure's figures for the last period
    and a sparkline of its score over the exported periods."""

    def render(self):
        env, styles, ctx = self.env, self.styles, self.ctx
        periods = ctx["periods"]
        period_to = ctx["period_to"]
        labels = ctx["status_labels"]
        polarities = self.labels("bsc.measure", "polarity")
        columns = [
            (env._("Perspective"), 15),
            (env._("Objective"), 26),
            (env._("Measure"), 28),
            (env._("Owner"), 15),
            (env._("Department"), 14),
            (env._("Unit"), 8),
            (env._("Polarity"), 14),
            (env._("Baseline"), 10),
            (env._("Target"), 11),
            (env._("Actual"), 11),
            (env._("Achievement"), 12),
            (env._("Score"), 7),
            (env._("Status"), 9),
            (env._("Trend"), 14),
        ]
        trend_col = len(columns) - 1
        first_period_col = len(columns)
        sheet = self.add_sheet(
            env._("Objectives & measures"),
            columns,
            freeze_cols=3,
            subtitle=env._(
                "%(subtitle)s · values of %(period)s · trend: score (0-10) per "
                "period, in the columns grouped on the right (+)",
                subtitle=ctx["subtitle"],
                period=period_to["name"],
            ),
        )
        # The per-period scores feed the sparklines; grouped and collapsed,
        # they keep the printed table narrow and are one click away.
        header = styles.get("header")
        for col, period in enumerate(periods, start=first_period_col):
            sheet.write_string(HEADER_ROW, col, excel_text(period["name"]), header)
        if periods:
            sheet.set_column(
                first_period_col,
                first_period_col + len(periods) - 1,
                8,
                None,
                {"level": 1, "hidden": True},
            )
            sheet.set_column(
                first_period_col + len(periods),
                first_period_col + len(periods),
                None,
                None,
                {"collapsed": True},
            )
        scores = ctx["measure_scores"]
        text = styles.get("text")
        ratio = styles.get("text", "ratio")
        score_fmt = styles.get("text", "score")
        trend_fmt = styles.get("text", "score_short")
        write_string = sheet.write_string
        write_number = sheet.write_number
        period_ids = [period["id"] for period in periods]
        last_period_col = first_period_col + len(period_ids) - 1
        spark_cells, spark_ranges = [], []
        row = FIRST_ROW
        for measure in self.measure_rows():
            unit_fmt = styles.unit(measure["unit"])
            by_period = scores.get(measure["id"], {})
            write_string(row, 0, measure["perspective"], text)
            write_string(row, 1, measure["objective"], text)
            write_string(row, 2, measure["measure"], text)
            write_string(row, 3, measure["owner"], text)
            write_string(row, 4, measure["department"], text)
            write_string(row, 5, measure["unit_label"], text)
            write_string(row, 6, polarities.get(measure["polarity"], ""), text)
            write_number(row, 7, measure["baseline"] or 0.0, unit_fmt)
            actual, target, achievement, score, status = by_period.get(
                period_to["id"], NO_SCORE
            )
            if target is not None:
                write_number(row, 8, target, unit_fmt)
            if actual is not None:
                write_number(row, 9, actual, unit_fmt)
            else:
                self.no_data(sheet, row, 9)
            if achievement is not None:
                write_number(row, 10, achievement, ratio)
            if score is not None:
                write_number(row, 11, score, score_fmt)
            write_string(row, 12, labels.get(status, ""), text)
            for col, period_id in enumerate(period_ids, start=first_period_col):
                trend = by_period.get(period_id, NO_SCORE)[3]
                if trend is not None:
                    write_number(row, col, trend, trend_fmt)
            if len(period_ids) > 1:
                spark_cells.append(xl_rowcol_to_cell(row, trend_col))
                spark_ranges.append(
                    xl_range(row, first_period_col, row, last_period_col)
                )
            row += 1
        if row == FIRST_ROW:
            self.no_data(sheet, row)
            row += 1
        last_row = row - 1
        sheet.autofilter(HEADER_ROW, 0, last_row, max(last_period_col, trend_col))
        if spark_cells:
            # One sparkline group for all rows: a small, fast XML part.
            sheet.add_sparkline(
                FIRST_ROW,
                trend_col,
                {
                    "location": spark_cells,
                    "range": spark_ranges,
                    "type": "column",
                    "series_color": "#6C8EBF",
                    "last_point": True,
                    "last_color": "#3C4A5C",
                    "empty_cells": "gaps",
                    "show_hidden": True,
                    "min": 0,
                    "max": 10,
                },
            )
        self.status_conditional_formats(sheet, FIRST_ROW, last_row, 12)
