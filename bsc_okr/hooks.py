from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def post_init_hook(env):
    """What the installation finds is the baseline of the alerts: the key
    results (demo data included) stand where they stand, and no check-in
    made so far is alerted. The first run of the alerts job then sends
    nothing for the past, only for the changes that follow."""
    env.flush_all()
    env.cr.execute(
        """
        UPDATE okr_key_result
           SET okr_alert_status = track_status
         WHERE okr_alert_status IS DISTINCT FROM track_status
        """
    )
    env.cr.execute(
        "UPDATE okr_checkin SET okr_alert_pending = FALSE WHERE okr_alert_pending"
    )
    env["okr.key.result"].invalidate_model(["okr_alert_status"])
    env["okr.checkin"].invalidate_model(["okr_alert_pending"])


def uninstall_hook(env):
    """Clean up what would block the removal of the module's data."""
    _unlink_module_activities(env)
    _unlink_approval_records(env)
    _unlink_learning_plans(env)
    _unlink_objectives(env)
    _unlink_orphan_xmlids(env)
    _release_demo_company_users(env)


def _unlink_approval_records(env):
    """Remove approval requests and the stage history before the records.

    Their links to users and companies are ``ondelete='restrict'`` (a
    history must not lose its authors), which would block the removal of
    the demo users and company; their tables go away with the module
    anyway. The history refuses deletion except during an uninstallation,
    which the flag states.
    """
    env["okr.stage.history"].with_context(**{MODULE_UNINSTALL_FLAG: True}).search(
        []
    ).unlink()
    env["okr.approval.request"].search([]).unlink()


def _unlink_module_activities(env):
    """Remove the activities of this module's activity types.

    Approval requests, check-in reminders and grading reviews schedule
    activities of types defined here; an activity type cannot be deleted
    while activities use it (``ondelete='restrict'``), so open ones (e.g.
    the demo's pending approvals) would block the uninstallation.
    """
    type_ids = (
        env["ir.model.data"]
        .search([("module", "=", "bsc_okr"), ("model", "=", "mail.activity.type")])
        .mapped("res_id")
    )
    if type_ids:
        env["mail.activity"].with_context(active_test=False).search(
            [("activity_type_id", "in", type_ids)]
        ).unlink()


def _unlink_learning_plans(env):
    """Remove the learning plans and their goals before the cycles.

    A plan creates its goal (an objective) without an xmlid; the goal's
    cycle is kept with ``ondelete='restrict'``, which would block the
    removal of the demo cycles. Started plans refuse deletion except during
    an uninstallation, which the flag states.
    """
    env["okr.learning.plan"].with_context(**{MODULE_UNINSTALL_FLAG: True}).search(
        []
    ).unlink()


def _unlink_objectives(env):
    """Remove the objectives (with their key results and check-ins) first.

    The generic removal of the module's records deletes key results before
    their objectives; that queues recomputations of the objectives' stored
    progress and grades, which fail once the removal has reset the
    registry's field tables ("KeyError: okr.objective.progress") and leave
    the objectives, hence their cycles and owners, behind.
    """
    env["okr.objective"].with_context(**{MODULE_UNINSTALL_FLAG: True}).search(
        []
    ).unlink()


def _unlink_orphan_xmlids(env):
    """Forget the external ids of the records removed above (e.g. demo
    check-ins deleted with their objective), so that the generic removal
    does not look for them in dropped tables."""
    Data = env["ir.model.data"]
    for model in (
        "okr.objective",
        "okr.key.result",
        "okr.checkin",
        "okr.learning.plan",
        "okr.learning.finding",
        "okr.learning.vote",
    ):
        data = Data.search([("module", "=", "bsc_okr"), ("model", "=", model)])
        existing = set(env[model].browse(data.mapped("res_id")).exists().ids)
        data.filtered(lambda d, ids=existing: d.res_id not in ids).unlink()


def _release_demo_company_users(env):
    """Give users borrowed from base back to the main company.

    The demo data moves the administrator and Odoo's demo portal user into the
    demo company Harbour Toys Ltd. Those users belong to base, so uninstalling
    bsc_okr keeps them; without this hook their company would block the
    removal of the demo company.
    """
    demo_company = env.ref(
        "bsc_okr.company_harbour_toys_demo", raise_if_not_found=False
    )
    main_company = env.ref("base.main_company", raise_if_not_found=False)
    if not demo_company or not main_company or demo_company == main_company:
        return
    users = (
        env["res.users"]
        .with_context(active_test=False)
        .search([("company_ids", "in", demo_company.ids)])
    )
    for user in users:
        user.write(
            {
                "company_ids": [(4, main_company.id), (3, demo_company.id)],
                "company_id": main_company.id,
            }
        )
