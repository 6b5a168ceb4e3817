from odoo import api, fields, models
from odoo.exceptions import RedirectWarning, ValidationError


class HrDepartment(models.Model):
    _inherit = "hr.department"

    management_mode = fields.Selection(
        selection=[
            ("bsc", "Balanced Scorecard only"),
            ("okr", "OKR only"),
            ("both", "Balanced Scorecard and OKR"),
        ],
        default="both",
        required=True,
        help="Fusion mode 1: scale businesses often run on the Balanced Scorecard "
        "alone, innovation teams on OKRs alone. A 'BSC only' department cannot "
        "hold team or individual OKRs; an 'OKR only' department cannot hold a "
        "department scorecard.",
    )

    @api.depends_context("lang", "hierarchical_naming")
    def _compute_display_name(self):
        """'Management / Production' in the reader's language.

        The stored ``complete_name`` holds the path in one language only (the
        one of whoever last renamed a department), so a reader in another
        language would see it untranslated: build the path from the
        translated names instead, from the ancestors of ``parent_path``.
        """
        lang = self.env.lang or "en_US"
        if lang == "en_US" or not self.env.context.get("hierarchical_naming", True):
            return super()._compute_display_name()
        paths = {
            department: [
                int(part) for part in (department.parent_path or "").split("/") if part
            ]
            for department in self
        }
        # The stored complete_name already shows every ancestor's name to
        # whoever reads the department (in one language); reading those names
        # in the reader's language discloses nothing more, and an ancestor in
        # another company would otherwise be refused: sudo.
        ancestors = self.sudo().browse(
            {ident for path in paths.values() for ident in path}
        )
        names = {ancestor.id: ancestor.name for ancestor in ancestors.exists()}
        for department, path in paths.items():
            if not path or any(ident not in names for ident in path):
                department.display_name = department.name
                continue
            department.display_name = " / ".join(names[ident] for ident in path)

    @api.constrains("management_mode")
    def _check_management_mode_scorecards(self):
        """The mirror of bsc.scorecard's check: an 'OKR only' department holds
        no department scorecard."""
        okr_only = self.filtered(lambda d: d.management_mode == "okr")
        if not okr_only:
            return
        # An integrity check, not a read: HR officers who manage departments
        # may not read scorecards, and only names of the departments (which
        # they can read) are reported back.
        scorecards = (
            self.env["bsc.scorecard"]
            .sudo()
            .search(
                [
                    ("department_id", "in", okr_only.ids),
                    ("state", "!=", "archived"),
                ]
            )
        )
        if scorecards:
            raise ValidationError(
                self.env._(
                    "The department %(department)s holds the scorecard "
                    "%(scorecard)s, so it cannot be managed by OKRs only. "
                    "Archive the scorecard or move it to another department "
                    "first, or choose 'Balanced Scorecard and OKR'.",
                    department=scorecards[:1].department_id.display_name,
                    scorecard=scorecards[:1].display_name,
                )
            )

    @api.constrains("management_mode")
    def _check_management_mode_okrs(self):
        """Fusion mode 1 both ways: okr.objective refuses a team or individual
        OKR in a 'BSC only' department, and a department holding such OKRs in
        a cycle that is not closed cannot become 'BSC only'."""
        bsc_only = self.filtered(lambda d: d.management_mode == "bsc")
        if not bsc_only:
            return
        # An integrity check, not a read: whoever manages departments may not
        # read every OKR; only a count and the records' list (through an
        # action that applies the reader's own rules) are given back.
        objectives = (
            self.env["okr.objective"]
            .sudo()
            .search(
                [
                    ("department_id", "in", bsc_only.ids),
                    ("level", "in", ("team", "individual")),
                    ("cycle_id.state", "!=", "closed"),
                ]
            )
        )
        if not objectives:
            return
        raise RedirectWarning(
            self.env._(
                "The department %(department)s holds %(count)s team or individual "
                "OKRs in cycles that are not closed, so it cannot run on the "
                "Balanced Scorecard only. Move them to the department level or "
                "to another department, or cancel them, first.",
                department=objectives[:1].department_id.display_name,
                count=len(objectives),
            ),
            {
                "type": "ir.actions.act_window",
                "name": self.env._("Team and individual OKRs"),
                "res_model": "okr.objective",
                "views": [(False, "list"), (False, "form")],
                "domain": [("id", "in", objectives.ids)],
            },
            self.env._("See the OKRs"),
        )
