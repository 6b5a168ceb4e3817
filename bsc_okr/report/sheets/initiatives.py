from .base import FIRST_ROW, HEADER_ROW, Sheet, excel_text


class InitiativesSheet(Sheet):
    """4. Initiatives: the action plan, one row per milestone."""

    option = "include_initiatives"

    def render(self):
        env, styles, ctx = self.env, self.styles, self.ctx
        columns = [
            (env._("Initiative"), 30),
            (env._("Objectives"), 30),
            (env._("Owner"), 18),
            (env._("Department"), 16),
            (env._("Start"), 11),
            (env._("End"), 11),
            (env._("Budget"), 15),
            (env._("Actual cost"), 15),
            (env._("Cost / budget"), 10),
            (env._("State"), 12),
            (env._("Progress"), 12),
            (env._("Milestone"), 26),
            (env._("Metric"), 22),
            (env._("Unit"), 8),
            (env._("Start value"), 11),
            (env._("Target value"), 11),
            (env._("Current value"), 11),
            (env._("Due date"), 11),
            (env._("Milestone progress"), 12),
        ]
        sheet = self.add_sheet(
            env._("Initiatives"),
            columns,
            freeze_cols=1,
            subtitle=env._(
                "%(subtitle)s · amounts in %(currency)s",
                subtitle=ctx["subtitle"],
                currency=ctx["currency_name"],
            ),
        )
        states = self.labels("bsc.initiative", "state")
        muted = styles.get("text_muted")
        row = FIRST_ROW
        for initiative in ctx["initiatives"]:
            name = excel_text(initiative["name"])
            for index, milestone in enumerate(initiative["milestones"] or [None]):
                if index:
                    # Further milestones: the name again (for filters), the
                    # amounts once only (so that sums stay right).
                    sheet.write_string(row, 0, name, muted)
                else:
                    sheet.write_string(row, 0, name, styles.get("label"))
                    self.write_initiative(sheet, row, initiative, states)
                if milestone:
                    self.write_milestone(sheet, row, milestone)
                elif not index:
                    sheet.write_string(row, 11, env._("No milestone"), muted)
                row += 1
        if row == FIRST_ROW:
            self.no_data(sheet, row)
            row += 1
        last_row = row - 1
        sheet.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)
        self.data_bar(sheet, FIRST_ROW, last_row, 10)
        self.data_bar(sheet, FIRST_ROW, last_row, 18)
        sheet.conditional_format(
            FIRST_ROW,
            8,
            last_row,
            8,
            {
                "type": "cell",
                "criteria": ">",
                "value": 1,
                "format": styles.status_conditional("red"),
            },
        )

    def write_initiative(self, sheet, row, initiative, states):
        """Columns 1-10 of an initiative's first row."""
        styles = self.styles
        text = styles.get("text")
        date_fmt = styles.get("text", "date")
        money = styles.get("text", "currency")
        ratio = styles.get("text", "ratio_short")
        sheet.write_string(
            row, 1, excel_text("; ".join(initiative["objectives"])), text
        )
        sheet.write_string(row, 2, excel_text(initiative["owner"]), text)
        sheet.write_string(row, 3, excel_text(initiative["department"]), text)
        if initiative["date_start"]:
            sheet.write_datetime(row, 4, initiative["date_start"], date_fmt)
        if initiative["date_end"]:
            sheet.write_datetime(row, 5, initiative["date_end"], date_fmt)
        sheet.write_number(row, 6, initiative["budget"], money)
        sheet.write_number(row, 7, initiative["actual_cost"], money)
        if initiative["cost_ratio"] is not None:
            sheet.write_number(row, 8, initiative["cost_ratio"], ratio)
        sheet.write_string(row, 9, states.get(initiative["state"], ""), text)
        sheet.write_number(row, 10, initiative["progress"], ratio)

    def write_milestone(self, sheet, row, milestone):
        """Columns 11-18: one milestone of the initiative."""
        styles = self.styles
        text = styles.get("text")
        number = styles.get("text", "number")
        sheet.write_string(row, 11, excel_text(milestone["name"]), text)
        sheet.write_string(row, 12, excel_text(milestone["metric"]), text)
        sheet.write_string(row, 13, excel_text(milestone["unit"]), text)
        sheet.write_number(row, 14, milestone["start_value"], number)
        sheet.write_number(row, 15, milestone["target_value"], number)
        sheet.write_number(row, 16, milestone["current_value"], number)
        if milestone["date_due"]:
            sheet.write_datetime(
                row, 17, milestone["date_due"], styles.get("text", "date")
            )
        sheet.write_number(
            row, 18, milestone["progress"], styles.get("text", "ratio_short")
        )
