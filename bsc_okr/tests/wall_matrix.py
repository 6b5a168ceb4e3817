"""The appraisal wall as data: role x model x operation -> expected.

``MODELS`` lists the OKR models that hold personal OKR data (grades,
confidence, check-ins, learning) and how to find the attacked records in
the fixtures; ``ROLES`` who attacks and what they must get; ``OPERATIONS``
every ORM route that returns records, counts, aggregates, names or
exported cells. ``build_rows()`` is their product, so adding a model (or an
operation) adds its rows. ``run_matrix()`` returns the failures as
sentences instead of asserting, so that a test can also prove that a
deliberate breach is caught.

Expected values: ``NONE`` nothing (or AccessError); ``ALL`` every attacked
record; ``SOME`` at least one; ``PUBLIC`` exactly the records every employee
may see (company-public objectives' titles and progress); ``ANY`` not
checked (e.g. what a manager finds in the chatter of models without
fixture messages).
"""

import json

from odoo.exceptions import AccessError, UserError

NONE, ALL, SOME, PUBLIC, ANY = "none", "all", "some", "public", "any"

#: Written into the name or comment of every attacked record: it must never
#: appear in anything appraisal staff get back.
SECRET = "WALLSECRET"

#: model -> how the fixture (a WallCase) names the attacked records, which
#: field links them to an employee (grouped by in read_group), which
#: aggregates are asked, which fields are exported, and which Many2one
#: display names web_read and the export ask.
MODELS = {
    "okr.objective": {
        "export": ["name", "grade"],
        "targets": "wall_objectives",
        "employee_field": "owner_id",
        "aggregates": ["progress:avg", "grade:avg", "confidence:avg"],
        "many2one": ["owner_id", "cycle_id"],
    },
    "okr.objective.public": {
        "export": ["name", "progress"],
        "targets": "wall_objectives_public",
        "employee_field": "owner_id",
        "aggregates": ["progress:avg"],
        "many2one": ["owner_id", "cycle_id"],
        # What an employee may see of others: public visibility.
        "public": lambda records: records.filtered(lambda r: r.visibility == "public"),
    },
    "okr.key.result": {
        "export": ["name", "confidence"],
        "targets": "wall_key_results",
        "employee_field": "owner_id",
        "aggregates": ["progress:avg", "grade:avg", "confidence:avg"],
        "many2one": ["objective_id", "owner_id"],
    },
    "okr.checkin": {
        "export": ["comment", "confidence"],
        "targets": "wall_checkins",
        "employee_field": "owner_id",
        "aggregates": ["confidence:avg", "value:sum"],
        "many2one": ["key_result_id", "objective_id"],
    },
    "okr.progress.history": {
        "export": ["progress", "confidence"],
        # No _rec_name: name_search finds nothing for anybody.
        "name_search": False,
        "targets": "wall_progress_history",
        "employee_field": "owner_id",
        "aggregates": ["progress:avg", "confidence:avg"],
        "many2one": ["objective_id", "key_result_id"],
    },
    "okr.retrospective": {
        "export": ["what_learned", "manager_comment"],
        "targets": "wall_retrospectives",
        "employee_field": "owner_id",
        "aggregates": ["__count"],
        "many2one": ["objective_id", "cycle_id"],
    },
    "okr.learning.plan": {
        "export": ["name"],
        "targets": "wall_plans",
        "employee_field": "owner_id",
        "aggregates": ["progress:avg", "vote_average:avg"],
        "many2one": ["objective_id", "campaign_id"],
    },
    "okr.learning.finding": {
        "export": ["name"],
        "targets": "wall_findings",
        "employee_field": "plan_id",
        "aggregates": ["__count"],
        "many2one": ["plan_id"],
    },
    "okr.learning.stage.report": {
        "export": ["stage", "days"],
        "targets": "wall_stage_rows",
        "employee_field": "owner_id",
        "aggregates": ["days:sum"],
        "many2one": ["plan_id"],
    },
    "okr.approval.request": {
        "export": ["res_name"],
        # No _rec_name: name_search finds nothing for anybody.
        "name_search": False,
        "targets": "wall_requests",
        "employee_field": "owner_user_id",
        "aggregates": ["__count"],
        "many2one": ["requested_by_id"],
    },
    "okr.stage.history": {
        "export": ["res_name", "comment"],
        # No _rec_name: name_search finds nothing for anybody.
        "name_search": False,
        "targets": "wall_history",
        "employee_field": "owner_user_id",
        "aggregates": ["__count"],
        "many2one": ["user_id"],
    },
}

