from .base import FIRST_ROW, HEADER_ROW, Sheet, excel_text


class OkrAlignmentSheet(Sheet):
    """5. OKR alignment: per strategic objective, aggregates of the OKRs
    serving it that the reader may see (``bsc.scorecard._snapshot_okr_aggregates``)."""

    option = "include_okr"

    def render(self):
        env, styles, ctx = self.env, self.styles, self.ctx
        columns = [
            (env._("Perspective"), 18),
            (env._("Strategic objective"), 34),
            (env._("Execution approach"), 16),
            (env._("Aligned OKRs"), 12),
            (env._("Average progress"), 16),
            (env._("OKRs you may read in full"), 16),
            (env._("Average confidence (0-10)"), 16),
        ]
        sheet = self.add_sheet(
            env._("OKR alignment"),
            columns,
            freeze_cols=2,
            subtitle=env._(
                "Aggregates of the OKRs you may see, in cycles overlapping "
                "%(periods)s: progress over the OKRs visible to you, confidence "
                "over those you may read in full. No individual OKR, grade or "
                "name is exported.",
                periods=ctx["range_label"],
            ),
        )
        aggregates = ctx["okr"]
        approaches = self.labels("bsc.objective", "execution_approach")
        text = styles.get("text")
        integer = styles.get("text", "integer")
        row = FIRST_ROW
        for objective in self.shown_objectives():
            okr = aggregates[objective["id"]]  # one per shown objective
            count, progress = okr["count"], okr["progress"]
            full_count, confidence = okr["full_count"], okr["confidence"]
            sheet.write_string(
                row,
                0,
                excel_text(objective["perspective"]),
                text,
            )
            sheet.write_string(row, 1, excel_text(objective["name"]), text)
            sheet.write_string(
                row, 2, approaches.get(objective["execution_approach"], ""), text
            )
            sheet.write_number(row, 3, count, integer)
            if progress is not None:
                sheet.write_number(row, 4, progress, styles.get("text", "ratio_short"))
            else:
                self.no_data(sheet, row, 4)
            sheet.write_number(row, 5, full_count, integer)
            if confidence is not None:
                sheet.write_number(row, 6, confidence, styles.get("text", "confidence"))
            else:
                self.no_data(sheet, row, 6)
            row += 1
        if row == FIRST_ROW:
            self.no_data(sheet, row)
            row += 1
        last_row = row - 1
        sheet.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)
        self.data_bar(sheet, FIRST_ROW, last_row, 4)
