"""okr.objective.parent_id / child_ids are now public_parent_id /
public_child_ids: they hold public objectives (okr.objective.public), not
objectives, and the names say so.

parent_id is stored: its column is renamed in place (with its values and its
foreign key), and both fields' reflection rows and external ids follow, so the
update finds them where it left them instead of dropping the column and
creating an empty one. The public view keeps calling it parent_id (its
hierarchy view needs that name); init() rebuilds the view after this.
"""

from odoo.tools import sql

RENAMES = {"parent_id": "public_parent_id", "child_ids": "public_child_ids"}


def migrate(cr, version):
    if not version:
        return
    if sql.column_exists(cr, "okr_objective", "parent_id") and not sql.column_exists(
        cr, "okr_objective", "public_parent_id"
    ):
        sql.rename_column(cr, "okr_objective", "parent_id", "public_parent_id")
    for old, new in RENAMES.items():
        cr.execute(
            "UPDATE ir_model_fields SET name = %s "
            "WHERE model = 'okr.objective' AND name = %s "
            "AND NOT EXISTS (SELECT 1 FROM ir_model_fields "
            "                WHERE model = 'okr.objective' AND name = %s)",
            (new, old, new),
        )
        cr.execute(
            "UPDATE ir_model_data SET name = %s "
            "WHERE model = 'ir.model.fields' AND module = 'bsc_okr' AND name = %s "
            "AND NOT EXISTS (SELECT 1 FROM ir_model_data "
            "                WHERE module = 'bsc_okr' AND name = %s)",
            (
                f"field_okr_objective__{new}",
                f"field_okr_objective__{old}",
                f"field_okr_objective__{new}",
            ),
        )
