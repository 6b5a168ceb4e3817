"""bsc_okr.approval.mixin is now okr.approval.mixin (the okr.* namespace of
its siblings okr.approval.request and okr.stage.history).

The mixin is abstract: it has no table, only its reflection rows. Renaming
them in place keeps their ids, so the update finds the model and its fields
where it left them instead of creating new rows and deleting the old ones.
"""

OLD = "bsc_okr.approval.mixin"
NEW = "okr.approval.mixin"
OLD_XMLID = OLD.replace(".", "_")
NEW_XMLID = NEW.replace(".", "_")


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE ir_model SET model = %s WHERE model = %s", (NEW, OLD))
    cr.execute("UPDATE ir_model_fields SET model = %s WHERE model = %s", (NEW, OLD))
    cr.execute(
        "UPDATE ir_model_fields SET relation = %s WHERE relation = %s", (NEW, OLD)
    )
    # The model's external id, in bsc_okr.
    cr.execute(
        "UPDATE ir_model_data SET name = %s "
        "WHERE model = 'ir.model' AND module = 'bsc_okr' AND name = %s",
        (f"model_{NEW_XMLID}", f"model_{OLD_XMLID}"),
    )
    # Its fields' external ids: in bsc_okr, and in the modules whose mixins it
    # inherits (mail.thread's fields are named by mail).
    old_prefix, new_prefix = f"field_{OLD_XMLID}__", f"field_{NEW_XMLID}__"
    cr.execute(
        "UPDATE ir_model_data SET name = %s || substr(name, %s) "
        "WHERE model = 'ir.model.fields' AND left(name, %s) = %s",
        (new_prefix, len(old_prefix) + 1, len(old_prefix), old_prefix),
    )
