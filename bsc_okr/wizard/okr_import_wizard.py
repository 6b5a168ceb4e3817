"""Import OKRs from a spreadsheet (issue 17, item 7).

One row per key result; the rows of one objective share its title, owner
and cycle. Every row is checked before anything is written, and the
objectives and key results are then created in two batched ``create``
calls, as the importing user: the access rules and the models' own create
checks decide whom a manager may import for, never this wizard.
"""

import base64
import io
import math
import zipfile
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.base import CONTROL_CHARS_RE

#: The template's columns, in order: (key, header). Headers are translated
#: when the template is generated; the file is read by position.
COLUMNS = (
    "objective",
    "owner",
    "level",
    "cycle",
    "okr_type",
    "key_result",
    "start",
    "target",
    "unit",
    "weight",
)
#: Refused beyond these: a spreadsheet of OKRs is small; more is a mistake
#: (or a zip bomb, for the uncompressed size).
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5000
#: Longest title, key result name and owner; longest unit.
TEXT_MAX = 256
UNIT_MAX = 64
#: At most this many messages are listed; the rest are counted.
MAX_MESSAGES = 200
XLSX_MAGIC = b"PK\x03\x04"


class _Row:
    """One checked data row: its sheet row number and parsed values."""

    __slots__ = ("number", "values")

    def __init__(self, number, values):
        self.number = number
        self.values = values


