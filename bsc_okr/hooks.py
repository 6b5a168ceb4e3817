def uninstall_hook(env):
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
