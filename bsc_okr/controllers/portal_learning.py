"""The learning plans in the OKR portal: propose a plan, add findings and
files, request the next stage, approve or reject.

Like ``portal_okr``, the routes parse, call the models (which say when a
finding may be added and how large a file may be) and render.
"""

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo.http import request, route
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal_form import ITEMS_PER_PAGE, TEXT_MAX
from .portal_okr import OkrPortal


class LearningPortal(OkrPortal):
    # ------------------------------------------------------------------
    # Check-ins on learning goals
    # ------------------------------------------------------------------
    def _okr_checkin_target(self, key_result):
        # A check-in on a learning goal's key result goes back to its plan.
        objective = key_result.objective_id
        if objective.has_access("read") and objective.is_learning:
            plan = objective.learning_plan_id
            if plan.has_access("read"):
                return (
                    f"/my/learning-plans/{plan.id}",
                    lambda **values: self._okr_render_plan(plan, **values),
                )
        return super()._okr_checkin_target(key_result)

    # ------------------------------------------------------------------
    # /my/learning-plans
    # ------------------------------------------------------------------
    def _okr_plan_domain(self):
        return request.env["okr.learning.plan"]._learning_mine_domain(
            self._okr_my_employee_ids()
        )

    @route(
        ["/my/learning-plans", "/my/learning-plans/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_learning_plans(self, page=1, **kw):
        if not self._okr_portal_enabled():
            raise NotFound()
        Plan = request.env["okr.learning.plan"]
        domain = self._okr_plan_domain()
        total = Plan.search_count(domain)
        pager = portal_pager(
            url="/my/learning-plans", total=total, page=page, step=ITEMS_PER_PAGE
        )
        plans = Plan.search(domain, limit=ITEMS_PER_PAGE, offset=pager["offset"])
        values = self._okr_common_values(
            "learning_list",
            plans=plans,
            pager=pager,
            state_labels=dict(
                Plan._fields["state"]._description_selection(request.env)
            ),
        )
        values.update(self._okr_page_messages(kw))
        return request.render("bsc_okr.portal_my_learning_plans", values)

    # ------------------------------------------------------------------
    # New plan
    # ------------------------------------------------------------------
    PLAN_FIELDS = (
        "name",
        "plan_type_id",
        "campaign_id",
        "cycle_id",
        "direction",
        "goal_name",
        "goal_description",
    )

    def _okr_plan_choices(self):
        env = request.env
        return {
            "plan_types": env["okr.learning.plan.type"].search([]),
            "campaigns": env["okr.learning.campaign"].search(
                env["okr.learning.campaign"]._learning_open_campaigns_domain()
            ),
            "month_cycles": env["okr.cycle"]._okr_open_cycles(learning=True),
        }

    @route(
        "/my/learning-plans/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_learning_plan_new(self, **post):
        if not self._okr_portal_enabled():
            raise NotFound()
        env = request.env
        choices = self._okr_plan_choices()
        if request.httprequest.method != "POST":
            return request.render(
                "bsc_okr.portal_learning_plan_new",
                self._okr_common_values("learning_new", **choices),
            )
        errors = {}
        name, errors["name"] = self._okr_text(post, "name", env._("Plan"), True)
        goal_name, errors["goal_name"] = self._okr_text(
            post, "goal_name", env._("Learning objective"), True
        )
        goal_description, errors["goal_description"] = self._okr_text(
            post, "goal_description", env._("Why learn this"), max_length=TEXT_MAX
        )
        direction, errors["direction"] = self._okr_text(
            post, "direction", env._("Direction"), max_length=TEXT_MAX
        )

        plan_type = self._okr_pick(choices["plan_types"], post, "plan_type_id")
        campaign = self._okr_pick(choices["campaigns"], post, "campaign_id")
        cycle = self._okr_pick(choices["month_cycles"], post, "cycle_id")
        if not plan_type:
            errors["plan_type_id"] = env._("Choose the kind of learning plan.")
        if not cycle:
            errors["cycle_id"] = env._("Choose the month of the learning goal.")
        kr_commands, kr_errors = self._okr_kr_rows(post)
        errors.update(kr_errors)
        errors = {k: v for k, v in errors.items() if v}

        def apply():
            plan = env["okr.learning.plan"].create(
                {
                    "name": name,
                    "plan_type_id": plan_type.id,
                    "campaign_id": campaign.id or False,
                    "cycle_id": cycle.id,
                    "goal_name": goal_name,
                    "goal_description": goal_description or False,
                    "direction": plaintext2html(direction) if direction else False,
                    "key_result_ids": kr_commands,
                }
            )
            return f"/my/learning-plans/{plan.id}"

        return self._okr_submit_form(
            post,
            "new",
            {*self.PLAN_FIELDS, *self._okr_kr_rows_allowed()},
            errors,
            apply,
            "plan_created",
            lambda **values: request.render(
                "bsc_okr.portal_learning_plan_new",
                self._okr_common_values("learning_new", **choices, **values),
            ),
        )

    # ------------------------------------------------------------------
    # One plan
    # ------------------------------------------------------------------
    def _okr_render_plan(self, plan, **values):
        env = request.env
        goal = plan.objective_id
        key_results = goal.key_result_ids
        values = self._okr_common_values(
            "learning_detail",
            plan=plan,
            finding_files=self._okr_finding_attachments(plan.finding_ids),
            goal=goal,
            key_results=key_results,
            **self._okr_checkin_panel(key_results),
            next_states=plan.approval_next_states or [],
            can_approve=plan.approval_can_approve,
            can_add_finding=plan._learning_can_add_finding(),
            state_labels=dict(plan._fields["state"]._description_selection(env)),
            finding_kinds=dict(
                env["okr.learning.finding"]._fields["kind"]._description_selection(env)
            ),
            decision_labels=dict(
                env["okr.learning.decision"]
                ._fields["decision"]
                ._description_selection(env)
            ),
            **values,
        )
        return request.render("bsc_okr.portal_learning_plan_detail", values)

    @route(
        "/my/learning-plans/<int:plan_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_learning_plan_detail(self, plan_id, **kw):
        plan = self._okr_get("okr.learning.plan", plan_id)
        return self._okr_render_plan(plan, **self._okr_page_messages(kw))

    def _okr_record_page(self, record):
        if record._name == "okr.learning.plan":
            return f"/my/learning-plans/{record.id}", self._okr_render_plan
        return super()._okr_record_page(record)

    # ------------------------------------------------------------------
    # Findings
    # ------------------------------------------------------------------
    def _okr_finding_vals(self, post):
        env = request.env
        errors = {}
        name, errors["name"] = self._okr_text(post, "name", env._("Finding"), True)
        note, errors["note"] = self._okr_text(
            post, "note", env._("Note"), max_length=TEXT_MAX
        )
        Finding = env["okr.learning.finding"]
        kind = post.get("kind") or Finding.default_get(["kind"]).get("kind")
        kinds = dict(Finding._fields["kind"].selection)
        if kind not in kinds:
            errors["kind"] = env._("Choose what kind of finding this is.")
        upload = post.get("attachment")
        if upload is not None and not hasattr(upload, "read"):
            upload = None
        errors = {k: v for k, v in errors.items() if v}
        return {
            "name": name,
            "note": plaintext2html(note) if note else False,
            "kind": kind,
            "upload": upload,
        }, errors

    def _okr_finding_attachments(self, findings):
        """{finding id: [(name, download url)]}: the files the model lets
        the user download, each opened by its own access token."""
        return {
            finding_id: [
                (
                    file["name"],
                    f"/web/content/{file['id']}?"
                    + url_encode(
                        {"access_token": file["access_token"], "download": "true"}
                    ),
                )
                for file in files
            ]
            for finding_id, files in (
                findings._learning_downloadable_attachments().items()
            )
        }

    @route(
        "/my/learning-plans/<int:plan_id>/findings",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_learning_plan_finding(self, plan_id, **post):
        def apply(plan, vals):
            upload = vals.pop("upload")
            finding = request.env["okr.learning.finding"].create(
                dict(vals, plan_id=plan.id)
            )
            if upload and upload.filename:
                finding._learning_attach(upload.filename, upload.read())

        return self._okr_post_on_record(
            "okr.learning.plan",
            plan_id,
            post,
            "finding",
            ("name", "note", "kind", "attachment"),
            self._okr_finding_vals,
            apply,
            "finding_added",
        )

    # ------------------------------------------------------------------
    # Stages and decisions
    # ------------------------------------------------------------------
    @route(
        "/my/learning-plans/<int:plan_id>/request",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_learning_plan_request(self, plan_id, **post):
        def validate(p):
            to_state = p.get("to_state")
            plan = request.env["okr.learning.plan"].browse(plan_id)
            if to_state not in (plan.approval_next_states or []):
                return {}, {
                    "to_state": request.env._("This stage cannot be requested now.")
                }
            return {"to_state": to_state}, {}

        return self._okr_post_on_record(
            "okr.learning.plan",
            plan_id,
            post,
            "workflow",
            ("to_state",),
            validate,
            lambda plan, vals: plan.action_approval_request(vals["to_state"]) and None,
            "requested",
        )

    @route(
        "/my/learning-plans/<int:plan_id>/approve",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_learning_plan_approve(self, plan_id, **post):
        return self._okr_post_decision("okr.learning.plan", plan_id, post, True)

    @route(
        "/my/learning-plans/<int:plan_id>/reject",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_learning_plan_reject(self, plan_id, **post):
        return self._okr_post_decision("okr.learning.plan", plan_id, post, False)