#: okr.* models deliberately outside the matrix, with the reason. Any other
#: okr.* model must be added to MODELS (TestAppraisalWall checks it).
NOT_PERSONAL = {
    "okr.cycle": "calendar of cycles, no personal data",
    "okr.learning.plan.type": "configuration (Lean, Black Technology...)",
    "okr.learning.campaign": "a company theme; its funnel counts use the "
    "reader's rights",
    "okr.learning.session": "a meeting; its plans are read with the plan's rules",
    "okr.learning.decision": "made in the decide stage only; follows the plan's "
    "rules (covered by the plan rows)",
    "okr.learning.vote": "each user reads their own votes",
    "okr.portal.submission": "technical keys of portal forms sent (no OKR "
    "content); only administrators have an ACL line",
}

#: The messages of the alerts and of the approvals -> (model, method) of
#: the job that sends them (the approval message also goes out when a
#: request is made). Appraisal staff get none of them, whatever makes them
#: go (TestAppraisalWall provokes each one).
ALERT_MESSAGES = {
    "bsc_okr.mail_template_okr_alert": ("okr.key.result", "_cron_send_alerts"),
    "bsc_okr.mail_template_okr_approval_waiting": (
        "okr.approval.request",
        "_cron_escalate",
    ),
}

#: okr.* wizards that read or write OKR data: appraisal staff may not even
#: open them (no ACL line for group_kpi_appraisal, and an AccessError when
#: they hold a group that has one). model -> values that create one.
WIZARDS = {
    "okr.import.wizard": {},
}


def wizard_failures(env, user):
    """Sentences for each wizard of ``WIZARDS`` that ``user`` (appraisal
    staff) could create (a transient record is read by its creator only)."""
    failures = []
    for model, vals in WIZARDS.items():
        Wizard = env[model].with_user(user)
        try:
            with env.cr.savepoint():
                Wizard.create(dict(vals))
            failures.append(f"{user.login} created a {model}")
        except AccessError:
            continue  # refused, as it must be
    return failures


#: Operations on the attacked model itself.
OPERATIONS = (
    "search",
    "search_read",
    "search_count",
    "read",
    "read_group",
    "_read_group",
    "name_search",
    "web_search_read",
    "web_read",
    "export_data",
    "get_field_translations",
)
#: Operations on the mail/attachment models, filtered on the attacked model.
MAIL_OPERATIONS = (
    "mail.message",
    "mail.tracking.value",
    "mail.activity",
    "ir.attachment",
)

#: role -> (fixture user attribute, strict wall, expected per model/op).
#: ``expect(model, operation)`` returns the expected value.
ROLES = {
    "hr_strict": {
        "user": "user_hr",
        "strict": True,
        "expect": lambda model, op: NONE,
    },
    "hr_open": {
        "user": "user_hr",
        "strict": False,
        "expect": lambda model, op: (
            PUBLIC if "public" in MODELS.get(model, {}) and op in OPERATIONS else NONE
        ),
    },
    "manager": {
        "user": "user_manager",
        "strict": True,
        "expect": lambda model, op: _manager_expect(model, op),
    },
}

#: What the manager of the attacked employee sees: the team's OKRs (the
#: wall is not a blanket denial).
_MANAGER_MAIL = {
    ("okr.objective", "mail.message"): SOME,
    ("okr.objective", "ir.attachment"): SOME,
    ("okr.objective", "mail.activity"): SOME,
}


