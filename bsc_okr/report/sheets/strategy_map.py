from collections import defaultdict

from .base import FIRST_ROW, HEADER_ROW, Sheet, excel_text, node_score, node_status

MAP_SLOTS = 4  # objectives per row of a strategy-map band


class StrategyMapSheet(Sheet):
    """2. Strategy map: the perspective bands with their objectives (top
    down, Financial first) beside the table of cause-effect links."""

    def render(self):
        env, styles, ctx = self.env, self.styles, self.ctx
        labels = ctx["status_labels"]
        columns = [(env._("Perspective"), 20)]
        for _slot in range(MAP_SLOTS):
            columns += [(env._("Objective"), 26), (env._("Score"), 8)]
        columns.append((None, 2))
        link_col = len(columns)
        columns += [
            (env._("Cause (from)"), 26),
            (env._("Effect (to)"), 26),
            (env._("Hypothesis"), 50),
            (env._("Lag (months)"), 10),
            (env._("Strength"), 10),
        ]
        sheet = self.add_sheet(env._("Strategy map"), columns, freeze_cols=1)
        # Bands top-down (Financial first): read bottom-up, the map's logic.
        by_perspective = defaultdict(list)
        for objective in self.shown_objectives():
            by_perspective[objective["perspective_id"]].append(objective)
        map_rows = []
        for perspective in ctx["perspectives"]:
            objectives = by_perspective[perspective["id"]]
            chunks = [
                objectives[i : i + MAP_SLOTS]
                for i in range(0, len(objectives), MAP_SLOTS)
            ] or [[]]
            for index, chunk in enumerate(chunks):
                map_rows.append((perspective, index == 0, chunk))
        links = ctx["links"]
        strengths = self.labels("bsc.objective.link", "strength")
        text_wrap = styles.get("text_wrap", valign="vcenter")
        plain = styles.get("text", valign="vcenter")
        for offset in range(max(len(map_rows), len(links), 1)):
            row = FIRST_ROW + offset
            sheet.set_row(row, 36)
            if offset < len(map_rows):
                perspective, first, chunk = map_rows[offset]
                self.write_band(sheet, row, perspective, first, chunk, labels)
            if offset < len(links):
                link = links[offset]
                sheet.write_string(row, link_col, excel_text(link["cause"]), text_wrap)
                sheet.write_string(
                    row,
                    link_col + 1,
                    excel_text(link["effect"]),
                    text_wrap,
                )
                sheet.write_string(
                    row, link_col + 2, excel_text(link["hypothesis"]), text_wrap
                )
                sheet.write_number(row, link_col + 3, link["lag_periods"] or 0, plain)
                sheet.write_string(
                    row, link_col + 4, strengths.get(link["strength"], ""), plain
                )
            elif offset == 0:
                sheet.write_string(
                    row,
                    link_col,
                    env._("No cause-effect link"),
                    styles.get("no_data"),
                )
        last = FIRST_ROW + max(len(links), 1) - 1
        sheet.autofilter(HEADER_ROW, link_col, last, link_col + 4)

    def write_band(self, sheet, row, perspective, first, chunk, labels):
        """One row of a perspective band: up to MAP_SLOTS objectives."""
        styles = self.styles
        band = styles.band(perspective["color"])
        sheet.write_string(
            row,
            0,
            excel_text(perspective["name"]) if first else "",
            styles.band(perspective["color"], bold=True, valign="vcenter"),
        )
        for slot in range(MAP_SLOTS):
            col = 1 + slot * 2
            if slot >= len(chunk):
                text = "" if chunk or slot else self.env._("No objective")
                sheet.write_string(row, col, text, band)
                sheet.write_blank(row, col + 1, None, band)
                continue
            objective = chunk[slot]
            node = self.rollup("objective", objective["id"])
            status = node_status(node)
            score = node_score(node)
            sheet.write_string(
                row,
                col,
                excel_text(objective["name"]),
                styles.status(status, valign="vcenter"),
            )
            if score is not None:
                sheet.write_number(
                    row,
                    col + 1,
                    score,
                    styles.status(
                        status, "score_short", align="center", valign="vcenter"
                    ),
                )
            else:
                sheet.write_string(
                    row,
                    col + 1,
                    labels["no_data"],
                    styles.status(status, align="center", valign="vcenter"),
                )