class OkrImportWizard(models.TransientModel):
    """Import objectives and key results, as drafts, from the xlsx template.

    Managers (and OKR administrators) only; never appraisal staff. Nothing
    is imported unless every row is right: the wizard then lists the
    problems by row number, in the user's language.
    """

    _name = "okr.import.wizard"
    _description = "Import OKRs"

    file = fields.Binary(string="Spreadsheet", attachment=False)
    filename = fields.Char()
    state = fields.Selection(
        [("upload", "Upload"), ("errors", "Errors"), ("done", "Done")],
        default="upload",
        required=True,
    )
    error_text = fields.Text(
        string="Problems", readonly=True, help="One line per problem, by row."
    )
    error_count = fields.Integer(readonly=True)
    template_file = fields.Binary(string="Template", attachment=False, readonly=True)
    template_filename = fields.Char(readonly=True)
    objective_ids = fields.Many2many("okr.objective", string="Imported Objectives")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._okr_check_importer()
        return super().create(vals_list)

    @api.model
    def _okr_check_importer(self):
        """Appraisal staff never import OKRs, whatever other group they hold
        (the ACL line is for managers; this closes the door for a manager
        who is also appraisal staff)."""
        if self.env.su:
            return
        user = self.env.user
        if user.has_group("bsc_okr.group_kpi_appraisal") or not user.has_group(
            "bsc_okr.group_okr_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only OKR managers import OKRs, and never KPI appraisal staff."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _okr_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import OKRs"),
        }

    def action_download_template(self):
        """Put the template on the wizard and download it."""
        self.ensure_one()
        self._okr_check_importer()
        self.write(
            {
                "template_file": base64.b64encode(self._okr_template_bytes()),
                # An ASCII name: it travels in the download URL.
                "template_filename": "okr_import_template.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/template_file/"
            f"{self.template_filename}?download=true",
            "target": "self",
        }

    def action_retry(self):
        self.ensure_one()
        self.write({"state": "upload", "error_text": False, "error_count": 0})
        return self._okr_reopen()

    def action_import(self):
        """Check every row; import all of them, or nothing and list why."""
        self.ensure_one()
        self._okr_check_importer()
        rows = self._okr_read_rows(self._okr_file_bytes())
        errors, objectives = self._okr_import_rows(rows)
        if errors:
            shown = [message for _number, message in sorted(errors)[:MAX_MESSAGES]]
            if len(errors) > MAX_MESSAGES:
                shown.append(
                    self.env._(
                        "... and %(count)s more problems.",
                        count=len(errors) - MAX_MESSAGES,
                    )
                )
            self.write(
                {
                    "state": "errors",
                    "error_text": "\n".join(shown),
                    "error_count": len(errors),
                }
            )
            return self._okr_reopen()
        self.write({"state": "done", "objective_ids": [(6, 0, objectives.ids)]})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported OKRs"),
            "res_model": "okr.objective",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", objectives.ids)],
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Reading the file
    # ------------------------------------------------------------------
    def _okr_file_bytes(self):
        """The uploaded bytes, refused when empty, too large or not xlsx."""
        if not self.file:
            raise UserError(self.env._("Choose a spreadsheet (.xlsx) to import."))
        # base64 is 4 characters per 3 bytes: refuse before decoding it.
        if len(self.file) * 3 // 4 > MAX_FILE_BYTES + 3:
            self._okr_raise_too_large()
        try:
            data = base64.b64decode(self.file, validate=False)
        except ValueError as error:
            raise UserError(self._okr_not_xlsx_message()) from error
        if not data:
            raise UserError(self.env._("The file is empty."))
        if len(data) > MAX_FILE_BYTES:
            self._okr_raise_too_large()
        if not data.startswith(XLSX_MAGIC):
            raise UserError(self._okr_not_xlsx_message())
        return data

    def _okr_raise_too_large(self):
        raise UserError(
            self.env._(
                "The file is too large: an OKR spreadsheet may weigh at most "
                "%(size)s MB.",
                size=MAX_FILE_BYTES // (1024 * 1024),
            )
        )

    def _okr_not_xlsx_message(self):
        return self.env._(
            "This file is not an Excel workbook (.xlsx). Download the template "
            "from this window, fill it in and save it as .xlsx (not .csv or .xls)."
        )

    def _okr_read_rows(self, data):
        """``[(row number, [cell values])]`` of the first sheet's data rows
        (after the header row), blank rows skipped."""
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            unzipped = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise UserError(self._okr_not_xlsx_message()) from error
        if unzipped > MAX_UNZIPPED_BYTES:
            self._okr_raise_too_large()
        # openpyxl is imported here: the module loads without it.
        import openpyxl

        rows = []
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True
            )
            try:
                sheet = workbook.worksheets[0]
                for number, values in enumerate(
                    sheet.iter_rows(min_row=2, max_col=len(COLUMNS), values_only=True),
                    start=2,
                ):
                    if all(
                        v is None or (isinstance(v, str) and not v.strip())
                        for v in values
                    ):
                        continue
                    if len(rows) >= MAX_ROWS:
                        raise UserError(
                            self.env._(
                                "The file holds more than %(max)s key results; "
                                "split it into several files.",
                                max=MAX_ROWS,
                            )
                        )
                    rows.append(
                        (number, list(values) + [None] * (len(COLUMNS) - len(values)))
                    )
            finally:
                workbook.close()
        except UserError:
            raise
        except Exception as error:  # noqa: BLE001 -- any unreadable workbook
            # openpyxl raises many kinds of errors on a damaged or foreign
            # file (KeyError, IndexError, InvalidFileException, XML errors):
            # the user needs one clear sentence, not a traceback.
            raise UserError(self._okr_not_xlsx_message()) from error
        if not rows:
            raise UserError(
                self.env._(
                    "The spreadsheet holds no key result: fill in one row per key "
                    "result below the header row of the template."
                )
            )
        return rows

    # ------------------------------------------------------------------
    # Checking the rows
    # ------------------------------------------------------------------
    def _okr_lookups(self):
        """What the cells are matched against: owners by e-mail and name,
        open cycles, levels and types (keys and labels)."""
        company = self.env.company
        Employee = self.env["hr.employee.public"]
        by_email, by_name = defaultdict(list), defaultdict(list)
        for employee in Employee.search_fetch(
            [("company_id", "=", company.id)], ["name", "work_email"]
        ):
            if employee.work_email:
                by_email[employee.work_email.strip().casefold()].append(employee.id)
            if employee.name:
                by_name[employee.name.strip().casefold()].append(employee.id)
        Cycle = self.env["okr.cycle"]
        cycles = Cycle._okr_open_cycles().filtered(lambda c: c.company_id == company)
        by_cycle = defaultdict(set)
        for lang in {self.env.lang or "en_US", "en_US"}:
            for cycle in cycles.with_context(lang=lang):
                by_cycle[cycle.name.strip().casefold()].add(cycle.id)
        Objective = self.env["okr.objective"]
        return {
            "email": by_email,
            "name": by_name,
            "cycle": by_cycle,
            "cycles": cycles,
            "level": self._okr_selection_map(Objective, "level"),
            "okr_type": self._okr_selection_map(Objective, "okr_type"),
        }

    def _okr_selection_map(self, Model, fname):
        """Keys and labels (English and the user's language) -> key."""
        field = Model._fields[fname]
        mapping = {}
        for lang in {"en_US", self.env.lang or "en_US"}:
            for key, label in field._description_selection(
                self.env(context=dict(self.env.context, lang=lang))
            ):
                mapping[label.strip().casefold()] = key
                mapping[key.casefold()] = key
        return mapping

    def _okr_text(self, row, value, label, required=True, limit=TEXT_MAX):
        """``(text, error)`` of a text cell."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                return None, self.env._(
                    "Row %(row)s: the %(column)s is missing.", row=row, column=label
                )
            return "", None
        if isinstance(value, bool):
            return None, self.env._(
                "Row %(row)s: the %(column)s must be a text, not %(value)s.",
                row=row,
                column=label,
                value=value,
            )
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if CONTROL_CHARS_RE.search(text):
            return None, self.env._(
                "Row %(row)s: the %(column)s holds control characters; retype it.",
                row=row,
                column=label,
            )
        if len(text) > limit:
            return None, self.env._(
                "Row %(row)s: the %(column)s is too long (%(count)s characters, at "
                "most %(max)s).",
                row=row,
                column=label,
                count=len(text),
                max=limit,
            )
        return text, None

    def _okr_number(self, row, value, label, default):
        """``(number, error)`` of a number cell; empty gives ``default``."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if default is None:
                return None, self.env._(
                    "Row %(row)s: the %(column)s is missing.", row=row, column=label
                )
            return default, None
        number = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        if number is None or not math.isfinite(number):
            shown = str(value)
            if len(shown) > 40:
                shown = shown[:40] + "..."
            return None, self.env._(
                "Row %(row)s: the %(column)s must be a number, not '%(value)s'.",
                row=row,
                column=label,
                value=shown,
            )
        return number, None

    def _okr_labels(self):
        """The columns' names, as the messages and the template name them."""
        _ = self.env._
        return {
            "objective": _("objective title"),
            "owner": _("owner"),
            "level": _("level"),
            "cycle": _("cycle"),
            "okr_type": _("type"),
            "key_result": _("key result"),
            "start": _("start"),
            "target": _("target"),
            "unit": _("unit"),
            "weight": _("weight"),
        }

    def _okr_match_owner(self, number, owner, lookups):
        """``(employee id, error)``: by work e-mail, else by name."""
        key = owner.casefold()
        matches = lookups["email"].get(key) if "@" in owner else None
        if not matches:
            matches = lookups["name"].get(key) or lookups["email"].get(key)
        if not matches:
            return None, self.env._(
                "Row %(row)s: owner '%(owner)s' matches no employee.",
                row=number,
                owner=owner,
            )
        if len(matches) > 1:
            return None, self.env._(
                "Row %(row)s: owner '%(owner)s' matches %(count)s employees; "
                "use their work e-mail.",
                row=number,
                owner=owner,
                count=len(matches),
            )
        return matches[0], None

    def _okr_match_cycle(self, number, cycle, lookups):
        """``(cycle id, error)``: an open cycle of the company, by name."""
        matches = lookups["cycle"].get(cycle.casefold())
        if not matches:
            return None, self.env._(
                "Row %(row)s: cycle '%(cycle)s' is not a planned or running "
                "cycle of %(company)s.",
                row=number,
                cycle=cycle,
                company=self.env.company.name,
            )
        if len(matches) > 1:
            return None, self.env._(
                "Row %(row)s: cycle '%(cycle)s' names several cycles.",
                row=number,
                cycle=cycle,
            )
        return next(iter(matches)), None

    def _okr_match_choice(self, number, key, raw, lookups, label):
        """``(selection key, error)`` of the level or type; empty gives the
        default (individual, aspirational)."""
        if not raw:
            return {"level": "individual", "okr_type": "aspirational"}[key], None
        choice = lookups[key].get(raw.casefold())
        if choice is not None:
            return choice, None
        field = self.env["okr.objective"]._fields[key]
        return None, self.env._(
            "Row %(row)s: %(column)s '%(value)s' is not one of %(choices)s.",
            row=number,
            column=label,
            value=raw,
            choices=", ".join(
                name for _key, name in field._description_selection(self.env)
            ),
        )

    def _okr_check_numbers(self, number, cell, labels, values):
        """Start, target and weight into ``values``; the errors."""
        errors = []
        for key, default in (("start", 0.0), ("target", None), ("weight", 1.0)):
            parsed, error = self._okr_number(number, cell[key], labels[key], default)
            if error:
                errors.append(error)
            values[key] = parsed
        if errors:
            return errors
        # The key result's own rule (value limits, weight > 0, target
        # different from start), with its own messages.
        KeyResult = self.env["okr.key.result"]
        kr_errors = KeyResult._okr_validate_kr_vals(
            {
                "name": values.get("key_result") or "",
                "start_value": values["start"],
                "target_value": values["target"],
                "weight": values["weight"],
                "direction": KeyResult._okr_direction_of(
                    values["start"], values["target"]
                ),
                "metric_type": "number",
            }
        )
        return [
            self.env._("Row %(row)s: %(message)s", row=number, message=kr_errors[f])
            for f in ("start_value", "target_value", "weight")
            if f in kr_errors
        ]

    def _okr_check_row(self, number, cells, lookups, labels):
        """``(values, errors)`` of one row; values is None when wrong."""
        cell = dict(zip(COLUMNS, cells, strict=False))
        errors = []
        values = {}

        def keep(value_error, key=None):
            value, error = value_error
            if error:
                errors.append(error)
            elif key:
                values[key] = value
            return value

        def text(key, **kwargs):
            return keep(self._okr_text(number, cell[key], labels[key], **kwargs))

        values["objective"] = text("objective")
        owner = text("owner")
        level = text("level", required=False)
        cycle = text("cycle")
        okr_type = text("okr_type", required=False)
        values["key_result"] = text("key_result")
        values["unit"] = text("unit", required=False, limit=UNIT_MAX)
        if owner:
            keep(self._okr_match_owner(number, owner, lookups), "owner_id")
        if cycle:
            keep(self._okr_match_cycle(number, cycle, lookups), "cycle_id")
        for key, raw in (("level", level), ("okr_type", okr_type)):
            if raw is not None:
                keep(
                    self._okr_match_choice(number, key, raw, lookups, labels[key]), key
                )
        errors.extend(self._okr_check_numbers(number, cell, labels, values))
        return (None if errors else values), errors

    def _okr_import_rows(self, rows):
        """Check ``rows``; create everything when all are right. Returns
        ``(errors, objectives)``: ``errors`` a list of (row, message)."""
        lookups = self._okr_lookups()
        labels = self._okr_labels()
        errors = []
        groups = {}  # (title, owner, cycle) -> {"vals":..., "rows": [...]}
        for number, cells in rows:
            values, row_errors = self._okr_check_row(number, cells, lookups, labels)
            errors.extend((number, message) for message in row_errors)
            if values is None:
                continue
            key = (
                values["objective"].casefold(),
                values["owner_id"],
                values["cycle_id"],
            )
            group = groups.get(key)
            if group is None:
                groups[key] = {"first": number, "values": values, "rows": []}
            else:
                first = group["values"]
                for fname in ("level", "okr_type"):
                    if values[fname] != first[fname]:
                        errors.append(
                            (
                                number,
                                self.env._(
                                    "Row %(row)s: the %(column)s differs from row "
                                    "%(first)s, which has the same objective.",
                                    row=number,
                                    column=labels[fname],
                                    first=group["first"],
                                ),
                            )
                        )
            groups[key]["rows"].append(_Row(number, values))
        if errors:
            # Also say which of the right rows the rules would refuse, so
            # that one round of corrections is enough.
            errors.extend(self._okr_probe(groups))
            return errors, self.env["okr.objective"]
        try:
            with self.env.cr.savepoint():
                objectives = self._okr_create(groups)
        except (AccessError, UserError, ValidationError) as error:
            refusals = self._okr_probe(groups)
            if not refusals:
                refusals = [
                    (
                        0,
                        self.env._(
                            "The import was refused: %(message)s",
                            message=str(error.args[0] if error.args else error),
                        ),
                    )
                ]
            return refusals, self.env["okr.objective"]
        return [], objectives

    # ------------------------------------------------------------------
    # Creating
    # ------------------------------------------------------------------
    def _okr_objective_vals(self, values):
        return {
            "name": values["objective"],
            "owner_id": values["owner_id"],
            "cycle_id": values["cycle_id"],
            "company_id": self.env.company.id,
            "level": values["level"],
            "okr_type": values["okr_type"],
        }

    def _okr_key_result_vals(self, objective, values, sequence):
        return {
            "objective_id": objective.id,
            "name": values["key_result"],
            "owner_id": values["owner_id"],
            "start_value": values["start"],
            "target_value": values["target"],
            "direction": self.env["okr.key.result"]._okr_direction_of(
                values["start"], values["target"]
            ),
            "unit": values["unit"] or False,
            "weight": values["weight"],
            "sequence": sequence,
        }

    def _okr_create(self, groups):
        """Two batched creates, as the user: the objectives, then their key
        results (drafts; the models' create checks and rules apply)."""
        ordered = list(groups.values())
        objectives = self.env["okr.objective"].create(
            [self._okr_objective_vals(group["values"]) for group in ordered]
        )
        kr_vals = [
            self._okr_key_result_vals(objective, row.values, sequence)
            for objective, group in zip(objectives, ordered, strict=True)
            for sequence, row in enumerate(group["rows"], start=1)
        ]
        self.env["okr.key.result"].create(kr_vals)
        return objectives

    def _okr_probe(self, groups):
        """``[(row, message)]``: the rows the models refuse to create for
        the current user (access rules, create rights, closed cycles,
        department modes...). Each distinct owner, level and cycle is tried
        once, with one key result, in a savepoint that is rolled back."""
        by_key = defaultdict(list)
        for group in groups.values():
            first = group["values"]
            by_key[(first["owner_id"], first["level"], first["cycle_id"])].append(group)
        refusals = []
        Objective = self.env["okr.objective"]
        levels = dict(Objective._fields["level"]._description_selection(self.env))
        for (owner_id, level, _cycle_id), key_groups in by_key.items():
            sample = key_groups[0]["rows"][0].values
            refused = None
            try:
                with self.env.cr.savepoint() as savepoint:
                    self._okr_create(
                        {"probe": {"values": sample, "rows": [_Row(0, sample)]}}
                    )
                    savepoint.close(rollback=True)
            except AccessError:
                # Odoo's message on a record rule names records and rules
                # (and is long): say it in the wizard's terms instead.
                owner = self.env["hr.employee.public"].browse(owner_id).name
                refused = {"owner": owner, "level": levels[level].lower()}
            except (UserError, ValidationError) as error:
                refused = {"message": str(error.args[0] if error.args else error)}
            if refused is None:
                continue
            for group in key_groups:
                for row in group["rows"]:
                    if "owner" in refused:
                        text = self.env._(
                            "Row %(row)s: you may not create %(level)s OKRs for "
                            "%(owner)s.",
                            row=row.number,
                            **refused,
                        )
                    else:
                        text = self.env._(
                            "Row %(row)s: %(message)s", row=row.number, **refused
                        )
                    refusals.append((row.number, text))
        return refusals

    # ------------------------------------------------------------------
    # The template
    # ------------------------------------------------------------------
    def _okr_template_bytes(self):
        """The xlsx template: the header row in the user's language, then
        a sheet listing the levels, types and open cycles."""
        import openpyxl
        from openpyxl.styles import Font
        from openpyxl.worksheet.datavalidation import DataValidation

        labels = self._okr_labels()
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = self.env._("OKRs")
        sheet.append([labels[key].capitalize() for key in COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for letter, width in zip(
            "ABCDEFGHIJ", (40, 28, 14, 16, 14, 40, 10, 10, 12, 10), strict=True
        ):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
        lists = workbook.create_sheet(self.env._("Lists"))
        Objective = self.env["okr.objective"]
        columns = [
            (
                self.env._("Levels"),
                [
                    label
                    for _k, label in Objective._fields["level"]._description_selection(
                        self.env
                    )
                ],
            ),
            (
                self.env._("Types"),
                [
                    label
                    for _k, label in Objective._fields[
                        "okr_type"
                    ]._description_selection(self.env)
                ],
            ),
            (self.env._("Open cycles"), self._okr_lookups()["cycles"].mapped("name")),
        ]
        for index, (title, items) in enumerate(columns, start=1):
            lists.cell(row=1, column=index, value=title).font = Font(bold=True)
            for offset, item in enumerate(items, start=2):
                lists.cell(row=offset, column=index, value=item)
            lists.column_dimensions["ABC"[index - 1]].width = 24
        lists_name = lists.title.replace("'", "''")
        for column, list_column, count in (
            ("C", "A", len(columns[0][1])),
            ("E", "B", len(columns[1][1])),
            ("D", "C", len(columns[2][1])),
        ):
            if not count:
                continue
            validation = DataValidation(
                type="list",
                formula1=f"='{lists_name}'!${list_column}$2:${list_column}${count + 1}",
                allow_blank=True,
            )
            validation.showErrorMessage = False
            sheet.add_data_validation(validation)
            validation.add(f"{column}2:{column}{MAX_ROWS + 1}")
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()