def _manager_expect(model, op):
    if op in MAIL_OPERATIONS:
        return _MANAGER_MAIL.get((model, op), ANY)
    if op == "name_search" and MODELS[model].get("name_search") is False:
        return ANY
    if model in ("okr.approval.request", "okr.stage.history"):
        return SOME  # the steps they took part in
    return ALL


def build_rows(roles=None, models=None):
    """Every (role, model, operation, expected) row."""
    rows = []
    for role, spec in (roles or ROLES).items():
        for model in models or MODELS:
            for op in OPERATIONS + MAIL_OPERATIONS:
                rows.append((role, model, op, spec["expect"](model, op)))
    return rows


# --------------------------------------------------------------------------
# Operations: each returns (ids of attacked records seen, raw result)
# --------------------------------------------------------------------------
def _ids_domain(targets):
    return [("id", "in", targets.ids)]


def _op_search(Model, targets, conf):
    found = Model.search(_ids_domain(targets))
    return set(found.ids), found.ids


def _op_search_read(Model, targets, conf):
    rows = Model.search_read(_ids_domain(targets), ["display_name"])
    return {r["id"] for r in rows}, rows


def _op_search_count(Model, targets, conf):
    count = Model.search_count(_ids_domain(targets))
    return count, count


def _per_record(Model, targets, call):
    seen, raw = set(), []
    for record_id in targets.ids:
        try:
            raw.append(call(Model.browse(record_id)))
            seen.add(record_id)
        except AccessError:
            continue
    return seen, raw


def _op_read(Model, targets, conf):
    return _per_record(Model, targets, lambda r: r.read(["display_name"]))


def _op_read_group(Model, targets, conf):
    aggregates = [a for a in conf["aggregates"] if a != "__count"]
    groups = Model.read_group(
        _ids_domain(targets),
        aggregates,
        [conf["employee_field"]],
        lazy=False,
    )
    count = sum(g["__count"] for g in groups)
    return count, groups


def _op_internal_read_group(Model, targets, conf):
    groups = Model._read_group(
        _ids_domain(targets), [conf["employee_field"]], ["__count", *conf["aggregates"]]
    )
    count = sum(g[1] for g in groups)
    return count, groups


def _op_name_search(Model, targets, conf):
    # Empty name: every record the user may find, whatever its _rec_name.
    found = Model.name_search("", limit=100000)
    ids = {record_id for record_id, _name in found} & set(targets.ids)
    return ids, found


def _spec(Model, conf):
    spec = {"display_name": {}}
    for name in conf["many2one"]:
        if name in Model._fields:
            spec[name] = {"fields": {"display_name": {}}}
    return spec


def _op_web_search_read(Model, targets, conf):
    result = Model.web_search_read(_ids_domain(targets), _spec(Model, conf))
    return {r["id"] for r in result["records"]}, result


def _op_web_read(Model, targets, conf):
    spec = _spec(Model, conf)
    return _per_record(Model, targets, lambda r: r.web_read(spec))


def _op_export_data(Model, targets, conf):
    # No "id": exporting it writes external ids (and SQL views have none).
    # The record's own name first: a refused relation must not hide a
    # breach on the record itself; then with the relations' names.
    fields = [f"{m}/display_name" for m in conf["many2one"]]

    def export(record):
        # display_name alone may be "model,id", computed without a read.
        own = ["display_name", *conf["export"]]
        rows = record.export_data(own)
        try:
            with record.env.cr.savepoint():
                return record.export_data([*own, *fields])
        except AccessError:
            return rows  # a relation refused: the record's own row stands

    return _per_record(Model, targets, export)


def _op_field_translations(Model, targets, conf):
    # The translation dialog's read of a text: a translated one first, else
    # a stored one (a computed field is read without the record's rules,
    # and the dialog gives nothing back for it).
    fname = min(
        conf["export"],
        key=lambda name: (
            not Model._fields[name].translate,
            not Model._fields[name].store,
        ),
    )
    return _per_record(Model, targets, lambda r: r.get_field_translations(fname))


