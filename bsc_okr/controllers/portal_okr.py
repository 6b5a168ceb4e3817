"""The OKR portal: employees write OKRs, check in and approve from /my, on
a phone, with a portal account or an internal one.

The routes parse the form (``OkrPortalForm``), call the models, which hold
every rule (open cycles, who may edit, check-ins due, direction), and render.
Learning plans are in ``portal_learning``.
"""

import json

from werkzeug.exceptions import NotFound

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.http import request, route
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.base import clean_text
from ..models.okr_objective import OKR_TYPES
from .portal_form import ITEMS_PER_PAGE, TEXT_MAX, TITLE_MAX, OkrPortalForm

#: Where a decision leads: the approver may lose access to what they decided.
TEAM_URL = "/my/okrs/team"


class OkrPortal(OkrPortalForm):
    # ------------------------------------------------------------------
    # /my home
    # ------------------------------------------------------------------
    def _prepare_okr_home_counters(self):
        """The OKR counters of /my, each with the user's own rights."""
        if not self._okr_portal_enabled():
            return {}
        env = request.env
        KeyResult = env["okr.key.result"]
        today = fields.Date.context_today(env.user)
        return {
            "okr_count": env["okr.objective"].search_count(
                env["okr.objective"]._okr_my_domain(env.user)
                + [("state", "!=", "cancelled")]
            ),
            "okr_checkin_due_count": KeyResult.search_count(
                KeyResult._okr_checkin_due_domain(today)
                + KeyResult._okr_mine_domain(env.user, self._okr_my_employee_ids())
            ),
            "okr_learning_plan_count": env["okr.learning.plan"].search_count(
                env["okr.learning.plan"]._learning_mine_domain(
                    self._okr_my_employee_ids()
                )
            ),
            "okr_approval_count": env["okr.objective"].search_count(
                [("approval_can_approve", "=", True)]
            )
            + env["okr.learning.plan"].search_count(
                [("approval_can_approve", "=", True)]
            ),
        }

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if {
            "okr_count",
            "okr_checkin_due_count",
            "okr_learning_plan_count",
            "okr_approval_count",
        } & set(counters):
            okr_counters = self._prepare_okr_home_counters()
            values.update({k: v for k, v in okr_counters.items() if k in counters})
        return values

    @route()
    def home(self, **kw):
        response = super().home(**kw)
        if getattr(response, "qcontext", None) is not None:
            response.qcontext.update(
                okr_counters=self._prepare_okr_home_counters(),
                okr_portal_enabled=self._okr_portal_enabled(),
            )
        return response

    # ------------------------------------------------------------------
    # /my/okrs
    # ------------------------------------------------------------------
    def _okr_my_employee_ids(self):
        # The user's own employees (ids only), to match contributors and
        # participants without searching hr.employee, which portal users
        # cannot read.
        return request.env.user.sudo().employee_ids.ids

    def _okr_contributions(self):
        """Running key results of others' objectives the user contributes to."""
        key_results = request.env["okr.key.result"]
        return key_results.search(
            key_results._okr_contribution_domain(self._okr_my_employee_ids())
        )

    def _okr_sortings(self):
        env = request.env
        return {
            "name": {"label": env._("Title"), "order": "name, id"},
            "progress": {"label": env._("Progress"), "order": "progress desc, id"},
            "confidence": {
                "label": env._("Confidence"),
                "order": "confidence desc, id",
            },
            "newest": {"label": env._("Newest"), "order": "id desc"},
        }

    def _okr_groupbys(self):
        env = request.env
        return {
            "none": {"label": env._("None")},
            "state": {"label": env._("State")},
        }

    def _prepare_okr_list_domain(self, cycle, search):
        domain = request.env["okr.objective"]._okr_my_domain(request.env.user)
        if cycle:
            domain = expression.AND([domain, [("cycle_id", "=", cycle.id)]])
        if search:
            domain = expression.AND([domain, [("name", "ilike", search)]])
        return domain

    def _prepare_okr_list_values(
        self, page=1, cycle=None, search=None, sortby=None, groupby=None, extra=None
    ):
        env = request.env
        Objective = env["okr.objective"]
        sortings = self._okr_sortings()
        sortby = sortby if sortby in sortings else "name"
        groupbys = self._okr_groupbys()
        groupby = groupby if groupby in groupbys else "none"
        # A search is not stored, but it reaches SQL, which refuses a NUL.
        search = clean_text(search or "").strip()[:TITLE_MAX]
        cycles = env["okr.cycle"]._okr_listed_cycles()
        if cycle == "all":
            selected_cycle = env["okr.cycle"]
        else:
            selected_cycle = env["okr.cycle"]._okr_browsed_cycle(self._okr_int(cycle))
        domain = self._prepare_okr_list_domain(selected_cycle, search)
        total = Objective.search_count(domain)
        try:
            page = max(1, int(page))
        except ValueError:
            page = 1
        url_args = {
            "cycle": selected_cycle.id if selected_cycle else "all",
            "search": search,
            "sortby": sortby,
            "groupby": groupby,
        }
        pager = portal_pager(
            url="/my/okrs",
            url_args=url_args,
            total=total,
            page=page,
            step=ITEMS_PER_PAGE,
        )
        order = sortings[sortby]["order"]
        if groupby == "state":
            order = f"state, {order}"
        objectives = Objective.search(
            domain, order=order, limit=ITEMS_PER_PAGE, offset=pager["offset"]
        )
        last_checkins = objectives._okr_latest_checkin_dates()
        state_labels = dict(Objective._fields["state"]._description_selection(env))
        groups = []
        if groupby == "state":
            for objective in objectives:
                if not groups or groups[-1]["state"] != objective.state:
                    groups.append(
                        {
                            "state": objective.state,
                            "label": state_labels[objective.state],
                            "objectives": [],
                        }
                    )
                groups[-1]["objectives"].append(objective)
        else:
            groups = [{"state": False, "label": False, "objectives": list(objectives)}]
        contributions = self._okr_contributions()
        return self._okr_common_values(
            "okr_list",
            contributions=contributions,
            contribution_objectives={
                p.id: p.name
                for p in env["okr.objective.public"].search(
                    [("id", "in", contributions.objective_id.ids)]
                )
            },
            # The list shows no history: the panel's form only.
            **self._okr_checkin_panel(contributions, history=False),
            objectives=objectives,
            groups=groups,
            last_checkins=last_checkins,
            state_labels=state_labels,
            pager=pager,
            cycles=cycles,
            selected_cycle=selected_cycle,
            search=search,
            sortby=sortby,
            sortings=sortings,
            groupby=groupby,
            groupbys=groupbys,
            total=total,
            reminder_optout=env.user.okr_checkin_reminder_optout,
            **(extra or {}),
        )

    @route(
        ["/my/okrs", "/my/okrs/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_okrs(self, page=1, **kw):
        if not self._okr_portal_enabled():
            raise NotFound()
        values = self._prepare_okr_list_values(
            page=page,
            cycle=kw.get("cycle"),
            search=kw.get("search"),
            sortby=kw.get("sortby"),
            groupby=kw.get("groupby"),
        )
        values.update(self._okr_page_messages(kw))
        return request.render("bsc_okr.portal_my_okrs", values)

    # ------------------------------------------------------------------
    # New objective, key result rows
    # ------------------------------------------------------------------
    def _okr_new_defaults(self):
        """What a new objective gets without being asked: the model's own
        defaults (cycle, level), shown on the form before it is sent."""
        defaults = request.env["okr.objective"].default_get(["cycle_id", "level"])
        return {
            "default_cycle_id": str(defaults.get("cycle_id") or ""),
            "new_level_department": defaults.get("level") == "department",
        }

    def _okr_objective_vals(self, post):
        """Validated values of the objective form (whitelist)."""
        env = request.env
        errors = {}
        name, errors["name"] = self._okr_text(
            post, "name", env._("Title"), required=True
        )
        description, errors["description"] = self._okr_text(
            post, "description", env._("Description"), max_length=TEXT_MAX
        )
        okr_type = post.get("okr_type") or "aspirational"
        if okr_type not in dict(OKR_TYPES):
            errors["okr_type"] = env._("Choose committed or aspirational.")
        errors = {k: v for k, v in errors.items() if v}
        vals = {"name": name, "description": description or False, "okr_type": okr_type}
        return vals, errors

    def _okr_kr_vals(self, post, prefix=""):
        """Validated values of a key result form (whitelist)."""
        env = request.env
        errors = {}
        name, errors["name"] = self._okr_text(
            post, f"{prefix}name", env._("Key result"), required=True
        )
        unit, errors["unit"] = self._okr_text(
            post, f"{prefix}unit", env._("Unit"), max_length=64
        )
        start, errors["start_value"] = self._okr_number(
            post, f"{prefix}start_value", env._("Start")
        )
        target, errors["target_value"] = self._okr_number(
            post, f"{prefix}target_value", env._("Target")
        )
        weight, errors["weight"] = self._okr_number(
            post, f"{prefix}weight", env._("Weight"), required=False
        )
        errors = {k: v for k, v in errors.items() if v}
        vals = {"name": name, "unit": unit or False}
        if start is not None and target is not None:
            vals.update(
                start_value=start,
                target_value=target,
                # The direction follows from the numbers: one field less to
                # get wrong on a phone.
                direction=env["okr.key.result"]._okr_direction_of(start, target),
            )
        if weight is not None:
            vals["weight"] = weight
        # The model's rules (weight, target), shown next to their fields.
        model_errors = env["okr.key.result"]._okr_validate_kr_vals(vals)
        return vals, {**model_errors, **errors}

    @staticmethod
    def _okr_kr_row_filled(post, prefix):
        """A key result row of a new-objective form counts once the user
        typed a name, target or unit (start and weight come prefilled)."""
        return any(
            OkrPortalForm._okr_raw(post, prefix + name)
            for name in ("name", "target_value", "unit")
        )

    OBJECTIVE_FIELDS = ("name", "description", "okr_type")

    KR_FIELDS = ("name", "unit", "start_value", "target_value", "weight")

    def _okr_kr_rows_allowed(self):
        """The fields of the key result rows of a new objective or plan."""
        return {f"kr{index}_{name}" for index in (1, 2, 3) for name in self.KR_FIELDS}

    def _okr_kr_rows(self, post):
        """``(commands, errors)`` of the key result rows of a new objective
        or plan: one create command per row filled in."""
        commands, errors = [], {}
        for index in (1, 2, 3):
            prefix = f"kr{index}_"
            if not self._okr_kr_row_filled(post, prefix):
                continue
            kr_vals, kr_errors = self._okr_kr_vals(post, prefix)
            errors.update({prefix + k: v for k, v in kr_errors.items()})
            commands.append(Command.create(kr_vals))
        return commands, errors

    def _okr_new_allowed(self):
        return {"cycle_id", *self.OBJECTIVE_FIELDS, *self._okr_kr_rows_allowed()}

    @route(
        "/my/okrs/new", type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_okr_new(self, **post):
        if not self._okr_portal_enabled():
            raise NotFound()
        env = request.env
        cycles = env["okr.cycle"]._okr_open_cycles()
        if request.httprequest.method != "POST":
            return request.render(
                "bsc_okr.portal_okr_new",
                self._okr_common_values(
                    "okr_new", cycles=cycles, **self._okr_new_defaults()
                ),
            )
        vals, errors = self._okr_objective_vals(post)
        cycle = self._okr_pick(cycles, post, "cycle_id")
        if not cycle:
            errors["cycle_id"] = env._("Choose a cycle that is open.")
        kr_commands, kr_errors = self._okr_kr_rows(post)
        errors.update(kr_errors)

        def apply():
            objective = env["okr.objective"].create(
                dict(vals, cycle_id=cycle.id, key_result_ids=kr_commands)
            )
            return f"/my/okrs/{objective.id}"

        return self._okr_submit_form(
            post,
            "new",
            self._okr_new_allowed(),
            errors,
            apply,
            "created",
            lambda **values: request.render(
                "bsc_okr.portal_okr_new",
                self._okr_common_values(
                    "okr_new", cycles=cycles, **self._okr_new_defaults(), **values
                ),
            ),
        )

    # ------------------------------------------------------------------
    # One objective
    # ------------------------------------------------------------------
    def _okr_chart_props(self, chart, height):
        """The props of the ``bsc_okr.progress_chart`` component (Chart.js)
        drawing ``chart``, a specification the models built
        (``okr.progress.history._okr_chart``); None when it has no point."""
        actual = chart and chart["series"][0]["points"]
        if not actual:
            return None
        return json.dumps({"chart": chart, "height": height})

    def _okr_checkin_panel(self, key_results, history=True):
        """What the check-in panel of ``key_results`` shows: the form for
        those the user may check in on and, with ``history``, each one's
        check-ins (latest first) and progress chart."""
        panel = {
            "can_checkin_ids": set(key_results._okr_filter_can_checkin().ids),
            "can_grade_ids": set(key_results._okr_filter_can_grade().ids),
            "checkins_by_kr": {},
            "charts": {},
            "pending_checkins": key_results._okr_pending_figures(),
        }
        if not history:
            return panel
        checkins = request.env["okr.checkin"].search(
            [("key_result_id", "in", key_results.ids)], order="date desc, id desc"
        )
        by_kr = {kr.id: [] for kr in key_results}
        for checkin in checkins:
            by_kr[checkin.key_result_id.id].append(checkin)
        panel["checkins_by_kr"] = by_kr
        charts = key_results._okr_checkin_charts()
        panel["charts"] = {
            kr.id: self._okr_chart_props(charts.get(kr.id), 120) for kr in key_results
        }
        return panel

    def _prepare_okr_detail_values(self, objective, **values):
        env = request.env
        # search, not browse: an approver may read the objective without
        # its public projection (a private objective of another team).
        public = env["okr.objective.public"].search([("id", "=", objective.id)])
        try:
            bsc_name = public.bsc_objective_id.name or False
        except AccessError:
            bsc_name = False
        key_results = objective.key_result_ids
        parents = objective.parent_ids
        return self._okr_common_values(
            "okr_detail",
            objective=objective,
            owner_name=public.owner_name,
            key_results=key_results,
            burnup=self._okr_chart_props(
                objective._okr_burnup_charts().get(objective.id), 220
            ),
            **self._okr_checkin_panel(key_results),
            can_edit=objective._okr_can_edit(),
            retrospective=objective.retrospective_id,
            can_write_retrospective=objective._okr_retrospective_open_to_owner(),
            next_steps=env["okr.retrospective"]
            ._fields["next_step"]
            ._description_selection(env),
            workflow_actions=objective._okr_workflow_actions(),
            can_approve=objective.approval_can_approve,
            parents=parents,
            bsc_objective_name=bsc_name,
            state_labels=dict(objective._fields["state"]._description_selection(env)),
            **values,
        )

    def _okr_render_detail(self, objective, **values):
        return request.render(
            "bsc_okr.portal_okr_detail",
            self._prepare_okr_detail_values(objective, **values),
        )

    @route(
        "/my/okrs/<int:objective_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_okr_detail(self, objective_id, **kw):
        objective = self._okr_get("okr.objective", objective_id)
        return self._okr_render_detail(objective, **self._okr_page_messages(kw))

    def _okr_record_page(self, record):
        if record._name == "okr.objective":
            return f"/my/okrs/{record.id}", self._okr_render_detail
        return super()._okr_record_page(record)

    @route(
        "/my/okrs/<int:objective_id>/edit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_edit(self, objective_id, **post):
        def apply(objective, vals):
            objective.write(vals)

        return self._okr_post_on_record(
            "okr.objective",
            objective_id,
            post,
            "objective",
            self.OBJECTIVE_FIELDS,
            self._okr_objective_vals,
            apply,
            "saved",
        )

    @route(
        "/my/okrs/<int:objective_id>/key-results/new",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_kr_new(self, objective_id, **post):
        def apply(objective, vals):
            env = request.env
            env["okr.key.result"].create(dict(vals, objective_id=objective.id))

        return self._okr_post_on_record(
            "okr.objective",
            objective_id,
            post,
            "kr_new",
            self.KR_FIELDS,
            self._okr_kr_vals,
            apply,
            "saved",
        )

    # ------------------------------------------------------------------
    # Retrospective (the owner, while the cycle is graded)
    # ------------------------------------------------------------------
    RETROSPECTIVE_FIELDS = ("what_worked", "what_did_not", "what_learned", "next_step")

    def _okr_retrospective_vals(self, post):
        env = request.env
        Retro = env["okr.retrospective"]
        vals, errors = {}, {}
        for name in ("what_worked", "what_did_not", "what_learned"):
            label = Retro._fields[name].get_description(env)["string"]
            value, error = self._okr_text(post, name, label, max_length=TEXT_MAX)
            vals[name] = clean_text(value) or False
            if error:
                errors[name] = error
        next_step = self._okr_raw(post, "next_step")
        steps = dict(Retro._fields["next_step"]._description_selection(env))
        if next_step and next_step not in steps:
            errors["next_step"] = env._("Choose one of the next steps offered.")
        vals["next_step"] = next_step or False
        return vals, errors

    @route(
        "/my/okrs/<int:objective_id>/retrospective",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_retrospective(self, objective_id, **post):
        def apply(objective, vals):
            objective._okr_write_retrospective(vals)

        return self._okr_post_on_record(
            "okr.objective",
            objective_id,
            post,
            "retrospective",
            self.RETROSPECTIVE_FIELDS,
            self._okr_retrospective_vals,
            apply,
            "saved",
        )

    def _okr_get_kr(self, objective_id, kr_id):
        """A key result of that objective, readable by the user, or 404: a
        key result id of another objective never reaches a write."""
        key_result = self._okr_get("okr.key.result", kr_id)
        if key_result.objective_id.id != objective_id:
            raise NotFound()
        return key_result

    @route(
        "/my/okrs/<int:objective_id>/key-results/<int:kr_id>/edit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_kr_edit(self, objective_id, kr_id, **post):
        key_result = self._okr_get_kr(objective_id, kr_id)

        def apply(objective, vals):
            key_result.write(vals)

        return self._okr_post_on_record(
            "okr.objective",
            objective_id,
            post,
            f"kr_{kr_id}",
            self.KR_FIELDS,
            self._okr_kr_vals,
            apply,
            "saved",
        )

    @route(
        "/my/okrs/<int:objective_id>/key-results/<int:kr_id>/delete",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_kr_delete(self, objective_id, kr_id, **post):
        key_result = self._okr_get_kr(objective_id, kr_id)

        def apply(objective, vals):
            key_result.unlink()

        return self._okr_post_on_record(
            "okr.objective",
            objective_id,
            post,
            f"kr_{kr_id}",
            (),
            lambda p: ({}, {}),
            apply,
            "deleted",
        )

    def _okr_workflow_route(self, objective_id, post, step, notice):
        return self._okr_post_on_record(
            "okr.objective",
            objective_id,
            post,
            "workflow",
            (),
            lambda p: ({}, {}),
            lambda objective, vals: objective._okr_workflow_step(step) and None,
            notice,
        )

    @route(
        "/my/okrs/<int:objective_id>/submit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_submit(self, objective_id, **post):
        return self._okr_workflow_route(objective_id, post, "submit", "submitted")

    @route(
        "/my/okrs/<int:objective_id>/withdraw",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_withdraw(self, objective_id, **post):
        return self._okr_workflow_route(objective_id, post, "withdraw", "withdrawn")

    @route(
        "/my/okrs/<int:objective_id>/activate",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_activate(self, objective_id, **post):
        return self._okr_workflow_route(objective_id, post, "activate", "activated")

    # ------------------------------------------------------------------
    # Approve and reject (objectives and learning plans)
    # ------------------------------------------------------------------
    def _okr_post_decision(self, model, record_id, post, approve):
        """Approve the record (an objective or a learning plan), or reject it
        with the reason the form gives; then go to the team page."""
        if approve:
            allowed, validate, notice = (), lambda p: ({}, {}), "approved"

            def apply(record, vals):
                return record.action_approval_approve() and TEAM_URL

        else:
            allowed, validate, notice = ("reason",), self._okr_reason_vals, "rejected"

            def apply(record, vals):
                return record.action_approval_reject(vals["reason"]) and TEAM_URL

        return self._okr_post_on_record(
            model, record_id, post, "decision", allowed, validate, apply, notice
        )

    @route(
        "/my/okrs/<int:objective_id>/approve",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_approve(self, objective_id, **post):
        return self._okr_post_decision("okr.objective", objective_id, post, True)

    @route(
        "/my/okrs/<int:objective_id>/reject",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_reject(self, objective_id, **post):
        return self._okr_post_decision("okr.objective", objective_id, post, False)

    # ------------------------------------------------------------------
    # Check-ins
    # ------------------------------------------------------------------
    CHECKIN_FIELDS = ("value", "confidence", "comment")

    def _okr_checkin_vals(self, post):
        env = request.env
        errors = {}
        value, errors["value"] = self._okr_number(post, "value", env._("Value"))
        confidence, errors["confidence"] = self._okr_confidence(post)
        comment, errors["comment"] = self._okr_text(
            post, "comment", env._("Comment"), max_length=TEXT_MAX
        )
        errors = {k: v for k, v in errors.items() if v}
        return {
            "value": value,
            "confidence": confidence,
            "comment": comment or False,
        }, errors

    def _okr_checkin_target(self, key_result):
        """``(url, render)`` of the page a check-in on ``key_result`` is
        posted from: its objective's page, or the list for contributors,
        who read the key result but not always its objective."""
        objective = key_result.objective_id
        if objective.has_access("read"):
            return (
                f"/my/okrs/{objective.id}",
                lambda **values: self._okr_render_detail(objective, **values),
            )
        return "/my/okrs", lambda **values: request.render(
            "bsc_okr.portal_my_okrs", self._prepare_okr_list_values(extra=values)
        )

    @route(
        "/my/key-results/<int:kr_id>/checkin",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_okr_checkin_open(self, kr_id, **kw):
        """The page of the key result's check-in form, opened and prefilled
        with its last value: where the weekly reminder's link leads."""
        key_result = self._okr_get("okr.key.result", kr_id)
        _back, render = self._okr_checkin_target(key_result)
        return render(okr_open_checkin=key_result.id)

    @route(
        "/my/key-results/<int:kr_id>/checkin",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_checkin(self, kr_id, **post):
        key_result = self._okr_get("okr.key.result", kr_id)
        back, render = self._okr_checkin_target(key_result)
        vals, errors = self._okr_checkin_vals(post)

        def apply():
            # Many people check in at once here: in deferred mode the
            # check-in only inserts its row (see okr.checkin).
            request.env["okr.checkin"].with_context(okr_deferred_rollup=True).create(
                dict(vals, key_result_id=key_result.id)
            )
            return back

        return self._okr_submit_form(
            post,
            f"checkin_{kr_id}",
            self.CHECKIN_FIELDS,
            errors,
            apply,
            "checked_in",
            render,
        )

    # ------------------------------------------------------------------
    # Grading (the rule: okr.key.result._okr_give_grade)
    # ------------------------------------------------------------------
    GRADE_FIELDS = ("grade", "grade_note")

    def _okr_grade_vals(self, post):
        env = request.env
        errors = {}
        grade, errors["grade"] = self._okr_number(post, "grade", env._("Grade"))
        note, errors["grade_note"] = self._okr_text(
            post, "grade_note", env._("Why this grade"), max_length=TEXT_MAX
        )
        errors = {k: v for k, v in errors.items() if v}
        return {"grade": grade, "note": note}, errors

    @route(
        "/my/key-results/<int:kr_id>/grade",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_grade(self, kr_id, **post):
        key_result = self._okr_get("okr.key.result", kr_id)
        back, render = self._okr_checkin_target(key_result)
        vals, errors = self._okr_grade_vals(post)

        def apply():
            key_result._okr_give_grade(vals["grade"], vals["note"])
            return back

        return self._okr_submit_form(
            post,
            f"grade_{kr_id}",
            self.GRADE_FIELDS,
            errors,
            apply,
            "graded",
            render,
        )

    @route(
        "/my/okrs/reminders",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_reminders(self, **post):
        """Turn the weekly check-in reminder off (``optout=1``) or on: the
        user's own preference, a self-writeable field of res.users. The form
        sets a value rather than flipping it: sent twice, it changes nothing
        more."""
        if not self._okr_portal_enabled():
            raise NotFound()
        optout = self._okr_raw(post, "optout") == "1"
        request.env.user.write({"okr_checkin_reminder_optout": optout})
        return self._okr_redirect(
            "/my/okrs", "reminders_off" if optout else "reminders_on"
        )

    # ------------------------------------------------------------------
    # Team and company
    # ------------------------------------------------------------------
    @route("/my/okrs/team", type="http", auth="user", website=True, methods=["GET"])
    def portal_okr_team(self, **kw):
        if not self._okr_portal_enabled():
            raise NotFound()
        env = request.env
        Objective = env["okr.objective"]
        cycle = env["okr.cycle"]._okr_current_cycle()
        to_approve = Objective.search([("approval_can_approve", "=", True)])
        plans_to_approve = env["okr.learning.plan"].search(
            [("approval_can_approve", "=", True)]
        )
        team = Objective.search(
            Objective._okr_team_domain(env.user, cycle), order="name, id"
        )
        owner_names = {
            p.id: p.owner_name
            for p in env["okr.objective.public"].search(
                [("id", "in", (team | to_approve).ids)]
            )
        }
        values = self._okr_common_values(
            "okr_team",
            cycle=cycle,
            to_approve=to_approve,
            plans_to_approve=plans_to_approve,
            team=team,
            owner_names=owner_names,
            state_labels=dict(Objective._fields["state"]._description_selection(env)),
        )
        values.update(self._okr_page_messages(kw))
        return request.render("bsc_okr.portal_okr_team", values)

    @route("/my/okrs/company", type="http", auth="user", website=True, methods=["GET"])
    def portal_okr_company(self, cycle=None, **kw):
        if not self._okr_portal_enabled():
            raise NotFound()
        env = request.env
        cycles = env["okr.cycle"]._okr_listed_cycles()
        selected = env["okr.cycle"]._okr_browsed_cycle(self._okr_int(cycle))
        public_model = env["okr.objective.public"]
        public = public_model.search(
            public_model._okr_company_page_domain(selected), order="level, name"
        )
        ids = set(public.ids)
        children = {}
        roots = []
        for objective in public:
            parent = objective.parent_id.id
            if parent and parent in ids:
                children.setdefault(parent, []).append(objective)
            else:
                roots.append(objective)
        values = self._okr_common_values(
            "okr_company",
            roots=roots,
            children=children,
            cycles=cycles,
            selected_cycle=selected,
        )
        return request.render("bsc_okr.portal_okr_company", values)