def _mail_search(model_name, domain_builder):
    def op(env, targets, model):
        Target = env[model_name]
        try:
            found = Target.search(domain_builder(model, targets))
        except AccessError:
            return 0, []
        data = found.read(["display_name"]) if found else []
        return len(found), data

    return op


def _tracking_domain(model, targets):
    return [
        ("mail_message_id.model", "=", model),
        ("mail_message_id.res_id", "in", targets.ids),
    ]


def _res_domain(model, targets):
    return [("res_model", "=", model), ("res_id", "in", targets.ids)]


def _message_domain(model, targets):
    return [("model", "=", model), ("res_id", "in", targets.ids)]


MODEL_OPS = {
    "search": _op_search,
    "search_read": _op_search_read,
    "search_count": _op_search_count,
    "read": _op_read,
    "read_group": _op_read_group,
    "_read_group": _op_internal_read_group,
    "name_search": _op_name_search,
    "web_search_read": _op_web_search_read,
    "web_read": _op_web_read,
    "export_data": _op_export_data,
    "get_field_translations": _op_field_translations,
}
MAIL_OPS = {
    "mail.message": _mail_search("mail.message", _message_domain),
    "mail.tracking.value": _mail_search("mail.tracking.value", _tracking_domain),
    "mail.activity": _mail_search("mail.activity", _res_domain),
    "ir.attachment": _mail_search("ir.attachment", _res_domain),
}


def _check(expected, seen, targets, public):
    """Whether ``seen`` (a set of ids or a count) meets ``expected``."""
    count = seen if isinstance(seen, int) else len(seen)
    if expected == ANY:
        return True
    if expected == NONE:
        return count == 0
    if expected == SOME:
        return count > 0
    wanted = targets if expected == ALL else public
    if isinstance(seen, int):
        return count == len(wanted)
    return seen == set(wanted.ids)


def run_matrix(case, rows=None):
    """Run ``rows`` (default: all) against the WallCase ``case``; return the
    failures as sentences (empty when the wall holds)."""
    failures = []
    rows = rows if rows is not None else build_rows()
    company = case.company
    for role, model, op, expected in rows:
        spec = ROLES[role]
        company.sudo().okr_strict_appraisal_wall = spec["strict"]
        case.env.invalidate_all()
        user = getattr(case, spec["user"])
        env = case.env(user=user)
        conf = MODELS[model]
        targets = getattr(case, conf["targets"]).with_env(env)
        public = conf.get("public", lambda r: r.browse())(targets.sudo())
        # Nothing read as superuser above may serve the attack from the cache.
        case.env.invalidate_all()
        try:
            with case.env.cr.savepoint():
                if op in MODEL_OPS:
                    seen, raw = MODEL_OPS[op](env[model], targets, conf)
                else:
                    seen, raw = MAIL_OPS[op](env, targets, model)
        except (AccessError, UserError):
            seen, raw = 0, None
        except Exception as error:  # noqa: BLE001 -- reported as a failure
            failures.append(f"{role} {model} {op}: crashed ({error!r})")
            continue
        if not _check(expected, seen, targets, public):
            failures.append(
                f"{role} {model} {op}: expected {expected}, saw "
                f"{seen if isinstance(seen, int) else sorted(seen)} of "
                f"{targets.ids}"
            )
        elif expected in (NONE, PUBLIC) and _leaks(raw, expected, targets, public):
            failures.append(f"{role} {model} {op}: the secret text came back")
    company.sudo().okr_strict_appraisal_wall = True
    case.env.invalidate_all()
    return failures


def _leaks(raw, expected, targets, public):
    if raw is None:
        return False
    text = json.dumps(raw, default=str)
    if expected == NONE:
        return SECRET in text
    # PUBLIC: only public titles may come back, never a private one.
    private = (targets.sudo() - public).mapped("display_name")
    return any(name and name in text for name in private)


# --------------------------------------------------------------------------
# Static checks: ACLs, rules and fields
# --------------------------------------------------------------------------
def walled_models(env):
    return set(MODELS) | {
        name
        for name in env.registry
        if name.startswith("okr.")
        and not env[name]._transient
        and not env[name]._abstract
    }


def static_failures(env):
    """ACL lines and rules of group_kpi_appraisal on walled models; OKR
    fields on hr.employee(.public) readable by appraisal staff."""
    failures = []
    group = env.ref("bsc_okr.group_kpi_appraisal")
    walled = walled_models(env)
    for access in env["ir.model.access"].sudo().search([("group_id", "=", group.id)]):
        if access.model_id.model in walled | set(WIZARDS):
            failures.append(
                f"group_kpi_appraisal has an ACL line on {access.model_id.model} "
                f"({access.name})"
            )
    for rule in env["ir.rule"].sudo().search([("groups", "in", group.ids)]):
        if rule.model_id.model in walled:
            failures.append(
                f"group_kpi_appraisal has a record rule on {rule.model_id.model} "
                f"({rule.name})"
            )
    hr_user = env.ref("hr.group_hr_user")
    for model in ("hr.employee", "hr.employee.public", "res.users"):
        for name, field in env[model]._fields.items():
            if field.comodel_name in walled or _computed_from_okr(env, field, walled):
                groups = field.groups or ""
                if "!bsc_okr.group_kpi_appraisal" not in groups:
                    failures.append(
                        f"{model}.{name} reaches OKR data without excluding "
                        f"appraisal staff (groups={groups!r}, HR group "
                        f"{hr_user.name})"
                    )
    return failures


def _computed_from_okr(env, field, walled):
    """A related field whose path crosses an OKR model."""
    if not field.related:
        return False
    model = env[field.model_name]
    for step in field.related.split("."):
        sub = model._fields.get(step)
        if sub is None:
            return False
        if sub.comodel_name:
            if sub.comodel_name in walled:
                return True
            model = env[sub.comodel_name]
    return False


def relation_routes(env, walled, readers=("hr.employee", "hr.employee.public")):
    """Every Many2one/x2many from a model HR may read to a walled model, and
    the paths of length two from the employee models (e.g.
    ``department_id.<field>``): the routes a domain search or a display name
    could take."""
    routes = []
    for model_name in env.registry:
        Model = env[model_name]
        if Model._abstract or Model._transient or model_name in walled:
            continue
        for name, field in Model._fields.items():
            if field.type in ("many2one", "one2many", "many2many") and (
                field.comodel_name in walled
            ):
                routes.append((model_name, name, field.comodel_name))
    for model_name in readers:
        for name, field in env[model_name]._fields.items():
            if field.type not in ("many2one", "one2many", "many2many"):
                continue
            Co = env[field.comodel_name]
            for sub_name, sub in Co._fields.items():
                if sub.comodel_name in walled and sub.type in (
                    "many2one",
                    "one2many",
                    "many2many",
                ):
                    routes.append((model_name, f"{name}.{sub_name}", sub.comodel_name))
    return routes


#: The errors a chatter route may answer with when it refuses.
CHATTER_REFUSALS = (
    "werkzeug.exceptions.NotFound",
    "werkzeug.exceptions.Forbidden",
    "odoo.exceptions.AccessError",
)


def chatter_routes(objective):
    """``[(route, params)]``: the JSON routes of the portal chatter on an
    objective page (issue 17), each with no token, a forged token and a
    forged signed link; appraisal staff must read and post nothing."""
    routes = []
    for extra in ({}, {"token": "forged"}, {"hash": "forged", "pid": 1}):
        thread = {"thread_model": "okr.objective", "thread_id": objective.id, **extra}
        routes += [
            ("/portal/chatter_init", thread),
            ("/mail/chatter_fetch", thread),
            ("/mail/thread/data", {**thread, "request_list": ["followers"]}),
            (
                "/mail/message/post",
                {
                    **thread,
                    "post_data": {
                        "body": "From appraisal",
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                },
            ),
        ]
    return routes
